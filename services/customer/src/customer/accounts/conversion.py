"""Customer's step of the sales lead-conversion saga (`crm.sales.lead` lead.conversion_requested).

An existing account with the same name, phone or email is reused rather than duplicated; otherwise
one is created for the lead's owner. The contact is matched at that account by phone, email or
name, or added. The answer goes out on `crm.customer.account` in the same transaction:
`account.lead_converted` with the ids, or `account.lead_conversion_failed` with the reason, in
which case nothing of the attempt is kept. A lead converts once: repeated requests answer with
the same ids.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Field, SQLModel

from crm_shared.crypto import decrypt
from crm_shared.db import UnitOfWork, timestamp
from crm_shared.errors import DomainError
from crm_shared.events import CloudEvent
from customer.accounts.models import Account
from customer.accounts.service import AccountInput, apply_input, duplicates, insert_account
from customer.contacts.models import Contact
from customer.contacts.service import ContactInput, insert_contact
from customer.contacts.service import apply_input as apply_contact
from customer.events import ACCOUNT_TOPIC, event


class LeadConversion(SQLModel, table=True):
    __tablename__ = "lead_conversions"

    lead_id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID
    contact_id: uuid.UUID
    matched: bool = False
    created_at: dt.datetime = timestamp()


def _answer(conversion: LeadConversion, account_name: str) -> CloudEvent:
    return event(
        "account.lead_converted",
        conversion.account_id,
        {
            "leadId": str(conversion.lead_id),
            "accountId": str(conversion.account_id),
            "accountName": account_name,
            "contactId": str(conversion.contact_id),
            "matched": conversion.matched,
        },
    )


async def on_conversion_requested(uow: UnitOfWork, request: CloudEvent) -> None:
    data: dict[str, Any] = request.data
    lead_id = uuid.UUID(data["leadId"])
    done = await uow.session.get(LeadConversion, lead_id)
    if done is not None:
        account = await uow.session.get(Account, done.account_id)
        await uow.emit(ACCOUNT_TOPIC, _answer(done, account.name if account else ""))
        return
    try:
        async with uow.session.begin_nested():  # a failure rolls back every row of the attempt
            conversion, name = await _convert(uow, lead_id, data)
    except DomainError as exc:
        answer = {
            "leadId": str(lead_id),
            "reason": exc.message("zh-CN"),
            "field": exc.field,
            "code": exc.code,
        }
        await uow.emit(ACCOUNT_TOPIC, event("account.lead_conversion_failed", lead_id, answer))
        return
    await uow.emit(ACCOUNT_TOPIC, _answer(conversion, name))


async def _convert(uow: UnitOfWork, lead_id: uuid.UUID, data: dict[str, Any]) -> tuple[LeadConversion, str]:
    owner = uuid.UUID(data["ownerId"])
    phone, email = decrypt(data.get("phoneEncrypted")), decrypt(data.get("emailEncrypted"))
    candidate = Account(name="", name_key="", owner_id=owner, created_by=owner, lifecycle_stage="prospect")
    apply_input(
        candidate,
        AccountInput(
            name=data.get("company") or "",
            industry=data.get("industry"),
            province=data.get("province"),
            city=data.get("city"),
            source="lead",
            phone=phone,
            email=email,
        ),
    )
    found = [a for a in await duplicates(uow, candidate) if a.merged_into_id is None]
    account = found[0] if found else candidate
    if not found:
        await insert_account(uow, account, actor_id=owner, detail={"leadId": str(lead_id)})
    contact = Contact(name="", created_by=owner)
    apply_contact(
        contact, ContactInput(name=data.get("contactName") or "", title=data.get("title"), phone=phone, email=email)
    )
    keys = [Contact.name == contact.name]
    keys += [Contact.phone_hash == contact.phone_hash] if contact.phone_hash else []
    keys += [Contact.email_hash == contact.email_hash] if contact.email_hash else []
    existing = await uow.session.scalar(
        select(Contact).where(Contact.account_id == account.id, Contact.deleted_at.is_(None), or_(*keys)).limit(1)
    )  # type: ignore[union-attr]
    if existing is None:
        await insert_contact(uow, contact, account, actor_id=owner, detail={"leadId": str(lead_id)})
    conversion = LeadConversion(
        lead_id=lead_id, account_id=account.id, contact_id=(existing or contact).id, matched=bool(found)
    )
    uow.session.add(conversion)
    await uow.flush()
    return conversion, account.name
