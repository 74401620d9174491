"""Running workflows: a run goes step by step, each step written to the ledger with its effect, waits
and retries kept as timers in the database, so a restart or a redelivered event repeats nothing.

Many runs are taken on in one transaction (a batch of due timers, a batch of events): their ledger rows are read
in one statement (`Ledger`) and what they write goes to the database together when the transaction flushes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import SQLModel, col

from automation import events
from automation.settings import AutomationSettings
from automation.workflows import actions, loops
from automation.workflows.conditions import holds
from automation.workflows.definition import (
    END,
    AnyStep,
    Branch,
    CallWebhook,
    CreateTask,
    Definition,
    Notify,
    UpdateRecord,
    Wait,
    parse,
)
from automation.workflows.models import RunStatus, RunStep, Timer, TimerKind, WorkflowRun, WorkflowVersion
from automation.workflows.remote import Services, StepFailed
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import DomainError

TIMERS = "automation_timers"  # NOTIFY: a timer was added; the worker looks at the earliest due time again
_parsed: dict[uuid.UUID, Definition] = {}
# runs, once per version and trigger, as many as the parameters given (the table's: no objects made of them)
RUNS, TIMER_ROWS = (SQLModel.metadata.tables[model.__tablename__] for model in (WorkflowRun, Timer))
STARTED = insert(RUNS).on_conflict_do_nothing(constraint="uq_workflow_runs_version_trigger").returning(RUNS.c.id)


def definition_of(version: WorkflowVersion) -> Definition:
    """The version's definition, parsed once per process: a published version never changes, and every event
    of its trigger's topic evaluates it."""
    found = _parsed.get(version.id)
    if found is None:
        found = _parsed[version.id] = parse(version.definition)
    return found


async def definition_for(uow: UnitOfWork, version_id: uuid.UUID) -> Definition:
    """A run's definition by its version's id, read once per process: a batch of runs asks nothing of the database."""
    found = _parsed.get(version_id)
    if found is None:
        version = await uow.session.get(WorkflowVersion, version_id)
        assert version is not None
        found = definition_of(version)
    return found


@dataclass
class Timers:
    """What a unit of work did to timers: those deleted (the worker passes over the gone ones of the batch it fires),
    the runs it added timers for, and the runs whose every timer the worker has claimed, with those timers (which
    it deletes when its batch ends, so that resuming such a run needs no statement of its own)."""

    cleared: set[uuid.UUID] = field(default_factory=set)
    added_for: set[uuid.UUID | None] = field(default_factory=set)
    claimed: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)


async def timers_of(uow: UnitOfWork) -> Timers:
    async def none() -> Timers:
        return Timers()

    return await uow.read_once("workflow_timers", none)


async def add_timers(uow: UnitOfWork, *timers: Timer) -> None:
    """Written at once, in one statement, and the worker told to look again."""
    await uow.session.execute(insert(TIMER_ROWS), [timer.model_dump() for timer in timers])
    await uow.session.execute(text(f"NOTIFY {TIMERS}"))
    (await timers_of(uow)).added_for.update(timer.run_id for timer in timers)


async def clear_timers(uow: UnitOfWork, *where: ColumnElement[bool]) -> None:
    cleared = await uow.session.scalars(delete(Timer).where(*where).returning(col(Timer.id)))
    (await timers_of(uow)).cleared.update(cleared.all())


async def clear_run_timers(uow: UnitOfWork, run_id: uuid.UUID) -> None:
    """The run's timers gone: those the worker claimed are deleted with its batch."""
    timers = await timers_of(uow)
    if run_id in timers.claimed and run_id not in timers.added_for:
        timers.cleared |= timers.claimed[run_id]
    else:
        await clear_timers(uow, col(Timer.run_id) == run_id)


class Ledger:
    """The ledger rows of the runs at hand, read once for all of them (a batch of timers' runs in one statement),
    so that taking a run on asks nothing more of the database; the rows it adds are written at the next flush."""

    def __init__(self) -> None:
        self._rows: dict[tuple[uuid.UUID, str], RunStep] = {}
        self._read: set[uuid.UUID] = set()

    async def read(self, uow: UnitOfWork, run_ids: Collection[uuid.UUID]) -> None:
        wanted = set(run_ids) - self._read
        if wanted:
            for row in (await uow.session.scalars(select(RunStep).where(col(RunStep.run_id).in_(wanted)))).all():
                self._rows[(row.run_id, row.step_id)] = row
            self._read |= wanted

    async def step(self, uow: UnitOfWork, run_id: uuid.UUID, step_id: str, action: str) -> RunStep:
        await self.read(uow, [run_id])
        found = self._rows.get((run_id, step_id))
        if found is None:
            found = self._rows[(run_id, step_id)] = RunStep(
                run_id=run_id, step_id=step_id, action=action, status="pending"
            )
            uow.session.add(found)
        return found


@dataclass(frozen=True)
class Start:
    """A run to start: of `version`, once per `trigger_key` (the event's id, the scheduled time)."""

    version: WorkflowVersion
    trigger_key: str
    subject: str | None
    context: dict[str, Any]
    cause: uuid.UUID | None = None  # the run whose call caused the event (`loops`)


@dataclass
class Engine:
    settings: AutomationSettings
    services: Services

    async def start(self, uow: UnitOfWork, starts: Sequence[Start]) -> list[uuid.UUID]:
        """The runs, once per trigger (a redelivered event or a timer fired twice starts none), in one statement
        whatever their number (a batch of events), and a timer each that takes them on; a run deeper in a chain
        than the limit is written stopped instead (`loops`)."""
        if not starts:
            return []
        now, limit = utcnow(), self.settings.workflow_chain_limit
        depths = await loops.depths(uow, [start.cause for start in starts])
        rows: list[dict[str, Any]] = []
        for start in starts:
            depth = depths.get(start.cause, 0) + 1
            looping = depth > limit
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "workflow_id": start.version.workflow_id,
                    "version_id": start.version.id,
                    "version": start.version.version,
                    "trigger_key": start.trigger_key[:200],
                    "subject": start.subject,
                    "context": {**start.context, "steps": {}},
                    "status": RunStatus.FAILED if looping else RunStatus.RUNNING,
                    "current_step": None if looping else definition_of(start.version).steps[0].id,
                    "error": loops.LOOPING.format(limit=limit) if looping else None,
                    "depth": depth,
                    "started_at": now,
                    "finished_at": now if looping else None,
                }
            )
        run_ids = list((await uow.session.execute(STARTED, rows)).scalars().all())
        started = set(run_ids)
        going = [row["id"] for row in rows if row["id"] in started and row["status"] == RunStatus.RUNNING]
        if going:
            await add_timers(uow, *(Timer(kind=TimerKind.ADVANCE, run_id=run_id, due_at=now) for run_id in going))
        for start, row in zip(starts, rows, strict=True):
            if row["id"] in started and row["status"] == RunStatus.FAILED:
                await loops.stopped(uow, start.version, row)
        return run_ids

    async def advance(self, uow: UnitOfWork, run: WorkflowRun, ledger: Ledger | None = None) -> None:
        """Take the run as far as it goes now: to its end, a wait, or a failed step (retried by a timer)."""
        ledger = ledger or Ledger()
        definition = await definition_for(uow, run.version_id)
        context = dict(run.context)
        steps = dict(context.get("steps", {}))
        while run.status == RunStatus.RUNNING:
            if run.current_step in (None, END):
                await self.finish(uow, run, RunStatus.SUCCEEDED)
                break
            step = definition.step(str(run.current_step))
            row = await ledger.step(uow, run.id, step.id, step.action)
            if row.status != "done":
                if isinstance(step, Wait):
                    await self._wait(uow, run, step)
                    break
                if not await self._perform(uow, run, step, row, {**context, "steps": steps}):
                    break
            steps[step.id] = row.result
            run.context = {**context, "steps": steps}
            run.current_step = self._next(definition, step, row.result)

    async def _perform(
        self, uow: UnitOfWork, run: WorkflowRun, step: AnyStep, ledger: RunStep, context: dict[str, Any]
    ) -> bool:
        """The step's effect and its ledger row in this transaction; False when it failed. A step that fails or is
        refused has written nothing: a notification, the only effect in this database, is checked before it is
        written, and the other steps' effects are elsewhere."""
        ledger.attempts += 1
        try:
            ledger.result = await self._effect(uow, run, step, context)
        except StepFailed as failed:
            await self._failed(uow, run, ledger, failed)
            return False
        except DomainError as refused:  # what the step made of the event is invalid (an empty title): never right
            await self._failed(uow, run, ledger, StepFailed(refused.message("en"), retry=False))
            return False
        ledger.status, ledger.error, ledger.finished_at = "done", None, utcnow()
        return True

    async def _effect(
        self, uow: UnitOfWork, run: WorkflowRun, step: AnyStep, context: dict[str, Any]
    ) -> dict[str, Any]:
        if isinstance(step, CreateTask):
            return await actions.create_task(self.services, run, step, context)
        if isinstance(step, Notify):
            return await actions.notify(uow, run, step, context)
        if isinstance(step, UpdateRecord):
            return await actions.update_record(self.services, run, step, context)
        if isinstance(step, CallWebhook):
            s = self.settings
            return await actions.call_webhook(run, step, context, s.call_timeout_seconds, s.webhook_networks)
        assert isinstance(step, Branch)
        return {"matched": holds(step.conditions, context)}

    async def _failed(self, uow: UnitOfWork, run: WorkflowRun, ledger: RunStep, failed: StepFailed) -> None:
        ledger.error = str(failed)
        if failed.retry and ledger.attempts < self.settings.step_max_attempts:
            ledger.status = "retrying"
            delay = self.settings.step_retry_seconds * 2 ** (ledger.attempts - 1)
            await add_timers(
                uow, Timer(kind=TimerKind.ADVANCE, run_id=run.id, due_at=utcnow() + dt.timedelta(seconds=delay))
            )
            run.error = str(failed)
            return
        ledger.status, ledger.finished_at = "failed", utcnow()
        run.error = f"{ledger.step_id}: {failed}"
        await self.finish(uow, run, RunStatus.FAILED)

    async def _wait(self, uow: UnitOfWork, run: WorkflowRun, step: Wait) -> None:
        due = utcnow() + dt.timedelta(seconds=step.seconds)
        run.status = RunStatus.WAITING
        if step.until_event is None:
            await add_timers(uow, Timer(kind=TimerKind.ADVANCE, run_id=run.id, due_at=due, payload={"step": step.id}))
            return
        run.wait_topic, run.wait_type = step.until_event.topic, step.until_event.type
        await add_timers(uow, Timer(kind=TimerKind.TIMEOUT, run_id=run.id, due_at=due, payload={"step": step.id}))

    async def resume(
        self, uow: UnitOfWork, run: WorkflowRun, outcome: dict[str, Any], ledger: Ledger | None = None
    ) -> None:
        """A wait is over (`outcome` says how): written to the ledger, the run goes on."""
        if run.status != RunStatus.WAITING or run.current_step is None:
            return
        ledger = ledger or Ledger()
        row = await ledger.step(uow, run.id, run.current_step, "wait")
        row.status, row.result, row.finished_at, row.attempts = "done", outcome, utcnow(), 1
        run.status, run.wait_topic, run.wait_type = RunStatus.RUNNING, None, None
        await clear_run_timers(uow, run.id)
        await self.advance(uow, run, ledger)

    def _next(self, definition: Definition, step: AnyStep, result: dict[str, Any]) -> str:
        if isinstance(step, Branch):
            chosen = step.then if result.get("matched") else step.else_
            return chosen or definition.after(step.id)
        return step.next or definition.after(step.id)

    async def finish(self, uow: UnitOfWork, run: WorkflowRun, status: RunStatus) -> None:
        run.status, run.finished_at = status, utcnow()
        if status == RunStatus.SUCCEEDED:
            run.error = None
        assert run.finished_at is not None
        await uow.publish(
            events.WorkflowRunFinished(
                workflow_id=run.workflow_id,
                run_id=run.id,
                version=run.version,
                status=status.value,
                error=run.error,
                started_at=run.started_at,
                finished_at=run.finished_at,
            )
        )
