"""Activities on an account's timeline: calls, emails, meetings, visits and notes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Column, Index, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp

KINDS = ("call", "email", "meeting", "visit", "note")


class Activity(SQLModel, table=True):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_account_time", "account_id", "occurred_at", "id"),
        Index("ix_activities_contact_time", "contact_id", "occurred_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID = Field(foreign_key="accounts.id")
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contacts.id")
    kind: str = Field(max_length=20)
    subject: str = Field(max_length=200)
    content: str = Field(default="", max_length=10000)
    outcome: str | None = Field(default=None, max_length=500)
    participants: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String(100)), nullable=False))
    link: str | None = Field(default=None, max_length=2000)  # a call's recording, a mail in the archive
    thread_id: str | None = Field(default=None, max_length=200, index=True)  # one mail conversation
    duration_seconds: int | None = None  # a call's talking time
    occurred_at: dt.datetime = timestamp()
    owner_id: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
