"""A service's copy of which contacts belong to which accounts, kept from `crm.customer.contact` events.

An opportunity or a ticket names a contact of its own account; support also finds the contact a mail
came from by the sender's address (its keyed hash) and mails replies to it (the address encrypted under
the suite's field key). A contact created a moment ago, whose event has not arrived yet, is read from
customer as the caller (read-your-writes), as accounts are."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
from sqlalchemy import Index, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Field, SQLModel, col

from crm_contracts.customer import ContactCreated, ContactDeleted, ContactLinked, ContactSnapshot, ContactUpdated
from crm_shared.context import current_token
from crm_shared.crypto import lookup_hash
from crm_shared.db import UnitOfWork, timestamp
from crm_shared.db.snapshots import keep_newer
from crm_shared.errors import BadInput
from crm_shared.events.handlers import Handlers


class ContactRef(SQLModel, table=True):
    __tablename__ = "contact_refs"

    __table_args__ = (Index("ix_contact_refs_email_hash", "email_hash"),)

    id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID | None = None
    name: str | None = Field(default=None, max_length=100)
    email_hash: str | None = Field(default=None, max_length=64)
    email_enc: str | None = None
    deleted: bool = False
    updated_at: dt.datetime = timestamp()


class ContactLink(SQLModel, table=True):
    """A contact's role at a further account."""

    __tablename__ = "contact_links"

    contact_id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID = Field(primary_key=True)


CONTACTS = Handlers()


@CONTACTS.on_many(ContactCreated, ContactUpdated)
async def project_contacts(uow: UnitOfWork, contacts: list[ContactSnapshot]) -> None:
    """The whole snapshots, an import's burst in one round trip; an older one arriving late changes nothing."""
    rows = [
        {
            "id": contact.id,
            "account_id": contact.account_id,
            "name": contact.name,
            "email_hash": contact.email_hash,
            "email_enc": contact.email_enc,
            "deleted": False,
            "updated_at": contact.time,
        }
        for contact in contacts
    ]
    await keep_newer(uow, ContactRef, rows)


async def project_contact(uow: UnitOfWork, contact: ContactSnapshot) -> None:
    await project_contacts(uow, [contact])


@CONTACTS.on(ContactDeleted)
async def contact_deleted(uow: UnitOfWork, event: ContactDeleted) -> None:
    await keep_newer(uow, ContactRef, {"id": event.id, "deleted": True, "updated_at": event.time})


@CONTACTS.on(ContactLinked)
async def contact_linked(uow: UnitOfWork, event: ContactLinked) -> None:
    stmt = insert(ContactLink).values(contact_id=event.contact_id, account_id=event.account_id)
    await uow.session.execute(stmt.on_conflict_do_nothing())


class ContactLookup:
    """Reads a contact's account from customer's subgraph, as the caller."""

    QUERY = "query($id: ID!) { contact(id: $id) { account { id } } }"

    def __init__(self, base_url: str, timeout: float = 3.0) -> None:
        self.url = base_url.rstrip("/") + "/graphql"
        self.timeout = timeout

    async def account_of(self, contact_id: uuid.UUID, token: str) -> uuid.UUID | bool | None:
        """The contact's account (None: it has none), or False when the caller cannot see such a contact."""
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            response = await client.post(
                self.url,
                json={"query": self.QUERY, "variables": {"id": str(contact_id)}},
                headers={"Authorization": f"Bearer {token}"},
            )
        response.raise_for_status()  # an outage surfaces as a transient error: SERVICE_UNAVAILABLE
        found = (response.json().get("data") or {}).get("contact")
        if not found:
            return False
        account = found.get("account")
        return uuid.UUID(account["id"]) if account else None


_lookup: ContactLookup | None = None


def read_through(lookup: ContactLookup | None) -> None:
    """Let `require_contact` ask customer for contacts not projected yet (None: events only)."""
    global _lookup
    _lookup = lookup


async def require_contact(uow: UnitOfWork, account_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    """The contact is the account's own, or linked to it; otherwise a field error naming `contactId`."""
    ref = await uow.session.get(ContactRef, contact_id)
    if ref is None and _lookup is not None and (token := current_token.get()):
        found = await _lookup.account_of(contact_id, token)
        if found is not False:
            await keep_newer(
                uow,
                ContactRef,
                {
                    "id": contact_id,
                    "account_id": found,
                    "deleted": False,
                    "updated_at": dt.datetime.min.replace(tzinfo=dt.UTC),
                },
            )
            ref = await uow.session.get(ContactRef, contact_id)
    if ref is None or ref.deleted:
        raise BadInput("unknown_contact", field="contactId")
    if ref.account_id != account_id and await uow.session.get(ContactLink, (contact_id, account_id)) is None:
        raise BadInput("unknown_contact", field="contactId")


async def by_email(uow: UnitOfWork, address: str) -> ContactRef | None:
    """The contact with this address that has an account, the most recently changed when several share it."""
    rows = await uow.session.scalars(
        select(ContactRef)
        .where(
            col(ContactRef.email_hash) == lookup_hash(address),
            col(ContactRef.account_id).is_not(None),
            col(ContactRef.deleted).is_(False),
        )
        .order_by(col(ContactRef.updated_at).desc())
        .limit(1)
    )
    return rows.first()
