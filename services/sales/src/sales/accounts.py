"""Sales' projection of customer accounts, kept from `crm.customer.account` events.

Opportunities, quotes, contracts and orders name an account; this local copy says whether it
exists, who owns it, and its level and region for price books, without asking customer.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Field, SQLModel

from crm_shared.auth import Principal
from crm_shared.auth.directory import unit_of
from crm_shared.db import UnitOfWork, timestamp
from crm_shared.errors import BadInput
from crm_shared.events import CloudEvent

ACCOUNT_TOPIC = "crm.customer.account"


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


async def upsert_account(uow: UnitOfWork, event: CloudEvent) -> None:
    """account.created/.updated/.restored carry the whole snapshot; later events win."""
    data = event.data
    values = {
        "id": uuid.UUID(data["id"]),
        "name": str(data.get("name", ""))[:200],
        "level": data.get("level"),
        "province": data.get("province"),
        "owner_id": uuid.UUID(data["ownerId"]) if data.get("ownerId") else None,
        "in_pool": bool(data.get("inPool", False)),
        "deleted": False,
        "updated_at": event.time,
    }
    stmt = insert(AccountRef).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={k: stmt.excluded[k] for k in values if k != "id"},
        where=AccountRef.updated_at <= stmt.excluded.updated_at,  # type: ignore[arg-type,operator]
    )
    await uow.session.execute(stmt)


async def mark_deleted(uow: UnitOfWork, event: CloudEvent) -> None:
    ref = await uow.session.get(AccountRef, uuid.UUID(event.data["id"]))
    if ref is not None and ref.updated_at <= event.time:
        ref.deleted, ref.updated_at = True, event.time


async def owner_changed(uow: UnitOfWork, event: CloudEvent) -> None:
    ref = await uow.session.get(AccountRef, uuid.UUID(event.data["id"]))
    if ref is not None and ref.updated_at <= event.time:
        to = event.data.get("toOwnerId")
        ref.owner_id, ref.in_pool, ref.updated_at = (uuid.UUID(to) if to else None), not to, event.time


async def merged(uow: UnitOfWork, event: CloudEvent) -> None:
    """The merged-away account is gone; what sales holds for it keeps its id for history."""
    source = event.data.get("sourceId")
    ref = await uow.session.get(AccountRef, uuid.UUID(source)) if source else None
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
