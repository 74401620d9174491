"""The suite's events as triggers: runs started, date timers set, waiting runs resumed, in the consumer's
transaction with its inbox rows (a redelivered event finds it done).

A fetched batch of a topic's events is taken set-wise, in the order of its events: the records' previous states
read and written in a statement each, every rule's conditions tested as a predicate built once per version, the
runs the batch starts written in one statement; an event that meets no rule and resumes no run costs no statement
of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, column, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import col

from automation.workflows.conditions import Predicate, holds, predicate
from automation.workflows.definition import DateTrigger, EventTrigger, Wait
from automation.workflows.engine import (
    Engine,
    Ledger,
    Start,
    add_timers,
    clear_timers,
    definition_for,
    definition_of,
)
from automation.workflows.models import RunStatus, Timer, TimerKind, WorkflowRun, WorkflowVersion
from automation.workflows.remote import caused_by
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.events.envelope import CloudEvent

# the records' rows locked and read (their latest versions, as `FOR UPDATE` waits for a concurrent writer), then
# written with the batch's fields merged in (jsonb `||`: the later value wins), in one round trip whatever their number
REMEMBER_STATES = text(
    "WITH before AS (SELECT subject, data FROM record_states "
    "WHERE topic = :topic AND subject = ANY(CAST(:subjects AS varchar[])) ORDER BY subject FOR UPDATE), "
    "written AS (INSERT INTO record_states (topic, subject, data, updated_at) "
    "SELECT :topic, u.subject, coalesce(b.data, '{}'::jsonb) || u.data, :now "
    "FROM unnest(CAST(:subjects AS varchar[]), CAST(:data AS jsonb[])) AS u(subject, data) "
    "LEFT JOIN before b ON b.subject = u.subject "
    "ON CONFLICT (topic, subject) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at) "
    "SELECT subject, data FROM before"
).columns(column("subject"), column("data", JSONB))

# built once: every batch asks it
WAITING = (
    select(WorkflowRun)
    .where(
        col(WorkflowRun.status) == RunStatus.WAITING,
        col(WorkflowRun.wait_topic) == bindparam("topic"),
        col(WorkflowRun.wait_type).in_(bindparam("types", expanding=True)),
    )
    .with_for_update()
)


@dataclass(frozen=True)
class Rule:
    """A published version as events meet it: its trigger's and its own conditions as one predicate."""

    version: WorkflowVersion
    trigger: EventTrigger | DateTrigger
    applies: Predicate


_known: dict[uuid.UUID, Rule] = {}  # by version


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


async def on_events(uow: UnitOfWork, engine: Engine, topic: str, events: Sequence[CloudEvent]) -> None:
    """A topic's events in their order, as if each came alone: an event sees its record as the events before it in
    the batch left it, and resumes the runs they left waiting."""
    previous = await _previous_states(uow, topic, events)
    contexts = [context_of(topic, event, before) for event, before in zip(events, previous, strict=True)]
    starts = []
    for event, context in zip(events, contexts, strict=True):
        for rule in await _rules(uow, topic, event.type):
            if not rule.applies(context):
                continue
            if isinstance(rule.trigger, EventTrigger):
                starts.append(Start(rule.version, str(event.id), event.subject, context, caused_by(event.traceparent)))
            else:
                await _date_timer(uow, rule.version, rule.trigger, event.subject, context)
    await engine.start(uow, starts)
    await _resume_waiting(uow, engine, topic, events, contexts)


async def _rules(uow: UnitOfWork, topic: str, type: str) -> list[Rule]:
    """The versions a trigger starts, asked once per unit of work: once for a batch of events (a rule published
    meanwhile starts from the next batch). Only their ids are read: a version never changes, so each is read and
    its predicate built once per process."""

    async def load() -> list[Rule]:
        active = select(col(WorkflowVersion.id)).where(
            col(WorkflowVersion.active).is_(True),
            col(WorkflowVersion.trigger_topic) == topic,
            col(WorkflowVersion.trigger_type) == type,
        )
        ids = (await uow.session.scalars(active)).all()
        unknown = [version_id for version_id in ids if version_id not in _known]
        if unknown:
            versions = select(WorkflowVersion).where(col(WorkflowVersion.id).in_(unknown))
            _known.update((v.id, _rule(v)) for v in (await uow.session.scalars(versions)).all())
        return [_known[version_id] for version_id in ids]

    return await uow.read_once(("workflow_rules", topic, type), load)


def _rule(version: WorkflowVersion) -> Rule:
    definition = definition_of(version)
    trigger = definition.trigger
    assert isinstance(trigger, EventTrigger | DateTrigger)
    return Rule(version, trigger, predicate([*trigger.conditions, *definition.conditions]))


async def _previous_states(uow: UnitOfWork, topic: str, events: Sequence[CloudEvent]) -> list[dict[str, Any]]:
    """Each record's fields before each event, and the events' fields merged into them, in one statement."""
    changes: dict[str, dict[str, Any]] = {}  # each record's fields the batch brings, the later value winning
    for event in events:
        if event.subject and isinstance(event.data, dict):
            changes[event.subject] = {**changes.get(event.subject, {}), **event.data}
    if not changes:
        return [{} for _ in events]
    params = {
        "topic": topic,
        "now": utcnow(),
        "subjects": list(changes),
        "data": list(map(json.dumps, changes.values())),
    }
    states: dict[str, dict[str, Any]] = dict((await uow.session.execute(REMEMBER_STATES, params)).all())
    previous: list[dict[str, Any]] = []
    for event in events:
        if not event.subject or not isinstance(event.data, dict):
            previous.append({})
            continue
        before = states.get(event.subject, {})
        previous.append(before)
        states[event.subject] = {**before, **event.data}
    return previous


async def _date_timer(
    uow: UnitOfWork, version: WorkflowVersion, trigger: DateTrigger, subject: str | None, context: dict[str, Any]
) -> None:
    """One timer per record and version, moved when the date changes; none for a date already past."""
    await clear_timers(
        uow, col(Timer.kind) == TimerKind.DATE, col(Timer.version_id) == version.id, col(Timer.subject) == subject
    )
    value = context["event"].get(trigger.field)
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return
    due = dt.datetime.combine(day + dt.timedelta(days=trigger.offset_days), dt.time(trigger.at_hour), dt.UTC)
    if due > utcnow():
        await add_timers(
            uow, Timer(kind=TimerKind.DATE, version_id=version.id, subject=subject, due_at=due, payload=context)
        )


async def _resume_waiting(
    uow: UnitOfWork, engine: Engine, topic: str, events: Sequence[CloudEvent], contexts: list[dict[str, Any]]
) -> None:
    """The runs waiting for the batch's types, read and locked in one statement, offered each event in turn (a run
    resumed by one waits again, maybe for the next)."""
    types = sorted({event.type for event in events})
    waiting = (await uow.session.scalars(WAITING, {"topic": topic, "types": types})).all()
    ledger = Ledger()
    for event, context in zip(events, contexts, strict=True):
        for run in waiting:
            if (run.status, run.wait_topic, run.wait_type) != (RunStatus.WAITING, topic, event.type):
                continue
            step = (await definition_for(uow, run.version_id)).step(str(run.current_step))
            assert isinstance(step, Wait) and step.until_event is not None
            if step.until_event.same_subject and run.subject != event.subject:
                continue
            if holds(step.until_event.conditions, {**run.context, "event": context["event"]}):
                await engine.resume(uow, run, {"outcome": "event", "event": context["event"]}, ledger)
