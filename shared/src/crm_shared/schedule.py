"""Runs a service's scheduled jobs: each when it is due, each run in a unit of work of its own.

State lives in the database, so a restart or a second replica loses nothing: a job finds what is
due by querying, and a transaction-level advisory lock lets one replica run a job at a time. A job with a
`wake` channel also runs as soon as a NOTIFY on it comes (every replica hears it; one takes the lock).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
import zlib

from sqlalchemy import text

from crm_shared.db.engine import Database
from crm_shared.db.listen import Listener
from crm_shared.service import RunAgain, Schedule

log = logging.getLogger(__name__)
TICK = 0.5  # seconds between checks for due jobs at most
# a woken job runs at once, or this long after its last run began: work queued by many small transactions
# in a row (one event each) goes in a few runs, not one run each
WAKE_GAP = 0.1


class ScheduleRunner:
    def __init__(self, db: Database, schedules: list[Schedule]) -> None:
        self.db = db
        self.schedules = schedules
        self._due = dict.fromkeys((s.name for s in schedules), 0.0)
        self._began = dict.fromkeys((s.name for s in schedules), -WAKE_GAP)
        self._woken = asyncio.Event()
        channels = {s.wake: functools.partial(self._wake, s.name) for s in schedules if s.wake}
        self._listener = Listener(db.url, channels, "schedules") if channels else None

    async def run(self) -> None:
        """Until cancelled; a failing job is logged and tried again at its next turn."""
        try:
            while True:
                self._woken.clear()  # a wake while the jobs run is kept in `_due`, and seen below
                for schedule in self.schedules:
                    if time.monotonic() >= self._due[schedule.name]:
                        await self.run_once(schedule)
                if self._listener is not None:
                    await self._listener.keep()
                next_due = min(self._due.values(), default=float("inf"))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._woken.wait(), min(TICK, max(0.0, next_due - time.monotonic())))
        finally:
            if self._listener is not None:
                await self._listener.close()

    def _wake(self, name: str) -> None:
        """Its job is due (a NOTIFY on its channel): now, or `WAKE_GAP` after its last run began."""
        self._due[name] = min(self._due[name], self._began[name] + WAKE_GAP)
        self._woken.set()

    async def run_once(self, schedule: Schedule) -> bool:
        """One run of `schedule`; False when it failed or another replica holds it."""
        self._began[schedule.name] = time.monotonic()
        self._due[schedule.name] = self._began[schedule.name] + schedule.every
        lock = zlib.crc32(f"schedule:{self.db.source}:{schedule.name}".encode())
        try:
            async with self.db.unit_of_work() as uow:
                if not await uow.session.scalar(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": lock}):
                    return False
                result = await schedule.job(uow)
            if isinstance(result, RunAgain):  # committed: the next run sees what this one did
                self._due[schedule.name] = min(self._due[schedule.name], time.monotonic() + result.seconds)
            return True
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("scheduled job %r failed; it runs again in %ss", schedule.name, schedule.every)
            return False

    async def run_all(self) -> None:
        """Every job once, in order (tests and the demo seed)."""
        for schedule in self.schedules:
            await self.run_once(schedule)
