"""The Standard Webhooks scheme: `webhook-id`, `webhook-timestamp` and `webhook-signature`
(`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the base64 key after `whsec_`)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from typing import Any

import httpx

from crm_shared import clock
from crm_shared.errors import BadInput

PREFIX = "whsec_"
MAX_SECRET = 200  # characters, as stored


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def key(secret: str, field: str = "secret") -> bytes:
    """The signing key a `whsec_` secret carries; BAD_USER_INPUT naming `field` otherwise."""
    if len(secret) > MAX_SECRET:
        raise BadInput("too_long", field=field, maximum=MAX_SECRET)
    try:
        raw = base64.b64decode(secret.removeprefix(PREFIX), validate=True) if secret.startswith(PREFIX) else b""
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) < 24:
        raise BadInput("webhook_secret", field=field)
    return raw


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key(secret), signed, hashlib.sha256).digest()).decode()


def encode(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


async def post(
    client: httpx.AsyncClient, url: str, body: bytes, message_id: str, secret: str | None, timeout: float
) -> int:
    """POST the body, signed when there is a secret; returns the status (transport errors raise httpx errors)."""
    headers = {"Content-Type": "application/json", "webhook-id": message_id, "Idempotency-Key": message_id}
    if secret:
        timestamp = int(clock.now().timestamp())
        headers["webhook-timestamp"] = str(timestamp)
        headers["webhook-signature"] = signature(secret, message_id, timestamp, body)
    response = await client.post(url, content=body, headers=headers, timeout=timeout, follow_redirects=False)
    return response.status_code
