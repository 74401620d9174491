"""Replies and surveys by mail: queued in their transaction, sent once by the mail sender, retried with backoff.

The queued row is the mail's outbox: a crash or an SMTP outage before the send leaves it pending and
it goes out at the next turn; each mail is claimed, sent and marked sent in a transaction of its own,
so it is never sent twice but in the instant between the relay's acceptance and that commit, and
then under the same Message-ID, which receivers recognise. Threading headers follow RFC 5322:
In-Reply-To names the customer's latest message, References the thread, and the subject carries
the ticket's number (`[#TK0000001]`) for mail programs that drop the headers.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import logging
import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr

from sqlalchemy import select
from sqlmodel import col

from crm_shared.contacts import ContactRef
from crm_shared.crypto import decrypt
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from crm_shared.validate import items, required_text
from support.mail import surveys
from support.mail.models import Attachment, MailStatus, OutgoingMail
from support.mail.parse import TICKET_REFERENCE
from support.settings import SupportSettings
from support.surveys.models import Survey
from support.tickets.models import Entry, Ticket

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """An attachment a caller sends: its content in base64."""

    filename: str
    content_type: str
    content_base64: str


def new_message_id(settings: SupportSettings) -> str:
    return f"{uuid.uuid4().hex}@{settings.mail_address.rpartition('@')[2]}"


def subject_of(ticket: Ticket) -> str:
    subject = ticket.subject if TICKET_REFERENCE.search(ticket.subject) else f"{ticket.subject} [#{ticket.number}]"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


async def attach(uow: UnitOfWork, entry: Entry, uploads: Sequence[Upload], settings: SupportSettings) -> None:
    """Store a reply's attachments, each within the size and type limits (a field error otherwise)."""
    for i, upload in enumerate(items(list(uploads), "attachments", settings.attachment_max_count)):
        at = f"attachments[{i}]"
        try:
            data = base64.b64decode(upload.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadInput("not_base64", field=f"{at}.contentBase64") from exc
        if len(data) > settings.attachment_max_bytes:
            raise BadInput("attachment_too_large", field=f"{at}.contentBase64", limit=settings.attachment_max_bytes)
        if not settings.attachment_allowed(upload.content_type):
            raise BadInput("attachment_type", field=f"{at}.contentType")
        name = required_text(upload.filename, f"{at}.filename", 200)
        uow.session.add(
            Attachment(entry_id=entry.id, filename=name, content_type=upload.content_type, size=len(data), content=data)
        )
    await uow.flush()


async def recipient(uow: UnitOfWork, ticket: Ticket) -> str | None:
    """The encrypted address replies go to: the one the ticket was opened from, else its contact's."""
    if ticket.requester_email_enc:
        return ticket.requester_email_enc
    contact = await uow.session.get(ContactRef, ticket.contact_id) if ticket.contact_id else None
    return contact.email_enc if contact and not contact.deleted else None


async def queue(uow: UnitOfWork, ticket: Ticket, entry: Entry, settings: SupportSettings) -> OutgoingMail | None:
    """The reply's mail, threaded onto the conversation; none when the customer has no address."""
    to = await recipient(uow, ticket)
    if to is None:
        return None
    thread = await uow.session.execute(
        select(col(Entry.message_id), col(Entry.from_customer))
        .where(col(Entry.ticket_id) == ticket.id, col(Entry.message_id).is_not(None))
        .order_by(col(Entry.at), col(Entry.id))
    )
    ids = [(str(m), customer) for m, customer in thread.all()]
    answered = [m for m, customer in ids if customer] or [m for m, _ in ids]
    entry.message_id = new_message_id(settings)
    mail = OutgoingMail(
        entry_id=entry.id,
        ticket_id=ticket.id,
        message_id=entry.message_id,
        to_enc=to,
        subject=subject_of(ticket)[:300],
        in_reply_to=answered[-1] if answered else None,
        references=" ".join(f"<{m}>" for m, _ in ids[-20:]),  # the thread's latest, as mail programs keep it
        next_attempt_at=utcnow(),
    )
    uow.session.add(mail)
    await uow.flush()
    return mail


async def queue_survey(uow: UnitOfWork, survey: Survey, to: str, settings: SupportSettings) -> OutgoingMail:
    """The survey's mail to `to` (encrypted), written in the survey's transaction."""
    ticket = await uow.session.get(Ticket, survey.ticket_id) if survey.ticket_id else None
    mail = OutgoingMail(
        survey_id=survey.id,
        ticket_id=survey.ticket_id,
        message_id=new_message_id(settings),
        to_enc=to,
        subject=surveys.subject(survey, ticket)[:300],
        next_attempt_at=utcnow(),
    )
    uow.session.add(mail)
    await uow.flush()
    return mail


async def compose(uow: UnitOfWork, mail: OutgoingMail, settings: SupportSettings) -> EmailMessage:
    if mail.survey_id is not None:
        return await _survey_mail(uow, mail, settings)
    entry = await uow.session.get(Entry, mail.entry_id)
    assert entry is not None
    message = EmailMessage()
    message["From"] = formataddr((settings.mail_name, settings.mail_address))
    message["To"] = decrypt(mail.to_enc) or ""
    message["Subject"] = mail.subject
    message["Message-ID"] = f"<{mail.message_id}>"
    if mail.in_reply_to:
        message["In-Reply-To"] = f"<{mail.in_reply_to}>"
    if mail.references:
        message["References"] = mail.references
    message["Date"] = mail.created_at
    message.set_content(entry.body)
    files = await uow.session.scalars(
        select(Attachment).where(col(Attachment.entry_id) == entry.id).order_by(col(Attachment.created_at))
    )
    for file in files.all():
        kind, _, sub = file.content_type.partition("/")
        message.add_attachment(file.content, maintype=kind, subtype=sub or "octet-stream", filename=file.filename)
    return message


async def _survey_mail(uow: UnitOfWork, mail: OutgoingMail, settings: SupportSettings) -> EmailMessage:
    survey = await uow.session.get(Survey, mail.survey_id)
    assert survey is not None
    ticket = await uow.session.get(Ticket, survey.ticket_id) if survey.ticket_id else None
    contact = await uow.session.get(ContactRef, survey.contact_id) if survey.contact_id else None
    message = EmailMessage()
    message["From"] = formataddr((settings.mail_name, settings.mail_address))
    message["To"] = decrypt(mail.to_enc) or ""
    message["Subject"] = mail.subject
    message["Message-ID"] = f"<{mail.message_id}>"
    message["Date"] = mail.created_at
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: vacation replies stay away
    surveys.write(message, settings, survey, ticket, contact.name if contact else None)
    return message


class MailSender:
    """The scheduled job that sends due mails; one replica at a time (the schedule's lock).

    Each mail is claimed, sent and marked sent in a transaction of its own, so a mail the relay accepted
    is committed as sent before the next is tried: a later failure never sends it again, and no row
    stays locked through other mails' sends.
    """

    def __init__(self, settings: SupportSettings) -> None:
        self.settings = settings

    async def run(self, uow: UnitOfWork) -> int:
        sent = 0
        for _ in range(self.settings.mail_batch):
            async with uow.db.unit_of_work() as own:
                outcome = await self._send_next(own)
            if outcome is None:
                break
            sent += outcome
        return sent

    async def _send_next(self, uow: UnitOfWork) -> int | None:
        """Send the next due mail: 1 when sent, 0 when it failed, None when none is due or the relay is not there."""
        mail = await uow.session.scalar(
            select(OutgoingMail)
            .where(col(OutgoingMail.status) == MailStatus.PENDING, col(OutgoingMail.next_attempt_at) <= utcnow())
            .order_by(col(OutgoingMail.next_attempt_at))
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if mail is None:
            return None
        message = await compose(uow, mail, self.settings)
        try:
            await asyncio.to_thread(self._deliver, message)
        except smtplib.SMTPResponseException as exc:  # the relay answered: permanent (5xx) or not
            self._failed(mail, type(exc).__name__, permanent=exc.smtp_code >= 500)
            return 0
        except (OSError, smtplib.SMTPException) as exc:  # the relay is not there: the rest waits too
            self._failed(mail, type(exc).__name__, permanent=False)
            return None
        mail.status, mail.sent_at, mail.attempts = MailStatus.SENT, utcnow(), mail.attempts + 1
        return 1

    def _deliver(self, message: EmailMessage) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds) as smtp:
            smtp.send_message(message)

    def _failed(self, mail: OutgoingMail, error: str, permanent: bool) -> None:
        mail.attempts += 1
        mail.last_error = error[:200]
        if permanent or mail.attempts >= self.settings.mail_max_attempts:
            mail.status = MailStatus.FAILED
            log.warning("a mail was given up after %d attempts (%s)", mail.attempts, error)
            return
        wait = min(self.settings.mail_retry_seconds * 2 ** (mail.attempts - 1), self.settings.mail_retry_max_seconds)
        mail.next_attempt_at = utcnow() + dt.timedelta(seconds=wait)
