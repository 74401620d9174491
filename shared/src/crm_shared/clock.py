"""The suite's one source of the current time, so tests can move time instead of sleeping.

Time-dependent rules (lockouts, reminders, pool returns, retention) read `now()` (or
`crm_shared.db.utcnow`, which delegates here) rather than `datetime.now()`. Tests then freeze and
advance it with the `clock` fixture of `crm_shared.testing.plugin`.

The override is process-wide on purpose: a service's background workers (outbox relay, consumers,
schedulers) run in tasks whose context was copied before the test began, so a context variable set
by the test would never reach them. Database defaults such as `now()` in SQL are not affected.
"""

from __future__ import annotations

import datetime as dt

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time in UTC (timezone-aware), or the instant a test froze it at."""
    return _frozen if _frozen is not None else dt.datetime.now(dt.UTC)


def frozen_at() -> dt.datetime | None:
    """The instant `now()` is frozen at, or None while it follows real time."""
    return _frozen


def freeze(at: dt.datetime | None) -> dt.datetime | None:
    """Make `now()` return `at` (None: real time again); returns the override it replaces."""
    global _frozen
    if at is not None and at.utcoffset() is None:
        raise ValueError(f"a frozen time must be timezone-aware, got {at!r}")
    previous, _frozen = _frozen, at.astimezone(dt.UTC) if at is not None else None
    return previous
