"""The suite's events as triggers: runs started, date timers set, waiting runs resumed, in the consumer's
transaction with its inbox row (a redelivered event finds it done)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, column, delete, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import col

from automation.workflows.conditions import holds
from automation.workflows.definition import DateTrigger, EventTrigger, Wait
from automation.workflows.engine import Engine, add_timer, definition_of
from automation.workflows.models import RunStatus, Timer, TimerKind, WorkflowRun, WorkflowVersion
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.events.envelope import CloudEvent

# the record's row locked and read (its latest version, as `FOR UPDATE` waits for a concurrent writer), then
# written with the event's fields merged in (jsonb `||`: the event's value wins), in one round trip
REMEMBER_STATE = (
    text(
        "WITH before AS (SELECT data FROM record_states WHERE topic = :topic AND subject = :subject FOR UPDATE), "
        "merged AS (SELECT coalesce((SELECT data FROM before), '{}'::jsonb) || :data AS data) "
        "INSERT INTO record_states (topic, subject, data, updated_at) SELECT :topic, :subject, data, :now FROM merged "
        "ON CONFLICT (topic, subject) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at "
        "RETURNING (SELECT data FROM before) AS previous"
    )
    .bindparams(bindparam("data", type_=JSONB))
    .columns(column("previous", JSONB))
)

# built once: every event asks it
WAITING = (
    select(WorkflowRun)
    .where(
        col(WorkflowRun.status) == RunStatus.WAITING,
        col(WorkflowRun.wait_topic) == bindparam("topic"),
        col(WorkflowRun.wait_type) == bindparam("type"),
    )
    .with_for_update()
)


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
    for version in await _active(uow, topic, event.type):
        definition = definition_of(version)
        trigger = definition.trigger
        if not holds([*getattr(trigger, "conditions", []), *definition.conditions], context):
            continue
        if isinstance(trigger, EventTrigger):
            await engine.start(uow, version, str(event.id), event.subject, context)
        elif isinstance(trigger, DateTrigger):
            await _date_timer(uow, version, trigger, event.subject, context)
    await _resume_waiting(uow, engine, topic, event, context)


async def _active(uow: UnitOfWork, topic: str, type: str) -> Sequence[WorkflowVersion]:
    """The versions a trigger starts, read once per unit of work: once for a batch of events (a rule published
    meanwhile starts from the next batch)."""

    async def load() -> Sequence[WorkflowVersion]:
        query = select(WorkflowVersion).where(
            col(WorkflowVersion.active).is_(True),
            col(WorkflowVersion.trigger_topic) == topic,
            col(WorkflowVersion.trigger_type) == type,
        )
        return (await uow.session.scalars(query)).all()

    return await uow.read_once(("workflow_versions", topic, type), load)


async def _previous_state(uow: UnitOfWork, topic: str, event: CloudEvent) -> dict[str, Any]:
    """The record's fields before this event, and the event's merged into them, in one statement."""
    if not event.subject or not isinstance(event.data, dict):
        return {}
    previous = await uow.session.scalar(
        REMEMBER_STATE, {"topic": topic, "subject": event.subject, "data": event.data, "now": utcnow()}
    )
    return dict(previous or {})


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
    waiting = (await uow.session.scalars(WAITING, {"topic": topic, "type": event.type})).all()
    for run in waiting:
        version = await uow.session.get(WorkflowVersion, run.version_id)
        assert version is not None
        step = definition_of(version).step(str(run.current_step))
        assert isinstance(step, Wait) and step.until_event is not None
        if step.until_event.same_subject and run.subject != event.subject:
            continue
        if holds(step.until_event.conditions, {**run.context, "event": context["event"]}):
            await engine.resume(uow, run, {"outcome": "event", "event": context["event"]})
