"""Outgoing mail through the configured SMTP relay (a local sink in development and tests)."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from email.message import EmailMessage

from identity.settings import IdentitySettings

log = logging.getLogger(__name__)


async def send(settings: IdentitySettings, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.mail_from, to, subject
    message.set_content(body)

    def deliver() -> None:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(message)

    await asyncio.to_thread(deliver)


class Mailer:
    """Sends in the background, keeping each task referenced until it is done."""

    def __init__(self, settings: IdentitySettings) -> None:
        self.settings = settings
        self._sending: set[asyncio.Task[None]] = set()

    def send_later(self, to: str, subject: str, body: str) -> None:
        task = asyncio.get_running_loop().create_task(self._send(to, subject, body))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, to: str, subject: str, body: str) -> None:
        try:
            await send(self.settings, to, subject, body)
        except OSError:
            log.exception("could not send the mail")


def reset_mail(link: str, minutes: int) -> tuple[str, str]:
    subject = "重置密码 / Reset your CRM password"
    body = (
        f"您好：\n\n请在 {minutes} 分钟内打开以下链接重置密码（链接仅可使用一次）：\n{link}\n\n"
        "如果这不是您本人的操作，请忽略本邮件。\n\n"
        f"Hello,\n\nOpen this link within {minutes} minutes to reset your password (it works once):\n{link}\n\n"
        "If you did not ask for this, ignore this email.\n"
    )
    return subject, body
