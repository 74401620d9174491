"""A journey's definition: its trigger and a small graph of typed steps, checked before it is saved.

Pure: no I/O. The first step is the entry; each step names the next by key (a branch names two, a wait for
an event names where a timeout goes). Errors name the offending field as the client sent it
(`steps[2].next`), in zh-CN and en.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from crm_shared.errors import BadInput
from crm_shared.validate import required_text


class TriggerType(StrEnum):
    EVENT = "event"  # a domain event by topic and type, with conditions on its fields
    FORM = "form"  # a web-form submission (sales' lead.created with source web_form)
    DATE = "date"  # a number of days after a contact's creation
    SEGMENT = "segment"  # entering a segment


class StepType(StrEnum):
    EMAIL = "email"
    SMS = "sms"  # a text from an SMS template
    WAIT = "wait"
    BRANCH = "branch"
    ADD_TAG = "add_tag"
    REMOVE_TAG = "remove_tag"
    TASK = "task"  # a task for the account's owner, in customer
    LEAD = "lead"  # hand over to sales as a lead
    GOAL = "goal"
    EXIT = "exit"


class ConditionKind(StrEnum):
    OPENED = "opened"
    CLICKED = "clicked"
    FIELD = "field"


OPERATORS = ("eq", "ne", "contains", "gt", "lt", "set")


@dataclass(frozen=True)
class Trigger:
    """Who enters: `person` says whether the event's subject is a contact or a lead."""

    topic: str
    type: str
    person: str  # contact, lead
    person_field: str  # the event's field holding the person's id


# the events a journey may start from or wait for; the service consumes exactly these
EVENTS: dict[str, Trigger] = {
    t.type: t
    for t in (
        Trigger("crm.customer.contact", "contact.created", "contact", "id"),
        Trigger("crm.customer.contact", "contact.updated", "contact", "id"),
        Trigger("crm.sales.lead", "lead.created", "lead", "id"),
        Trigger("crm.marketing.message", "message.opened", "contact", "contactId"),
        Trigger("crm.marketing.message", "message.clicked", "contact", "contactId"),
    )
}
STARTS = ("contact.created", "contact.updated", "lead.created")  # the others are only waited for


@dataclass(frozen=True)
class Condition:
    kind: ConditionKind
    step: str | None = None  # opened/clicked: that email step's mail (any of the journey's when None)
    field: str | None = None  # field: a field of the event that enrolled the person
    op: str = "eq"
    value: str | None = None


@dataclass(frozen=True)
class Step:
    key: str
    type: StepType
    next: str | None = None
    template_id: uuid.UUID | None = None
    wait_seconds: int | None = None
    wait_until: dt.datetime | None = None
    wait_event: str | None = None  # an event type of EVENTS about the same person
    timeout_next: str | None = None  # where a wait for an event goes when it times out (default: next)
    condition: Condition | None = None
    yes: str | None = None
    no: str | None = None
    tag: str | None = None
    title: str | None = None  # a task's title
    due_days: int = 1  # a task is due this many days after it is created

    def __post_init__(self) -> None:
        """A wait's time is compared with an aware clock: one without an offset (stored before offsets were
        required) is read as UTC."""
        if self.wait_until is not None and self.wait_until.tzinfo is None:
            object.__setattr__(self, "wait_until", self.wait_until.replace(tzinfo=dt.UTC))

    def targets(self) -> list[tuple[str, str]]:
        """(field, step key) of every edge leaving the step."""
        named = [("next", self.next), ("timeoutNext", self.timeout_next), ("yes", self.yes), ("no", self.no)]
        return [(name, key) for name, key in named if key]


@dataclass(frozen=True)
class Definition:
    trigger_type: TriggerType
    event_type: str | None = None
    conditions: tuple[Condition, ...] = ()
    segment_id: uuid.UUID | None = None
    offset_days: int | None = None
    campaign_id: uuid.UUID | None = None  # a form trigger: only submissions for this campaign
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def entry(self) -> str:
        return self.steps[0].key

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.key == key)

    @property
    def person(self) -> str:
        """Whom the journey moves: leads for form and lead triggers, contacts otherwise."""
        if self.trigger_type is TriggerType.FORM:
            return "lead"
        if self.trigger_type is TriggerType.EVENT and self.event_type:
            return EVENTS[self.event_type].person
        return "contact"


MAX_STEPS = 100


def _bad(key: str, field: str, **params: Any) -> BadInput:
    return BadInput(key, field=field, **params)


def check(definition: Definition, templates: set[uuid.UUID], sms_templates: frozenset[uuid.UUID] = frozenset()) -> None:
    """Every rule a saved journey keeps; `templates` are the email templates that exist, `sms_templates` the SMS
    ones."""
    _check_trigger(definition)
    steps = definition.steps
    if not steps:
        raise _bad("journey_no_steps", "steps")
    if len(steps) > MAX_STEPS:
        raise _bad("journey_too_many_steps", "steps", maximum=MAX_STEPS)
    keys: dict[str, int] = {}
    for i, step in enumerate(steps):
        if not step.key.strip() or len(step.key) > 40:
            raise _bad("journey_step_key", f"steps[{i}].key")
        if step.key in keys:
            raise _bad("journey_step_key_taken", f"steps[{i}].key", name=step.key)
        keys[step.key] = i
    for i, step in enumerate(steps):
        _check_step(i, step, keys, sms_templates if step.type is StepType.SMS else templates, definition)
    _check_reachable(definition, keys)
    _check_cycles(definition, keys)


def _check_trigger(d: Definition) -> None:
    if d.trigger_type is TriggerType.EVENT and d.event_type not in STARTS:
        raise _bad("journey_unknown_event", "trigger.eventType", known=", ".join(STARTS))
    if d.trigger_type is TriggerType.SEGMENT and d.segment_id is None:
        raise _bad("journey_required", "trigger.segmentId")
    if d.trigger_type is TriggerType.DATE and (d.offset_days is None or not 0 <= d.offset_days <= 3650):
        raise _bad("journey_offset_days", "trigger.offsetDays")
    for i, condition in enumerate(d.conditions):
        if condition.kind is not ConditionKind.FIELD:
            raise _bad("journey_trigger_condition", f"trigger.conditions[{i}].kind")
        _check_field_condition(condition, f"trigger.conditions[{i}]")


def _check_field_condition(condition: Condition, at: str) -> None:
    if not condition.field or len(condition.field) > 60:
        raise _bad("journey_required", f"{at}.field")
    if condition.op not in OPERATORS:
        raise _bad("journey_operator", f"{at}.op", known=", ".join(OPERATORS))
    if condition.op in ("gt", "lt") and _number(condition.value) is None:
        raise _bad("journey_number", f"{at}.value")


def _check_step(
    i: int, step: Step, keys: dict[str, int], templates: set[uuid.UUID] | frozenset[uuid.UUID], d: Definition
) -> None:
    at = f"steps[{i}]"
    for name, target in step.targets():
        if target not in keys:
            raise _bad("journey_unknown_step", f"{at}.{name}", name=target)
    if step.type in (StepType.EMAIL, StepType.SMS):
        if d.person == "lead":  # marketing holds no lead's address or number
            raise _bad("journey_lead_email", f"{at}.type")
        if step.template_id is None or step.template_id not in templates:
            raise _bad("unknown_template", f"{at}.templateId")
    elif step.type is StepType.WAIT:
        if step.wait_event is not None:  # waitSeconds is then the timeout
            if step.wait_event not in EVENTS or EVENTS[step.wait_event].person != d.person:
                raise _bad("journey_unknown_event", f"{at}.waitEvent", known=", ".join(_waitable(d)))
            if step.wait_until is not None:
                raise _bad("journey_wait_kind", f"{at}.waitUntil")
            if step.wait_seconds is None:
                raise _bad("journey_required", f"{at}.waitSeconds")
        elif (step.wait_seconds is None) == (step.wait_until is None):
            raise _bad("journey_wait_kind", f"{at}.waitSeconds")
        if step.wait_seconds is not None and not 0 < step.wait_seconds <= 366 * 86400:
            raise _bad("journey_wait_seconds", f"{at}.waitSeconds")
    elif step.type is StepType.BRANCH:
        if step.condition is None:
            raise _bad("journey_required", f"{at}.condition")
        if not step.yes or not step.no:
            raise _bad("journey_required", f"{at}.{'no' if step.yes else 'yes'}")
        if step.condition.kind is ConditionKind.FIELD:
            _check_field_condition(step.condition, f"{at}.condition")
        elif step.condition.step is not None and (
            step.condition.step not in keys or d.steps[keys[step.condition.step]].type is not StepType.EMAIL
        ):
            raise _bad("journey_not_email_step", f"{at}.condition.step", name=step.condition.step)
    elif step.type in (StepType.ADD_TAG, StepType.REMOVE_TAG):
        required_text(step.tag, f"{at}.tag", 50)  # shows something: zero-width spaces are no tag
    elif step.type is StepType.TASK:
        required_text(step.title, f"{at}.title", 200)
        if not 0 <= step.due_days <= 365:
            raise _bad("journey_due_days", f"{at}.dueDays")
    if step.type is StepType.EXIT and step.targets():
        raise _bad("journey_exit_next", f"{at}.next")


def _waitable(d: Definition) -> list[str]:
    return [t for t, trigger in EVENTS.items() if trigger.person == d.person]


def _check_reachable(d: Definition, keys: dict[str, int]) -> None:
    seen = {d.entry}
    todo = [d.entry]
    while todo:
        for _, target in d.step(todo.pop()).targets():
            if target not in seen:
                seen.add(target)
                todo.append(target)
    for i, step in enumerate(d.steps):
        if step.key not in seen:
            raise _bad("journey_unreachable", f"steps[{i}]", name=step.key)


def _delays(step: Step) -> bool:
    """Whether the step always holds a person for a while: a wait of some seconds or for an event does, a wait
    until a time does not once that time has passed, so only the former may break a loop."""
    return step.type is StepType.WAIT and step.wait_until is None


def _check_cycles(d: Definition, keys: dict[str, int]) -> None:
    """A loop must pass a delay, or a contact would go round it at once, for ever."""
    edges = {s.key: [t for _, t in s.targets()] for s in d.steps if not _delays(s)}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(key: str) -> list[str] | None:
        state[key] = 1
        path.append(key)
        for target in edges.get(key, []):
            if target not in edges:
                continue
            if state.get(target) == 1:
                return path[path.index(target) :]
            if target not in state and (found := visit(target)):
                return found
        state[key] = 2
        path.pop()
        return None

    for step in d.steps:
        if step.key in edges and step.key not in state and (loop := visit(step.key)):
            until = [k for k in loop if d.step(k).type is StepType.WAIT]
            if until:
                raise _bad("journey_cycle_until", f"steps[{keys[until[0]]}]", name=until[0])
            raise _bad("journey_cycle", f"steps[{keys[loop[0]]}]", name=loop[0])


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def holds(condition: Condition, data: dict[str, Any]) -> bool:
    """A field condition over the data of the event that enrolled the person."""
    assert condition.field is not None
    found = data.get(condition.field)
    if condition.op == "set":
        return found not in (None, "", [])
    if condition.op in ("gt", "lt"):
        number, limit = _number(None if found is None else str(found)), _number(condition.value)
        if number is None or limit is None:
            return False
        return number > limit if condition.op == "gt" else number < limit
    text = "" if found is None else str(found).lower()
    wanted = (condition.value or "").lower()
    if condition.op == "contains":
        return wanted in text or (isinstance(found, list) and wanted in [str(v).lower() for v in found])
    return (text == wanted) == (condition.op == "eq")


def matches(d: Definition, data: dict[str, Any]) -> bool:
    """Whether an event's data satisfies every condition of the trigger."""
    return all(holds(c, data) for c in d.conditions)


def to_json(d: Definition) -> dict[str, Any]:
    """The stored form (a version's `definition` column)."""

    def plain(value: Any) -> Any:
        if isinstance(value, (uuid.UUID, StrEnum)):
            return str(value)
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if v is not None}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return plain(asdict(d))  # type: ignore[no-any-return]


def _condition(data: dict[str, Any]) -> Condition:
    return Condition(
        ConditionKind(data["kind"]), data.get("step"), data.get("field"), data.get("op", "eq"), data.get("value")
    )


def from_json(data: dict[str, Any]) -> Definition:
    def uid(value: Any) -> uuid.UUID | None:
        return uuid.UUID(value) if value else None

    steps = tuple(
        Step(
            key=s["key"],
            type=StepType(s["type"]),
            next=s.get("next"),
            template_id=uid(s.get("template_id")),
            wait_seconds=s.get("wait_seconds"),
            wait_until=dt.datetime.fromisoformat(s["wait_until"]) if s.get("wait_until") else None,
            wait_event=s.get("wait_event"),
            timeout_next=s.get("timeout_next"),
            condition=_condition(s["condition"]) if s.get("condition") else None,
            yes=s.get("yes"),
            no=s.get("no"),
            tag=s.get("tag"),
            title=s.get("title"),
            due_days=s.get("due_days", 1),
        )
        for s in data["steps"]
    )
    return Definition(
        trigger_type=TriggerType(data["trigger_type"]),
        event_type=data.get("event_type"),
        conditions=tuple(_condition(c) for c in data.get("conditions", [])),
        segment_id=uid(data.get("segment_id")),
        offset_days=data.get("offset_days"),
        campaign_id=uid(data.get("campaign_id")),
        steps=steps,
    )
