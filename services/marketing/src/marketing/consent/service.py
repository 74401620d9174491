"""Consent and the do-not-contact list: recorded by marketing staff or by the contact's own unsubscribe,
read before every send. Each change leaves with its event on `crm.marketing.consent`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import require_account
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput
from crm_shared.validate import optional_text
from marketing import events
from marketing.audience import ContactRef, require_contact
from marketing.consent.models import ConsentRecord, DoNotContact
from marketing.consent.rules import Channel, Decision, Standing, decide

RESOURCE = "marketing:consent"
# what staff may name as a record's source; `unsubscribe_link` is the contact's own, written by the link alone
SOURCES = ("form", "event", "import", "manual", "contract")


@dataclass(frozen=True)
class ConsentState:
    """Where a contact stands for one channel."""

    contact_id: uuid.UUID
    channel: Channel
    latest: ConsentRecord | None
    do_not_contact: DoNotContact | None
    decision: Decision


def address(contact: ContactRef, channel: Channel) -> str | None:
    """The contact's encrypted address on the channel: the email, or the mobile number for SMS."""
    return contact.email_enc if channel is Channel.EMAIL else contact.phone_enc


async def _latest(uow: UnitOfWork, contact_id: uuid.UUID, channel: Channel) -> ConsentRecord | None:
    found: ConsentRecord | None = await uow.session.scalar(
        select(ConsentRecord)
        .where(col(ConsentRecord.contact_id) == contact_id, col(ConsentRecord.channel) == channel)
        .order_by(col(ConsentRecord.recorded_at).desc(), col(ConsentRecord.id).desc())
        .limit(1)
    )
    return found


async def add_record(
    uow: UnitOfWork,
    contact_id: uuid.UUID,
    channel: Channel,
    granted: bool,
    source: str,
    note: str = "",
    by: uuid.UUID | None = None,
) -> ConsentRecord:
    """The record and its event, for a contact already checked (or one following their own link)."""
    record = ConsentRecord(
        contact_id=contact_id, channel=channel, granted=granted, source=source, note=note, recorded_by=by
    )
    uow.session.add(record)
    await uow.flush()
    await uow.publish(
        events.ConsentRecorded(
            contact_id=contact_id, channel=str(channel), granted=granted, source=source, recorded_at=record.recorded_at
        )
    )
    return record


async def record(
    uow: UnitOfWork,
    principal: Principal,
    contact_id: uuid.UUID,
    channel: Channel,
    granted: bool,
    source: str,
    note: str | None = None,
) -> ConsentRecord:
    """An opt-in or opt-out the caller records for a contact they may see, with where it came from."""
    principal.require(f"{RESOURCE}:update")
    await require_contact(uow, principal, contact_id, "contactId")
    if source not in SOURCES:  # an empty one too: only an omitted source is `manual`, the API's default
        raise BadInput("one_of", field="source", choices=", ".join(SOURCES))
    text = optional_text(note, "note", 500) or ""
    made = await add_record(uow, contact_id, channel, granted, source, text, principal.user_id)
    detail = {"channel": str(channel), "granted": granted, "source": source}
    await audit.record(uow, "consent.recorded", "Contact", contact_id, detail=detail, actor=principal)
    return made


async def states(uow: UnitOfWork, principal: Principal, contact_id: uuid.UUID) -> list[ConsentState]:
    """The contact's standing on every channel."""
    principal.require(f"{RESOURCE}:read")
    contact = await require_contact(uow, principal, contact_id, "contactId")
    return await standing_of(uow, contact)


async def standing_of(uow: UnitOfWork, contact: ContactRef) -> list[ConsentState]:
    listed = await uow.session.get(DoNotContact, contact.id)
    found = []
    for channel in Channel:
        latest = await _latest(uow, contact.id, channel)
        has_address = address(contact, channel) is not None
        standing = Standing(has_address, latest.granted if latest else None, listed is not None)
        found.append(ConsentState(contact.id, channel, latest, listed, decide(standing)))
    return found


async def account_states(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> list[ConsentState]:
    """The standing of every live contact of the account, for an account the caller may see."""
    principal.require(f"{RESOURCE}:read")
    await require_account(uow, principal, account_id, "id")
    contacts = await uow.session.scalars(
        select(ContactRef)
        .where(col(ContactRef.account_id) == account_id, col(ContactRef.deleted).is_(False))
        .order_by(col(ContactRef.name), col(ContactRef.id))
    )
    found = []
    for contact in contacts.all():
        found += await standing_of(uow, contact)
    return found


async def history(uow: UnitOfWork, principal: Principal, contact_id: uuid.UUID) -> list[ConsentRecord]:
    principal.require(f"{RESOURCE}:read")
    await require_contact(uow, principal, contact_id, "contactId")
    rows = await uow.session.scalars(
        select(ConsentRecord)
        .where(col(ConsentRecord.contact_id) == contact_id)
        .order_by(col(ConsentRecord.recorded_at).desc(), col(ConsentRecord.id).desc())
    )
    return list(rows.all())


async def set_do_not_contact(
    uow: UnitOfWork, principal: Principal, contact_id: uuid.UUID, listed: bool, reason: str | None = None
) -> bool:
    """Put the contact on the list (or take them off); no send reaches a listed contact on any channel."""
    principal.require(f"{RESOURCE}:update")
    await require_contact(uow, principal, contact_id, "contactId")
    current = await uow.session.get(DoNotContact, contact_id)
    text = optional_text(reason, "reason", 500)
    if listed and current is None:
        uow.session.add(DoNotContact(contact_id=contact_id, reason=text or "", added_by=principal.user_id))
    elif not listed and current is not None:
        await uow.session.delete(current)
    else:
        return listed
    await uow.flush()
    await uow.publish(events.DoNotContactChanged(contact_id=contact_id, listed=listed, reason=text))
    action = "consent.do_not_contact_added" if listed else "consent.do_not_contact_removed"
    await audit.record(uow, action, "Contact", contact_id, detail={"reason": text}, actor=principal)
    return listed


async def do_not_contact_list(uow: UnitOfWork, principal: Principal) -> list[DoNotContact]:
    principal.require(f"{RESOURCE}:read")
    rows = await uow.session.scalars(select(DoNotContact).order_by(col(DoNotContact.added_at).desc()))
    return list(rows.all())


async def reachable(uow: UnitOfWork, contacts: Sequence[ContactRef], channel: Channel) -> list[ContactRef]:
    """The contacts a send on `channel` may reach now, by the one rule (`decide`)."""
    ids = [c.id for c in contacts]
    on_list = select(col(DoNotContact.contact_id)).where(col(DoNotContact.contact_id).in_(ids))
    listed = set((await uow.session.scalars(on_list)).all())
    latest = (
        select(col(ConsentRecord.contact_id), col(ConsentRecord.granted))
        .where(col(ConsentRecord.contact_id).in_(ids), col(ConsentRecord.channel) == channel)
        .order_by(col(ConsentRecord.contact_id), col(ConsentRecord.recorded_at).desc(), col(ConsentRecord.id).desc())
        .ext(distinct_on(col(ConsentRecord.contact_id)))
    )
    granted = dict((await uow.session.execute(latest)).all())
    found = []
    for contact in contacts:
        has_address = address(contact, channel) is not None and not contact.deleted
        standing = Standing(has_address, granted.get(contact.id), contact.id in listed)
        if decide(standing) is Decision.SEND:
            found.append(contact)
    return found
