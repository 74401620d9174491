"""Running workflows: a run goes step by step, each step written to the ledger with its effect, waits
and retries kept as timers in the database, so a restart or a redelivered event repeats nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from automation import events
from automation.settings import AutomationSettings
from automation.workflows import actions
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


def definition_of(version: WorkflowVersion) -> Definition:
    """The version's definition, parsed once per process: a published version never changes, and every event
    of its trigger's topic evaluates it."""
    found = _parsed.get(version.id)
    if found is None:
        found = _parsed[version.id] = parse(version.definition)
    return found


async def add_timer(uow: UnitOfWork, timer: Timer) -> None:
    uow.session.add(timer)
    await uow.session.execute(text(f"NOTIFY {TIMERS}"))


@dataclass
class Engine:
    settings: AutomationSettings
    services: Services

    async def start(
        self, uow: UnitOfWork, version: WorkflowVersion, trigger_key: str, subject: str | None, context: dict[str, Any]
    ) -> uuid.UUID | None:
        """A run of `version`, once per trigger (a redelivered event or a timer fired twice starts none)."""
        definition = definition_of(version)
        run_id = await uow.session.scalar(
            insert(WorkflowRun)
            .values(
                id=uuid.uuid4(),
                workflow_id=version.workflow_id,
                version_id=version.id,
                version=version.version,
                trigger_key=trigger_key[:200],
                subject=subject,
                context={**context, "steps": {}},
                status=RunStatus.RUNNING,
                current_step=definition.steps[0].id,
                started_at=utcnow(),
            )
            .on_conflict_do_nothing(constraint="uq_workflow_runs_version_trigger")
            .returning(col(WorkflowRun.id))
        )
        if run_id is not None:
            await add_timer(uow, Timer(kind=TimerKind.ADVANCE, run_id=run_id, due_at=utcnow()))
        return run_id

    async def advance(self, uow: UnitOfWork, run: WorkflowRun) -> None:
        """Take the run as far as it goes now: to its end, a wait, or a failed step (retried by a timer)."""
        version = await uow.session.get(WorkflowVersion, run.version_id)
        assert version is not None
        definition = definition_of(version)
        context = dict(run.context)
        steps = dict(context.get("steps", {}))
        while run.status == RunStatus.RUNNING:
            if run.current_step in (None, END):
                await self.finish(uow, run, RunStatus.SUCCEEDED)
                break
            step = definition.step(str(run.current_step))
            ledger = await self._ledger(uow, run.id, step.id, step.action)
            if ledger.status != "done":
                if isinstance(step, Wait):
                    await self._wait(uow, run, step)
                    break
                if not await self._perform(uow, run, step, ledger, {**context, "steps": steps}):
                    break
            steps[step.id] = ledger.result
            run.context = {**context, "steps": steps}
            run.current_step = self._next(definition, step, ledger.result)
        await uow.flush()

    async def _ledger(self, uow: UnitOfWork, run_id: uuid.UUID, step_id: str, action: str) -> RunStep:
        found = await uow.session.scalar(
            select(RunStep).where(col(RunStep.run_id) == run_id, col(RunStep.step_id) == step_id)
        )
        if found is None:
            found = RunStep(run_id=run_id, step_id=step_id, action=action, status="pending")
            uow.session.add(found)
        return found

    async def _perform(
        self, uow: UnitOfWork, run: WorkflowRun, step: AnyStep, ledger: RunStep, context: dict[str, Any]
    ) -> bool:
        """The step's effect and its ledger row in this transaction; False when it failed."""
        ledger.attempts += 1
        try:
            async with uow.savepoint():  # a failed local effect leaves nothing behind but the ledger's error
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
            return await actions.call_webhook(run, step, context, self.settings.call_timeout_seconds)
        assert isinstance(step, Branch)
        return {"matched": holds(step.conditions, context)}

    async def _failed(self, uow: UnitOfWork, run: WorkflowRun, ledger: RunStep, failed: StepFailed) -> None:
        ledger.error = str(failed)
        if failed.retry and ledger.attempts < self.settings.step_max_attempts:
            ledger.status = "retrying"
            delay = self.settings.step_retry_seconds * 2 ** (ledger.attempts - 1)
            await add_timer(
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
            await add_timer(uow, Timer(kind=TimerKind.ADVANCE, run_id=run.id, due_at=due, payload={"step": step.id}))
            return
        run.wait_topic, run.wait_type = step.until_event.topic, step.until_event.type
        await add_timer(uow, Timer(kind=TimerKind.TIMEOUT, run_id=run.id, due_at=due, payload={"step": step.id}))

    async def resume(self, uow: UnitOfWork, run: WorkflowRun, outcome: dict[str, Any]) -> None:
        """A wait is over (`outcome` says how): written to the ledger, the run goes on."""
        if run.status != RunStatus.WAITING or run.current_step is None:
            return
        ledger = await self._ledger(uow, run.id, run.current_step, "wait")
        ledger.status, ledger.result, ledger.finished_at, ledger.attempts = "done", outcome, utcnow(), 1
        run.status, run.wait_topic, run.wait_type = RunStatus.RUNNING, None, None
        await uow.session.execute(delete(Timer).where(col(Timer.run_id) == run.id))
        await self.advance(uow, run)

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
