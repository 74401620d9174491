"""The timer worker: sleeps until the earliest due timer (woken early when one is added), then fires
the due ones, claimed `FOR UPDATE SKIP LOCKED` a batch per transaction, so replicas share the work and a crash
leaves the batch to fire again (its effects are keyed by run and step, so nothing happens twice).

A batch is fired in one go: its runs locked and read in one statement, their ledger rows in another, and what
they write flushed together at the end. Should anything in it fail, the batch goes again one timer at a time,
each in a savepoint, so that a failing timer holds up none of the others."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlmodel import col

from automation.approvals import service as approvals
from automation.workflows.definition import DateTrigger, ScheduleTrigger, next_cron
from automation.workflows.engine import TIMERS, Engine, Ledger, Start, add_timers, definition_of, timers_of
from automation.workflows.models import RunStatus, Timer, TimerKind, WorkflowRun, WorkflowVersion
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.db.listen import Listener

log = logging.getLogger(__name__)
POSTPONE_SECONDS = 60.0


class TimerWorker:
    def __init__(self, db: Database, engine: Engine, max_sleep: float = 30.0) -> None:
        self.db, self.engine, self.max_sleep = db, engine, max_sleep
        self._wake = asyncio.Event()
        self._listener = Listener(db.url, {TIMERS: self._wake.set}, "workflow timers")

    async def run(self) -> None:
        """Until cancelled; an error is logged and the worker goes on after a pause."""
        try:
            while True:
                try:
                    await self.fire_due()
                    await self._sleep()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("workflow timers: firing failed; trying again shortly")
                    await asyncio.sleep(1.0)
        finally:
            await self._listener.close()

    async def _sleep(self) -> None:
        self._wake.clear()
        await self._listener.keep()
        async with self.db.read() as session:
            earliest = await session.scalar(select(func.min(Timer.due_at)))
        wait = self.max_sleep
        if earliest is not None:
            wait = min(wait, max(0.0, (earliest - utcnow()).total_seconds()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), wait)

    async def fire_due(self, limit: int = 1000, batch: int = 100) -> int:
        """Fire every timer due now (at most `limit`), up to `batch` of them in a transaction; returns how many."""
        fired = 0
        while fired < limit:
            size = min(batch, limit - fired)
            try:
                claimed = await self._fire_together(size)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.info("workflow timers: a batch goes one by one: %s", exc)
                claimed = await self._fire_each(size)
            if not claimed:
                break
            fired += claimed
        return fired

    async def _claim(self, uow: UnitOfWork, size: int) -> Sequence[Timer]:
        query = (
            select(Timer)
            .where(col(Timer.due_at) <= utcnow())
            .order_by(col(Timer.due_at))
            .limit(size)
            .with_for_update(skip_locked=True)
        )
        return (await uow.session.scalars(query)).all()

    async def _fire_together(self, size: int) -> int:
        """A batch in one transaction without savepoints: its runs locked and read, their ledger rows and their timers
        counted, a statement each; the fired timers deleted at the end, in one statement."""
        async with self.db.unit_of_work() as uow:
            due = await self._claim(uow, size)
            runs = await self._lock_runs(uow, due)
            ledger = Ledger()
            await ledger.read(uow, runs)
            timers = await timers_of(uow)
            timers.claimed = await self._all_claimed(uow, due)
            for timer in due:
                if timer.id not in timers.cleared:  # gone when another timer of its run, fired before it, took it along
                    await self.fire(uow, timer, runs.get(timer.run_id) if timer.run_id else None, ledger)
            if due:
                await uow.session.execute(delete(Timer).where(col(Timer.id).in_([timer.id for timer in due])))
        return len(due)

    async def _lock_runs(self, uow: UnitOfWork, due: Sequence[Timer]) -> dict[uuid.UUID, WorkflowRun]:
        run_ids = {timer.run_id for timer in due if timer.run_id is not None}
        if not run_ids:
            return {}
        locked = select(WorkflowRun).where(col(WorkflowRun.id).in_(run_ids)).order_by(col(WorkflowRun.id))
        return {run.id: run for run in (await uow.session.scalars(locked.with_for_update())).all()}

    async def _all_claimed(self, uow: UnitOfWork, due: Sequence[Timer]) -> dict[uuid.UUID, set[uuid.UUID]]:
        """The runs of the batch that have no timer besides those claimed in it, with those."""
        claimed: dict[uuid.UUID, set[uuid.UUID]] = {}
        for timer in due:
            if timer.run_id is not None:
                claimed.setdefault(timer.run_id, set()).add(timer.id)
        if not claimed:
            return {}
        counted = (
            select(col(Timer.run_id), func.count()).where(col(Timer.run_id).in_(claimed)).group_by(col(Timer.run_id))
        )
        kept = {run_id: n for run_id, n in (await uow.session.execute(counted)).all()}
        return {run_id: ids for run_id, ids in claimed.items() if kept.get(run_id) == len(ids)}

    async def _fire_each(self, size: int) -> int:
        async with self.db.unit_of_work() as uow:
            due = await self._claim(uow, size)
            for timer in due:
                await self._fire_one(uow, timer)
        return len(due)

    async def _fire_one(self, uow: UnitOfWork, timer: Timer) -> None:
        """In a savepoint: a timer that fails rolls back alone and waits a while, so it cannot hold up the others."""
        timer_id = timer.id
        try:
            async with uow.savepoint():
                # gone when another timer of its run, fired before it in this batch, took it along
                gone = await uow.session.execute(delete(Timer).where(col(Timer.id) == timer_id))
                if getattr(gone, "rowcount", 0):
                    run = (
                        await uow.session.get(WorkflowRun, timer.run_id, with_for_update=True) if timer.run_id else None
                    )
                    await self.fire(uow, timer, run, Ledger())
        except Exception:
            log.exception("workflow timers: timer %s failed; it fires again in %ss", timer_id, POSTPONE_SECONDS)
            later = utcnow() + dt.timedelta(seconds=POSTPONE_SECONDS)
            await uow.session.execute(update(Timer).where(col(Timer.id) == timer_id).values(due_at=later))

    async def fire(self, uow: UnitOfWork, timer: Timer, run: WorkflowRun | None, ledger: Ledger) -> None:
        if timer.kind == TimerKind.APPROVAL:
            await approvals.on_timer(uow, timer)
            return
        if timer.kind in (TimerKind.CRON, TimerKind.DATE):
            await self._start(uow, timer)
            return
        if run is None:
            return
        with uow.session.no_autoflush:  # what a run does is never read back before it is written: all at once
            if timer.kind == TimerKind.TIMEOUT:
                await self.engine.resume(uow, run, {"outcome": "timeout"}, ledger)
            elif run.status == RunStatus.WAITING and timer.payload.get("step") == run.current_step:
                await self.engine.resume(uow, run, {"outcome": "elapsed"}, ledger)
            elif run.status == RunStatus.RUNNING:
                await self.engine.advance(uow, run, ledger)

    async def _start(self, uow: UnitOfWork, timer: Timer) -> None:
        version = await uow.session.get(WorkflowVersion, timer.version_id)
        if version is None or not version.active:
            return
        trigger = definition_of(version).trigger
        key = f"{timer.kind}:{timer.subject or ''}:{timer.due_at.isoformat()}"
        await self.engine.start(uow, [Start(version, key, timer.subject, dict(timer.payload))])
        if isinstance(trigger, ScheduleTrigger):
            await schedule_cron(uow, version, trigger, timer.due_at)
        elif not isinstance(trigger, DateTrigger):
            log.warning("workflow timers: version %s has no timed trigger", version.id)


async def schedule_cron(
    uow: UnitOfWork, version: WorkflowVersion, trigger: ScheduleTrigger, after: dt.datetime
) -> None:
    due = next_cron(trigger.cron, after)
    context = {"event": {"scheduledAt": due.isoformat()}, "previous": {}, "subject": None}
    await add_timers(uow, Timer(kind=TimerKind.CRON, version_id=version.id, due_at=due, payload=context))
