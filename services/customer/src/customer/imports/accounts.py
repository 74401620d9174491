"""Rows of an account import: validated like accounts created one by one, written in one INSERT per batch."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from sqlmodel import col

from crm_contracts.customer import AccountUpdated, LifecycleStage
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import DomainError
from customer.accounts.models import DERIVED, DETAILS, Account
from customer.accounts.repository import Accounts
from customer.accounts.search import refresh_search
from customer.accounts.service import EDITABLE, AccountInput, apply_input, editable, insert_account
from customer.accounts.snapshot import snapshot_event
from customer.custom_fields.service import clean
from customer.imports.rejection import BatchRejected, refused

FIELDS = tuple(f for f in EDITABLE if f != "custom")  # custom fields come as `custom.<key>` columns
HEADERS = {
    "客户名称": "name",
    "公司名称": "name",
    "名称": "name",
    "行业": "industry",
    "规模": "size",
    "省份": "province",
    "城市": "city",
    "地址": "address",
    "网站": "website",
    "等级": "level",
    "客户等级": "level",
    "来源": "source",
    "标签": "tags",
    "电话": "phone",
    "手机": "phone",
    "邮箱": "email",
}


def new_row(owner: uuid.UUID) -> Any:
    """A plain record with an account's attributes: building thousands of ORM objects is what makes imports slow."""
    now = utcnow()
    return SimpleNamespace(
        id=uuid.uuid4(),
        name="",
        name_key="",
        tags=[],
        custom={},
        lifecycle_stage=LifecycleStage.PROSPECT,
        owner_id=owner,
        in_pool=False,
        deleted_at=None,
        merged_into_id=None,
        created_by=owner,
        created_at=now,
        updated_at=now,
        **dict.fromkeys((*DETAILS, *DERIVED)),
    )


def row_input(row: dict[str, str], mapping: dict[str, str]) -> AccountInput:
    custom: dict[str, Any] = {}
    data = AccountInput()
    for column, field in mapping.items():
        value = row.get(column, "")
        if field == "tags":
            data.tags = [t for t in value.replace("；", ",").replace(";", ",").replace("，", ",").split(",") if t]
        elif field.startswith("custom."):
            if value:
                custom[field.removeprefix("custom.")] = value
        elif value:
            setattr(data, field, value)
    data.custom = custom
    return data


class AccountRows:
    entity = "account"
    fields, headers, required = FIELDS, HEADERS, "name"

    def prepare(self, row: dict[str, str], mapping: dict[str, str], definitions: Any, principal: Principal) -> Any:
        account = new_row(principal.user_id)
        data = row_input(row, mapping)
        data.custom = clean(definitions, data.custom, creating=True)
        apply_input(account, data, creating=True)
        return account

    async def write(
        self, uow: UnitOfWork, policy: str, prepared: list[tuple[int, Any]], principal: Principal
    ) -> dict[str, int]:
        accounts = Accounts(uow, principal)
        # "create" keeps every row whoever it repeats: looking for the accounts it repeats would be wasted
        existing = {} if policy == "create" else await _existing(accounts, [a for _, a in prepared])
        counts = {"created": 0, "updated": 0, "skipped": 0}
        created: list[Any] = []
        updates: list[tuple[Any, Any]] = []  # (row, the account it updates): written once every row is allowed
        errors: list[dict[str, Any]] = []
        for number, account in prepared:
            keys = [k for k in (account.name_key, account.phone_hash, account.email_hash) if k]
            match = next((existing[k] for k in keys if k in existing), None)
            if match is not None and policy == "skip":
                counts["skipped"] += 1
            elif match is not None and policy == "update":
                try:
                    updates.append((account, await editable(accounts, match)))
                except DomainError as refusal:
                    errors.append(refused(number, "name", refusal, "import_duplicate_not_editable"))
            else:
                created.append(account)
                existing.update(dict.fromkeys(keys, account))
        if errors:
            raise BatchRejected(errors)
        for account, match in updates:
            _copy(account, match)
            await uow.publish(snapshot_event(AccountUpdated, match))
        counts.update(created=len(created), updated=len(updates))
        await refresh_search(uow.session, [match.id for _, match in updates])
        await insert_account(uow, created, actor=principal)
        return counts


async def _existing(repository: Accounts, accounts: list[Any]) -> dict[str, Any]:
    """Live accounts sharing a name key, phone or email with the batch, by each of those keys."""
    names = {a.name_key for a in accounts}
    phones = {a.phone_hash for a in accounts if a.phone_hash}
    emails = {a.email_hash for a in accounts if a.email_hash}
    found: dict[str, Any] = {}
    keys = (col(Account.name_key).in_(names), col(Account.phone_hash).in_(phones), col(Account.email_hash).in_(emails))
    for account in await repository.matching(*keys):
        for key in (account.name_key, account.phone_hash, account.email_hash):
            if key:
                found.setdefault(key, account)
    return found


def _copy(source: Any, target: Account) -> None:
    for name in (*DETAILS, *DERIVED):
        value = getattr(source, name)
        if value is not None:
            setattr(target, name, value)
    target.tags = sorted({*target.tags, *source.tags})
    target.custom = {**target.custom, **source.custom}
    target.updated_at = utcnow()
