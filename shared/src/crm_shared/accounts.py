"""A service's local copy of customer's accounts, kept from `crm.customer.account` events.

Sales (and the services after it) name accounts on their records; this projection says whether an
account exists, who owns it, and its level and region, without asking customer at request time.
Each event carries enough to apply it alone, and a later event never loses to an earlier one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Field, SQLModel, col

from crm_contracts.customer import (
    AccountCreated,
    AccountDeleted,
    AccountMerged,
    AccountOwnerChanged,
    AccountReconciled,
    AccountRestored,
    AccountSnapshot,
    AccountUpdated,
)
from crm_shared.auth.directory import unit_of
from crm_shared.auth.principal import Principal
from crm_shared.context import current_token
from crm_shared.db.engine import UnitOfWork, timestamp
from crm_shared.db.snapshots import keep_newer
from crm_shared.errors import BadInput, NotYetApplicable
from crm_shared.events.handlers import Handlers
from crm_shared.events.reconcile import projection


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


@ACCOUNTS.on_many(AccountCreated, AccountUpdated, AccountRestored)
async def upsert_accounts(uow: UnitOfWork, accounts: list[AccountSnapshot]) -> None:
    """The whole snapshots, an import's burst in one round trip; an older snapshot arriving late changes nothing."""
    rows = [
        {
            "id": account.id,
            "name": account.name[:200],
            "level": account.level,
            "province": account.province,
            "owner_id": account.owner_id,
            "in_pool": account.in_pool,
            "deleted": False,
            "updated_at": account.time,
        }
        for account in accounts
    ]
    await keep_newer(uow, AccountRef, rows)


async def upsert_account(uow: UnitOfWork, account: AccountSnapshot) -> None:
    await upsert_accounts(uow, [account])


async def _known(uow: UnitOfWork, account_id: uuid.UUID) -> AccountRef:
    """The projected account; an event about one not seen yet waits for its snapshot."""
    ref = await uow.session.get(AccountRef, account_id)
    if ref is None:
        raise NotYetApplicable(f"account {account_id} not projected yet")
    return ref


@ACCOUNTS.on(AccountDeleted)
async def mark_deleted(uow: UnitOfWork, event: AccountDeleted) -> None:
    ref = await _known(uow, event.id)
    if ref.updated_at <= event.time:
        ref.deleted, ref.updated_at = True, event.time


@ACCOUNTS.on(AccountOwnerChanged)
async def owner_changed(uow: UnitOfWork, event: AccountOwnerChanged) -> None:
    ref = await _known(uow, event.id)
    if ref.updated_at <= event.time:
        ref.owner_id, ref.in_pool, ref.updated_at = event.to_owner_id, event.to_owner_id is None, event.time


@ACCOUNTS.on(AccountMerged)
async def merged(uow: UnitOfWork, event: AccountMerged) -> None:
    """The merged-away account is gone; what refers to it keeps its id for history."""
    ref = await uow.session.get(AccountRef, event.source_id)
    if ref is not None:
        ref.deleted = True


async def prune_accounts(uow: UnitOfWork, cutoff: dt.datetime) -> int:
    """After a reconciliation: accounts customer no longer has are deleted here too (records keep their id),
    stamped with the cutoff so that no older event brings them back."""
    result = await uow.session.execute(
        update(AccountRef)
        .where(col(AccountRef.updated_at) < cutoff, col(AccountRef.deleted).is_(False))
        .values(deleted=True, updated_at=cutoff)
    )
    return int(getattr(result, "rowcount", 0) or 0)


projection(ACCOUNTS, AccountReconciled, upsert_account, prune_accounts)


class AccountLookup:
    """Reads an account from customer's API, as the caller, when its event has not arrived yet.

    An account created a moment ago can then be used at once (read-your-writes): the answer fills
    the projection, and the event that follows changes nothing that is not newer.
    """

    def __init__(self, base_url: str, timeout: float = 3.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    async def fetch(self, account_id: uuid.UUID, token: str) -> dict[str, Any] | None:
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            response = await client.get(
                f"{self.base_url}/api/v1/accounts/{account_id}", headers={"Authorization": f"Bearer {token}"}
            )
        if response.status_code in (403, 404):  # not there, or not the caller's to see
            return None
        response.raise_for_status()  # an outage surfaces as a transient error: SERVICE_UNAVAILABLE
        found: dict[str, Any] = response.json()
        return found


_lookup: AccountLookup | None = None


def read_through(lookup: AccountLookup | None) -> None:
    """Let `require_account` ask customer for accounts the projection has not seen (None: events only)."""
    global _lookup
    _lookup = lookup


async def _looked_up(uow: UnitOfWork, account_id: uuid.UUID) -> AccountRef | None:
    token = current_token.get()
    found = await _lookup.fetch(account_id, token) if _lookup is not None and token else None
    if found is None:
        return None
    values = {
        "id": account_id,
        "name": str(found["name"])[:200],
        "level": found.get("level"),
        "province": found.get("province"),
        "owner_id": uuid.UUID(found["owner_id"]) if found.get("owner_id") else None,
        "in_pool": bool(found.get("in_pool")),
        "deleted": False,
        "updated_at": dt.datetime.fromisoformat(found["updated_at"]),
    }
    stmt = insert(AccountRef).values(**values).on_conflict_do_nothing(index_elements=["id"])
    await uow.session.execute(stmt)
    return await uow.session.get(AccountRef, account_id)


async def require_account(
    uow: UnitOfWork,
    principal: Principal,
    account_id: uuid.UUID,
    field: str = "accountId",
    message: str = "unknown_account",
) -> AccountRef:
    """A live account the caller may see as a customer: its owner is in their scope, or it is in the pool. Else
    `message`, the same for a missing account and a hidden one (a service words it for its own users)."""
    ref = await uow.session.get(AccountRef, account_id) or await _looked_up(uow, account_id)
    if ref is None or ref.deleted:
        raise BadInput(message, field=field)
    if not ref.in_pool and not principal.may_access("customer:account", ref.owner_id, await unit_of(uow, ref.owner_id)):
        raise BadInput(message, field=field)
    return ref


def create_account_refs_table() -> None:
    """For the first migration of a service that keeps the projection."""
    from crm_shared.db.platform_tables import create_tables

    create_tables(AccountRef)
