"""The names of the accounts records hang from, as the subgraphs keeping a copy of customer's accounts show them.

Customer owns `Account`. Sales and support name the account of a deal or a ticket themselves (`@shareable`),
from the copy kept from customer's events (`crm_shared.accounts`): a page of tickets or deals with their
accounts' names is one fetch, not one more to customer per page, and it still answers while customer is down.
A name shows to whoever sees the record, as a person's name does (`crm_shared.graphql.people`); everything else
about an account comes from customer, which checks the caller's scope. A section another service adds to an
account or a contact that needs a permission of its own is nullable (`SECTION`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import col

from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import unit_of
from crm_shared.errors import NotFound
from crm_shared.graphql.context import Info, RequestContext

NAME = "The account's name (客户名称)."
# a section of Account 360 that needs a permission beyond reading the account: nullable, so that a caller
# without it still gets the account and the other sections (a non-null one would null the whole account)
SECTION = " Null, with a FORBIDDEN error naming the permission, for a caller who may read the record but not this."


async def account_name(info: Info, account_id: str, *, referenced: bool = False) -> str:
    """An account's name from this service's copy; NOT_FOUND for one it has never heard of. An account asked for
    by its id alone (`_entities`, `referenced`), not reached through a record the caller sees, is named only to
    one who may read it, as customer would answer: its owner in their scope, or in the pool."""
    if referenced:
        principal = info.context.principal
        principal.require("customer:account:read")
        async with info.context.uow() as uow:
            ref = await uow.session.get(AccountRef, uuid.UUID(account_id))
            reaches = (
                ref is not None
                and not ref.deleted
                and (
                    ref.in_pool
                    or principal.may_access("customer:account", ref.owner_id, await unit_of(uow, ref.owner_id))
                )
            )
        if not reaches:
            raise NotFound(entity="Account")
    return await info.context.batch(_names, "Account").load(uuid.UUID(account_id))


async def _names(context: RequestContext, account_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    async with context.uow() as uow:
        rows = await uow.session.execute(
            select(col(AccountRef.id), col(AccountRef.name)).where(col(AccountRef.id).in_(account_ids))
        )
    return {account_id: name for account_id, name in rows}
