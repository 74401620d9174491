"""Customer GraphQL types: `Account` is the federation entity other subgraphs extend."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import strawberry
from strawberry.scalars import JSON

from crm_shared.graphql import Connection, Info, gid
from crm_shared.graphql.accounts import SECTION
from crm_shared.graphql.context import RequestContext
from crm_shared.graphql.people import User
from crm_shared.rows import from_row
from customer.accounts import lifecycle
from customer.accounts import service as account_service
from customer.accounts.models import Account as AccountRow
from customer.accounts.models import LifecycleChange as LifecycleRow
from customer.accounts.views import AccountView, ContactView, account_view, contact_view
from customer.activities import service as activity_service
from customer.activities.models import Activity as ActivityRow
from customer.contacts import service as contact_service
from customer.contacts.models import Contact as ContactRow
from customer.tasks import service as task_service
from customer.tasks.models import Task as TaskRow


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
        return from_row(cls, row, actor=User.ref(row.actor_id))


@strawberry.federation.type(keys=["id"], description="A customer company (客户).")
class Account:
    id: strawberry.ID
    name: str = strawberry.federation.field(shareable=True)  # sales and support show it too, from their copies
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
    view: strawberry.Private[AccountView]

    @classmethod
    def of(cls, view: AccountView) -> Account:
        return from_row(cls, view.row, id=gid(view.row.id), view=view)

    @classmethod
    def seen(cls, info: Info, row: AccountRow) -> Account:
        """The account as the caller may see it."""
        return cls.of(account_view(info.context.principal, row))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Account:
        return cls.seen(info, await info.context.batch(_accounts, "Account").load(uuid.UUID(id)))

    @strawberry.field
    def owner(self) -> User | None:
        return User.ref(self.view.row.owner_id)

    @strawberry.field
    def phone(self) -> str | None:
        return self.view.phone

    @strawberry.field
    def email(self) -> str | None:
        return self.view.email

    @strawberry.field(description="The account's contacts." + SECTION)
    async def contacts(self, info: Info, first: int = 50, after: str | None = None) -> Connection[Contact] | None:
        async with info.context.uow() as uow:
            page = await contact_service.page(uow, info.context.principal, self.view.row.id, first, after)
        return Connection.of(page, lambda row: Contact.seen(info, row))

    @strawberry.field(description="The account's timeline, newest first." + SECTION)
    async def activities(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Activity] | None:
        async with info.context.uow() as uow:
            page = await activity_service.timeline(uow, info.context.principal, self.view.row, first, after)
        return Connection.of(page, Activity.of)

    @strawberry.field(
        description="Tasks on the account the caller may see, soonest due first; status null: all." + SECTION
    )
    async def tasks(
        self, info: Info, status: str | None = "open", first: int = 20, after: str | None = None
    ) -> Connection[Task] | None:
        async with info.context.uow() as uow:
            page = await task_service.of_account(uow, info.context.principal, self.view.row, status, first, after)
        return Connection.of(page, Task.of)

    @strawberry.field
    async def lifecycle_history(self, info: Info) -> list[LifecycleChange]:
        async with info.context.uow() as uow:
            rows = await lifecycle.history(uow, self.view.row)
        return [LifecycleChange.of(r) for r in rows]


async def _accounts(context: RequestContext, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, AccountRow]:
    async with context.uow() as uow:
        return await account_service.get_many(uow, context.principal, ids)


@strawberry.federation.type(keys=["id"], description="A person at a customer (联系人).")
class Contact:
    id: strawberry.ID
    name: str
    title: str | None
    role: str
    custom: JSON
    view: strawberry.Private[ContactView]

    @classmethod
    def of(cls, view: ContactView) -> Contact:
        return from_row(cls, view.row, id=gid(view.row.id), view=view)

    @classmethod
    def seen(cls, info: Info, row: ContactRow) -> Contact:
        """The contact as the caller may see it."""
        return cls.of(contact_view(info.context.principal, row))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Contact:
        async with info.context.uow() as uow:
            return cls.seen(info, await contact_service.get(uow, info.context.principal, uuid.UUID(id)))

    @strawberry.field
    def phone(self) -> str | None:
        return self.view.phone

    @strawberry.field
    def email(self) -> str | None:
        return self.view.email

    @strawberry.field
    def id_number(self) -> str | None:
        return self.view.id_number

    @strawberry.field(description="Who follows the contact up: its account's owner when it was added.")
    def owner(self) -> User | None:
        return User.ref(self.view.row.owner_id)

    @strawberry.field
    def account_id(self) -> strawberry.ID | None:
        return gid(self.view.row.account_id)

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        account_id = self.view.row.account_id
        if account_id is None:
            return None
        async with info.context.uow() as uow:
            return Account.seen(info, await account_service.get(uow, info.context.principal, account_id))


@strawberry.type(description="A call, email, meeting, visit or note on an account's timeline.")
class Activity:
    id: strawberry.ID
    kind: str
    subject: str
    content: str
    outcome: str | None
    participants: list[str]
    link: str | None
    thread_id: str | None
    duration_seconds: int | None
    occurred_at: dt.datetime
    owner: User | None
    contact_id: strawberry.ID | None
    account_id: strawberry.ID
    loaded: strawberry.Private[AccountRow | None] = None

    @classmethod
    def of(cls, row: ActivityRow, account: AccountRow | None = None) -> Activity:
        return from_row(
            cls,
            row,
            id=gid(row.id),
            owner=User.ref(row.owner_id),
            contact_id=gid(row.contact_id),
            account_id=gid(row.account_id),
            loaded=account,
        )

    @strawberry.field
    async def account(self, info: Info) -> Account:
        if self.loaded is not None:
            return Account.seen(info, self.loaded)
        async with info.context.uow() as uow:
            row = await account_service.get(uow, info.context.principal, uuid.UUID(str(self.account_id)))
        return Account.seen(info, row)


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
        return from_row(cls, row, id=gid(row.id), assignee=User.ref(row.assignee_id), account_id=gid(row.account_id))


@strawberry.type(description="An account in another's network, with the path that reaches it.")
class NetworkNode:
    account: Account
    depth: int
    path: list[strawberry.ID]
    relations: list[str]
