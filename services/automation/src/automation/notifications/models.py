"""Each user's notifications and what they want to get, by kind and channel."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column


class Kind(StrEnum):
    WORKFLOW = "workflow"  # sent by a workflow rule
    WEBHOOK = "webhook"  # a webhook subscription was switched off
    SYSTEM = "system"
    APPROVAL = "approval"  # something waits on one's approval, or one's request was decided


class MailState(StrEnum):
    NONE = "none"
    PENDING = "pending"
    SENT = "sent"


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_inbox", "user_id", "created_at", "id"),
        Index("ix_notifications_mail", "mail_state", "created_at"),
        Index(
            "ix_notifications_digest",
            "user_id",
            "created_at",
            postgresql_where=text("in_digest IS true AND read_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID  # whose inbox
    kind: Kind = enum_column(Kind, Kind.SYSTEM)
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=2000)
    link: str | None = Field(default=None, max_length=500)
    in_app: bool = True  # shown in the inbox (a user may want some kinds by mail only)
    mail_state: MailState = enum_column(MailState, MailState.NONE)
    in_digest: bool = False  # goes into the user's next daily digest
    run_id: uuid.UUID | None = None  # the workflow run that sent it
    read_at: dt.datetime | None = timestamp(nullable=True)
    created_at: dt.datetime = timestamp()


class Preference(SQLModel, table=True):
    """What a user wants of one kind; without a row: in-app only."""

    __tablename__ = "notification_preferences"

    user_id: uuid.UUID = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=20)  # a Kind
    in_app: bool = True
    email: bool = False
    digest: bool = False
    updated_at: dt.datetime = timestamp()


class DigestSent(SQLModel, table=True):
    """The day each user's digest last went out, so it goes once a day."""

    __tablename__ = "notification_digests"

    user_id: uuid.UUID = Field(primary_key=True)
    sent_on: dt.date
