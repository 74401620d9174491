"""The scheduled job that delivers queued campaign mail through SMTP, each mail exactly once.

Each row is claimed (`FOR UPDATE SKIP LOCKED`, so replicas never take the same one), sent and marked
sent with its `message.sent` event in a transaction of its own: a mail the relay accepted is committed
before the next is tried, and a crash can repeat at most the one mail in flight, under the same
Message-ID, which receivers recognise. A relay that is away leaves the rows queued with a backoff; a
recipient the relay refuses for good is given up and reported as bounced.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from sqlalchemy import select, update
from sqlmodel import col

from crm_shared.crypto import decrypt
from crm_shared.db import UnitOfWork, utcnow
from marketing import events
from marketing.audience import ContactRef
from marketing.campaigns.models import Campaign, CampaignMember
from marketing.campaigns.rules import MemberStatus
from marketing.sending import links
from marketing.sending.contents import content_of
from marketing.sending.models import CampaignSend, SendStatus
from marketing.settings import MarketingSettings
from marketing.templates import render
from marketing.templates.service import recipient_values

log = logging.getLogger(__name__)


class CampaignSender:
    """Delivers up to `send_batch` due mails per run over one SMTP connection."""

    def __init__(self, settings: MarketingSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    async def run(self, uow: UnitOfWork) -> int:
        sent = 0
        try:
            for _ in range(self.settings.send_batch):
                async with uow.db.unit_of_work() as own:
                    outcome = await self._send_next(own)
                if outcome is None:
                    break
                sent += outcome
        finally:
            await asyncio.to_thread(self._close)
        return sent

    async def _send_next(self, uow: UnitOfWork) -> int | None:
        """1 when a mail went out, 0 when one failed, None when none is due or the relay is away."""
        row = await uow.session.scalar(
            select(CampaignSend)
            .where(col(CampaignSend.status) == SendStatus.QUEUED, col(CampaignSend.next_attempt_at) <= utcnow())
            .order_by(col(CampaignSend.next_attempt_at), col(CampaignSend.id))
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return None
        message = await self.compose(uow, row)
        try:
            await asyncio.to_thread(self._deliver, message)
        except smtplib.SMTPRecipientsRefused as exc:
            code = min((c for c, _ in exc.recipients.values()), default=550)
            await self._failed(uow, row, type(exc).__name__, bounced=code if code >= 500 else None)
            return 0
        except smtplib.SMTPResponseException as exc:  # the relay answered: permanent (5xx) or not
            await self._failed(uow, row, type(exc).__name__, permanent=exc.smtp_code >= 500)
            return 0
        except (OSError, smtplib.SMTPException) as exc:  # the relay is not there: the rest waits too
            await self._failed(uow, row, type(exc).__name__)
            return None
        now = utcnow()
        row.status, row.sent_at, row.attempts = SendStatus.SENT, now, row.attempts + 1
        await uow.session.execute(
            update(CampaignMember)
            .where(
                col(CampaignMember.campaign_id) == row.campaign_id,
                col(CampaignMember.contact_id) == row.contact_id,
                col(CampaignMember.status) == MemberStatus.TARGETED,
            )
            .values(status=MemberStatus.SENT, updated_at=now)
        )
        await uow.publish(
            events.MessageSent(
                id=row.id,
                campaign_id=row.campaign_id,
                contact_id=row.contact_id,
                channel="email",
                at=now,
                message_id=row.message_id,
            )
        )
        return 1

    async def compose(self, uow: UnitOfWork, row: CampaignSend) -> EmailMessage:
        """The recipient's mail: merge fields filled, links signed, one-click unsubscribe announced."""
        s = self.settings
        content = await content_of(uow, row)
        campaign = await uow.session.get(Campaign, row.campaign_id)
        contact = await uow.session.get(ContactRef, row.contact_id)
        assert content is not None and campaign is not None
        unsubscribe = links.url(s.public_base_url, links.Link(row.id, links.Kind.UNSUBSCRIBE))
        values = await recipient_values(uow, contact.name if contact else "", contact.account_id if contact else None)
        values.update(
            campaign={"name": campaign.name},
            sender={"name": s.mail_name, "address": s.mail_address},
            unsubscribe_url=unsubscribe,
        )
        mail = render.render(render.Parts(content.subject, content.html, content.text), values)
        html = render.tracked(
            mail.html,
            content.links,
            lambda index: links.url(s.public_base_url, links.Link(row.id, links.Kind.CLICK, index)),
            links.url(s.public_base_url, links.Link(row.id, links.Kind.OPEN)),
        )
        message = EmailMessage()
        message["From"] = formataddr((s.mail_name, s.mail_address))
        message["To"] = decrypt(row.to_enc) or ""
        message["Subject"] = mail.subject
        message["Message-ID"] = f"<{row.message_id}>"
        message["Date"] = format_datetime(row.created_at)
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        if unsubscribe.startswith("https://"):  # RFC 8058: one-click only over https
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(mail.text)
        message.add_alternative(html, subtype="html")
        return message

    def _deliver(self, message: EmailMessage) -> None:
        """Over the run's connection; one the relay closed since the last mail is opened again once."""
        s = self.settings
        reused = self._smtp is not None
        for _ in range(2 if reused else 1):
            if self._smtp is None:
                self._smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
            try:
                self._smtp.send_message(message)
                return
            except smtplib.SMTPServerDisconnected:
                self._smtp = None
        raise smtplib.SMTPServerDisconnected("the relay closed the connection")

    def _close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    async def _failed(
        self, uow: UnitOfWork, row: CampaignSend, error: str, permanent: bool = False, bounced: int | None = None
    ) -> None:
        row.attempts += 1
        row.last_error = error[:200]
        if bounced is not None or permanent or row.attempts >= self.settings.send_max_attempts:
            row.status = SendStatus.FAILED
            log.warning("a campaign mail was given up after %d attempts (%s)", row.attempts, error)
            if bounced is not None:
                bounce = events.MessageBounced(
                    id=row.id,
                    campaign_id=row.campaign_id,
                    contact_id=row.contact_id,
                    channel="email",
                    at=utcnow(),
                    smtp_code=bounced,
                )
                await uow.publish(bounce)
            return
        s = self.settings
        wait = min(s.send_retry_seconds * 2 ** (row.attempts - 1), s.send_retry_max_seconds)
        row.next_attempt_at = utcnow() + dt.timedelta(seconds=wait)
