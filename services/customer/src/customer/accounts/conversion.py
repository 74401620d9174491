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

from sqlmodel import Field, SQLModel

from crm_contracts.customer import LeadConversionFailed, LeadConverted, LifecycleStage
from crm_contracts.sales import LeadConversionRequested
from crm_shared.crypto import decrypt
from crm_shared.db import UnitOfWork, timestamp
from crm_shared.errors import BadInput, DomainError
from crm_shared.rows import from_row
from customer.accounts.models import Account
from customer.accounts.service import AccountInput, apply_input, duplicates, insert_account
from customer.contacts.models import Contact
from customer.contacts.repository import Contacts
from customer.contacts.service import ContactInput, insert_contact
from customer.contacts.service import apply_input as apply_contact


class LeadConversion(SQLModel, table=True):
    __tablename__ = "lead_conversions"

    lead_id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID
    contact_id: uuid.UUID
    matched: bool = False
    created_at: dt.datetime = timestamp()


def _answer(conversion: LeadConversion, account_name: str) -> LeadConverted:
    return from_row(LeadConverted, conversion, account_name=account_name)


async def on_conversion_requested(uow: UnitOfWork, request: LeadConversionRequested) -> None:
    done = await uow.session.get(LeadConversion, request.lead_id)
    if done is not None:
        account = await uow.session.get(Account, done.account_id)
        await uow.publish(_answer(done, account.name if account else ""))
        return
    try:
        async with uow.savepoint():  # a failure rolls back every row of the attempt
            conversion, name = await _convert(uow, request)
    except DomainError as exc:
        failed = LeadConversionFailed(
            lead_id=request.lead_id, reason=exc.message("zh-CN"), field=exc.field, code=exc.code
        )
        await uow.publish(failed)
        return
    await uow.publish(_answer(conversion, name))


async def _convert(uow: UnitOfWork, request: LeadConversionRequested) -> tuple[LeadConversion, str]:
    owner, lead = request.owner_id, {"leadId": str(request.lead_id)}
    if owner is None:
        raise BadInput("required_field", field="ownerId")
    phone, email = decrypt(request.phone_encrypted), decrypt(request.email_encrypted)
    candidate = Account(name="", name_key="", owner_id=owner, created_by=owner, lifecycle_stage=LifecycleStage.PROSPECT)
    apply_input(
        candidate,
        AccountInput(
            name=request.company,
            industry=request.industry,
            province=request.province,
            city=request.city,
            source="lead",
            phone=phone,
            email=email,
        ),
        creating=True,
    )
    found = await duplicates(uow, candidate)
    account = found[0] if found else candidate
    if not found:
        await insert_account(uow, [account], actor_id=owner, detail=lead)
    contact = Contact(name="", created_by=owner, account_id=account.id)
    data = ContactInput(name=request.contact_name, title=request.title, phone=phone, email=email)
    apply_contact(contact, data, creating=True)
    existing = await Contacts(uow).same_person(contact)
    if existing is None:
        await insert_contact(uow, contact, account, actor_id=owner, detail=lead)
    conversion = LeadConversion(
        lead_id=request.lead_id, account_id=account.id, contact_id=(existing or contact).id, matched=bool(found)
    )
    uow.session.add(conversion)
    await uow.flush()
    return conversion, account.name
