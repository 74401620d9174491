"""Customer GraphQL types: `Account` is the federation entity other subgraphs extend."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.scalars import JSON

from crm_shared.crypto import decrypt
from crm_shared.graphql import Connection, Info
from crm_shared.masking import mask_email, mask_id_number, mask_phone
from customer.accounts.models import Account as AccountRow
from customer.accounts.models import LifecycleChange as LifecycleRow
from customer.activities.models import Activity as ActivityRow
from customer.contacts.models import Contact as ContactRow
from customer.tasks.models import Task as TaskRow


def services(info: Info) -> Any:
    return info.context.state.customer


def shown(info: Info, field: str, value: str | None, mask: Any) -> str | None:
    if value is None:
        return None
    return mask(value) if info.context.principal.masks(field) else value


USER_KEY = Key(fields="id", resolvable=False)  # type: ignore[arg-type]


@strawberry.federation.type(keys=[USER_KEY], description="A user, resolved by identity.")
class User:
    id: strawberry.ID

    @classmethod
    def ref(cls, user_id: uuid.UUID | None) -> User | None:
        return cls(id=strawberry.ID(str(user_id))) if user_id else None


@strawberry.type
class LifecycleChange:
    from_stage: str | None
    to_stage: str
    reason: str
    automatic: bool
    at: dt.datetime
    actor: User | None

    @classmethod
    def of(cls, row: LifecycleRow) -> LifecycleChange:
        return cls(
            from_stage=row.from_stage,
            to_stage=row.to_stage,
            reason=row.reason,
            automatic=row.automatic,
            at=row.at,
            actor=User.ref(row.actor_id),
        )


@strawberry.federation.type(keys=["id"], description="A customer company (客户).")
class Account:
    id: strawberry.ID
    name: str
    industry: str | None
    size: str | None
    province: str | None
    city: str | None
    address: str | None
    website: str | None
    level: str | None
    source: str | None
    tags: list[str]
    lifecycle_stage: str
    in_pool: bool
    custom: JSON
    created_at: dt.datetime
    updated_at: dt.datetime
    row: strawberry.Private[AccountRow]

    @classmethod
    def of(cls, row: AccountRow) -> Account:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            industry=row.industry,
            size=row.size,
            province=row.province,
            city=row.city,
            address=row.address,
            website=row.website,
            level=row.level,
            source=row.source,
            tags=list(row.tags),
            lifecycle_stage=row.lifecycle_stage,
            in_pool=row.in_pool,
            custom=row.custom,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Account:
        return cls.of(await services(info).accounts.get(info.context.principal, uuid.UUID(id)))

    @strawberry.field
    def owner(self) -> User | None:
        return User.ref(self.row.owner_id)

    @strawberry.field
    def phone(self, info: Info) -> str | None:
        return shown(info, "customer:account.phone", decrypt(self.row.phone_enc), mask_phone)

    @strawberry.field
    def email(self, info: Info) -> str | None:
        return shown(info, "customer:account.email", decrypt(self.row.email_enc), mask_email)

    @strawberry.field
    async def contacts(self, info: Info, first: int = 50, after: str | None = None) -> Connection[Contact]:
        rows, total = await services(info).contacts.page(info.context.principal, self.row.id, first, after)
        return Connection[Contact].build(rows, first, total, lambda c: [c.name, str(c.id)], Contact.of)

    @strawberry.field(description="The account's timeline, newest first.")
    async def activities(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Activity]:
        rows, total = await services(info).activities.timeline(info.context.principal, self.row.id, first, after)
        return Connection[Activity].build(
            rows, first, total, lambda a: [a.occurred_at.isoformat(), str(a.id)], Activity.of
        )

    @strawberry.field
    async def lifecycle_history(self, info: Info) -> list[LifecycleChange]:
        rows = await services(info).lifecycle.history(info.context.principal, self.row.id)
        return [LifecycleChange.of(r) for r in rows]


@strawberry.type(description="A person at a customer (联系人).")
class Contact:
    id: strawberry.ID
    name: str
    title: str | None
    role: str
    custom: JSON
    row: strawberry.Private[ContactRow]

    @classmethod
    def of(cls, row: ContactRow) -> Contact:
        return cls(
            id=strawberry.ID(str(row.id)), name=row.name, title=row.title, role=row.role, custom=row.custom, row=row
        )

    @strawberry.field
    def phone(self, info: Info) -> str | None:
        return shown(info, "customer:contact.phone", decrypt(self.row.phone_enc), mask_phone)

    @strawberry.field
    def email(self, info: Info) -> str | None:
        return shown(info, "customer:contact.email", decrypt(self.row.email_enc), mask_email)

    @strawberry.field
    def id_number(self, info: Info) -> str | None:
        return shown(info, "customer:contact.id_number", decrypt(self.row.id_number_enc), mask_id_number)

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        if self.row.account_id is None:
            return None
        return Account.of(await services(info).accounts.get(info.context.principal, self.row.account_id))


@strawberry.type(description="A call, email, meeting, visit or note on an account's timeline.")
class Activity:
    id: strawberry.ID
    kind: str
    subject: str
    content: str
    outcome: str | None
    participants: list[str]
    occurred_at: dt.datetime
    owner: User | None
    contact_id: strawberry.ID | None

    @classmethod
    def of(cls, row: ActivityRow) -> Activity:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            subject=row.subject,
            content=row.content,
            outcome=row.outcome,
            participants=list(row.participants),
            occurred_at=row.occurred_at,
            owner=User.ref(row.owner_id),
            contact_id=strawberry.ID(str(row.contact_id)) if row.contact_id else None,
        )


@strawberry.type(description="A follow-up (跟进计划) with a due time and a reminder.")
class Task:
    id: strawberry.ID
    title: str
    notes: str
    due_at: dt.datetime
    remind_at: dt.datetime | None
    status: str
    completed_at: dt.datetime | None
    assignee: User | None
    account_id: strawberry.ID | None

    @classmethod
    def of(cls, row: TaskRow) -> Task:
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            notes=row.notes,
            due_at=row.due_at,
            remind_at=row.remind_at,
            status=row.status,
            completed_at=row.completed_at,
            assignee=User.ref(row.assignee_id),
            account_id=strawberry.ID(str(row.account_id)) if row.account_id else None,
        )


@strawberry.type(description="An account in another's network, with the path that reaches it.")
class NetworkNode:
    account: Account
    depth: int
    path: list[strawberry.ID]
    relations: list[str]
