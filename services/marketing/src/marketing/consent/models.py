"""Consent records (append-only: the latest per contact and channel decides) and the do-not-contact list."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column
from marketing.consent.rules import Channel


class ConsentRecord(SQLModel, table=True):
    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_records_latest", "contact_id", "channel", "recorded_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    contact_id: uuid.UUID
    channel: Channel = enum_column(Channel, Channel.EMAIL, length=10)
    granted: bool
    source: str = Field(max_length=50)  # form, import, manual, unsubscribe_link, ...
    note: str = Field(default="", max_length=500)
    recorded_by: uuid.UUID | None = None  # none: the contact themselves (a link they followed)
    recorded_at: dt.datetime = timestamp()


class DoNotContact(SQLModel, table=True):
    __tablename__ = "do_not_contact"

    contact_id: uuid.UUID = Field(primary_key=True)
    reason: str = Field(default="", max_length=500)
    added_by: uuid.UUID | None = None
    added_at: dt.datetime = timestamp()
