"""The CTI's signature: `X-Cti-Signature: v1=<hex HMAC-SHA256 of "<X-Cti-Timestamp>.<body>">` under the shared
secret; a timestamp far from now is refused, so a captured request cannot be played back later."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time

from crm_shared.errors import Unauthenticated

SECONDS = re.compile(r"[0-9]{1,12}")  # a Unix time in seconds, ASCII digits


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, given: str, body: bytes, tolerance: float) -> None:
    # whatever the headers hold (`²` is a digit to Python, 309 nines no float, `é` no ASCII): refused, never a 500
    if not secret or not SECONDS.fullmatch(timestamp) or abs(time.time() - int(timestamp)) > tolerance:
        raise Unauthenticated()
    if not hmac.compare_digest(signature(secret, timestamp, body).encode(), given.encode()):
        raise Unauthenticated()


def signed(secret: str, payload: object) -> tuple[bytes, dict[str, str]]:
    """A request to the CTI, signed the same way."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Cti-Timestamp": timestamp}
    return body, headers | {"X-Cti-Signature": signature(secret, timestamp, body)}
