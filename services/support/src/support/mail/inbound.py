"""Mail to the support address: a new ticket, or the customer's message on the ticket it answers.

A mail belongs to a ticket when its In-Reply-To or References name a message of that ticket (ours
or the customer's), or when its subject carries the ticket's number (`[#TK0000001]`) and it comes
from the ticket's own address. Everything else opens a ticket: for the contact the sender's
address belongs to (support's projection of customer's contacts), or without an account, flagged
as from an unknown sender. Each Message-ID is taken once; auto-replies, bulk mail and our own
mail coming back are recorded and ignored, so no loop starts. The same function serves the
development SMTP server, a provider's inbound webhook and a mailbox poller.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared.contacts import ContactRef, by_email
from crm_shared.crypto import decrypt, lookup_hash
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from crm_shared.validate import CONTROL, email, visible
from support.mail.models import Attachment, InboundMessage
from support.mail.parse import InboundMail, parse
from support.settings import SupportSettings
from support.tickets import lifecycle
from support.tickets import service as tickets
from support.tickets.models import Entry, Ticket
from support.tickets.states import Channel

NO_SUBJECT = "（无主题）(no subject)"
EMPTY = "（邮件无正文）(the mail has no text)"


@dataclass(frozen=True)
class Received:
    outcome: str  # opened, replied, duplicate, ignored
    ticket_id: uuid.UUID | None = None
    reason: str | None = None  # why it was ignored


async def receive(uow: UnitOfWork, raw: bytes, settings: SupportSettings) -> Received:
    mail = parse(raw)
    claimed = await uow.session.execute(
        insert(InboundMessage)
        .values(message_id=mail.message_id, outcome="pending", received_at=utcnow())
        .on_conflict_do_nothing()
        .returning(col(InboundMessage.message_id))
    )
    known = await uow.session.scalar(select(col(Entry.ticket_id)).where(col(Entry.message_id) == mail.message_id))
    if claimed.first() is None or known is not None:  # a redelivery, or our own mail coming back
        seen = await uow.session.get(InboundMessage, mail.message_id)
        return Received("duplicate", known or (seen.ticket_id if seen else None))
    result = await _take(uow, mail, settings)
    record = await uow.session.get(InboundMessage, mail.message_id)
    assert record is not None
    record.outcome, record.ticket_id = result.outcome, result.ticket_id
    await uow.flush()
    return result


def _ignored(mail: InboundMail, sender: str | None, settings: SupportSettings) -> str | None:
    if mail.automatic:
        return "automatic"
    if mail.sender == settings.mail_address.lower() or mail.sender.startswith(("mailer-daemon@", "postmaster@")):
        return "loop"
    if sender is None:
        return "no_sender"
    return None


async def _take(uow: UnitOfWork, mail: InboundMail, settings: SupportSettings) -> Received:
    try:
        sender = email(mail.sender, "from") if mail.sender else None
    except BadInput:
        sender = None
    if reason := _ignored(mail, sender, settings):
        return Received("ignored", reason=reason)
    assert sender is not None
    body = _cut(mail.text, 20000) or EMPTY
    ticket = await _thread(uow, mail, sender)
    if ticket is not None and lifecycle.reopenable(ticket, settings.reopen_days):
        entry = await lifecycle.customer_message(uow, ticket, body, mail.message_id)
        await _attachments(uow, entry, mail, settings)
        return Received("replied", ticket.id)
    contact = await by_email(uow, sender)
    data = tickets.TicketInput(
        subject=_cut(mail.subject, 200) or NO_SUBJECT,
        account_id=contact.account_id if contact else None,
        contact_id=contact.id if contact else None,
        description=_cut(mail.text, 10000),
        channel=Channel.EMAIL,
        requester_email=sender,
    )
    ticket = await tickets.create(uow, None, data)
    entry = Entry(ticket_id=ticket.id, public=True, from_customer=True, body=body, message_id=mail.message_id)
    entry.at = ticket.created_at
    uow.session.add(entry)
    await uow.flush()
    await _attachments(uow, entry, mail, settings)
    return Received("opened", ticket.id)


async def _thread(uow: UnitOfWork, mail: InboundMail, sender: str) -> Ticket | None:
    """The ticket the mail answers: by the messages it names, else by the number in its subject from the ticket's
    own address (a number alone is easily guessed)."""
    if mail.thread:
        found = await uow.session.scalars(
            select(Entry).where(col(Entry.message_id).in_(mail.thread)).order_by(col(Entry.at).desc()).limit(1)
        )
        if (entry := found.first()) is not None:
            return await uow.session.get(Ticket, entry.ticket_id, with_for_update=True)
    if mail.ticket_number is None:
        return None
    ticket = await uow.session.scalar(select(Ticket).where(col(Ticket.number) == mail.ticket_number).with_for_update())
    if ticket is None:
        return None
    addresses = {decrypt(ticket.requester_email_enc)} if ticket.requester_email_enc else set()
    contact = await uow.session.get(ContactRef, ticket.contact_id) if ticket.contact_id else None
    if contact is not None and contact.email_hash == lookup_hash(sender):
        return ticket
    return ticket if sender in addresses else None


async def _attachments(uow: UnitOfWork, entry: Entry, mail: InboundMail, settings: SupportSettings) -> None:
    """The files within the limits are kept; the others are named in an internal note, so agents know."""
    refused = []
    for index, file in enumerate(mail.attachments):
        if index >= settings.attachment_max_count:
            refused.append(f"{file.filename}（超出数量 / too many）")
        elif len(file.data) > settings.attachment_max_bytes:
            refused.append(f"{file.filename}（过大 / too large, {len(file.data)} bytes）")
        elif not settings.attachment_allowed(file.content_type):
            refused.append(f"{file.filename}（类型不允许 / type {file.content_type} not accepted）")
        else:
            uow.session.add(
                Attachment(
                    entry_id=entry.id,
                    filename=file.filename,
                    content_type=file.content_type,
                    size=len(file.data),
                    content=file.data,
                )
            )
    if refused:
        note = "邮件附件未保存 / Attachments not kept:\n" + "\n".join(refused)
        uow.session.add(Entry(ticket_id=entry.ticket_id, public=False, body=_cut(note, 20000)))
    await uow.flush()


def _cut(text: str, limit: int) -> str:
    """Mail is not a form: control characters are dropped, a text with nothing visible is none (its fallback
    stands in), and an over-long text is kept up to the limit, marked."""
    text = CONTROL.sub("", text).strip()
    if not visible(text):
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
