"""GraphQL inputs and their translation into service-layer commands."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from crm_shared.errors import BadInput
from crm_shared.rows import from_row
from customer.accounts.service import EDITABLE, AccountInput
from customer.accounts.service import AccountFilter as Filter
from customer.contacts.service import ContactInput
from customer.tasks.service import TaskFilter as TaskQuery


def uid(value: strawberry.ID | None) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


def json_object(value: JSON | None, field: str) -> dict[str, Any] | None:
    """A JSON scalar that must be an object: any other JSON value is the client's error, not ours."""
    if value is None or isinstance(value, dict):
        return value
    raise BadInput("json_object", field=field)


@strawberry.enum
class AccountOrder(Enum):
    UPDATED_DESC = "UPDATED_DESC"
    CREATED_DESC = "CREATED_DESC"
    NAME_ASC = "NAME_ASC"


@strawberry.input
class AccountFilter:
    search: str | None = strawberry.field(default=None, description="Name, contact or tag; Chinese or pinyin initials.")
    industry: str | None = None
    level: str | None = None
    source: str | None = None
    province: str | None = None
    city: str | None = None
    size: str | None = None
    lifecycle_stage: str | None = None
    tags: list[str] | None = None
    owner_id: strawberry.ID | None = None
    in_pool: bool | None = None
    phone: str | None = strawberry.field(default=None, description="Exact phone number.")
    email: str | None = strawberry.field(default=None, description="Exact email address.")
    custom: JSON | None = strawberry.field(
        default=None, description="Custom values that must match, e.g. {tier: gold}."
    )

    def command(self) -> Filter:
        return Filter(
            self.search,
            self.industry,
            self.level,
            self.source,
            self.province,
            self.city,
            self.size,
            self.lifecycle_stage,
            self.tags or [],
            uid(self.owner_id),
            self.in_pool,
            self.phone,
            self.email,
            json_object(self.custom, "custom") or {},
        )


@strawberry.input
class UpdateAccountInput:
    """The fields a client may set; omitted ones stay as they are."""

    name: str | None = None
    industry: str | None = None
    size: str | None = None
    province: str | None = None
    city: str | None = None
    address: str | None = None
    website: str | None = None
    level: str | None = None
    source: str | None = None
    tags: list[str] | None = None
    phone: str | None = None
    email: str | None = None
    custom: JSON | None = None

    def command(self) -> AccountInput:
        values = {f: getattr(self, f) for f in EDITABLE} | {"custom": json_object(self.custom, "custom")}
        return AccountInput(**values, owner_id=uid(getattr(self, "owner_id", None)))


@strawberry.input
class CreateAccountInput(UpdateAccountInput):
    name: str  # type: ignore[assignment]
    owner_id: strawberry.ID | None = None


@strawberry.input
class ContactFields:
    account_id: strawberry.ID | None = None
    name: str | None = None
    title: str | None = None
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    id_number: str | None = None
    custom: JSON | None = None

    def command(self) -> ContactInput:
        return from_row(ContactInput, self, account_id=uid(self.account_id), custom=json_object(self.custom, "custom"))


@strawberry.input
class LogActivityInput:
    account_id: strawberry.ID
    kind: str
    subject: str
    content: str = ""
    contact_id: strawberry.ID | None = None
    occurred_at: dt.datetime | None = None
    outcome: str | None = None
    participants: list[str] = strawberry.field(default_factory=list)
    link: str | None = strawberry.field(default=None, description="A call's recording or an archived mail.")
    thread_id: str | None = strawberry.field(default=None, description="Mail of one conversation shares it.")
    duration_seconds: int | None = None


@strawberry.input
class CreateTaskInput:
    title: str
    due_at: dt.datetime
    account_id: strawberry.ID | None = None
    remind_at: dt.datetime | None = None
    assignee_id: strawberry.ID | None = None
    notes: str = ""


@strawberry.input(description="Which tasks: by default the caller's open ones.")
class TaskFilter:
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="Default: the caller.")
    status: str | None = strawberry.field(default="open", description="open or done; null: both.")
    due_from: dt.datetime | None = strawberry.field(default=None, description="Due at or after.")
    due_to: dt.datetime | None = strawberry.field(default=None, description="Due before.")
    account_id: strawberry.ID | None = None

    def command(self) -> TaskQuery:
        return TaskQuery(uid(self.assignee_id), self.status, self.due_from, self.due_to, uid(self.account_id))
