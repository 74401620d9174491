"""One row per campaign and recipient: the mail's outbox, its delivery and what the recipient did."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, json_value


class SendStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # the contact reached the frequency cap before it went


class CampaignSend(SQLModel, table=True):
    """Written when the campaign is sent, all rows in one transaction; sent by the sender job, once."""

    __tablename__ = "campaign_sends"
    __table_args__ = (
        # a campaign mails each recipient once; a journey once per enrolment and step taken
        Index(
            "uq_campaign_sends_recipient",
            "campaign_id",
            "contact_id",
            unique=True,
            postgresql_where=text("enrolment_id IS NULL"),
        ),
        Index(
            "uq_campaign_sends_journey_step",
            "enrolment_id",
            "journey_seq",
            unique=True,
            postgresql_where=text("enrolment_id IS NOT NULL"),
        ),
        Index("ix_campaign_sends_due", "next_attempt_at", postgresql_where=text("status = 'queued'")),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaigns.id", index=True)
    contact_id: uuid.UUID = Field(index=True)
    to_enc: str  # the address as the contact's event brought it, encrypted under the suite's field key
    message_id: str = Field(max_length=200, unique=True)  # the same on a resend after a crash
    status: SendStatus = enum_column(SendStatus, SendStatus.QUEUED)
    attempts: int = 0
    next_attempt_at: dt.datetime = timestamp()
    last_error: str | None = Field(default=None, max_length=200)  # the failure's kind, never the server's words
    sent_at: dt.datetime | None = timestamp(nullable=True)
    opened_at: dt.datetime | None = timestamp(nullable=True)
    clicked_at: dt.datetime | None = timestamp(nullable=True)
    unsubscribed_at: dt.datetime | None = timestamp(nullable=True)
    created_at: dt.datetime = timestamp()
    enrolment_id: uuid.UUID | None = None  # a journey's mail: its enrolment and step (`journey_step_runs.seq`)
    journey_seq: int | None = None


class CampaignContent(SQLModel, table=True):
    """The template's variant as it was when the campaign was sent: every mail of the campaign renders it,
    and its links are the only ones the click redirect follows, whatever later edits do to the template."""

    __tablename__ = "campaign_contents"

    campaign_id: uuid.UUID = Field(foreign_key="campaigns.id", primary_key=True)
    subject: str = Field(max_length=300)
    html: str = Field(max_length=100_000)
    text: str = Field(max_length=50_000)
    links: list[str] = json_value()
