"""Users: who can sign in, with which roles, in which organisation unit."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Column, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(sa_column=Column(String(320), unique=True, nullable=False))
    display_name: str = Field(max_length=200)
    password_hash: str
    roles: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String(64)), nullable=False))
    org_unit_id: uuid.UUID | None = Field(default=None, foreign_key="org_units.id", index=True)
    is_active: bool = True
    # rises with every change of roles, unit or status: tokens issued before it are refused everywhere
    authz_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    totp_secret_enc: str | None = None  # Fernet-encrypted base32 secret
    totp_enabled: bool = False
    deactivated_at: dt.datetime | None = timestamp(nullable=True)
    password_changed_at: dt.datetime = timestamp()
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()

    def grants_changed(self, at: dt.datetime) -> None:
        """Roles, unit or status changed: every token issued so far stops counting."""
        self.authz_version += 1
        self.updated_at = at

    def set_active(self, active: bool, at: dt.datetime) -> bool:
        """Deactivate or reactivate; False when the user already was so (nothing to record)."""
        if self.is_active == active:
            return False
        self.grants_changed(at)
        self.is_active = active
        self.deactivated_at = None if active else at
        self.updated_at = at
        return True
