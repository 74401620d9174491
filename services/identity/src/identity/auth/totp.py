"""TOTP second factor (RFC 6238): secrets encrypted at rest, codes accepted one step either side."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from crm_shared import audit, crypto
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput, DomainError, Unauthenticated
from identity.auth.throttle import Throttle
from identity.settings import IdentitySettings
from identity.users.models import User

ISSUER = "CRM"


class TotpRequired(DomainError):
    code, status, key = "TOTP_REQUIRED", 401, "totp_required"


class TotpCipher:
    """Identity's own key for TOTP secrets, so no other service's key can read them."""

    def __init__(self, secret: str) -> None:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"crm identity totp secrets")
        self.fernet = Fernet(base64.urlsafe_b64encode(hkdf.derive(secret.encode())))

    @classmethod
    def of(cls, settings: IdentitySettings) -> TotpCipher:
        return cls(settings.totp_encryption_key or settings.signing_key_passphrase)

    def new_secret(self) -> tuple[str, str]:
        """A fresh secret in clear (shown once to the user) and encrypted (stored)."""
        secret = pyotp.random_base32()
        return secret, self.fernet.encrypt(secret.encode()).decode()

    def decrypt(self, stored: str) -> str | None:
        try:
            return self.fernet.decrypt(stored.encode()).decode()
        except InvalidToken:
            pass
        try:  # secrets enrolled before identity had its own key
            return crypto.decrypt(stored)
        except InvalidToken:
            return None

    def verify(self, stored: str | None, code: str | None) -> bool:
        secret = self.decrypt(stored) if stored else None
        return bool(secret and code and pyotp.TOTP(secret).verify(code.strip(), valid_window=1))


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


async def enroll(uow: UnitOfWork, principal: Principal, cipher: TotpCipher) -> tuple[str, str]:
    """A new secret and its otpauth:// URI; sign-in needs codes once `set_enabled` accepts one."""
    secret, encrypted = cipher.new_secret()
    user = await uow.session.get(User, principal.user_id, with_for_update=True)
    if user is None:
        raise Unauthenticated()
    if user.totp_enabled:
        raise BadInput("totp_enabled", field="totp")
    user.totp_secret_enc = encrypted
    await audit.record(uow, "auth.totp_enrolled", "User", user.id)
    return secret, provisioning_uri(secret, user.email)


@dataclass(frozen=True)
class TotpChange:
    """What turning the factor on or off needs besides the code: the key, the throttle, the caller's address."""

    cipher: TotpCipher
    throttle: Throttle
    source: str


async def set_enabled(uow: UnitOfWork, principal: Principal, change: TotpChange, code: str, enabled: bool) -> None:
    """Turn the factor on or off; either needs a current code from the authenticator, tried a few times at most."""
    await change.throttle.count(uow, "totp", str(principal.user_id), change.source)
    cipher = change.cipher
    user = await uow.session.get(User, principal.user_id, with_for_update=True)
    if user is None or user.totp_secret_enc is None:
        raise BadInput("totp_not_enrolled", field="code")
    if not cipher.verify(user.totp_secret_enc, code):
        raise BadInput("totp_invalid", field="code")
    before = user.totp_enabled
    user.totp_enabled = enabled
    if not enabled:
        user.totp_secret_enc = None
    action = "auth.totp_enabled" if enabled else "auth.totp_disabled"
    await audit.record(uow, action, "User", user.id, {"totp": before}, {"totp": enabled})
