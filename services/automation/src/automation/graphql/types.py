"""Automation's GraphQL types: thin views of the rows."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from automation.notifications.models import Kind
from automation.notifications.models import Notification as NotificationRow
from automation.notifications.models import Preference as PreferenceRow
from automation.webhooks.models import DeliveryStatus
from automation.webhooks.models import WebhookDelivery as DeliveryRow
from automation.webhooks.models import WebhookSubscription as SubscriptionRow
from automation.workflows import service as workflows
from automation.workflows.models import RunStatus, WorkflowStatus
from automation.workflows.models import RunStep as RunStepRow
from automation.workflows.models import Workflow as WorkflowRow
from automation.workflows.models import WorkflowRun as RunRow
from crm_shared.graphql import Info
from crm_shared.graphql.ids import gid
from crm_shared.graphql.ids import optional_uid as optional_uid
from crm_shared.graphql.ids import uid as uid
from crm_shared.rows import from_row

strawberry.enum(WorkflowStatus, name="WorkflowStatus")
strawberry.enum(RunStatus, name="WorkflowRunStatus")
strawberry.enum(Kind, name="NotificationKind")
strawberry.enum(DeliveryStatus, name="WebhookDeliveryStatus")


@strawberry.type(description="A workflow rule: its draft and the version its triggers start.")
class Workflow:
    id: strawberry.ID
    name: str
    description: str
    status: WorkflowStatus
    version: int = strawberry.field(description="The latest published version; 0 before the first.")
    draft: JSON = strawberry.field(description="The definition being edited: trigger, conditions, steps.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: WorkflowRow) -> Workflow:
        return from_row(cls, row, id=gid(row.id))


@strawberry.type(description="One step of a run as the ledger holds it.")
class WorkflowRunStep:
    step_id: str
    action: str
    status: str = strawberry.field(description="done, retrying (an error, tried again later) or failed.")
    result: JSON
    error: str | None
    attempts: int
    started_at: dt.datetime
    finished_at: dt.datetime | None

    @classmethod
    def of(cls, row: RunStepRow) -> WorkflowRunStep:
        return from_row(cls, row)


@strawberry.type(description="One run of a workflow version, with the log of its steps.")
class WorkflowRun:
    id: strawberry.ID
    workflow_id: strawberry.ID
    version: int
    status: RunStatus
    subject: str | None
    current_step: str | None
    error: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    trigger: JSON = strawberry.field(description="The event (or scheduled time) that started it.")
    topic: str | None = strawberry.field(description="The topic of the record it acted on (its subject).")
    event_type: str | None = strawberry.field(description="The type of the event that started it.")

    @strawberry.field
    async def steps(self, info: Info) -> list[WorkflowRunStep]:
        async with info.context.uow() as uow:
            return [WorkflowRunStep.of(s) for s in await workflows.run_steps(uow, uid(self.id))]

    @classmethod
    def of(cls, row: RunRow) -> WorkflowRun:
        trigger: Any = row.context.get("event")
        return from_row(
            cls,
            row,
            id=gid(row.id),
            workflow_id=gid(row.workflow_id),
            trigger=trigger,
            topic=row.context.get("topic"),
            event_type=row.context.get("type"),
        )


@strawberry.type
class DryRunCondition:
    field: str
    op: str
    actual: JSON | None
    matched: bool


@strawberry.type
class DryRunStep:
    step_id: str
    action: str
    would: JSON = strawberry.field(description="What the step would send or do, its values filled in.")
    error: str | None


@strawberry.type(description="A dry run: which conditions the sample met and what each step would do.")
class WorkflowDryRun:
    matched: bool
    conditions: list[DryRunCondition]
    steps: list[DryRunStep]

    @classmethod
    def of(cls, found: workflows.DryRun) -> WorkflowDryRun:
        return cls(
            matched=found.matched,
            conditions=[
                DryRunCondition(field=c.field, op=c.op, actual=c.actual, matched=c.matched) for c in found.conditions
            ],
            steps=[
                DryRunStep(step_id=s.step_id, action=s.action, would=cast(JSON, s.would), error=s.error)
                for s in found.steps
            ],
        )


@strawberry.type
class Notification:
    id: strawberry.ID
    kind: Kind
    title: str
    body: str
    link: str | None
    read_at: dt.datetime | None
    created_at: dt.datetime

    @strawberry.field
    def read(self) -> bool:
        return self.read_at is not None

    @classmethod
    def of(cls, row: NotificationRow) -> Notification:
        return from_row(cls, row, id=gid(row.id))


@strawberry.type(description="What a user gets of one kind: in the inbox, by mail each, in the daily digest.")
class NotificationPreference:
    kind: Kind
    in_app: bool
    email: bool
    digest: bool

    @classmethod
    def of(cls, row: PreferenceRow) -> NotificationPreference:
        return from_row(cls, row, kind=Kind(row.kind))


@strawberry.type(description="Events of the listed types, passing the filters, POSTed signed to a URL.")
class WebhookSubscription:
    id: strawberry.ID
    name: str
    url: str
    secret: str | None = strawberry.field(
        description="whsec_...: the receiver verifies webhook-signature with it. Shown once, in the answer of the "
        "save that made or set it; null when read later."
    )
    event_types: list[str]
    filters: JSON
    enabled: bool
    failures_in_row: int
    disabled_at: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def of(cls, row: SubscriptionRow, reveal: bool = False) -> WebhookSubscription:
        return from_row(cls, row, id=gid(row.id), secret=row.secret if reveal else None)


@strawberry.type
class WebhookDelivery:
    id: strawberry.ID
    subscription_id: strawberry.ID
    message_id: str = strawberry.field(description="The webhook-id header: the same on retries and replays.")
    event_type: str
    payload: JSON
    status: DeliveryStatus
    attempts: int
    next_attempt_at: dt.datetime
    last_status_code: int | None
    last_error: str | None
    replay_of: strawberry.ID | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None

    @classmethod
    def of(cls, row: DeliveryRow) -> WebhookDelivery:
        return from_row(
            cls, row, id=gid(row.id), subscription_id=gid(row.subscription_id), replay_of=gid(row.replay_of)
        )
