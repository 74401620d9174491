"""Reading mail in tests from the real SMTP sink (the `smtp_sink` fixture), never from a mock."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage

from crm_shared.devstack.smtp import SmtpSink

__all__ = ["SmtpSink", "wait_for_mail"]


async def wait_for_mail(sink: SmtpSink, to: str, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
    """The mail `to` received, once at least `count` arrived (services send in the background)."""
    for _ in range(int(timeout / 0.05)):
        if len(found := sink.to(to)) >= count:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} mail(s) to {to} expected, {len(sink.to(to))} arrived")
