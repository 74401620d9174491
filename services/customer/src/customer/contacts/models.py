"""Contacts: people at accounts, with a role there; phone, email and ID number encrypted at rest."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Column, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp

ROLES = ("decision_maker", "buyer", "influencer", "user", "technical", "finance", "other")


class Contact(SQLModel, table=True):
    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_account", "account_id", "name"),
        Index("ix_contacts_phone_hash", "phone_hash"),
        Index("ix_contacts_email_hash", "email_hash"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID | None = Field(default=None, foreign_key="accounts.id")
    name: str = Field(max_length=100)
    title: str | None = Field(default=None, max_length=100)
    role: str = Field(default="other", max_length=20)
    phone_enc: str | None = None
    phone_hash: str | None = Field(default=None, max_length=64)
    email_enc: str | None = None
    email_hash: str | None = Field(default=None, max_length=64)
    id_number_enc: str | None = None
    custom: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    owner_id: uuid.UUID | None = None
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
    deleted_at: dt.datetime | None = timestamp(nullable=True)


class ContactAccountLink(SQLModel, table=True):
    """A contact's role at a further account (a consultant advising several customers, a group buyer)."""

    __tablename__ = "contact_account_links"
    __table_args__ = (Index("ix_contact_account_links_pair", "contact_id", "account_id", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    contact_id: uuid.UUID = Field(foreign_key="contacts.id")
    account_id: uuid.UUID = Field(foreign_key="accounts.id", index=True)
    role: str = Field(default="other", max_length=20)
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
