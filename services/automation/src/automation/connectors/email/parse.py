"""A raw mail as logging needs it: who it was between, when, its text, and the ids that thread it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from crm_shared.db import utcnow
from crm_shared.errors import BadInput

MESSAGE_ID = re.compile(r"<[^<>\s]+>")
MAX_TEXT = 10000


@dataclass(frozen=True)
class Mail:
    message_id: str
    references: list[str]  # In-Reply-To and References: the mails it answers, oldest first
    subject: str
    sender: list[str]
    recipients: list[str]  # To and Cc
    delivered_to: list[str]  # the envelope recipients the relay wrote (a Bcc to the logging address shows only here)
    sent_at: dt.datetime
    text: str

    @property
    def addresses(self) -> list[str]:
        return [*self.sender, *self.recipients]


def _addresses(message: EmailMessage, *headers: str) -> list[str]:
    values = [str(v) for h in headers for v in message.get_all(h, [])]
    return [address.strip().lower() for _, address in getaddresses(values) if "@" in address]


def _sent(message: EmailMessage) -> dt.datetime:
    try:
        sent = parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError):
        return utcnow()
    return sent if sent.tzinfo else sent.replace(tzinfo=dt.UTC)


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    content = body.get_content() if isinstance(body, EmailMessage) else ""
    if body.get_content_subtype() == "html":
        content = re.sub(r"<[^>]+>", " ", content)
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", str(content)).strip()[:MAX_TEXT]


def parse(raw: bytes) -> Mail:
    message = message_from_bytes(raw, policy=policy.default)
    if not isinstance(message, EmailMessage) or message["From"] is None:
        raise BadInput("required_field", field="From")
    ids = MESSAGE_ID.findall(str(message["Message-ID"] or ""))
    references = MESSAGE_ID.findall(str(message["References"] or ""))
    references += [r for r in MESSAGE_ID.findall(str(message["In-Reply-To"] or "")) if r not in references]
    subject = re.sub(r"\s+", " ", str(message["Subject"] or "")).strip()
    return Mail(
        message_id=ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id>",
        references=references,
        subject=subject[:200] or "(无主题)",
        sender=_addresses(message, "From"),
        recipients=_addresses(message, "To", "Cc"),
        delivered_to=_addresses(message, "Delivered-To"),
        sent_at=_sent(message),
        text=_text(message),
    )
