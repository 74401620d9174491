"""A frozen clock for tests: set and advance `crm_shared.clock.now()` instead of sleeping.

Use the `clock` fixture of `crm_shared.testing.plugin`; it freezes time at the real current
instant and restores real time at teardown:

    async def test_reminder_fires_when_due(gql, clock):
        clock.set(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
        ...
        clock.advance(days=1)

Frozen time does not move between two calls: advance it between steps whose order matters.
Only code that reads `crm_shared.clock.now()` / `crm_shared.db.utcnow()` sees it: test tokens and
their verification stay on real time, so a token stays valid however far the clock moves.
"""

from __future__ import annotations

import datetime as dt
from types import TracebackType

from crm_shared import clock


class FrozenClock:
    """Freezes `crm_shared.clock.now()` on creation and puts back what was there on `restore()`."""

    def __init__(self, at: dt.datetime | None = None) -> None:
        self._previous = clock.freeze(at or clock.now())
        self._restored = False

    def now(self) -> dt.datetime:
        return clock.now()

    def set(self, at: dt.datetime) -> dt.datetime:
        """Jump to `at` (timezone-aware); returns it in UTC."""
        clock.freeze(at)
        return self.now()

    def advance(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0) -> dt.datetime:
        """Move time forward (or back, with negative values); returns the new instant."""
        return self.set(self.now() + dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds))

    def restore(self) -> None:
        """Put back the time that was in force before this clock (real time, usually); idempotent."""
        if not self._restored:
            clock.freeze(self._previous)
            self._restored = True

    def __enter__(self) -> FrozenClock:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.restore()
