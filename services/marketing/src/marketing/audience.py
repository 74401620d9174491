"""Marketing's copy of the people it may reach: customer's contacts (name, account, address encrypted under
the suite's field key) from `crm.customer.contact`, accounts from `crm.customer.account` (the platform's
projection) and sales' leads from `crm.sales.lead`. Members, segments and sends read it; nothing here asks
another service at send time. A contact created a moment ago, whose event has not arrived yet, is read
from customer as the caller (read-your-writes), as accounts are.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Field, SQLModel, col, select

from crm_contracts.customer import ContactCreated, ContactDeleted, ContactSnapshot, ContactUpdated
from crm_contracts.sales import LeadSnapshot
from crm_shared.accounts import require_account
from crm_shared.auth.directory import unit_of
from crm_shared.auth.principal import Principal
from crm_shared.context import current_token
from crm_shared.db import UnitOfWork, timestamp
from crm_shared.db.snapshots import keep_newer
from crm_shared.errors import BadInput
from crm_shared.events.handlers import Handlers
from marketing.performance.service import lead_created

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # a looked-up row loses to any event


class ContactRef(SQLModel, table=True):
    __tablename__ = "audience_contacts"

    id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID | None = Field(default=None, index=True)
    name: str = Field(default="", max_length=100)
    email_hash: str | None = Field(default=None, max_length=64)
    email_enc: str | None = None
    phone_hash: str | None = Field(default=None, max_length=64, index=True)
    phone_enc: str | None = None
    deleted: bool = False
    updated_at: dt.datetime = timestamp()


class LeadRef(SQLModel, table=True):
    __tablename__ = "audience_leads"

    id: uuid.UUID = Field(primary_key=True)
    company: str = Field(default="", max_length=200)
    contact_name: str = Field(default="", max_length=100)
    owner_id: uuid.UUID | None = None
    updated_at: dt.datetime = timestamp()


CONTACTS = Handlers()


@CONTACTS.on_many(ContactCreated, ContactUpdated)
async def project_contacts(uow: UnitOfWork, contacts: list[ContactSnapshot]) -> None:
    """The whole snapshots, an import's burst in one round trip."""
    rows = [
        {
            "id": contact.id,
            "account_id": contact.account_id,
            "name": contact.name[:100],
            "email_hash": contact.email_hash,
            "email_enc": contact.email_enc,
            "phone_hash": contact.phone_hash,
            "phone_enc": contact.phone_enc,
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


class LeadSeen(LeadSnapshot):
    """`lead.created` as marketing reads it: who the lead is and who owns it, never their address."""

    type = "lead.created"


@CONTACTS.on(LeadSeen)
async def project_lead(uow: UnitOfWork, lead: LeadSeen) -> None:
    values = {
        "id": lead.id,
        "company": lead.company[:200],
        "contact_name": lead.contact_name[:100],
        "owner_id": lead.owner_id,
        "updated_at": lead.time,
    }
    await keep_newer(uow, LeadRef, values)
    await lead_created(uow, lead)


class ContactLookup:
    """Reads a contact from customer's subgraph, as the caller."""

    QUERY = "query($id: ID!) { contact(id: $id) { name account { id } } }"

    def __init__(self, base_url: str, timeout: float = 3.0) -> None:
        self.url = base_url.rstrip("/") + "/graphql"
        self.timeout = timeout

    async def fetch(self, contact_id: uuid.UUID, token: str) -> dict[str, Any] | None:
        """The contact's name and account, or None when the caller cannot see such a contact."""
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            response = await client.post(
                self.url,
                json={"query": self.QUERY, "variables": {"id": str(contact_id)}},
                headers={"Authorization": f"Bearer {token}"},
            )
        response.raise_for_status()  # an outage surfaces as a transient error: SERVICE_UNAVAILABLE
        found: dict[str, Any] | None = (response.json().get("data") or {}).get("contact")
        return found


_lookup: ContactLookup | None = None


def read_through(lookup: ContactLookup | None) -> None:
    """Let `require_contact` ask customer for contacts not projected yet (None: events only)."""
    global _lookup
    _lookup = lookup


async def _looked_up(uow: UnitOfWork, contact_id: uuid.UUID) -> ContactRef | None:
    token = current_token.get()
    found = await _lookup.fetch(contact_id, token) if _lookup is not None and token else None
    if found is None:
        return None
    account = found.get("account")
    values = {
        "id": contact_id,
        "account_id": uuid.UUID(account["id"]) if account else None,
        "name": str(found.get("name") or "")[:100],
        "updated_at": EPOCH,  # the address arrives with the contact's event, which replaces this row
    }
    await uow.session.execute(insert(ContactRef).values(**values).on_conflict_do_nothing(index_elements=["id"]))
    return await uow.session.get(ContactRef, contact_id)


async def require_contact(uow: UnitOfWork, principal: Principal, contact_id: uuid.UUID, field: str) -> ContactRef:
    """A live contact of an account the caller may see; otherwise a field error naming `field`."""
    ref = await uow.session.get(ContactRef, contact_id) or await _looked_up(uow, contact_id)
    if ref is None or ref.deleted:
        raise BadInput("contact_not_visible", field=field)
    if ref.account_id is not None:
        await require_account(uow, principal, ref.account_id, field=field)
    return ref


async def contacts(uow: UnitOfWork, contact_ids: list[uuid.UUID]) -> dict[uuid.UUID, ContactRef]:
    """The projected contacts among `contact_ids`, by id."""
    if not contact_ids:
        return {}
    rows = await uow.session.scalars(select(ContactRef).where(col(ContactRef.id).in_(contact_ids)))
    return {row.id: row for row in rows}


async def require_lead(uow: UnitOfWork, principal: Principal, lead_id: uuid.UUID, field: str) -> LeadRef:
    """A lead sales announced that the caller may see; otherwise a field error naming `field`."""
    ref = await uow.session.get(LeadRef, lead_id)
    if ref is None or not principal.may_access("sales:lead", ref.owner_id, await unit_of(uow, ref.owner_id)):
        raise BadInput("unknown_lead", field=field)
    return ref
