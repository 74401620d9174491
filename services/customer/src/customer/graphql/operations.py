"""Queries and mutations: thin, each one unit of work and one call into the service layer."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from crm_shared.graphql import Connection, Info
from customer.accounts import graph, lifecycle, merge, ownership
from customer.accounts import service as accounts
from customer.activities import service as activities
from customer.activities.service import ActivityInput
from customer.contacts import service as contacts
from customer.graphql.inputs import (
    AccountFilter,
    AccountOrder,
    ContactFields,
    CreateAccountInput,
    CreateTaskInput,
    LogActivityInput,
    TaskFilter,
    UpdateAccountInput,
    uid,
)
from customer.graphql.types import Account, Activity, Contact, NetworkNode, Task
from customer.settings import CustomerSettings
from customer.tasks import service as tasks
from customer.tasks.service import TaskInput


def _id(value: strawberry.ID) -> uuid.UUID:
    return uuid.UUID(str(value))


@strawberry.type
class Query:
    @strawberry.field(description="Accounts the caller may see; filters, search, sort and cursor paging.")
    async def accounts(
        self,
        info: Info,
        filter: AccountFilter | None = None,
        order_by: AccountOrder = AccountOrder.UPDATED_DESC,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Account]:
        command = (filter or AccountFilter()).command()
        async with info.context.uow() as uow:
            page = await accounts.page(uow, info.context.principal, command, order_by.value, first, after)
        return Connection.of(page, lambda row: Account.seen(info, row))

    @strawberry.field
    async def account(self, info: Info, id: strawberry.ID) -> Account:
        async with info.context.uow() as uow:
            return Account.seen(info, await accounts.get(uow, info.context.principal, _id(id)))

    @strawberry.field
    async def contacts(
        self, info: Info, account_id: strawberry.ID | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Contact]:
        async with info.context.uow() as uow:
            page = await contacts.page(uow, info.context.principal, uid(account_id), first, after)
        return Connection.of(page, lambda row: Contact.seen(info, row))

    @strawberry.field(description="Contacts with this phone or one of these keyed email hashes, in the caller's scope.")
    async def contacts_by_channel(
        self, info: Info, phone: str | None = None, email_hashes: list[str] | None = None
    ) -> list[Contact]:
        async with info.context.uow() as uow:
            rows = await contacts.matching(uow, info.context.principal, phone, email_hashes or [])
        return [Contact.seen(info, row) for row in rows]

    @strawberry.field
    async def contact(self, info: Info, id: strawberry.ID) -> Contact:
        async with info.context.uow() as uow:
            return Contact.seen(info, await contacts.get(uow, info.context.principal, _id(id)))

    @strawberry.field(description="Accounts linked to this one within `depth` (1-3) steps, with paths.")
    async def account_network(self, info: Info, id: strawberry.ID, depth: int = 2) -> list[NetworkNode]:
        async with info.context.uow() as uow:
            nodes = await graph.network(uow, info.context.principal, _id(id), depth)
        return [
            NetworkNode(
                account=Account.seen(info, n.account),
                depth=n.depth,
                path=[strawberry.ID(str(p)) for p in n.path],
                relations=n.relations,
            )
            for n in nodes
        ]

    @strawberry.field(description="Tasks the caller may see, soonest due first (default: the caller's open tasks).")
    async def tasks(
        self, info: Info, filter: TaskFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Task]:
        command = (filter or TaskFilter()).command()
        async with info.context.uow() as uow:
            page = await tasks.page(uow, info.context.principal, command, first, after)
        return Connection.of(page, Task.of)

    @strawberry.field(description="Activities on the accounts in the caller's data scope, newest first.")
    async def recent_activities(
        self, info: Info, first: int = 20, after: str | None = None, owner_id: strawberry.ID | None = None
    ) -> Connection[Activity]:
        async with info.context.uow() as uow:
            page = await activities.recent(uow, info.context.principal, uid(owner_id), first, after)
        return Connection.of(page, lambda r: Activity.of(r.activity, r.account))

    @strawberry.field(description="Open tasks past their due time (default: the caller's).")
    async def overdue_tasks(self, info: Info, user_id: strawberry.ID | None = None) -> list[Task]:
        async with info.context.uow() as uow:
            return [Task.of(t) for t in await tasks.overdue(uow, info.context.principal, uid(user_id))]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create an account; a likely duplicate answers CONFLICT unless allowed.")
    async def create_account(self, info: Info, input: CreateAccountInput, allow_duplicate: bool = False) -> Account:
        async with info.context.uow() as uow:
            row = await accounts.create(uow, info.context.principal, input.command(), allow_duplicate)
        return Account.seen(info, row)

    @strawberry.mutation(description="Merge a duplicate into the target: contacts, activities, tasks and links move.")
    async def merge_accounts(
        self,
        info: Info,
        target_id: strawberry.ID,
        source_id: strawberry.ID,
        keep_from_source: Annotated[
            list[str] | None, strawberry.argument(description="Fields whose source value survives (name, phone...).")
        ] = None,
    ) -> Account:
        keep = tuple(keep_from_source or ())
        async with info.context.uow() as uow:
            row = await merge.merge(uow, info.context.principal, _id(target_id), _id(source_id), keep)
        return Account.seen(info, row)

    @strawberry.mutation
    async def update_account(self, info: Info, id: strawberry.ID, input: UpdateAccountInput) -> Account:
        async with info.context.uow() as uow:
            row = await accounts.update(uow, info.context.principal, _id(id), input.command())
        return Account.seen(info, row)

    @strawberry.mutation(description="Soft delete; restoreAccount brings it back.")
    async def delete_account(self, info: Info, id: strawberry.ID) -> Account:
        async with info.context.uow() as uow:
            row = await accounts.delete(uow, info.context.principal, _id(id))
        return Account.seen(info, row)

    @strawberry.mutation
    async def restore_account(self, info: Info, id: strawberry.ID) -> Account:
        async with info.context.uow() as uow:
            row = await accounts.restore(uow, info.context.principal, _id(id))
        return Account.seen(info, row)

    @strawberry.mutation(description="Hand accounts to another representative (客户移交), all or none.")
    async def transfer_accounts(
        self, info: Info, account_ids: list[strawberry.ID], to_user_id: strawberry.ID, reason: str = ""
    ) -> list[Account]:
        ids = [_id(a) for a in account_ids]
        async with info.context.uow() as uow:
            rows = await ownership.transfer(uow, info.context.principal, ids, _id(to_user_id), reason)
        return [Account.seen(info, r) for r in rows]

    @strawberry.mutation(description="Give an account up to the public pool (公海).")
    async def release_to_pool(self, info: Info, id: strawberry.ID, reason: str) -> Account:
        async with info.context.uow() as uow:
            row = await ownership.release(uow, info.context.principal, _id(id), reason)
        return Account.seen(info, row)

    @strawberry.mutation(description="Take an account from the public pool, within the claim limit.")
    async def claim_from_pool(self, info: Info, id: strawberry.ID) -> Account:
        settings: CustomerSettings = info.context.state.settings
        async with info.context.uow() as uow:
            row = await ownership.claim(uow, info.context.principal, _id(id), settings.pool_claim_limit)
        return Account.seen(info, row)

    @strawberry.mutation
    async def change_lifecycle_stage(self, info: Info, id: strawberry.ID, stage: str, reason: str) -> Account:
        async with info.context.uow() as uow:
            row = await lifecycle.change(uow, info.context.principal, _id(id), stage, reason)
        return Account.seen(info, row)

    @strawberry.mutation(description="Link two accounts: parent, subsidiary, partner, competitor, supplier, customer.")
    async def link_accounts(
        self, info: Info, from_id: strawberry.ID, to_id: strawberry.ID, kind: str, note: str = ""
    ) -> bool:
        async with info.context.uow() as uow:
            await graph.link(uow, info.context.principal, _id(from_id), _id(to_id), kind, note)
        return True

    @strawberry.mutation(description="Give a contact a role at a further account; shared contacts link accounts.")
    async def link_contact_to_account(
        self, info: Info, contact_id: strawberry.ID, account_id: strawberry.ID, role: str = "other"
    ) -> bool:
        async with info.context.uow() as uow:
            await graph.link_contact(uow, info.context.principal, _id(contact_id), _id(account_id), role)
        return True

    @strawberry.mutation(
        description="Add a contact; the same person at the account again answers CONFLICT unless allowed."
    )
    async def create_contact(self, info: Info, input: ContactFields, allow_duplicate: bool = False) -> Contact:
        async with info.context.uow() as uow:
            row = await contacts.create(uow, info.context.principal, input.command(), allow_duplicate)
        return Contact.seen(info, row)

    @strawberry.mutation
    async def update_contact(self, info: Info, id: strawberry.ID, input: ContactFields) -> Contact:
        async with info.context.uow() as uow:
            row = await contacts.update(uow, info.context.principal, _id(id), input.command())
        return Contact.seen(info, row)

    @strawberry.mutation
    async def delete_contact(self, info: Info, id: strawberry.ID) -> bool:
        async with info.context.uow() as uow:
            await contacts.delete(uow, info.context.principal, _id(id))
        return True

    @strawberry.mutation(description="Record a call, email, meeting, visit or note (活动记录).")
    async def log_activity(self, info: Info, input: LogActivityInput) -> Activity:
        data = ActivityInput(
            _id(input.account_id),
            input.kind,
            input.subject,
            input.content,
            uid(input.contact_id),
            input.occurred_at,
            input.outcome,
            input.participants,
            input.link,
            input.thread_id,
            input.duration_seconds,
        )
        async with info.context.uow() as uow:
            return Activity.of(await activities.log(uow, info.context.principal, data))

    @strawberry.mutation(description="Plan a follow-up with a due time and an optional reminder.")
    async def create_task(self, info: Info, input: CreateTaskInput) -> Task:
        data = TaskInput(
            input.title, input.due_at, uid(input.account_id), input.remind_at, uid(input.assignee_id), input.notes
        )
        async with info.context.uow() as uow:
            return Task.of(await tasks.create(uow, info.context.principal, data))

    @strawberry.mutation
    async def complete_task(self, info: Info, id: strawberry.ID) -> Task:
        async with info.context.uow() as uow:
            return Task.of(await tasks.complete(uow, info.context.principal, _id(id)))
