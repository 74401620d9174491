"""Signed links in campaign mail: unsubscribe, the open pixel and each template link's click redirect.

`<payload>.<mac>`, both base64url: the payload is the send's id, the link's kind and, for a click, the
link's number in the template; the MAC is HMAC-SHA256 under a key derived for marketing links alone.
Nothing is stored: a changed byte or a forged send answers as no link at all. The links do not
expire: an unsubscribe link must work as long as the mail is kept.
"""

from __future__ import annotations

import base64
import binascii
import struct
import uuid
from dataclasses import dataclass
from enum import IntEnum

from crm_shared.crypto import sign, signed_by_us

PURPOSE = "marketing.link"
MAC_BYTES = 16


class Kind(IntEnum):
    UNSUBSCRIBE = 1
    OPEN = 2
    CLICK = 3


@dataclass(frozen=True)
class Link:
    send_id: uuid.UUID
    kind: Kind
    index: int = 0  # a click's link in the template


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token(link: Link) -> str:
    payload = link.send_id.bytes + struct.pack(">BH", link.kind, link.index)
    return f"{_b64(payload)}.{_b64(sign(payload, PURPOSE)[:MAC_BYTES])}"


def read(value: str, kind: Kind) -> Link | None:
    """The link a genuine token of `kind` names; None for anything else."""
    head, _, tail = value.partition(".")
    try:
        payload, mac = _unb64(head), _unb64(tail)
    except (binascii.Error, ValueError):
        return None
    if _b64(payload) != head or _b64(mac) != tail:  # a base64 tail's unused bits are not a second spelling
        return None
    if len(payload) != 19 or len(mac) != MAC_BYTES or not signed_by_us(payload, mac, PURPOSE, MAC_BYTES):
        return None
    found, index = struct.unpack(">BH", payload[16:])
    if found != kind:
        return None
    return Link(uuid.UUID(bytes=payload[:16]), Kind(found), index)


def url(base: str, link: Link) -> str:
    path = {Kind.UNSUBSCRIBE: "unsubscribe", Kind.OPEN: "open", Kind.CLICK: "click"}[link.kind]
    return f"{base.rstrip('/')}/api/v1/public/{path}/{token(link)}"
