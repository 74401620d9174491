"""What mail leaves behind: each inbound message once, the replies waiting to be sent, attachments."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, text
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column


class InboundMessage(SQLModel, table=True):
    """A mail taken in, by its Message-ID: a redelivered one changes nothing."""

    __tablename__ = "inbound_messages"

    message_id: str = Field(primary_key=True, max_length=500)
    outcome: str = Field(max_length=20)  # opened, replied, ignored
    ticket_id: uuid.UUID | None = None
    received_at: dt.datetime = timestamp()


class MailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutgoingMail(SQLModel, table=True):
    """A public reply's or a survey's mail, written with it (a mail outbox) and sent by the mail sender, once."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (
        Index("ix_outgoing_mail_due", "next_attempt_at", postgresql_where=text("status = 'pending'")),
        CheckConstraint("(entry_id IS NULL) <> (survey_id IS NULL)", name="reply_or_survey"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entry_id: uuid.UUID | None = Field(default=None, foreign_key="ticket_entries.id", unique=True)  # a reply's
    survey_id: uuid.UUID | None = Field(default=None, foreign_key="surveys.id", unique=True)  # a survey's
    ticket_id: uuid.UUID | None = Field(default=None, foreign_key="tickets.id", index=True)  # none: an NPS survey
    message_id: str = Field(max_length=500, unique=True)
    to_enc: str  # the customer's address, encrypted like every stored address
    subject: str = Field(max_length=300)
    in_reply_to: str | None = Field(default=None, max_length=500)
    references: str = Field(default="", max_length=10000)
    status: MailStatus = enum_column(MailStatus, MailStatus.PENDING)
    attempts: int = 0
    next_attempt_at: dt.datetime = timestamp()
    last_error: str | None = Field(default=None, max_length=200)  # the failure's kind, never the server's words
    sent_at: dt.datetime | None = timestamp(nullable=True)
    created_at: dt.datetime = timestamp()


class Attachment(SQLModel, table=True):
    """A file of a message, in or out, bounded in size and type by the settings."""

    __tablename__ = "ticket_attachments"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entry_id: uuid.UUID = Field(foreign_key="ticket_entries.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: dt.datetime = timestamp()
