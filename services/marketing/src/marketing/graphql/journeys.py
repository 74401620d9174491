"""Journey queries and mutations: drafts, publishing, and how many people are where."""

from __future__ import annotations

import datetime as dt

import strawberry

from crm_shared.graphql import Info
from marketing.graphql.types import gid, optional_uid, uid
from marketing.journeys import definition as defs
from marketing.journeys import service as journeys
from marketing.journeys.models import Enrolment, EnrolmentState, JourneyStatus
from marketing.journeys.models import Journey as JourneyRow

strawberry.enum(defs.TriggerType, name="JourneyTriggerType")
strawberry.enum(defs.StepType, name="JourneyStepType")
strawberry.enum(defs.ConditionKind, name="JourneyConditionKind")
strawberry.enum(JourneyStatus, name="JourneyStatus")
strawberry.enum(EnrolmentState, name="JourneyEnrolmentState")


@strawberry.input(
    description="opened/clicked: the mail of `step` (any of the journey's when null); field: an "
    "enrolling event's field compared by `op` (eq, ne, contains, gt, lt, set) with `value`."
)
class JourneyConditionInput:
    kind: defs.ConditionKind
    step: str | None = None
    field: str | None = None
    op: str = "eq"
    value: str | None = None

    def command(self) -> defs.Condition:
        return defs.Condition(self.kind, self.step, self.field, self.op, self.value)


@strawberry.input
class JourneyTriggerInput:
    type: defs.TriggerType
    event_type: str | None = strawberry.field(
        default=None, description="contact.created, contact.updated or lead.created"
    )
    conditions: list[JourneyConditionInput] | None = None
    segment_id: strawberry.ID | None = None
    offset_days: int | None = strawberry.field(default=None, description="DATE: days after the contact's creation.")
    campaign_id: strawberry.ID | None = strawberry.field(default=None, description="FORM: only this campaign's form.")


@strawberry.input(description="One step; the fields used depend on its type. The first step is the entry.")
class JourneyStepInput:
    key: str
    type: defs.StepType
    next: str | None = None
    template_id: strawberry.ID | None = None
    wait_seconds: int | None = strawberry.field(default=None, description="A wait's length, or its event's timeout.")
    wait_until: dt.datetime | None = None
    wait_event: str | None = strawberry.field(default=None, description="e.g. message.opened, message.clicked")
    timeout_next: str | None = strawberry.field(default=None, description="Where a timed-out event wait goes.")
    condition: JourneyConditionInput | None = None
    yes: str | None = None
    no: str | None = None
    tag: str | None = None
    title: str | None = None
    due_days: int = 1

    def command(self) -> defs.Step:
        return defs.Step(
            key=self.key,
            type=self.type,
            next=self.next,
            template_id=optional_uid(self.template_id),
            wait_seconds=self.wait_seconds,
            wait_until=self.wait_until,
            wait_event=self.wait_event,
            timeout_next=self.timeout_next,
            condition=self.condition.command() if self.condition else None,
            yes=self.yes,
            no=self.no,
            tag=self.tag,
            title=self.title,
            due_days=self.due_days,
        )


@strawberry.input
class JourneyInput:
    name: str
    campaign_id: strawberry.ID
    trigger: JourneyTriggerInput
    steps: list[JourneyStepInput]

    def command(self) -> journeys.JourneyInput:
        t = self.trigger
        d = defs.Definition(
            trigger_type=t.type,
            event_type=t.event_type,
            conditions=tuple(c.command() for c in t.conditions or []),
            segment_id=optional_uid(t.segment_id),
            offset_days=t.offset_days,
            campaign_id=optional_uid(t.campaign_id),
            steps=tuple(s.command() for s in self.steps),
        )
        return journeys.JourneyInput(self.name, uid(self.campaign_id), d)


@strawberry.type
class JourneyCondition:
    kind: defs.ConditionKind
    step: str | None
    field: str | None
    op: str
    value: str | None


def _condition(c: defs.Condition | None) -> JourneyCondition | None:
    return JourneyCondition(kind=c.kind, step=c.step, field=c.field, op=c.op, value=c.value) if c else None


@strawberry.type
class JourneyTrigger:
    type: defs.TriggerType
    event_type: str | None
    conditions: list[JourneyCondition]
    segment_id: strawberry.ID | None
    offset_days: int | None
    campaign_id: strawberry.ID | None


@strawberry.type
class JourneyStep:
    key: str
    type: defs.StepType
    next: str | None
    template_id: strawberry.ID | None
    wait_seconds: int | None
    wait_until: dt.datetime | None
    wait_event: str | None
    timeout_next: str | None
    condition: JourneyCondition | None
    yes: str | None
    no: str | None
    tag: str | None
    title: str | None
    due_days: int

    @classmethod
    def of(cls, s: defs.Step) -> JourneyStep:
        return cls(
            key=s.key,
            type=s.type,
            next=s.next,
            template_id=gid(s.template_id),
            wait_seconds=s.wait_seconds,
            wait_until=s.wait_until,
            wait_event=s.wait_event,
            timeout_next=s.timeout_next,
            condition=_condition(s.condition),
            yes=s.yes,
            no=s.no,
            tag=s.tag,
            title=s.title,
            due_days=s.due_days,
        )


@strawberry.type(description="A journey: its draft definition, and the version people enter when it is live.")
class Journey:
    id: strawberry.ID
    name: str
    campaign_id: strawberry.ID
    status: JourneyStatus
    live_version: int | None
    trigger: JourneyTrigger
    steps: list[JourneyStep]
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: JourneyRow) -> Journey:
        d = defs.from_json(row.draft)
        trigger = JourneyTrigger(
            type=d.trigger_type,
            event_type=d.event_type,
            conditions=[c for c in map(_condition, d.conditions) if c],
            segment_id=gid(d.segment_id),
            offset_days=d.offset_days,
            campaign_id=gid(d.campaign_id),
        )
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            campaign_id=strawberry.ID(str(row.campaign_id)),
            status=row.status,
            live_version=row.live_version,
            trigger=trigger,
            steps=[JourneyStep.of(s) for s in d.steps],
            updated_at=row.updated_at,
        )


@strawberry.type(description="How many people are at a step of a version: due to move now, or waiting.")
class JourneyStepCount:
    version: int
    step: str
    active: int
    waiting: int


@strawberry.type(description="One person's place in the journey.")
class JourneyPosition:
    person_id: strawberry.ID
    step: str
    state: EnrolmentState
    due_at: dt.datetime | None
    steps_taken: int
    goal_reached: bool
    entered_at: dt.datetime

    @classmethod
    def of(cls, e: Enrolment) -> JourneyPosition:
        return cls(
            person_id=strawberry.ID(str(e.person_id)),
            step=e.step,
            state=e.state,
            due_at=e.due_at,
            steps_taken=e.seq,
            goal_reached=e.goal_at is not None,
            entered_at=e.entered_at,
        )


@strawberry.type
class JourneyProgress:
    enrolled: int
    active: int
    waiting: int
    finished: int
    exited: int
    goal_reached: int
    steps: list[JourneyStepCount]
    position: JourneyPosition | None = strawberry.field(description="The `contactId` asked for, if enrolled.")


@strawberry.type
class Query:
    @strawberry.field
    async def journeys(self, info: Info) -> list[Journey]:
        async with info.context.uow() as uow:
            return [Journey.of(j) for j in await journeys.listed(uow, info.context.principal)]

    @strawberry.field
    async def journey(self, info: Info, id: strawberry.ID) -> Journey:
        async with info.context.uow() as uow:
            return Journey.of(await journeys.get(uow, info.context.principal, uid(id)))

    @strawberry.field(description="People at each step, finished and exited; with `contactId`, that person's place.")
    async def journey_progress(
        self, info: Info, id: strawberry.ID, contact_id: strawberry.ID | None = None
    ) -> JourneyProgress:
        async with info.context.uow() as uow:
            p = await journeys.progress(uow, info.context.principal, uid(id), optional_uid(contact_id))
        return JourneyProgress(
            enrolled=p.enrolled,
            active=p.active,
            waiting=p.waiting,
            finished=p.finished,
            exited=p.exited,
            goal_reached=p.goal_reached,
            steps=[
                JourneyStepCount(version=s.version, step=s.step, active=s.active, waiting=s.waiting) for s in p.steps
            ],
            position=JourneyPosition.of(p.position) if p.position else None,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Save a draft (new, or a change to an existing journey; live people stay put).")
    async def save_journey(self, info: Info, input: JourneyInput, id: strawberry.ID | None = None) -> Journey:
        async with info.context.uow() as uow:
            return Journey.of(await journeys.save(uow, info.context.principal, optional_uid(id), input.command()))

    @strawberry.mutation(description="The draft becomes the next live version; people inside finish theirs.")
    async def publish_journey(self, info: Info, id: strawberry.ID) -> Journey:
        async with info.context.uow() as uow:
            return Journey.of(await journeys.publish(uow, info.context.principal, uid(id)))
