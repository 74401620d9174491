"""The suite's events as triggers: runs started, date timers set, waiting runs resumed, in the consumer's
transaction with its inbox row (a redelivered event finds it done)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from automation.workflows.conditions import holds
from automation.workflows.definition import DateTrigger, EventTrigger, Wait, parse
from automation.workflows.engine import Engine, add_timer
from automation.workflows.models import RecordState, RunStatus, Timer, TimerKind, WorkflowRun, WorkflowVersion
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.events.envelope import CloudEvent


def context_of(topic: str, event: CloudEvent, previous: dict[str, Any]) -> dict[str, Any]:
    data = event.data if isinstance(event.data, dict) else {}
    return {
        "event": data,
        "previous": previous,
        "subject": event.subject,
        "type": event.type,
        "topic": topic,
        "time": event.time.isoformat(),
        "steps": {},
    }


async def on_event(uow: UnitOfWork, engine: Engine, topic: str, event: CloudEvent) -> None:
    previous = await _previous_state(uow, topic, event)
    context = context_of(topic, event, previous)
    versions = (
        await uow.session.scalars(
            select(WorkflowVersion).where(
                col(WorkflowVersion.active).is_(True),
                col(WorkflowVersion.trigger_topic) == topic,
                col(WorkflowVersion.trigger_type) == event.type,
            )
        )
    ).all()
    for version in versions:
        definition = parse(version.definition)
        trigger = definition.trigger
        if not holds([*getattr(trigger, "conditions", []), *definition.conditions], context):
            continue
        if isinstance(trigger, EventTrigger):
            await engine.start(uow, version, str(event.id), event.subject, context)
        elif isinstance(trigger, DateTrigger):
            await _date_timer(uow, version, trigger, event.subject, context)
    await _resume_waiting(uow, engine, topic, event, context)


async def _previous_state(uow: UnitOfWork, topic: str, event: CloudEvent) -> dict[str, Any]:
    if not event.subject or not isinstance(event.data, dict):
        return {}
    state = await uow.session.get(RecordState, (topic, event.subject), with_for_update=True)
    previous = dict(state.data) if state else {}
    merged = {**previous, **event.data}
    await uow.session.execute(
        insert(RecordState)
        .values(topic=topic, subject=event.subject, data=merged, updated_at=utcnow())
        .on_conflict_do_update(index_elements=["topic", "subject"], set_={"data": merged, "updated_at": utcnow()})
    )
    return previous


async def _date_timer(
    uow: UnitOfWork, version: WorkflowVersion, trigger: DateTrigger, subject: str | None, context: dict[str, Any]
) -> None:
    """One timer per record and version, moved when the date changes; none for a date already past."""
    await uow.session.execute(
        delete(Timer).where(
            col(Timer.kind) == TimerKind.DATE, col(Timer.version_id) == version.id, col(Timer.subject) == subject
        )
    )
    value = context["event"].get(trigger.field)
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return
    due = dt.datetime.combine(day + dt.timedelta(days=trigger.offset_days), dt.time(trigger.at_hour), dt.UTC)
    if due > utcnow():
        await add_timer(
            uow, Timer(kind=TimerKind.DATE, version_id=version.id, subject=subject, due_at=due, payload=context)
        )


async def _resume_waiting(
    uow: UnitOfWork, engine: Engine, topic: str, event: CloudEvent, context: dict[str, Any]
) -> None:
    waiting = (
        await uow.session.scalars(
            select(WorkflowRun)
            .where(
                col(WorkflowRun.status) == RunStatus.WAITING,
                col(WorkflowRun.wait_topic) == topic,
                col(WorkflowRun.wait_type) == event.type,
            )
            .with_for_update()
        )
    ).all()
    for run in waiting:
        version = await uow.session.get(WorkflowVersion, run.version_id)
        assert version is not None
        step = parse(version.definition).step(str(run.current_step))
        assert isinstance(step, Wait) and step.until_event is not None
        if step.until_event.same_subject and run.subject != event.subject:
            continue
        if holds(step.until_event.conditions, {**run.context, "event": context["event"]}):
            await engine.resume(uow, run, {"outcome": "event", "event": context["event"]})
