"""The survey link's token: the survey and its expiry, signed with the suite's key material.

`<payload>.<mac>`, both base64url: the payload is the survey's id and its expiry (Unix seconds); the
MAC is HMAC-SHA256 under a key derived for survey links alone. Nothing is stored: the same survey
gives the same link again, and a changed byte or a forged survey answers as no survey at all.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import struct
import uuid

from crm_shared.crypto import sign, signed_by_us
from support.settings import SupportSettings
from support.surveys.models import Survey

PURPOSE = "support.survey"
MAC_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token(survey_id: uuid.UUID, expires_at: dt.datetime) -> str:
    payload = survey_id.bytes + struct.pack(">Q", int(expires_at.timestamp()))
    return f"{_b64(payload)}.{_b64(sign(payload, PURPOSE)[:MAC_BYTES])}"


def link(settings: SupportSettings, survey: Survey) -> str:
    """The public form's address for the survey: what its mail carries and the staff may pass on."""
    return f"{settings.survey_base_url.rstrip('/')}/api/v1/public/surveys/{token(survey.id, survey.expires_at)}"


def read(value: str) -> tuple[uuid.UUID, dt.datetime] | None:
    """The survey and expiry a genuine token names; None for anything else."""
    head, _, tail = value.partition(".")
    try:
        payload, mac = _unb64(head), _unb64(tail)
    except (binascii.Error, ValueError):
        return None
    if _b64(payload) != head or _b64(mac) != tail:  # a base64 tail's unused bits are not a second spelling
        return None
    if len(payload) != 24 or len(mac) != MAC_BYTES or not signed_by_us(payload, mac, PURPOSE, MAC_BYTES):
        return None
    (expires,) = struct.unpack(">Q", payload[16:])
    return uuid.UUID(bytes=payload[:16]), dt.datetime.fromtimestamp(expires, dt.UTC)
