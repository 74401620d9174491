"""The clock engine against hand-computed cases on a 9:00–12:00, 13:00–18:00 weekday calendar in Shanghai
(480 business minutes a day), with China's 2026 holidays and make-up workdays."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from support.calendars.hours import compose
from support.sla.engine import Breach, Change, ClockKind, ClockState, Message, Targets, compute
from support.tickets.states import TicketStatus as S

SH = ZoneInfo("Asia/Shanghai")
DAY = [(9 * 60, 12 * 60), (13 * 60, 18 * 60)]
WEEKDAYS = {d: DAY for d in range(1, 6)}
HOURS = compose("Asia/Shanghai", WEEKDAYS)


def at(month, day, hour, minute=0, year=2026):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def clock(history, kind=ClockKind.RESOLUTION, now=None, hours=HOURS, messages=(), **targets):
    targets = targets or {kind.value: 240}
    clocks = compute([Change(t, s) for t, s in history], list(messages), Targets(**targets), hours, now)
    return next(c for c in reversed(clocks) if c.kind is kind)


def test_a_weekend_does_not_count():
    c = clock([(at(11, 27, 17), S.NEW)], now=at(11, 30, 9, 30), resolution=120)  # Friday 17:00 → Monday
    assert (c.elapsed_minutes, c.remaining_minutes, c.state) == (90, 30, ClockState.RUNNING)
    assert c.due_at == at(11, 30, 10)


def test_national_day_holidays_are_skipped():
    c = clock([(at(9, 30, 16), S.NEW)], now=at(10, 5, 12), resolution=480)  # the day before the Golden Week
    assert (c.elapsed_minutes, c.state) == (120, ClockState.RUNNING)
    assert c.due_at == at(10, 8, 16)


def test_a_make_up_saturday_is_a_workday():
    c = clock([(at(10, 9, 17), S.NEW)], now=at(10, 10, 12), resolution=240)  # 调休: Saturday 10 October
    assert (c.elapsed_minutes, c.state, c.due_at) == (240, ClockState.BREACHED, at(10, 10, 12))
    sunday = clock([(at(9, 19, 10), S.NEW)], now=at(9, 19, 23), resolution=60)  # and Sunday 20 September
    assert (sunday.elapsed_minutes, sunday.due_at) == (0, at(9, 20, 10))


def test_a_lunch_break_and_a_night_are_no_business_time():
    c = clock([(at(11, 30, 11), S.NEW)], now=at(12, 1, 10), resolution=600)
    assert (c.elapsed_minutes, c.due_at) == (60 + 300 + 60, at(12, 1, 14))


def test_pending_customer_and_on_hold_pause_the_clock():
    history = [(at(11, 30, 9), S.NEW), (at(11, 30, 10), S.PENDING_CUSTOMER), (at(11, 30, 14), S.OPEN)]
    c = clock(history, now=at(11, 30, 15))
    assert (c.elapsed_minutes, c.remaining_minutes, c.state, c.due_at) == (120, 120, ClockState.RUNNING, at(11, 30, 17))
    held = clock([*history, (at(11, 30, 15), S.ON_HOLD)], now=at(12, 1, 17))
    assert (held.elapsed_minutes, held.state, held.due_at) == (120, ClockState.PAUSED, None)


def test_a_policy_change_recomputes_from_the_same_history_without_losing_the_pause():
    history = [(at(11, 30, 9), S.NEW), (at(11, 30, 10), S.PENDING_CUSTOMER), (at(11, 30, 14), S.OPEN)]
    tighter = clock(history, now=at(11, 30, 15), resolution=120)
    assert (tighter.elapsed_minutes, tighter.state, tighter.due_at) == (120, ClockState.BREACHED, at(11, 30, 15))
    looser = clock(history, now=at(11, 30, 15), resolution=480)
    assert (looser.elapsed_minutes, looser.remaining_minutes, looser.due_at) == (120, 360, at(12, 1, 12))


def test_first_response_is_met_by_a_reply_on_the_due_minute_and_breached_a_minute_later():
    history = [(at(11, 30, 9), S.NEW), (at(11, 30, 9, 30), S.OPEN)]
    on_time = clock(
        history, ClockKind.FIRST_RESPONSE, at(11, 30, 12), messages=[Message(at(11, 30, 9, 30))], first_response=30
    )
    assert (on_time.state, on_time.elapsed_minutes, on_time.due_at) == (ClockState.MET, 30, None)
    late = clock(
        history, ClockKind.FIRST_RESPONSE, at(11, 30, 12), messages=[Message(at(11, 30, 9, 31))], first_response=30
    )
    assert (late.state, late.elapsed_minutes, late.due_at) == (ClockState.BREACHED, 31, at(11, 30, 9, 30))


def test_next_response_runs_from_the_customers_answer_to_the_next_reply():
    history = [
        (at(11, 30, 9), S.NEW),
        (at(11, 30, 9, 10), S.PENDING_CUSTOMER),
        (at(11, 30, 10), S.OPEN),  # the customer answered
    ]
    replies = [Message(at(11, 30, 9, 10)), Message(at(11, 30, 11, 30))]
    c = clock(history, ClockKind.NEXT_RESPONSE, at(11, 30, 12), messages=replies, next_response=60)
    assert (c.cycle, c.elapsed_minutes, c.state, c.due_at) == (1, 90, ClockState.BREACHED, at(11, 30, 11))
    answered = [Message(at(11, 30, 9, 10)), Message(at(11, 30, 14), from_customer=True)]
    second = clock(history, ClockKind.NEXT_RESPONSE, at(11, 30, 14, 30), messages=answered, next_response=60)
    assert (second.cycle, second.elapsed_minutes, second.state) == (1, 210, ClockState.BREACHED)


def test_a_closure_removes_its_hours():
    hours = compose("Asia/Shanghai", WEEKDAYS, closures=((at(11, 30, 13), at(11, 30, 15)),))
    c = clock([(at(11, 30, 9), S.NEW)], now=at(11, 30, 16), hours=hours, resolution=300)
    assert (c.elapsed_minutes, c.due_at) == (180 + 60, at(11, 30, 17))


def test_dates_beyond_the_packages_data_follow_the_weekly_hours_and_the_administrators_days():
    new_year = at(1, 1, 9, year=2027)  # a Friday the package knows nothing about
    plain = clock([(new_year, S.NEW)], now=new_year, resolution=480)
    assert plain.due_at == at(1, 1, 18, year=2027)
    hours = compose("Asia/Shanghai", WEEKDAYS, holidays=frozenset({dt.date(2027, 1, 1)}))
    kept = clock([(new_year, S.NEW)], now=new_year, hours=hours, resolution=480)
    assert kept.due_at == at(1, 4, 18, year=2027)


def test_an_administrator_can_overrule_a_statutory_day():
    hours = compose("Asia/Shanghai", WEEKDAYS, workdays=frozenset({dt.date(2026, 10, 2)}))
    c = clock([(at(10, 2, 9), S.NEW)], now=at(10, 2, 10), hours=hours, resolution=60)
    assert (c.elapsed_minutes, c.due_at) == (60, at(10, 2, 10))


def test_a_reopened_ticket_resumes_its_resolution_clock():
    history = [(at(11, 30, 9), S.NEW), (at(11, 30, 10), S.RESOLVED)]
    resolved = clock(history, now=at(12, 1, 9))
    assert (resolved.elapsed_minutes, resolved.state) == (60, ClockState.MET)
    reopened = clock([*history, (at(12, 1, 9), S.OPEN)], now=at(12, 1, 10))
    assert (reopened.elapsed_minutes, reopened.state, reopened.due_at) == (120, ClockState.RUNNING, at(12, 1, 12))


@pytest.mark.parametrize("share,expected", [(0.5, at(11, 30, 11)), (0.8, at(11, 30, 13, 12))])
def test_the_warning_instant_is_a_share_of_the_target_in_business_time(share, expected):
    c = clock([(at(11, 30, 9), S.NEW)], now=at(11, 30, 9), resolution=240)
    assert c.reached(share, HOURS) == expected


def test_a_calendar_without_hours_never_reaches_a_target():
    c = clock([(at(11, 30, 9), S.NEW)], now=at(11, 30, 9), hours=compose("Asia/Shanghai", {}), resolution=60)
    assert (c.elapsed_minutes, c.state, c.due_at) == (0, ClockState.RUNNING, None)


def test_a_calendar_keeps_wall_clock_hours_across_a_daylight_saving_change():
    berlin = ZoneInfo("Europe/Berlin")
    hours = compose("Europe/Berlin", {d: [(0, 24 * 60)] for d in range(1, 8)}, statutory=False)
    spring = dt.datetime(2026, 3, 29, tzinfo=berlin)  # 02:00 becomes 03:00
    assert hours.seconds_between(spring, spring + dt.timedelta(days=1)) == 23 * 3600
    office = compose("Europe/Berlin", {7: [(9 * 60, 17 * 60)]}, statutory=False)
    assert office.seconds_between(spring, dt.datetime(2026, 3, 30, tzinfo=berlin)) == 8 * 3600
    assert office.after(spring, 3600) == dt.datetime(2026, 3, 29, 10, tzinfo=berlin)


def test_a_published_breach_stays_against_the_target_it_passed_whatever_the_targets_now():
    history = [Change(at(11, 30, 9), S.NEW)]
    told = [Breach(ClockKind.FIRST_RESPONSE, 0, at(11, 30, 9, 30), 30)]
    laxer = compute(history, [], Targets(first_response=240), HOURS, at(11, 30, 10), told)
    assert [(c.kind, c.state, c.target_minutes, c.remaining_minutes, c.due_at) for c in laxer] == [
        (ClockKind.FIRST_RESPONSE, ClockState.BREACHED, 30, -30, at(11, 30, 9, 30))
    ]
    none = compute(history, [], Targets(resolution=480), HOURS, at(11, 30, 10), told)  # no such clock now: kept
    assert [(c.kind, c.state) for c in none] == [
        (ClockKind.FIRST_RESPONSE, ClockState.BREACHED),
        (ClockKind.RESOLUTION, ClockState.RUNNING),
    ]
