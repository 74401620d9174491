"""A workflow's definition: a trigger, conditions and forward-only steps, checked before it is stored.

Steps form a list; each goes on to the next unless it names another (`next`, a branch's `then` and
`else`). Only later steps may be named, so a run never comes back to a step: each step runs at most
once per run, which is what keys the step ledger.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.alias_generators import to_camel

from crm_shared.errors import BadInput
from crm_shared.http.problems import LIMITS
from crm_shared.validate import field_name

END = "end"
STEP_ID = r"^[A-Za-z][A-Za-z0-9_-]{0,39}$"
SERVICES = ("customer", "sales", "marketing", "support")
MUTATION = re.compile(r"^[a-z][A-Za-z0-9]{2,60}$")
Op = Literal["eq", "ne", "gt", "gte", "lt", "lte", "in", "notIn", "contains", "exists", "notExists", "changed"]


class Part(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class Condition(Part):
    """`field` is a path: `event.status`, `previous.ownerId`, `steps.wait.outcome`, `subject`."""

    field: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$")
    op: Op = "eq"
    value: Any = None
    from_: Any = Field(default=None, alias="from")  # `changed`: the value before (any when absent)
    to: Any = None  # `changed`: the value after (any when absent)


class EventTrigger(Part):
    kind: Literal["event"]
    topic: str = Field(min_length=1, max_length=200)
    type: str = Field(min_length=1, max_length=200)
    conditions: list[Condition] = Field(default_factory=list, max_length=50)


class ScheduleTrigger(Part):
    kind: Literal["schedule"]
    cron: str = Field(min_length=1, max_length=100)

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        if not croniter.is_valid(value):
            raise ValueError("workflow_cron")
        return value


class DateTrigger(Part):
    """Relative to a date field of the events of a record: `endsOn` of a contract, 30 days before."""

    kind: Literal["date"]
    topic: str = Field(min_length=1, max_length=200)
    type: str = Field(min_length=1, max_length=200)
    field: str = Field(min_length=1, max_length=100)
    offset_days: int = Field(default=0, ge=-3650, le=3650)
    at_hour: int = Field(default=1, ge=0, le=23)  # UTC (09:00 in Beijing)
    conditions: list[Condition] = Field(default_factory=list, max_length=50)


Trigger = Annotated[EventTrigger | ScheduleTrigger | DateTrigger, Field(discriminator="kind")]


class Step(Part):
    id: str = Field(pattern=STEP_ID)
    next: str | None = None


class CreateTask(Step):
    """A task in customer, for a user (by default the record's owner)."""

    action: Literal["create_task"]
    title: str = Field(min_length=1, max_length=200)
    assignee: str = "{{ event.ownerId }}"
    account_id: str | None = None
    due_in_hours: int = Field(default=24, ge=0, le=24 * 366)
    notes: str = Field(default="", max_length=2000)


class Notify(Step):
    action: Literal["notify"]
    user: str = "{{ event.ownerId }}"
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=2000)
    link: str | None = Field(default=None, max_length=500)


class UpdateRecord(Step):
    """A mutation of the owning service: `updateLead(id, input)`, or a move such as `qualifyLead(id)`."""

    action: Literal["update_record"]
    service: Literal["customer", "sales", "marketing", "support"]
    mutation: str
    record_id: str = "{{ subject }}"
    input: dict[str, Any] | None = None  # typed `<Mutation>Input!`: updateLead takes UpdateLeadInput

    @field_validator("mutation")
    @classmethod
    def _mutation(cls, value: str) -> str:
        if not MUTATION.match(value):
            raise ValueError("workflow_bad_value")
        return value


class CallWebhook(Step):
    action: Literal["webhook"]
    url: str = Field(max_length=2000)
    secret: str | None = Field(default=None, max_length=200)  # whsec_...: the call is signed when given
    body: dict[str, Any] | None = None  # default: the workflow, the run and the event

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("workflow_url")
        return value


class UntilEvent(Part):
    topic: str = Field(min_length=1, max_length=200)
    type: str = Field(min_length=1, max_length=200)
    same_subject: bool = True
    conditions: list[Condition] = Field(default_factory=list, max_length=50)


class Wait(Step):
    """A duration, or until an event (then `seconds` is the timeout); `steps.<id>.outcome` tells which."""

    action: Literal["wait"]
    seconds: int = Field(default=0, ge=0, le=366 * 86400)
    until_event: UntilEvent | None = None


class Branch(Step):
    action: Literal["branch"]
    conditions: list[Condition] = Field(min_length=1, max_length=50)
    then: str | None = None  # default: the next step
    else_: str = Field(default=END, alias="else")


AnyStep = Annotated[CreateTask | Notify | UpdateRecord | CallWebhook | Wait | Branch, Field(discriminator="action")]
TAGS = {"event", "schedule", "date", "create_task", "notify", "update_record", "webhook", "wait", "branch"}


class Definition(Part):
    trigger: Trigger
    conditions: list[Condition] = Field(default_factory=list, max_length=50)
    steps: list[AnyStep] = Field(min_length=1, max_length=100)

    def step(self, step_id: str) -> AnyStep:
        return next(s for s in self.steps if s.id == step_id)

    def after(self, step_id: str) -> str:
        """The step that follows `step_id` in the list, or the end."""
        ids = [s.id for s in self.steps]
        position = ids.index(step_id)
        return ids[position + 1] if position + 1 < len(ids) else END


def parse(raw: Any, field: str = "definition") -> Definition:
    """The definition, or BAD_USER_INPUT naming the first wrong field (`definition.steps[0].title`)."""
    try:
        definition = Definition.model_validate(raw)
    except ValidationError as exc:
        raise _bad_input(exc.errors()[0], field) from None
    _check_flow(definition, field)
    return definition


def _bad_input(error: Any, field: str) -> BadInput:
    path = field_name([field, *(p for p in error["loc"] if p not in TAGS)])
    kind, message, context = error["type"], str(error.get("msg", "")), error.get("ctx", {})
    if kind in ("missing", "string_too_short"):  # every text's minimum is one character
        return BadInput("required_field", field=path)
    if kind == "extra_forbidden":
        return BadInput("workflow_unknown_key", field=path)
    if kind == "union_tag_not_found":  # the key that says which kind of trigger or step it is
        tag = str(context.get("discriminator", "")).strip("'")
        return BadInput("required_field", field=f"{path}.{tag}" if tag else path)
    if kind in ("literal_error", "union_tag_invalid"):  # pydantic lists them in English (`'ALL', 'ANY' or 'MIN'`)
        expected = str(context.get("expected") or context.get("expected_tags", ""))
        return BadInput("one_of", field=path, choices=", ".join(re.findall(r"'([^']*)'", expected)))
    if kind in LIMITS:  # the field's own bound, said as REST says it
        key, name, bound = LIMITS[kind]
        return BadInput(key, field=path, **{name: context[bound]})
    for key in ("workflow_cron", "workflow_url", "workflow_bad_value"):
        if key in message:
            return BadInput(key, field=path)
    return BadInput("workflow_bad_value", field=path)


def _check_flow(definition: Definition, field: str) -> None:
    ids = [s.id for s in definition.steps]
    for position, step in enumerate(definition.steps):
        if step.id in ids[:position]:
            raise BadInput("workflow_step_ids", field=field_name([field, "steps", position, "id"]))
        later = {*ids[position + 1 :], END}
        targets = {"next": step.next}
        if isinstance(step, Branch):
            targets.update(then=step.then, **{"else": step.else_})
        for key, target in targets.items():
            if target is not None and target not in later:
                raise BadInput("workflow_later_step", field=field_name([field, "steps", position, key]))


def next_cron(expression: str, after: dt.datetime) -> dt.datetime:
    """The first time the cron expression names after `after` (UTC)."""
    found: dt.datetime = croniter(expression, after).get_next(dt.datetime)
    return found


def dump(definition: Definition) -> dict[str, Any]:
    return definition.model_dump(mode="json", by_alias=True, exclude_none=True)
