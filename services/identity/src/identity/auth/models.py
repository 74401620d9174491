"""Credentials around a user: signing keys and refresh tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from crm_shared.db import timestamp
from sqlalchemy import Column, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


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
