"""Accounts: create with duplicate detection, read, list with filters and search, update, delete, restore."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, cast, func, or_, select
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.crypto import encrypt, lookup_hash
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict
from crm_shared.graphql.connection import check_page_size, decode_cursor
from crm_shared.text import to_tsquery, tsvector
from customer import normalise as norm
from customer.access import RESOURCE, load_account, visible_accounts
from customer.accounts.models import LEVELS, STAGES, Account
from customer.accounts.search import refresh_search
from customer.accounts.snapshot import account_snapshot
from customer.custom_fields.service import CustomFieldService
from customer.events import ACCOUNT_TOPIC, event

SIZES = ("1-19", "20-99", "100-499", "500-999", "1000+")
ORDERS = {
    "UPDATED_DESC": (Account.updated_at, True),
    "CREATED_DESC": (Account.created_at, True),
    "NAME_ASC": (Account.name, False),
}


@dataclass
class AccountInput:
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
    custom: dict[str, Any] | None = None
    owner_id: uuid.UUID | None = None


@dataclass(frozen=True)
class AccountFilter:
    search: str | None = None
    industry: str | None = None
    level: str | None = None
    source: str | None = None
    province: str | None = None
    city: str | None = None
    size: str | None = None
    lifecycle_stage: str | None = None
    tags: list[str] = field(default_factory=list)
    owner_id: uuid.UUID | None = None
    in_pool: bool | None = None
    phone: str | None = None
    email: str | None = None
    custom: dict[str, Any] = field(default_factory=dict)


def apply_input(account: Account, data: AccountInput) -> None:
    """Validate and copy the given fields; None leaves a field as it is."""
    if data.name is not None:
        account.name = norm.required_text(data.name, "name", 200)
        account.name_key = norm.company_key(account.name)
    for attr, maximum in (
        ("industry", 100),
        ("province", 50),
        ("city", 50),
        ("address", 300),
        ("website", 200),
        ("source", 50),
    ):
        value = getattr(data, attr)
        if value is not None:
            setattr(account, attr, norm.optional_text(value, attr, maximum))
    if data.size is not None:
        account.size = norm.choice(data.size, "size", SIZES)
    if data.level is not None:
        account.level = norm.choice(data.level.upper(), "level", LEVELS)
    if data.tags is not None:
        account.tags = norm.tags(data.tags)
    if data.phone is not None:
        phone = norm.phone(data.phone)
        account.phone_enc, account.phone_hash = encrypt(phone), lookup_hash(phone)
    if data.email is not None:
        address = norm.email(data.email)
        account.email_enc, account.email_hash = encrypt(address), lookup_hash(address)
    if data.custom is not None:
        account.custom = {**account.custom, **data.custom}
    account.search = tsvector(account.name, account.industry, account.city, *account.tags)


async def duplicates(uow: UnitOfWork, account: Account) -> list[Account]:
    """Live accounts with the same normalised name, phone or email."""
    keys = [Account.name_key == account.name_key]
    if account.phone_hash:
        keys.append(Account.phone_hash == account.phone_hash)
    if account.email_hash:
        keys.append(Account.email_hash == account.email_hash)
    rows = await uow.session.scalars(
        select(Account).where(or_(*keys), Account.deleted_at.is_(None), Account.id != account.id).limit(5)  # type: ignore[union-attr]
    )
    return list(rows.all())


async def insert_account(uow: UnitOfWork, account: Account, **audit_detail: Any) -> None:
    """The one place an account is born: row, account.created event and audit record together."""
    uow.session.add(account)
    await uow.flush()
    await uow.session.refresh(account)
    snapshot = account_snapshot(account)
    await uow.emit(ACCOUNT_TOPIC, event("account.created", account.id, snapshot))
    await audit.record(uow, "account.created", "Account", account.id, None, snapshot, **audit_detail)


class AccountService:
    def __init__(self, db: Database, fields: CustomFieldService) -> None:
        self.db = db
        self.fields = fields

    async def create(self, principal: Principal, data: AccountInput, allow_duplicate: bool = False) -> Account:
        principal.require(f"{RESOURCE}:create")
        owner = data.owner_id or principal.user_id
        if owner != principal.user_id:
            principal.require(f"{RESOURCE}:transfer")
        account = Account(
            name="", name_key="", owner_id=owner, created_by=principal.user_id, lifecycle_stage="prospect"
        )
        data.custom = await self.fields.clean("account", data.custom, creating=True)
        apply_input(account, data)
        async with self.db.unit_of_work() as uow:
            found = await duplicates(uow, account)
            if found and not allow_duplicate:
                raise Conflict("duplicate_account", field="name", existingId=str(found[0].id))
            await insert_account(uow, account)
        return account

    async def get(self, principal: Principal, account_id: uuid.UUID) -> Account:
        async with self.db.unit_of_work() as uow:
            return await load_account(uow, principal, account_id, f"{RESOURCE}:read")

    async def page(
        self, principal: Principal, filter: AccountFilter, order: str, first: int, after: str | None
    ) -> tuple[list[Account], Callable[[], Awaitable[int]]]:
        """One page, and a function counting all matches (a count of millions is only paid when asked for)."""
        principal.require(f"{RESOURCE}:read")
        check_page_size(first)
        if order not in ORDERS:
            raise BadInput(field="orderBy", reason=", ".join(ORDERS))
        column, descending = ORDERS[order]
        async with self.db.read() as session:
            query = filtered(select(Account).where(await visible_accounts(session, principal)), filter)
            query = await _narrow_rare_search(session, query, filter)
            counting = select(func.count()).select_from(query.order_by(None).subquery())
            if after:
                value, last_id = decode_cursor(after, 2)
                key = dt.datetime.fromisoformat(value) if column is not Account.name else value
                newer = (column < key) | ((column == key) & (Account.id < uuid.UUID(last_id)))
                older = (column > key) | ((column == key) & (Account.id > uuid.UUID(last_id)))
                query = query.where(newer if descending else older)
            sort = (column.desc(), Account.id.desc()) if descending else (column.asc(), Account.id.asc())  # type: ignore[attr-defined]
            rows = await session.scalars(query.order_by(*sort).limit(first + 1))

        async def count() -> int:
            async with self.db.read() as session:
                return int(await session.scalar(counting) or 0)

        return list(rows.all()), count

    async def update(self, principal: Principal, account_id: uuid.UUID, data: AccountInput) -> Account:
        if data.owner_id is not None:
            raise BadInput("use_transfer", field="ownerId")
        async with self.db.unit_of_work() as uow:
            account = await load_account(uow, principal, account_id, f"{RESOURCE}:update", lock=True)
            if account.in_pool:
                raise Conflict("account_in_pool")
            before = account_snapshot(account)
            data.custom = await self.fields.clean("account", data.custom, creating=False)
            apply_input(account, data)
            account.updated_at = utcnow()
            await refresh_search(uow.session, [account.id])
            await uow.flush()
            await uow.session.refresh(account)
            after = account_snapshot(account)
            await uow.emit(ACCOUNT_TOPIC, event("account.updated", account.id, after))
            await audit.record(uow, "account.updated", "Account", account.id, before, after)
        return account

    async def delete(self, principal: Principal, account_id: uuid.UUID) -> Account:
        """Soft delete: the account leaves every list but can be restored."""
        async with self.db.unit_of_work() as uow:
            account = await load_account(uow, principal, account_id, f"{RESOURCE}:delete", lock=True)
            account.deleted_at = account.updated_at = utcnow()
            await uow.emit(ACCOUNT_TOPIC, event("account.deleted", account.id, {"id": str(account.id)}))
            await audit.record(uow, "account.deleted", "Account", account.id, {"deleted": False}, {"deleted": True})
        return account

    async def restore(self, principal: Principal, account_id: uuid.UUID) -> Account:
        async with self.db.unit_of_work() as uow:
            account = await load_account(uow, principal, account_id, f"{RESOURCE}:delete", deleted=True, lock=True)
            account.deleted_at = None
            account.updated_at = utcnow()
            await uow.emit(ACCOUNT_TOPIC, event("account.restored", account.id, account_snapshot(account)))
            await audit.record(uow, "account.restored", "Account", account.id, {"deleted": True}, {"deleted": False})
        return account


RARE = 2000


async def _narrow_rare_search(
    session: AsyncSession, query: Select[tuple[Account]], f: AccountFilter
) -> Select[tuple[Account]]:
    """A rare keyword is answered from its few matching ids.

    PostgreSQL cannot estimate how rare a search term is, and for a rare one walking the sort
    index until a page fills would read the whole table; a probe of at most RARE ids tells.
    """
    tsquery = to_tsquery(f.search) if f.search else None
    if tsquery is None:
        return query
    probe = select(Account.id).where(Account.search.op("@@")(cast(tsquery, TSQUERY))).limit(RARE)  # type: ignore[attr-defined]
    ids = list((await session.scalars(probe)).all())
    return query.where(Account.id.in_(ids)) if len(ids) < RARE else query  # type: ignore[attr-defined]


def filtered(query: Select[tuple[Account]], f: AccountFilter) -> Select[tuple[Account]]:
    for column, value in (
        (Account.industry, f.industry),
        (Account.level, f.level),
        (Account.source, f.source),
        (Account.province, f.province),
        (Account.city, f.city),
        (Account.size, f.size),
        (Account.lifecycle_stage, f.lifecycle_stage),
        (Account.owner_id, f.owner_id),
        (Account.in_pool, f.in_pool),
    ):
        if value is not None:
            query = query.where(column == value)
    if f.lifecycle_stage is not None and f.lifecycle_stage not in STAGES:
        raise BadInput(field="lifecycleStage", reason=", ".join(STAGES))
    if f.tags:
        query = query.where(Account.tags.contains(f.tags))  # type: ignore[attr-defined]
    if f.custom:
        query = query.where(Account.custom.contains(f.custom))  # type: ignore[attr-defined]
    if f.phone:
        query = query.where(Account.phone_hash == lookup_hash(norm.phone(f.phone)))
    if f.email:
        query = query.where(Account.email_hash == lookup_hash(norm.email(f.email)))
    if f.search and f.search.strip():
        tsquery = to_tsquery(f.search)
        if tsquery is None:
            raise BadInput(field="search", reason="no searchable characters")
        query = query.where(Account.search.op("@@")(cast(tsquery, TSQUERY)))  # contact names are in it too
    return query
