"""The CTI's signature: `X-Cti-Signature: v1=<hex HMAC-SHA256 of "<X-Cti-Timestamp>.<body>">` under the shared
secret; a timestamp far from now is refused, so a captured request cannot be played back later."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from crm_shared.errors import Unauthenticated


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, given: str, body: bytes, tolerance: float) -> None:
    if not secret or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        raise Unauthenticated()
    if not hmac.compare_digest(signature(secret, timestamp, body), given):
        raise Unauthenticated()


def signed(secret: str, payload: object) -> tuple[bytes, dict[str, str]]:
    """A request to the CTI, signed the same way."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Cti-Timestamp": timestamp}
    return body, headers | {"X-Cti-Signature": signature(secret, timestamp, body)}
