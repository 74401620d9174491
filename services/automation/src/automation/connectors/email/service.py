"""Email logging: each user has an address of their own (`log+<token>@<domain>`); mail sent or copied to it
becomes an email activity on every contact customer finds by the keyed hash of an address in From, To or
Cc, on that contact's account. Mails answering one another share a thread id (the first Message-ID of
the conversation), so a conversation reads as one on the timeline. Mail matching no contact is kept
for its user to see.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from automation.connectors import customer
from automation.connectors.email.parse import Mail
from automation.connectors.models import LoggedMail, LoggingAddress, Outcome
from automation.workflows.remote import Services
from crm_shared.auth.principal import Principal
from crm_shared.crypto import decrypt, encrypt, lookup_hash
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Order, Page, page
from crm_shared.errors import BadInput
from crm_shared.validate import email

RESOURCE = "automation:mail"
NEWEST = Order.by(LoggedMail.received_at, LoggedMail.id, descending=True)


def _parts(address: str) -> tuple[str, str]:
    local, _, domain = address.lower().rpartition("@")
    return local, domain


async def address_of(uow: UnitOfWork, principal: Principal, logging_address: str) -> str:
    """The caller's logging address, made on first asking."""
    principal.require(f"{RESOURCE}:read")
    await uow.session.execute(
        insert(LoggingAddress)
        .values(user_id=principal.user_id, token=secrets.token_hex(8), created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    token = await uow.session.scalar(
        select(col(LoggingAddress.token)).where(col(LoggingAddress.user_id) == principal.user_id)
    )
    local, domain = _parts(logging_address)
    return f"{local}+{token}@{domain}"


def tokens(mail: Mail, logging_address: str) -> set[str]:
    """The tokens of the logging addresses the mail went to (To, Cc, or a Bcc the relay wrote down)."""
    local, domain = _parts(logging_address)
    found = set()
    for address in (*mail.recipients, *mail.delivered_to):
        mailbox, at_domain = _parts(address)
        base, plus, token = mailbox.partition("+")
        if at_domain == domain and base == local and plus and token:
            found.add(token)
    return found


async def users_of(session: AsyncSession, found: set[str]) -> list[uuid.UUID]:
    """The users whose logging addresses these are (an unknown token is nobody's)."""
    rows = await session.scalars(select(col(LoggingAddress.user_id)).where(col(LoggingAddress.token).in_(found)))
    return sorted(rows.all())


def _hashes(mail: Mail, logging_address: str) -> list[str]:
    local, domain = _parts(logging_address)
    hashes = []
    for address in dict.fromkeys(mail.addresses):
        mailbox, at_domain = _parts(address)
        if at_domain == domain and mailbox.partition("+")[0] == local:
            continue
        try:
            normalised = email(address)
        except BadInput:
            continue
        if (hashed := lookup_hash(normalised)) is not None:
            hashes.append(hashed)
    return hashes


async def _thread(uow: UnitOfWork, mail: Mail) -> str:
    """The conversation's id: the thread of a mail it answers, else the first mail it names, else its own id."""
    if mail.references:
        known = await uow.session.scalar(
            select(col(LoggedMail.thread_id)).where(col(LoggedMail.message_id).in_(mail.references)).limit(1)
        )
        return known or mail.references[0]
    return mail.message_id


async def take(uow: UnitOfWork, services: Services, user_id: uuid.UUID, mail: Mail, logging_address: str) -> Outcome:
    """The mail logged for one user: an email activity on each matching contact, or kept unmatched."""
    thread = await _thread(uow, mail)
    hashes = _hashes(mail, logging_address)
    contacts = await customer.by_email_hashes(services, hashes) if hashes else []
    digest = hashlib.sha256(f"{user_id}{mail.message_id}".encode()).hexdigest()[:32]
    for contact in contacts:
        activity = customer.NewActivity(
            contact=contact,
            kind="email",
            subject=mail.subject,
            occurred_at=mail.sent_at,
            content=mail.text,
            thread_id=thread[:200],
        )
        await customer.log_activity(services, activity, f"mail-{digest}-{contact.id}")
    addresses = {"from": mail.sender, "to": mail.recipients}
    uow.session.add(
        LoggedMail(
            user_id=user_id,
            message_id=mail.message_id[:500],
            thread_id=thread[:500],
            subject=mail.subject,
            addresses_enc=encrypt(json.dumps(addresses)) or "",
            sent_at=mail.sent_at,
            matched=len(contacts),
        )
    )
    return Outcome.APPLIED if contacts else Outcome.UNMATCHED


@dataclass(frozen=True)
class Shown:
    row: LoggedMail
    sender: list[str]
    recipients: list[str]


async def listed(
    uow: UnitOfWork, principal: Principal, unmatched_only: bool, first: int, after: str | None
) -> Page[Shown]:
    """The caller's own logged mail, newest first."""
    principal.require(f"{RESOURCE}:read")
    query = select(LoggedMail).where(col(LoggedMail.user_id) == principal.user_id)
    if unmatched_only:
        query = query.where(col(LoggedMail.matched) == 0)
    found = await page(uow, query, NEWEST, first, after)

    def shown(row: LoggedMail) -> Shown:
        addresses = json.loads(decrypt(row.addresses_enc) or "{}")
        return Shown(row, addresses.get("from", []), addresses.get("to", []))

    return found.map(shown)
