"""Events the customer service publishes; each topic is keyed by the aggregate's id.

The account and contact snapshots, owner changes, merges and lead-conversion answers other services
consume live in `crm_contracts.customer`; the rest are customer's own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import Field, PlainSerializer

from crm_contracts.customer import (
    ACCOUNT_TOPIC,
    CONTACT_TOPIC,
    AccountCreated,
    AccountDeleted,
    AccountMerged,
    AccountOwnerChanged,
    AccountReconciled,
    AccountRestored,
    AccountsReconciled,
    AccountUpdated,
    ContactCreated,
    ContactDeleted,
    ContactLinked,
    ContactSnapshot,
    ContactUpdated,
    LeadConversionFailed,
    LeadConverted,
)
from crm_shared.events.model import Event

ACTIVITY_TOPIC = "crm.customer.activity"
TASK_TOPIC = "crm.customer.task"
TOPICS = (ACCOUNT_TOPIC, CONTACT_TOPIC, ACTIVITY_TOPIC, TASK_TOPIC)

# Times leave as Python writes them (`+00:00`), as they always have.
Time = Annotated[dt.datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str)]

__all__ = [
    "ACCOUNT_TOPIC",
    "CONTACT_TOPIC",
    "AccountCreated",
    "AccountDeleted",
    "AccountMerged",
    "AccountOwnerChanged",
    "AccountReconciled",
    "AccountRestored",
    "AccountUpdated",
    "AccountsReconciled",
    "ContactCreated",
    "ContactDeleted",
    "ContactLinked",
    "ContactSnapshot",
    "ContactUpdated",
    "LeadConversionFailed",
    "LeadConverted",
]


class AccountLifecycleChanged(Event):
    topic, type = ACCOUNT_TOPIC, "account.lifecycle_changed"

    id: uuid.UUID
    from_stage: str | None = Field(alias="from")
    to: str
    reason: str
    automatic: bool


class AccountLinked(Event):
    topic, type = ACCOUNT_TOPIC, "account.linked"
    subject_field = "from_id"

    from_id: uuid.UUID
    to_id: uuid.UUID
    kind: str


class ActivityLogged(Event):
    topic, type = ACTIVITY_TOPIC, "activity.logged"

    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    headline: str = Field(alias="subject")  # `subject` names the CloudEvents subject on every event
    occurred_at: Time
    owner_id: uuid.UUID


class TaskSnapshot(Event):
    topic = TASK_TOPIC

    id: uuid.UUID
    title: str
    account_id: uuid.UUID | None
    assignee_id: uuid.UUID
    due_at: Time
    remind_at: Time | None
    status: Literal["open", "done"]


class TaskCreated(TaskSnapshot):
    type = "task.created"


class TaskCompleted(TaskSnapshot):
    type = "task.completed"


class TaskReminderDue(TaskSnapshot):
    type = "task.reminder_due"
