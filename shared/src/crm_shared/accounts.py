"""A service's local copy of customer's accounts, kept from `crm.customer.account` events.

Sales (and the services after it) name accounts on their records; this projection says whether an
account exists, who owns it, and its level and region, without asking customer at request time.
Each event carries enough to apply it alone, and a later event never loses to an earlier one.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Field, SQLModel, col

from crm_contracts.customer import (
    AccountCreated,
    AccountDeleted,
    AccountMerged,
    AccountOwnerChanged,
    AccountRestored,
    AccountSnapshot,
    AccountUpdated,
)
from crm_shared.auth.directory import unit_of
from crm_shared.auth.principal import Principal
from crm_shared.db.engine import UnitOfWork, timestamp
from crm_shared.errors import BadInput
from crm_shared.events.handlers import Handlers


class AccountRef(SQLModel, table=True):
    __tablename__ = "account_refs"

    id: uuid.UUID = Field(primary_key=True)
    name: str = Field(default="", max_length=200)
    level: str | None = Field(default=None, max_length=1)
    province: str | None = Field(default=None, max_length=50)
    owner_id: uuid.UUID | None = None
    in_pool: bool = False
    deleted: bool = False
    updated_at: dt.datetime = timestamp()


ACCOUNTS = Handlers()


@ACCOUNTS.on(AccountCreated, AccountUpdated, AccountRestored)
async def upsert_account(uow: UnitOfWork, account: AccountSnapshot) -> None:
    """The whole snapshot; an older snapshot arriving late changes nothing."""
    values = {
        "id": account.id,
        "name": account.name[:200],
        "level": account.level,
        "province": account.province,
        "owner_id": account.owner_id,
        "in_pool": account.in_pool,
        "deleted": False,
        "updated_at": account.time,
    }
    stmt = insert(AccountRef).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={k: stmt.excluded[k] for k in values if k != "id"},
        where=col(AccountRef.updated_at) <= stmt.excluded.updated_at,
    )
    await uow.session.execute(stmt)


@ACCOUNTS.on(AccountDeleted)
async def mark_deleted(uow: UnitOfWork, event: AccountDeleted) -> None:
    ref = await uow.session.get(AccountRef, event.id)
    if ref is not None and ref.updated_at <= event.time:
        ref.deleted, ref.updated_at = True, event.time


@ACCOUNTS.on(AccountOwnerChanged)
async def owner_changed(uow: UnitOfWork, event: AccountOwnerChanged) -> None:
    ref = await uow.session.get(AccountRef, event.id)
    if ref is not None and ref.updated_at <= event.time:
        ref.owner_id, ref.in_pool, ref.updated_at = event.to_owner_id, event.to_owner_id is None, event.time


@ACCOUNTS.on(AccountMerged)
async def merged(uow: UnitOfWork, event: AccountMerged) -> None:
    """The merged-away account is gone; what refers to it keeps its id for history."""
    ref = await uow.session.get(AccountRef, event.source_id)
    if ref is not None:
        ref.deleted = True


async def require_account(
    uow: UnitOfWork, principal: Principal, account_id: uuid.UUID, field: str = "accountId"
) -> AccountRef:
    """A live account the caller may see as a customer: its owner is in their scope, or it is in the pool."""
    ref = await uow.session.get(AccountRef, account_id)
    if ref is None or ref.deleted:
        raise BadInput("unknown_account", field=field)
    if not ref.in_pool and not principal.may_access("customer:account", ref.owner_id, await unit_of(uow, ref.owner_id)):
        raise BadInput("unknown_account", field=field)
    return ref


def create_account_refs_table() -> None:
    """For the first migration of a service that keeps the projection."""
    from crm_shared.db.platform_tables import create_tables

    create_tables(AccountRef)
