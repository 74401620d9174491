"""Contacts: people at accounts. Their visibility follows their account's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import or_
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.crypto import encrypt, lookup_hash
from crm_shared.db import UnitOfWork, effects, utcnow
from crm_shared.db.pages import Order, Page
from crm_shared.duplicates import conflict
from crm_shared.errors import BadInput
from crm_shared.masking import unmasked_lookup
from crm_shared.rows import from_row
from crm_shared.validate import items
from customer import normalise as norm
from customer.accounts.models import Account
from customer.accounts.repository import Accounts
from customer.accounts.search import refresh_search
from customer.channels import apply_channels, contact_details
from customer.contacts.models import ROLES, Contact
from customer.contacts.repository import Contacts
from customer.custom_fields.service import cleaned, merged
from customer.events import ContactCreated, ContactDeleted, ContactSnapshot, ContactUpdated

RESOURCE = "customer:contact"
S = TypeVar("S", bound=ContactSnapshot)


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


def snapshot(kind: type[S], contact: Contact) -> S:
    return from_row(kind, contact, **contact_details(contact))


def apply_input(contact: Contact, data: ContactInput, creating: bool = False) -> None:
    """Validate and copy the given fields; None leaves a field as it is, but a new contact (created, imported,
    converted) must have a name: the one rule for every way one is made."""
    if creating or data.name is not None:
        contact.name = norm.required_text(data.name, "name", 100)
    if data.title is not None:
        contact.title = norm.optional_text(data.title, "title", 100)
    if data.role is not None:
        contact.role = norm.choice(data.role, "role", ROLES) or "other"
    apply_channels(contact, data.phone, data.email)
    if data.id_number is not None:
        contact.id_number_enc = encrypt(norm.resident_id(data.id_number, "idNumber"))
    if data.custom is not None:
        contact.custom = merged(contact.custom, data.custom)


async def insert_contact(uow: UnitOfWork, contact: Contact, account: Account, **audit_detail: Any) -> None:
    """A contact joins an account: its name becomes searchable there; event and audit record together."""
    contact.account_id, contact.owner_id = account.id, account.owner_id
    uow.session.add(contact)
    await uow.flush()
    await refresh_search(uow.session, [account.id])
    await audit.published(uow, snapshot(ContactCreated, contact), "Contact", contact.id, **audit_detail)


async def joinable(accounts: Accounts, account: Account | None) -> Account:
    """The account a new contact may join: one the caller may update (one in the pool only with scope over every
    account). The one rule for `create` and an import's new rows."""
    return await accounts.check(account, "update")


async def create(uow: UnitOfWork, principal: Principal, data: ContactInput, allow_duplicate: bool = False) -> Contact:
    """A new contact; the same person at the account again (a retry the client never heard answered)
    is a CONFLICT (`crm_shared.duplicates`), unless the caller means a second contact."""
    principal.require(f"{RESOURCE}:create")
    step = await effects.step(uow, "Contact")
    if step.done is not None:  # this request ran before and made it; its answer was lost
        return await get(uow, principal, step.done)
    if data.account_id is None:
        raise BadInput("required_field", field="accountId")
    contact = Contact(name="", created_by=principal.user_id)
    data.custom = await cleaned(uow, "contact", data.custom, creating=True)
    apply_input(contact, data, creating=True)
    account = await joinable(Accounts(uow, principal), await uow.session.get(Account, data.account_id))
    contact.account_id = account.id
    contacts = Contacts(uow, principal)
    [same] = await contacts.matches([contact])
    if same and not allow_duplicate:  # the account is the caller's; the contact may not be
        raise await conflict(principal, "duplicate_contact", RESOURCE, same, contacts.reaches)
    await insert_contact(uow, contact, account)
    step.made(contact.id)
    return contact


async def get(uow: UnitOfWork, principal: Principal, contact_id: uuid.UUID) -> Contact:
    return await Contacts(uow, principal).get(contact_id)


async def update(uow: UnitOfWork, principal: Principal, contact_id: uuid.UUID, data: ContactInput) -> Contact:
    contact = await Contacts(uow, principal).get(contact_id, "update")
    before = snapshot(ContactUpdated, contact).data()
    previous_account = contact.account_id
    if data.account_id is not None and data.account_id != contact.account_id:
        await Accounts(uow, principal).get(data.account_id, "update")
        contact.account_id = data.account_id
    data.custom = await cleaned(uow, "contact", data.custom, creating=False)
    apply_input(contact, data)
    contact.updated_at = utcnow()
    await uow.flush()
    await refresh_search(uow.session, [previous_account, contact.account_id])
    await audit.published(uow, snapshot(ContactUpdated, contact), "Contact", contact.id, before)
    return contact


async def delete(uow: UnitOfWork, principal: Principal, contact_id: uuid.UUID) -> None:
    contact = await Contacts(uow, principal).get(contact_id, "delete")
    contact.deleted_at = utcnow()
    await uow.flush()
    await refresh_search(uow.session, [contact.account_id])
    await uow.publish(ContactDeleted(id=contact.id))
    await audit.record(uow, "contact.deleted", "Contact", contact.id, snapshot(ContactUpdated, contact).data(), None)


async def page(
    uow: UnitOfWork, principal: Principal, account_id: uuid.UUID | None, first: int, after: str | None
) -> Page[Contact]:
    principal.require(f"{RESOURCE}:read")
    contacts = Contacts(uow, principal)
    query = await contacts.select()
    if account_id is not None:
        query = query.where(col(Contact.account_id) == account_id)
    return await contacts.page(query, Order.by(Contact.name, Contact.id), first, after)


MAX_MATCHES = 50


async def matching(uow: UnitOfWork, principal: Principal, phone: str | None, email_hashes: list[str]) -> list[Contact]:
    """The contacts in the caller's scope with this phone (normalised as stored) or one of these keyed
    email hashes: how a call or a logged mail finds whom it was with."""
    principal.require(f"{RESOURCE}:read")
    unmasked_lookup(principal, f"{RESOURCE}.phone", phone)
    unmasked_lookup(principal, f"{RESOURCE}.email", email_hashes, at="emailHashes")
    number = norm.phone(phone, "phone")
    hashes = [h for h in items(email_hashes, "emailHashes", MAX_MATCHES) if h]
    keys = [col(Contact.phone_hash) == lookup_hash(number)] if number else []
    keys += [col(Contact.email_hash).in_(hashes)] if hashes else []
    if not keys:
        return []
    contacts = Contacts(uow, principal)
    query = (await contacts.select()).where(or_(*keys)).order_by(col(Contact.created_at), col(Contact.id))
    return list((await uow.session.scalars(query.limit(MAX_MATCHES))).all())
