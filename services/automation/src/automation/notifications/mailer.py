"""Notifications by mail through the suite's SMTP relay: one mail each when asked for, and daily digests."""

from __future__ import annotations

import asyncio
import logging
import smtplib
import uuid
from email.message import EmailMessage

from sqlalchemy import exists, select
from sqlmodel import col

from automation.notifications.models import DigestSent, MailState, Notification
from automation.settings import AutomationSettings
from crm_shared.auth.directory import DirectoryUser
from crm_shared.db import UnitOfWork, utcnow

log = logging.getLogger(__name__)
BATCH = 100


class Mailer:
    def __init__(self, settings: AutomationSettings) -> None:
        self.settings = settings

    async def run(self, uow: UnitOfWork) -> int:
        """Scheduled: the pending mails, then the digests due today; returns how many mails went out."""
        try:
            return await self.send_pending(uow) + await self.send_digests(uow)
        except (OSError, smtplib.SMTPException) as exc:  # the relay is away: everything waits for the next run
            log.warning("notification mail waits for the relay: %s", exc)
            return 0

    async def send_pending(self, uow: UnitOfWork) -> int:
        rows = (
            await uow.session.scalars(
                select(Notification)
                .where(col(Notification.mail_state) == MailState.PENDING)
                .order_by(col(Notification.created_at))
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
        ).all()
        sent = 0
        for row in rows:
            user = await uow.session.get(DirectoryUser, row.user_id)
            if user is not None and user.email and user.is_active:
                body = "\n\n".join(part for part in (row.body, row.link or "") if part)
                await asyncio.to_thread(self._deliver, user.email, row.title, body)
                sent += 1
            row.mail_state = MailState.SENT
            await uow.flush()  # each mail marked as it goes: a relay failure midway resends none of the earlier
        return sent

    async def send_digests(self, uow: UnitOfWork) -> int:
        now = utcnow()
        if now.hour < self.settings.digest_hour_utc:
            return 0
        sent_today = exists().where(
            col(DigestSent.user_id) == col(Notification.user_id), col(DigestSent.sent_on) >= now.date()
        )
        waiting = (  # through ix_notifications_digest: what arrives after a user's digest waits for tomorrow's
            await uow.session.scalars(
                select(Notification)
                .where(col(Notification.in_digest).is_(True), col(Notification.read_at).is_(None), ~sent_today)
                .order_by(col(Notification.user_id), col(Notification.created_at))
                .with_for_update(of=Notification, skip_locked=True)
            )
        ).all()
        by_user: dict[uuid.UUID, list[Notification]] = {}
        for row in waiting:
            by_user.setdefault(row.user_id, []).append(row)
        sent = 0
        for user_id, rows in by_user.items():
            done = await uow.session.get(DigestSent, user_id)
            user = await uow.session.get(DirectoryUser, user_id)
            if user is not None and user.email and user.is_active:
                lines = [f"- {row.title}" + (f": {row.body}" if row.body else "") for row in rows]
                subject = f"每日通知摘要 Daily digest ({len(rows)})"
                await asyncio.to_thread(self._deliver, user.email, subject, "\n".join(lines))
                sent += 1
            for row in rows:
                row.in_digest = False
            if done is None:
                uow.session.add(DigestSent(user_id=user_id, sent_on=now.date()))
            else:
                done.sent_on = now.date()
            await uow.flush()
        return sent

    def _deliver(self, to: str, subject: str, body: str) -> None:
        s = self.settings
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = s.mail_address, to, subject
        message.set_content(body or subject)
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds) as smtp:
            smtp.send_message(message)
