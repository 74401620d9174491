"""Contacts: people at accounts. Their visibility follows their account's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.crypto import encrypt, lookup_hash
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, NotFound
from crm_shared.graphql.connection import check_page_size, decode_cursor
from customer import normalise as norm
from customer.access import load_account, visible_accounts
from customer.accounts.models import Account
from customer.accounts.search import refresh_search
from customer.contacts.models import ROLES, Contact
from customer.events import CONTACT_TOPIC, event

RESOURCE = "customer:contact"


@dataclass
class ContactInput:
    account_id: uuid.UUID | None = None
    name: str | None = None
    title: str | None = None
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    id_number: str | None = None
    custom: dict[str, Any] | None = None


def snapshot(contact: Contact) -> dict[str, Any]:
    return {
        "id": str(contact.id),
        "accountId": str(contact.account_id) if contact.account_id else None,
        "name": contact.name,
        "title": contact.title,
        "role": contact.role,
        "hasPhone": contact.phone_enc is not None,
        "hasEmail": contact.email_enc is not None,
    }


def apply_input(contact: Contact, data: ContactInput) -> None:
    if data.name is not None:
        contact.name = norm.required_text(data.name, "name", 100)
    if data.title is not None:
        contact.title = norm.optional_text(data.title, "title", 100)
    if data.role is not None:
        contact.role = norm.choice(data.role, "role", ROLES) or "other"
    if data.phone is not None:
        phone = norm.phone(data.phone)
        contact.phone_enc, contact.phone_hash = encrypt(phone), lookup_hash(phone)
    if data.email is not None:
        address = norm.email(data.email)
        contact.email_enc, contact.email_hash = encrypt(address), lookup_hash(address)
    if data.id_number is not None:
        number = data.id_number.strip().upper()
        if number and len(number) not in (15, 18):
            raise BadInput(field="idNumber", reason="15 or 18 characters")
        contact.id_number_enc = encrypt(number or None)
    if data.custom is not None:
        contact.custom = {**contact.custom, **data.custom}


async def insert_contact(uow: UnitOfWork, contact: Contact, account: Account, **audit_detail: Any) -> None:
    """A contact joins an account: its name becomes searchable there; event and audit record together."""
    contact.account_id, contact.owner_id = account.id, account.owner_id
    uow.session.add(contact)
    await uow.flush()
    await refresh_search(uow.session, [account.id])
    await uow.emit(CONTACT_TOPIC, event("contact.created", contact.id, snapshot(contact)))
    await audit.record(uow, "contact.created", "Contact", contact.id, None, snapshot(contact), **audit_detail)


class ContactService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _load(self, uow: UnitOfWork, principal: Principal, contact_id: uuid.UUID, action: str) -> Contact:
        principal.require(f"{RESOURCE}:{action}")
        contact = await uow.session.get(Contact, contact_id)
        if contact is None or contact.deleted_at is not None or contact.account_id is None:
            raise NotFound(entity="Contact")
        await load_account(uow, principal, contact.account_id, "customer:account:read")
        return contact

    async def create(self, principal: Principal, data: ContactInput) -> Contact:
        principal.require(f"{RESOURCE}:create")
        if data.account_id is None:
            raise BadInput("required_field", field="accountId")
        contact = Contact(name="", created_by=principal.user_id)
        apply_input(contact, data)
        async with self.db.unit_of_work() as uow:
            account = await load_account(uow, principal, data.account_id, "customer:account:update")
            await insert_contact(uow, contact, account)
        return contact

    async def get(self, principal: Principal, contact_id: uuid.UUID) -> Contact:
        async with self.db.unit_of_work() as uow:
            return await self._load(uow, principal, contact_id, "read")

    async def update(self, principal: Principal, contact_id: uuid.UUID, data: ContactInput) -> Contact:
        async with self.db.unit_of_work() as uow:
            contact = await self._load(uow, principal, contact_id, "update")
            before = snapshot(contact)
            previous_account = contact.account_id
            if data.account_id is not None and data.account_id != contact.account_id:
                await load_account(uow, principal, data.account_id, "customer:account:update")
                contact.account_id = data.account_id
            apply_input(contact, data)
            contact.updated_at = utcnow()
            await uow.flush()
            await refresh_search(uow.session, [previous_account, contact.account_id])
            await uow.emit(CONTACT_TOPIC, event("contact.updated", contact.id, snapshot(contact)))
            await audit.record(uow, "contact.updated", "Contact", contact.id, before, snapshot(contact))
        return contact

    async def delete(self, principal: Principal, contact_id: uuid.UUID) -> None:
        async with self.db.unit_of_work() as uow:
            contact = await self._load(uow, principal, contact_id, "delete")
            contact.deleted_at = utcnow()
            await uow.flush()
            await refresh_search(uow.session, [contact.account_id])
            await uow.emit(CONTACT_TOPIC, event("contact.deleted", contact.id, {"id": str(contact.id)}))
            await audit.record(uow, "contact.deleted", "Contact", contact.id, snapshot(contact), None)

    async def page(
        self, principal: Principal, account_id: uuid.UUID | None, first: int, after: str | None
    ) -> tuple[list[Contact], int]:
        principal.require(f"{RESOURCE}:read")
        check_page_size(first)
        async with self.db.read() as session:
            visible = select(Account.id).where(await visible_accounts(session, principal))
            query = select(Contact).where(Contact.deleted_at.is_(None), Contact.account_id.in_(visible))  # type: ignore[union-attr]
            if account_id is not None:
                query = query.where(Contact.account_id == account_id)
            total = await session.scalar(select(func.count()).select_from(query.subquery()))
            if after:
                name, last_id = decode_cursor(after, 2)
                query = query.where(
                    (Contact.name > name) | ((Contact.name == name) & (Contact.id > uuid.UUID(last_id)))
                )
            rows = await session.scalars(query.order_by(Contact.name, Contact.id).limit(first + 1))
            return list(rows.all()), int(total or 0)
