"""Rows of a contact import: each names its account, which the importer must be allowed to edit."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from sqlmodel import SQLModel, col

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.bulk import insert_rows
from crm_shared.errors import BadInput, DomainError
from customer import normalise as norm
from customer.accounts.models import Account
from customer.accounts.repository import Accounts
from customer.accounts.search import refresh_search
from customer.contacts.models import Contact
from customer.contacts.repository import Contacts
from customer.contacts.service import ContactInput, apply_input, joinable, snapshot
from customer.custom_fields.service import clean
from customer.events import ContactCreated, ContactUpdated
from customer.imports.rejection import BatchRejected, refused, row_error

# what an import's row for an existing person overwrites, where the row gives it
UPDATED = ("title", "role", "phone_enc", "phone_hash", "email_enc", "email_hash", "id_number_enc")
COLUMNS = (
    "id",
    "account_id",
    "name",
    *UPDATED,
    "custom",
    "owner_id",
    "created_by",
    "created_at",
    "updated_at",
)
FIELDS = ("name", "title", "role", "phone", "email", "id_number", "account")
HEADERS = {
    "姓名": "name",
    "联系人": "name",
    "职位": "title",
    "角色": "role",
    "电话": "phone",
    "手机": "phone",
    "邮箱": "email",
    "身份证号": "id_number",
    "客户名称": "account",
    "公司名称": "account",
}


def new_row(owner: uuid.UUID, account_name: str) -> Any:
    """A plain record with a contact's columns: building thousands of ORM objects is what makes imports slow."""
    now = utcnow()
    row = SimpleNamespace(**dict.fromkeys(COLUMNS), account_key=norm.company_key(account_name))
    row.id, row.name, row.role, row.custom = uuid.uuid4(), "", "other", {}
    row.created_by, row.created_at, row.updated_at = owner, now, now
    return row


class ContactRows:
    entity = "contact"
    fields, headers, required = FIELDS, HEADERS, "name"

    def prepare(self, row: dict[str, str], mapping: dict[str, str], definitions: Any, principal: Principal) -> Any:
        custom: dict[str, Any] = {}
        data = ContactInput(custom=custom)
        account_name = ""
        for column, field in mapping.items():
            value = row.get(column, "")
            if field == "account":
                account_name = value
            elif field.startswith("custom."):
                if value:
                    custom[field.removeprefix("custom.")] = value
            elif value:
                setattr(data, field, value)
        if not account_name.strip():
            raise BadInput("required_field", field="account")
        data.custom = clean(definitions, data.custom, creating=True)
        contact = new_row(principal.user_id, account_name)
        apply_input(contact, data, creating=True)
        return contact

    async def write(
        self, uow: UnitOfWork, policy: str, prepared: list[tuple[int, Any]], principal: Principal
    ) -> dict[str, int]:
        repository, contacts = Accounts(uow, principal), Contacts(uow, principal)
        keys = {c.account_key for _, c in prepared}
        accounts = {a.name_key: a for a in await repository.matching(col(Account.name_key).in_(keys))}
        errors, linked = [], []
        for number, contact in prepared:
            account = accounts.get(contact.account_key)
            if account is None or not await repository.reaches(account):
                errors.append(row_error(number, "account", "import_no_such_account"))
                continue
            contact.account_id, contact.owner_id = account.id, account.owner_id
            linked.append((number, contact, account))
        # "create" keeps every row whoever it repeats: looking for the people it repeats would be wasted
        people = [c for _, c, _ in linked]
        same = [None] * len(linked) if policy == "create" else await contacts.same_people(people)
        created, updates, skipped = [], [], 0
        for (number, contact, account), duplicate in zip(linked, same, strict=True):
            try:  # each row as `create` or `update` would take it alone
                if duplicate is None:
                    await joinable(repository, account)
                    created.append(contact)
                elif policy == "update":
                    updates.append((contact, await contacts.check(duplicate, "update")))
                else:
                    skipped += 1
            except DomainError as refusal:
                field, not_editable = (
                    ("account", "import_no_such_account")
                    if duplicate is None
                    else ("name", "import_contact_not_editable")
                )
                errors.append(refused(number, field, refusal, not_editable))
        if errors:
            raise BatchRejected(sorted(errors, key=lambda e: e["row"]))
        for contact, duplicate in updates:
            for name in UPDATED:
                if getattr(contact, name) is not None:
                    setattr(duplicate, name, getattr(contact, name))
            await uow.publish(snapshot(ContactUpdated, duplicate))
        if created:
            await insert_rows(uow.session, SQLModel.metadata.tables[Contact.__tablename__], created)
            await uow.publish_many([snapshot(ContactCreated, c) for c in created])
        await refresh_search(uow.session, {c.account_id for c in people})
        return {"created": len(created), "updated": len(updates), "skipped": skipped}
