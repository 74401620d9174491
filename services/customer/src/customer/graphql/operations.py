"""Queries and mutations: thin, each one call into the service layer."""

from __future__ import annotations

import uuid

import strawberry

from crm_shared.graphql import Connection, Info
from customer.activities.service import ActivityInput
from customer.graphql.inputs import (
    AccountFilter,
    AccountOrder,
    ContactFields,
    CreateAccountInput,
    CreateTaskInput,
    LogActivityInput,
    UpdateAccountInput,
    uid,
)
from customer.graphql.types import Account, Activity, Contact, NetworkNode, Task, services
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
        rows, total = await services(info).accounts.page(info.context.principal, command, order_by.value, first, after)
        key = {"UPDATED_DESC": "updated_at", "CREATED_DESC": "created_at", "NAME_ASC": "name"}[order_by.value]

        def cursor(row: object) -> list[str]:
            value = getattr(row, key)
            return [value if isinstance(value, str) else value.isoformat(), str(row.id)]  # type: ignore[attr-defined]

        return Connection[Account].build(rows, first, total, cursor, Account.of)

    @strawberry.field
    async def account(self, info: Info, id: strawberry.ID) -> Account:
        return Account.of(await services(info).accounts.get(info.context.principal, _id(id)))

    @strawberry.field
    async def contacts(
        self, info: Info, account_id: strawberry.ID | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Contact]:
        rows, total = await services(info).contacts.page(info.context.principal, uid(account_id), first, after)
        return Connection[Contact].build(rows, first, total, lambda c: [c.name, str(c.id)], Contact.of)

    @strawberry.field
    async def contact(self, info: Info, id: strawberry.ID) -> Contact:
        return Contact.of(await services(info).contacts.get(info.context.principal, _id(id)))

    @strawberry.field(description="Accounts linked to this one within `depth` (1-3) steps, with paths.")
    async def account_network(self, info: Info, id: strawberry.ID, depth: int = 2) -> list[NetworkNode]:
        nodes = await services(info).graph.network(info.context.principal, _id(id), depth)
        return [
            NetworkNode(
                account=Account.of(n.account),
                depth=n.depth,
                path=[strawberry.ID(str(p)) for p in n.path],
                relations=n.relations,
            )
            for n in nodes
        ]

    @strawberry.field(description="Open tasks past their due time (default: the caller's).")
    async def overdue_tasks(self, info: Info, user_id: strawberry.ID | None = None) -> list[Task]:
        return [Task.of(t) for t in await services(info).tasks.overdue(info.context.principal, uid(user_id))]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create an account; a likely duplicate answers CONFLICT unless allowed.")
    async def create_account(self, info: Info, input: CreateAccountInput, allow_duplicate: bool = False) -> Account:
        row = await services(info).accounts.create(info.context.principal, input.command(), allow_duplicate)
        return Account.of(row)

    @strawberry.mutation(description="Merge a duplicate into the target: contacts, activities, tasks and links move.")
    async def merge_accounts(self, info: Info, target_id: strawberry.ID, source_id: strawberry.ID) -> Account:
        row = await services(info).merge.merge(info.context.principal, _id(target_id), _id(source_id))
        return Account.of(row)

    @strawberry.mutation
    async def update_account(self, info: Info, id: strawberry.ID, input: UpdateAccountInput) -> Account:
        return Account.of(await services(info).accounts.update(info.context.principal, _id(id), input.command()))

    @strawberry.mutation(description="Soft delete; restoreAccount brings it back.")
    async def delete_account(self, info: Info, id: strawberry.ID) -> Account:
        return Account.of(await services(info).accounts.delete(info.context.principal, _id(id)))

    @strawberry.mutation
    async def restore_account(self, info: Info, id: strawberry.ID) -> Account:
        return Account.of(await services(info).accounts.restore(info.context.principal, _id(id)))

    @strawberry.mutation(description="Hand accounts to another representative (客户移交), all or none.")
    async def transfer_accounts(
        self, info: Info, account_ids: list[strawberry.ID], to_user_id: strawberry.ID, reason: str = ""
    ) -> list[Account]:
        rows = await services(info).ownership.transfer(
            info.context.principal, [_id(a) for a in account_ids], _id(to_user_id), reason
        )
        return [Account.of(r) for r in rows]

    @strawberry.mutation(description="Give an account up to the public pool (公海).")
    async def release_to_pool(self, info: Info, id: strawberry.ID, reason: str) -> Account:
        return Account.of(await services(info).ownership.release(info.context.principal, _id(id), reason))

    @strawberry.mutation(description="Take an account from the public pool, within the claim limit.")
    async def claim_from_pool(self, info: Info, id: strawberry.ID) -> Account:
        return Account.of(await services(info).ownership.claim(info.context.principal, _id(id)))

    @strawberry.mutation
    async def change_lifecycle_stage(self, info: Info, id: strawberry.ID, stage: str, reason: str) -> Account:
        return Account.of(await services(info).lifecycle.change(info.context.principal, _id(id), stage, reason))

    @strawberry.mutation(description="Link two accounts: parent, subsidiary, partner, competitor, supplier, customer.")
    async def link_accounts(
        self, info: Info, from_id: strawberry.ID, to_id: strawberry.ID, kind: str, note: str = ""
    ) -> bool:
        await services(info).graph.link(info.context.principal, _id(from_id), _id(to_id), kind, note)
        return True

    @strawberry.mutation(description="Give a contact a role at a further account; shared contacts link accounts.")
    async def link_contact_to_account(
        self, info: Info, contact_id: strawberry.ID, account_id: strawberry.ID, role: str = "other"
    ) -> bool:
        await services(info).graph.link_contact(info.context.principal, _id(contact_id), _id(account_id), role)
        return True

    @strawberry.mutation
    async def create_contact(self, info: Info, input: ContactFields) -> Contact:
        return Contact.of(await services(info).contacts.create(info.context.principal, input.command()))

    @strawberry.mutation
    async def update_contact(self, info: Info, id: strawberry.ID, input: ContactFields) -> Contact:
        return Contact.of(await services(info).contacts.update(info.context.principal, _id(id), input.command()))

    @strawberry.mutation
    async def delete_contact(self, info: Info, id: strawberry.ID) -> bool:
        await services(info).contacts.delete(info.context.principal, _id(id))
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
        )
        return Activity.of(await services(info).activities.log(info.context.principal, data))

    @strawberry.mutation(description="Plan a follow-up with a due time and an optional reminder.")
    async def create_task(self, info: Info, input: CreateTaskInput) -> Task:
        data = TaskInput(
            input.title, input.due_at, uid(input.account_id), input.remind_at, uid(input.assignee_id), input.notes
        )
        return Task.of(await services(info).tasks.create(info.context.principal, data))

    @strawberry.mutation
    async def complete_task(self, info: Info, id: strawberry.ID) -> Task:
        return Task.of(await services(info).tasks.complete(info.context.principal, _id(id)))
