"""Defining workflows: drafts checked when saved, versions when published, dry runs, and the runs' log."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import col

from automation import events
from automation.settings import AutomationSettings
from automation.workflows import actions, checks
from automation.workflows.conditions import Checked, check_all, fill
from automation.workflows.definition import (
    END,
    Branch,
    CallWebhook,
    CreateTask,
    DateTrigger,
    Definition,
    EventTrigger,
    Notify,
    ScheduleTrigger,
    UpdateRecord,
    Wait,
    dump,
    parse,
)
from automation.workflows.models import (
    RunStatus,
    RunStep,
    Timer,
    TimerKind,
    Workflow,
    WorkflowRun,
    WorkflowStatus,
    WorkflowVersion,
)
from automation.workflows.remote import StepFailed
from automation.workflows.timers import schedule_cron
from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Order, Page, page
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import note, required_text

RESOURCE = "automation:workflow"


@dataclass(frozen=True)
class WorkflowInput:
    name: str
    definition: Any
    description: str | None = None


@dataclass(frozen=True)
class RunFilter:
    workflow_id: uuid.UUID | None = None
    status: RunStatus | None = None
    started_from: dt.datetime | None = None
    started_before: dt.datetime | None = None


@dataclass(frozen=True)
class DryStep:
    step_id: str
    action: str
    would: dict[str, Any]
    error: str | None = None


@dataclass(frozen=True)
class DryRun:
    matched: bool
    conditions: list[Checked]
    steps: list[DryStep] = field(default_factory=list)


async def get(uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, action: str = "read") -> Workflow:
    principal.require(f"{RESOURCE}:{action}")
    found = await uow.session.get(Workflow, workflow_id, with_for_update=action != "read")
    if found is None:
        raise NotFound(entity="Workflow")
    return found


def trigger_topics(principal: Principal, settings: AutomationSettings) -> list[str]:
    """What a rule's trigger may listen to: the topics this deployment consumes."""
    principal.require(f"{RESOURCE}:read")
    return list(settings.trigger_topics)


async def listed(uow: UnitOfWork, principal: Principal) -> list[Workflow]:
    principal.require(f"{RESOURCE}:read")
    return list((await uow.session.scalars(select(Workflow).order_by(col(Workflow.name)))).all())


async def save(
    uow: UnitOfWork,
    principal: Principal,
    workflow_id: uuid.UUID | None,
    data: WorkflowInput,
    settings: AutomationSettings,
) -> Workflow:
    """The draft, checked; published versions and running instances are untouched until `publish`."""
    row = await get(uow, principal, workflow_id, "update") if workflow_id else None
    if row is None:
        principal.require(f"{RESOURCE}:create")
    name = required_text(data.name, "name", 100)
    draft = dump(await checked(uow, data.definition, settings))
    same = select(col(Workflow.id)).where(col(Workflow.name) == name)
    if row is not None:
        same = same.where(col(Workflow.id) != row.id)
    if await uow.session.scalar(same) is not None:
        raise Conflict("workflow_name_taken", field="name")
    before = {"name": row.name, "draft": row.draft} if row else None
    if row is None:
        row = Workflow(name=name, draft=draft, created_by=principal.user_id)
        uow.session.add(row)
    row.name, row.draft, row.updated_at = name, draft, utcnow()
    row.description = note(data.description, "description", 2000)
    await uow.flush()
    await audit.record(
        uow, "workflow.saved", "Workflow", row.id, before, {"name": name, "draft": draft}, actor=principal
    )
    return row


async def checked(uow: UnitOfWork, raw: Any, settings: AutomationSettings) -> Definition:
    """The definition as its runs will use it: its shape, then its values (topics, users, links, addresses)."""
    definition = parse(raw)
    checks.draft(definition, "definition", settings.trigger_topics, settings.webhook_networks)
    await checks.recipients(uow, definition, "definition")
    return definition


async def publish(
    uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, settings: AutomationSettings
) -> Workflow:
    """The draft becomes the next version and the one triggers start; runs of earlier versions finish as begun."""
    row = await get(uow, principal, workflow_id, "publish")
    # a draft saved before a check existed is not published unchecked
    definition = await checked(uow, row.draft, settings)
    latest = await _latest(uow, row)
    if latest is not None and latest.active and latest.definition == row.draft:
        raise Conflict("workflow_unchanged")
    await _retire(uow, row)
    trigger = definition.trigger
    topic, type_ = (trigger.topic, trigger.type) if isinstance(trigger, EventTrigger | DateTrigger) else (None, None)
    row.version += 1
    version = WorkflowVersion(
        workflow_id=row.id,
        version=row.version,
        definition=row.draft,
        trigger_kind=trigger.kind,
        trigger_topic=topic,
        trigger_type=type_,
        published_by=principal.user_id,
    )
    uow.session.add(version)
    row.status, row.updated_at = WorkflowStatus.ACTIVE, utcnow()
    await uow.flush()
    if isinstance(trigger, ScheduleTrigger):
        await schedule_cron(uow, version, trigger, utcnow())
    if latest is not None and isinstance(trigger, DateTrigger) and _same_date(latest, trigger):
        await uow.session.execute(  # records' date timers carry over when the date rule is the same
            update(Timer)
            .where(col(Timer.version_id) == latest.id, col(Timer.kind) == TimerKind.DATE)
            .values(version_id=version.id)
        )
    await uow.publish(
        events.WorkflowPublished(
            id=row.id, name=row.name, version=row.version, trigger_kind=trigger.kind, published_by=principal.user_id
        )
    )
    await audit.record(uow, "workflow.published", "Workflow", row.id, after={"version": row.version}, actor=principal)
    return row


async def disable(uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID) -> Workflow:
    """No new runs; those under way finish."""
    row = await get(uow, principal, workflow_id, "publish")
    latest = await _latest(uow, row)
    await _retire(uow, row)
    if latest is not None:
        await uow.session.execute(
            delete(Timer).where(col(Timer.version_id) == latest.id, col(Timer.kind) == TimerKind.DATE)
        )
    row.status, row.updated_at = WorkflowStatus.DISABLED, utcnow()
    await uow.flush()
    await audit.record(uow, "workflow.disabled", "Workflow", row.id, actor=principal)
    return row


async def _latest(uow: UnitOfWork, row: Workflow) -> WorkflowVersion | None:
    return await uow.session.scalar(
        select(WorkflowVersion).where(
            col(WorkflowVersion.workflow_id) == row.id, col(WorkflowVersion.version) == row.version
        )
    )


async def _retire(uow: UnitOfWork, row: Workflow) -> None:
    versions = select(col(WorkflowVersion.id)).where(col(WorkflowVersion.workflow_id) == row.id)
    await uow.session.execute(update(WorkflowVersion).where(col(WorkflowVersion.id).in_(versions)).values(active=False))
    await uow.session.execute(
        delete(Timer).where(col(Timer.version_id).in_(versions), col(Timer.kind) == TimerKind.CRON)
    )


def _same_date(version: WorkflowVersion, trigger: DateTrigger) -> bool:
    earlier = parse(version.definition).trigger
    return isinstance(earlier, DateTrigger) and (
        earlier.topic,
        earlier.type,
        earlier.field,
        earlier.offset_days,
        earlier.at_hour,
    ) == (
        trigger.topic,
        trigger.type,
        trigger.field,
        trigger.offset_days,
        trigger.at_hour,
    )


async def dry_run(uow: UnitOfWork, principal: Principal, workflow_id: uuid.UUID, sample: Any) -> DryRun:
    """Which conditions the sample event meets and what each step would do, without doing any of it."""
    row = await get(uow, principal, workflow_id)
    definition = parse(row.draft)
    if not isinstance(sample, dict):
        raise BadInput("workflow_bad_value", field="sampleEvent")
    data = sample.get("data", sample)
    context: dict[str, Any] = {
        "event": data if isinstance(data, dict) else {},
        "previous": sample.get("previous") or {},
        "subject": sample.get("subject") or (data.get("id") if isinstance(data, dict) else None),
        "type": sample.get("type"),
        "topic": sample.get("topic"),
        "steps": {},
    }
    trigger = definition.trigger
    checked = check_all([*getattr(trigger, "conditions", []), *definition.conditions], context)
    if isinstance(trigger, EventTrigger | DateTrigger) and sample.get("type") not in (None, trigger.type):
        checked.insert(0, Checked("type", "eq", sample.get("type"), False))
    matched = all(c.matched for c in checked)
    if not matched:
        return DryRun(False, checked)
    return DryRun(True, checked, _walk(definition, context))


def _walk(definition: Any, context: dict[str, Any]) -> list[DryStep]:
    run = WorkflowRun(
        id=uuid.UUID(int=0), workflow_id=uuid.UUID(int=0), version_id=uuid.UUID(int=0), version=0, trigger_key="dry-run"
    )
    walked: list[DryStep] = []
    current = definition.steps[0].id
    while current != END:
        step = definition.step(current)
        try:
            would = _would(run, step, context)
            walked.append(DryStep(step.id, step.action, would))
        except StepFailed as failed:
            walked.append(DryStep(step.id, step.action, {}, str(failed)))
            break
        context["steps"][step.id] = would.get("result", {})
        if isinstance(step, Branch):
            chosen = step.then if would["matched"] else step.else_
            current = chosen or definition.after(step.id)
        else:
            current = step.next or definition.after(step.id)
    return walked


def _would(run: WorkflowRun, step: Any, context: dict[str, Any]) -> dict[str, Any]:
    now = utcnow()
    if isinstance(step, CreateTask):
        return {"service": "customer", "mutation": "createTask", "input": actions.task_input(step, context, now)}
    if isinstance(step, Notify):
        return {
            "user": str(actions.user_id(fill(step.user, context), "user")),
            "title": fill(step.title, context),
            "body": fill(step.body, context),
        }
    if isinstance(step, UpdateRecord):
        return {
            "service": step.service,
            "document": actions.update_document(step),
            "variables": actions.update_variables(step, context),
        }
    if isinstance(step, CallWebhook):
        return {"url": step.url, "body": actions.webhook_body(run, step, context), "signed": step.secret is not None}
    if isinstance(step, Wait):
        outcome = "timeout" if step.until_event else "elapsed"
        until = step.until_event.model_dump(by_alias=True) if step.until_event else None
        return {"seconds": step.seconds, "untilEvent": until, "result": {"outcome": outcome}}
    assert isinstance(step, Branch)
    matched = all(c.matched for c in check_all(step.conditions, context))
    return {"matched": matched, "result": {"matched": matched}}


async def runs(
    uow: UnitOfWork, principal: Principal, where: RunFilter, first: int, after: str | None
) -> Page[WorkflowRun]:
    principal.require(f"{RESOURCE}:read")
    query = select(WorkflowRun)
    if where.workflow_id is not None:
        query = query.where(col(WorkflowRun.workflow_id) == where.workflow_id)
    if where.status is not None:
        query = query.where(col(WorkflowRun.status) == where.status)
    if where.started_from is not None:
        query = query.where(col(WorkflowRun.started_at) >= where.started_from)
    if where.started_before is not None:
        query = query.where(col(WorkflowRun.started_at) < where.started_before)
    return await page(uow, query, Order.by(col(WorkflowRun.seq), descending=True), first, after)


async def run_steps(uow: UnitOfWork, run_id: uuid.UUID) -> list[RunStep]:
    query = select(RunStep).where(col(RunStep.run_id) == run_id).order_by(col(RunStep.seq))
    return list((await uow.session.scalars(query)).all())
