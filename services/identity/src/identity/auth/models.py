"""Credentials around a user: signing keys and refresh tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Column, Index, String
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class SigningKey(SQLModel, table=True):
    """An asymmetric key pair; the JWKS publishes every key that is not retired."""

    __tablename__ = "signing_keys"

    kid: str = Field(primary_key=True, max_length=64)
    algorithm: str = Field(max_length=16)
    private_pem: str  # PKCS#8, encrypted with the service's passphrase
    public_jwk: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: dt.datetime = timestamp()
    retired_at: dt.datetime | None = timestamp(nullable=True)


class RefreshToken(SQLModel, table=True):
    """One refresh token; every use rotates it, a reuse revokes its whole family."""

    __tablename__ = "refresh_tokens"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    family_id: uuid.UUID = Field(index=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_at: dt.datetime = timestamp()
    expires_at: dt.datetime = timestamp()
    used_at: dt.datetime | None = timestamp(nullable=True)
    revoked_at: dt.datetime | None = timestamp(nullable=True)

    @property
    def spent(self) -> bool:
        """Used or revoked: presenting it again means it was stolen."""
        return self.used_at is not None or self.revoked_at is not None

    def use(self, at: dt.datetime) -> None:
        """Rotation: this token is spent, a new one of the family takes over."""
        self.used_at = at


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per account and per source address, and the lock they earn."""

    __tablename__ = "login_throttles"

    key: str = Field(primary_key=True, max_length=400)  # "pair:<email>|<address>", "ip:<address>", "account:<email>"
    failures: int = 0
    window_started_at: dt.datetime = timestamp()
    locked_until: dt.datetime | None = timestamp(nullable=True)


class PasswordReset(SQLModel, table=True):
    """A single-use, expiring password-reset token (only its hash is kept)."""

    __tablename__ = "password_resets"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    expires_at: dt.datetime = timestamp()
    used_at: dt.datetime | None = timestamp(nullable=True)
    created_at: dt.datetime = timestamp()

    def usable(self, now: dt.datetime) -> bool:
        return self.used_at is None and self.expires_at >= now


class ServiceAccount(SQLModel, table=True):
    """An integration's identity: scoped permissions, no password, API keys to obtain tokens."""

    __tablename__ = "service_accounts"
    __table_args__ = (Index("uq_service_accounts_name", "name", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    permissions: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String(100)), nullable=False))
    scopes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    is_active: bool = True
    # rises with every key revoked: the tokens issued before count no more (services compare it as a user's)
    authz_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()

    def deactivate(self) -> bool:
        """False when it already was (nothing to record); an account is never reactivated."""
        was, self.is_active = self.is_active, False
        return was


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    service_account_id: uuid.UUID = Field(foreign_key="service_accounts.id", index=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_at: dt.datetime = timestamp()
    last_used_at: dt.datetime | None = timestamp(nullable=True)
    revoked_at: dt.datetime | None = timestamp(nullable=True)

    def revoke(self, at: dt.datetime) -> bool:
        """Revoking twice keeps the first time; False then (nothing to record)."""
        was, self.revoked_at = self.revoked_at, self.revoked_at or at
        return was is None


class LoginAttempt(SQLModel, table=True):
    """One sign-in attempt not (yet) known to have succeeded, counted in a sliding window per key."""

    __tablename__ = "login_attempts"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    key: str = Field(max_length=400)  # a lockout key (see LoginThrottle) or a throttled action's
    at: dt.datetime = timestamp()
    # a sign-in whose password is still being checked; once settled, a failure
    under_way: bool = Field(default=False, sa_column_kwargs={"server_default": "false"})


class LoginSource(SQLModel, table=True):
    """An address an account signed in from: it keeps signing in while failures from elsewhere lock the account."""

    __tablename__ = "login_sources"
    __table_args__ = (Index("ix_login_sources_last_seen_at", "last_seen_at"),)

    key_hash: str = Field(primary_key=True, max_length=64)  # keyed hash of the email and the address
    last_seen_at: dt.datetime = timestamp()


class SecurityPolicy(SQLModel, table=True):
    """The organisation's sign-in policy, one row, changed by administrators."""

    __tablename__ = "security_settings"

    id: int = Field(default=1, primary_key=True)
    require_admin_totp: bool = False
    updated_by: uuid.UUID | None = None
    updated_at: dt.datetime = timestamp()
