"""TOTP second factor (RFC 6238): secrets encrypted at rest, codes accepted one step either side."""

from __future__ import annotations

import pyotp

from crm_shared.crypto import decrypt, encrypt
from crm_shared.errors import DomainError

ISSUER = "CRM"


class TotpRequired(DomainError):
    code, status, key = "TOTP_REQUIRED", 401, "totp_required"


def new_secret() -> tuple[str, str]:
    """A fresh secret in clear (shown once to the user) and encrypted (stored)."""
    secret = pyotp.random_base32()
    return secret, encrypt(secret) or ""


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def verify(secret_enc: str | None, code: str | None) -> bool:
    secret = decrypt(secret_enc)
    return bool(secret and code and pyotp.TOTP(secret).verify(code.strip(), valid_window=1))
