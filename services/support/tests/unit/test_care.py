"""Pure rules of the care modules: survey tokens, warranty months, shift coverage."""

import datetime as dt
import uuid

from support.installed.service import plus_months
from support.shifts.models import AgentShift
from support.shifts.service import covers
from support.surveys import tokens

EXPIRES = dt.datetime(2026, 12, 14, 2, tzinfo=dt.UTC)


def test_a_token_names_its_survey_and_expiry_and_nothing_else_reads():
    survey = uuid.uuid4()
    token = tokens.token(survey, EXPIRES)
    assert tokens.read(token) == (survey, EXPIRES)
    head, tail = token.split(".")
    assert tokens.read(f"{tokens.token(uuid.uuid4(), EXPIRES).split('.')[0]}.{tail}") is None  # another survey
    assert tokens.read(f"{head}.{tail[::-1]}") is None
    assert tokens.read(head) is None and tokens.read("") is None and tokens.read("a.b.c") is None


def test_warranty_months_end_on_the_same_day_or_the_months_last():
    assert plus_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert plus_months(dt.date(2027, 12, 15), 12) == dt.date(2028, 12, 15)
    assert plus_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


def test_a_shift_covers_its_hours_in_its_zone_and_an_exception_replaces_the_day():
    row = AgentShift(
        user_id=uuid.uuid4(),
        time_zone="Asia/Shanghai",
        weekly=[{"weekday": 1, "start": "08:00", "end": "16:00"}],
        exceptions=[{"day": "2026-12-07", "hours": [{"start": "12:00", "end": "13:00"}]}],
    )
    monday = dt.datetime(2026, 11, 30, 0, tzinfo=dt.UTC)  # 08:00 in Shanghai
    assert covers(row, monday) and not covers(row, monday - dt.timedelta(seconds=1))
    assert not covers(row, monday + dt.timedelta(hours=8))  # 16:00: the end is not included
    assert not covers(row, monday + dt.timedelta(days=1))
    assert not covers(row, monday + dt.timedelta(days=7)) and covers(row, monday + dt.timedelta(days=7, hours=4))
