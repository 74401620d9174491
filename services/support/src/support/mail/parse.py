"""Reading an inbound mail (pure): who wrote, what it answers, its text and attachments, whether a machine sent it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses

from crm_shared.validate import CONTROL, NAME_FORMAT, formatting, visible
from support.mail.html import to_text

TICKET_REFERENCE = re.compile(r"\[#\s*(TK\d{7})\s*\]", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_BULK = {"bulk", "junk", "list", "auto_reply"}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class InboundMail:
    message_id: str  # without the angle brackets; a hash of the message when it has none
    subject: str
    sender: str  # the From address, lower-case
    sender_name: str
    text: str
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    automatic: bool = False  # an auto-reply, a bulk or list mail: never answered, never a ticket

    @property
    def thread(self) -> list[str]:
        """The ids it answers, nearest first: In-Reply-To, then References from the newest."""
        seen: list[str] = []
        for message_id in [*self.in_reply_to, *reversed(self.references)]:
            if message_id not in seen:
                seen.append(message_id)
        return seen

    @property
    def ticket_number(self) -> str | None:
        found = TICKET_REFERENCE.search(self.subject)
        return found.group(1).upper() if found else None


def one_line(value: str) -> str:
    """A header's text as a single line the suite takes: control, direction and invisible format characters (but
    the joiners and marks names keep) dropped, whitespace runs made one space. Mail is not a form: a refused
    subject would be answered "try again later" until the sender gives up, and the customer's mail is lost."""
    kept = (c for c in CONTROL.sub("", value) if not (formatting(c) and c not in NAME_FORMAT))
    return " ".join("".join(kept).split())


def message_ids(value: str | None) -> list[str]:
    return _MESSAGE_ID.findall(value or "")


def _automatic(message: EmailMessage) -> bool:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto != "no"
        or precedence in _BULK
        or message.get("X-Autoreply") is not None
        or message.get("X-Autorespond") is not None
        or message.get("List-Id") is not None
    )


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    assert isinstance(part, EmailMessage)
    content = part.get_content()
    text = content if isinstance(content, str) else ""
    return to_text(text) if part.get_content_subtype() == "html" else text.strip()


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        assert isinstance(part, EmailMessage)
        if part.is_multipart():
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        name = one_line(part.get_filename() or "")[:200]
        found.append(Attachment(name if visible(name) else "attachment", part.get_content_type(), data))
    return found


def parse(raw: bytes) -> InboundMail:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    [own_id, *_] = message_ids(str(message.get("Message-ID", ""))) or ["sha256:" + hashlib.sha256(raw).hexdigest()]
    senders = getaddresses([str(message.get("From", ""))])
    name, address = senders[0] if senders else ("", "")
    return InboundMail(
        message_id=own_id[:500],
        subject=one_line(str(message.get("Subject", ""))),
        sender=address.strip().lower(),
        sender_name=one_line(name),
        text=_body(message),
        in_reply_to=message_ids(str(message.get("In-Reply-To", ""))),
        references=message_ids(str(message.get("References", ""))),
        attachments=_attachments(message),
        automatic=_automatic(message),
    )
