"""Sensitive personal fields: encrypted at rest, found again through a keyed hash.

The key comes from `CRM_FIELD_ENCRYPTION_KEY` (`PlatformSettings.field_encryption_key`); the
development default is fixed so a local database stays readable across restarts, and production
refuses to start on it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.fernet import Fernet

from crm_shared.config import DEV_FIELD_KEY


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    root = hashlib.sha256(secret.encode()).digest()
    encryption = hmac.new(root, b"encrypt", hashlib.sha256).digest()
    lookup = hmac.new(root, b"lookup", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(encryption)), lookup


def _secret() -> str:
    return os.environ.get("CRM_FIELD_ENCRYPTION_KEY") or DEV_FIELD_KEY


def encrypt(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    return _keys(_secret())[0].encrypt(value.encode()).decode()


def decrypt(token: str | None) -> str | None:
    if token is None:
        return None
    return _keys(_secret())[0].decrypt(token.encode()).decode()


def seal(data: bytes) -> bytes:
    """Bytes encrypted under the field key (stored responses that may hold personal data)."""
    return _keys(_secret())[0].encrypt(data)


def unseal(token: bytes) -> bytes:
    return _keys(_secret())[0].decrypt(token)


def lookup_hash(value: str | None) -> str | None:
    """Deterministic keyed hash of a normalised value, for exact-match search without the plaintext."""
    if value is None or value == "":
        return None
    return hmac.new(_keys(_secret())[1], value.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=16)
def _signing_key(secret: str, purpose: str) -> bytes:
    root = hashlib.sha256(secret.encode()).digest()
    return hmac.new(root, f"sign:{purpose}".encode(), hashlib.sha256).digest()


def sign(data: bytes, purpose: str) -> bytes:
    """A MAC of `data` under a key of its own per `purpose`, derived from the field key (signed links)."""
    return hmac.new(_signing_key(_secret(), purpose), data, hashlib.sha256).digest()


def signed_by_us(data: bytes, mac: bytes, purpose: str, length: int = 32) -> bool:
    """Whether `mac` (its first `length` bytes, when shortened) is ours for `data`, compared in constant time."""
    return hmac.compare_digest(sign(data, purpose)[:length], mac)
