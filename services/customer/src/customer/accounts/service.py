"""Accounts: create with duplicate detection, read, list with filters and search, update, delete, restore."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Select, cast, select
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlmodel import SQLModel, col

from crm_contracts.customer import AccountCreated, AccountDeleted, AccountRestored, AccountUpdated, LifecycleStage
from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.auth.directory import assignable
from crm_shared.crypto import lookup_hash
from crm_shared.db import UnitOfWork, effects, utcnow
from crm_shared.db.bulk import insert_rows
from crm_shared.db.pages import Order, Page
from crm_shared.duplicates import conflict
from crm_shared.errors import BadInput, Conflict
from crm_shared.events import new_event
from crm_shared.masking import unmasked_lookup
from crm_shared.text import to_tsquery, tsvector
from customer import normalise as norm
from customer.accounts.models import LEVELS, Account, stage_of
from customer.accounts.repository import Accounts
from customer.accounts.search import as_typed, refresh_search
from customer.accounts.snapshot import account_snapshot, snapshot_event
from customer.channels import apply_channels
from customer.custom_fields.service import cleaned, merged

SIZES = ("1-19", "20-99", "100-499", "500-999", "1000+")
ORDERS = {
    "UPDATED_DESC": Order.by(Account.updated_at, Account.id, descending=True),
    "CREATED_DESC": Order.by(Account.created_at, Account.id, descending=True),
    "NAME_ASC": Order.by(Account.name, Account.id),
}


class AccountFields(BaseModel):
    """What a client sets on an account, declared once for the service and the REST body."""

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


class AccountInput(AccountFields):
    """The fields and, on create only, the owner: afterwards the owner changes only by transfer."""

    owner_id: uuid.UUID | None = None


EDITABLE = tuple(AccountFields.model_fields)


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


def apply_input(account: Account, data: AccountInput, creating: bool = False) -> None:
    """Validate and copy the given fields; None leaves a field as it is, but a new account (created, imported,
    converted) must have a name: the one rule for every way one is made."""
    if creating or data.name is not None:
        account.name = norm.required_text(data.name, "name", 200)
        account.name_key = norm.company_key(account.name)
    for attr, maximum in (
        ("industry", 100),
        ("province", 50),
        ("city", 50),
        ("address", 300),
        ("source", 50),
    ):
        value = getattr(data, attr)
        if value is not None:
            setattr(account, attr, norm.optional_text(value, attr, maximum, multiline=attr == "address"))
    if data.website is not None:
        account.website = norm.website(data.website)
    if data.size is not None:
        account.size = norm.choice(data.size, "size", SIZES)
    if data.level is not None:
        account.level = norm.choice(data.level.upper(), "level", LEVELS)
    if data.tags is not None:
        account.tags = norm.tags(data.tags)
    apply_channels(account, data.phone, data.email)
    if data.custom is not None:
        account.custom = merged(account.custom, data.custom)
    account.search = tsvector(account.name, account.industry, account.city, *account.tags)


DUPLICATE_KEYS = (("name", "name_key"), ("phone", "phone_hash"), ("email", "email_hash"))  # in the order told


async def duplicates(uow: UnitOfWork, account: Account) -> list[Account]:
    """Live accounts with the same normalised name, phone or email."""
    keys = [getattr(Account, column) == value for _, column in DUPLICATE_KEYS if (value := getattr(account, column))]
    return [a for a in await Accounts(uow).matching(*keys, limit=6) if a.id != account.id][:5]


async def duplicate(uow: UnitOfWork, principal: Principal, account: Account, found: list[Account]) -> Conflict:
    """The CONFLICT a duplicate answers (`crm_shared.duplicates`), told each found account and the fields it shares."""
    shared = [
        (other, name)
        for other in found
        for name, column in DUPLICATE_KEYS
        if getattr(account, column) and getattr(other, column) == getattr(account, column)
    ]
    return await conflict(principal, "duplicate_account", "customer:account", shared, Accounts(uow, principal).reaches)


async def insert_account(uow: UnitOfWork, accounts: Sequence[Account], **audit_detail: Any) -> None:
    """The one place accounts are born: one INSERT, their account.created events and audit records together.

    Imports pass plain records with an account's attributes: thousands of ORM objects are what make them slow.
    """
    if not accounts:
        return
    # the table, not the mapped class: one statement, without the ORM's per-row bookkeeping
    await insert_rows(uow.session, SQLModel.metadata.tables[Account.__tablename__], accounts)
    created = [(a.id, snapshot_event(AccountCreated, a).data()) for a in accounts]
    events = [new_event(uow.source, AccountCreated.type, str(i), data) for i, data in created]  # each dumped once
    await uow.emit_many(AccountCreated.topic, events)
    await audit.record_many(uow, "account.created", "Account", created, **audit_detail)


async def create(uow: UnitOfWork, principal: Principal, data: AccountInput, allow_duplicate: bool = False) -> Account:
    principal.require("customer:account:create")
    step = await effects.step(uow, "Account")
    if step.done is not None:  # this request ran before and made it; its answer was lost
        return await get(uow, principal, step.done)
    owner = data.owner_id or principal.user_id
    if owner != principal.user_id:
        principal.require("customer:account:transfer")
        await assignable(uow, principal, "customer:account", owner, "ownerId")
    account = Account(
        name="", name_key="", owner_id=owner, created_by=principal.user_id, lifecycle_stage=LifecycleStage.PROSPECT
    )
    data.custom = await cleaned(uow, "account", data.custom, creating=True)
    apply_input(account, data, creating=True)
    found = await duplicates(uow, account)
    if found and not allow_duplicate:
        raise await duplicate(uow, principal, account, found)
    await insert_account(uow, [account])
    step.made(account.id)
    return account


async def get(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> Account:
    return await Accounts(uow, principal).get(account_id)


async def get_many(uow: UnitOfWork, principal: Principal, account_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Account]:
    return await Accounts(uow, principal).get_many(account_ids)


async def page(
    uow: UnitOfWork, principal: Principal, filter: AccountFilter, order: str, first: int, after: str | None
) -> Page[Account]:
    """One page; its count of all matches is only paid for when asked (a count of millions is slow)."""
    principal.require("customer:account:read")
    if order not in ORDERS:
        raise BadInput("one_of", field="orderBy", choices=", ".join(ORDERS))
    unmasked_lookup(principal, "customer:account.phone", filter.phone)
    unmasked_lookup(principal, "customer:account.email", filter.email)
    repository = Accounts(uow, principal)
    query = await _narrow_rare_search(uow, filtered(await repository.select(), filter), filter)
    return await repository.page(query, ORDERS[order], first, after)


async def editable(accounts: Accounts, account: Account | None) -> Account:
    """The account if the caller may change its fields: `update` on it, and not while it is in the pool, whatever
    the caller's scope. The one rule for `update` and for an import's rows that repeat an account."""
    found = await accounts.check(account, "update")
    if found.in_pool:
        raise Conflict("account_in_pool")
    return found


async def update(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID, data: AccountInput) -> Account:
    if data.owner_id is not None:
        raise BadInput("use_transfer", field="ownerId")
    locked = await uow.session.get(Account, account_id, with_for_update=True)
    account = await editable(Accounts(uow, principal), locked)
    before = account_snapshot(account)
    data.custom = await cleaned(uow, "account", data.custom, creating=False)
    apply_input(account, data)
    if account_snapshot(account) == before:  # nothing changes: no write, no event for anyone to act on again
        return account
    account.updated_at = utcnow()
    await refresh_search(uow.session, [account.id])
    await uow.flush()
    await uow.session.refresh(account)
    await audit.published(uow, snapshot_event(AccountUpdated, account), "Account", account.id, before)
    return account


async def delete(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> Account:
    """Soft delete: the account leaves every list but can be restored."""
    account = await Accounts(uow, principal).get(account_id, "delete", lock=True)
    account.deleted_at = account.updated_at = utcnow()
    await uow.publish(AccountDeleted(id=account.id))
    await audit.record(uow, "account.deleted", "Account", account.id, {"deleted": False}, {"deleted": True})
    return account


async def restore(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> Account:
    account = await Accounts(uow, principal).deleted(account_id)
    account.deleted_at = None
    account.updated_at = utcnow()
    await uow.publish(snapshot_event(AccountRestored, account))
    await audit.record(uow, "account.restored", "Account", account.id, {"deleted": True}, {"deleted": False})
    return account


RARE = 2000


async def _narrow_rare_search(uow: UnitOfWork, query: Select[Any], f: AccountFilter) -> Select[Any]:
    """A rare keyword is answered from its few matching ids.

    PostgreSQL cannot estimate how rare a search term is, and for a rare one walking the sort
    index until a page fills would read the whole table; a probe of at most RARE ids tells.
    """
    tsquery = to_tsquery(f.search) if f.search else None
    if tsquery is None:
        return query
    probe = select(col(Account.id)).where(col(Account.search).op("@@")(cast(tsquery, TSQUERY))).limit(RARE)
    ids = list((await uow.session.scalars(probe)).all())
    return query.where(col(Account.id).in_(ids)) if len(ids) < RARE else query


def check_filter(f: AccountFilter, prefix: str = "") -> None:
    """What the list refuses in a filter, named `<prefix><field>`: a saved view keeps only what the list takes."""
    if f.search and f.search.strip() and to_tsquery(f.search) is None:
        raise BadInput("no_searchable_characters", field=f"{prefix}search")
    norm.choice(f.level, f"{prefix}level", LEVELS)
    norm.choice(f.size, f"{prefix}size", SIZES)
    if f.lifecycle_stage is not None:
        stage_of(f.lifecycle_stage, f"{prefix}lifecycleStage")


def filtered(query: Select[Any], f: AccountFilter) -> Select[Any]:
    check_filter(f)
    for column, value in (
        (col(Account.industry), f.industry),
        (col(Account.level), f.level),
        (col(Account.source), f.source),
        (col(Account.province), f.province),
        (col(Account.city), f.city),
        (col(Account.size), f.size),
        (col(Account.lifecycle_stage), f.lifecycle_stage),
        (col(Account.owner_id), f.owner_id),
        (col(Account.in_pool), f.in_pool),
    ):
        if value is not None:
            query = query.where(column == value)
    if f.tags:
        query = query.where(col(Account.tags).contains(f.tags))
    if f.custom:
        query = query.where(col(Account.custom).contains(f.custom))
    if f.phone:
        query = query.where(col(Account.phone_hash) == lookup_hash(norm.phone(f.phone)))
    if f.email:
        query = query.where(col(Account.email_hash) == lookup_hash(norm.email(f.email)))
    if f.search and (tsquery := to_tsquery(f.search)) is not None:
        query = query.where(col(Account.search).op("@@")(cast(tsquery, TSQUERY)))  # contact names are in it too
        if (typed := as_typed(f.search)) is not None:
            query = query.where(typed)
    return query
