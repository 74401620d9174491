"""The injectable clock: tests set and advance `now()` exactly, and real time comes back after."""

import datetime as dt
import uuid

import pytest

from crm_shared import clock as real_clock
from crm_shared.db import utcnow
from crm_shared.events import InboxRecord
from crm_shared.testing import FrozenClock

NOON = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_fixture_freezes_sets_and_advances_utcnow(clock):
    assert real_clock.frozen_at() == clock.now()
    assert utcnow() == utcnow()  # frozen: time does not pass by itself
    assert clock.set(NOON) == NOON
    assert utcnow() == NOON
    assert clock.advance(seconds=90) == NOON + dt.timedelta(seconds=90)
    assert clock.advance(days=30) == dt.datetime(2026, 3, 31, 12, 1, 30, tzinfo=dt.UTC)
    assert utcnow() == dt.datetime(2026, 3, 31, 12, 1, 30, tzinfo=dt.UTC)
    assert real_clock.now() == utcnow()


def test_model_defaults_read_the_clock(clock):
    clock.set(NOON)
    record = InboxRecord(consumer="c", event_id=uuid.uuid4(), event_type="t")
    assert record.processed_at == NOON


def test_restoring_brings_back_real_time_and_nested_clocks_unwind():
    assert real_clock.frozen_at() is None
    with FrozenClock(NOON) as outer:
        with FrozenClock() as inner:
            inner.advance(hours=1)
            assert utcnow() == NOON + dt.timedelta(hours=1)
        assert utcnow() == NOON
        outer.restore()
        outer.restore()  # idempotent
        assert real_clock.frozen_at() is None
    assert real_clock.frozen_at() is None
    assert utcnow().tzinfo is dt.UTC


def test_times_are_kept_in_utc_and_naive_times_are_refused():
    beijing = dt.timezone(dt.timedelta(hours=8))
    with FrozenClock(dt.datetime(2026, 3, 1, 20, 0, tzinfo=beijing)) as frozen:
        assert frozen.now() == NOON
        assert frozen.now().tzinfo is dt.UTC
        with pytest.raises(ValueError, match="timezone-aware"):
            frozen.set(dt.datetime(2026, 3, 1, 12, 0))
        assert utcnow() == NOON
