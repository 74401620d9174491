"""SMS templates, a campaign's text as it was sent, and one send row per recipient and step (the texts' outbox)."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, json_value
from marketing.sending.models import SendStatus


class SmsKind(StrEnum):
    MARKETING = "marketing"  # must offer 回T退订 and honours quiet hours and caps
    NOTIFICATION = "notification"


class SmsTemplate(SQLModel, table=True):
    """A text registered with the provider under `provider_code`; `${name}` parameters are filled per recipient."""

    __tablename__ = "sms_templates"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    kind: SmsKind = enum_column(SmsKind, SmsKind.MARKETING)
    provider_code: str = Field(max_length=50)  # Aliyun's TemplateCode, Tencent's TemplateId
    signature: str = Field(max_length=30)  # 【签名】 as the text shows it; the provider gets what is inside
    content: str = Field(max_length=500)
    params: list[dict[str, Any]] = json_value()  # [{"name": ..., "value": "{{ contact.name }}"}], content order
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class SmsContent(SQLModel, table=True):
    """The template as it was when the campaign was sent: every text of the campaign uses it."""

    __tablename__ = "sms_contents"

    campaign_id: uuid.UUID = Field(foreign_key="campaigns.id", primary_key=True)
    template_id: uuid.UUID = Field(foreign_key="sms_templates.id")
    kind: SmsKind = enum_column(SmsKind, SmsKind.MARKETING)
    provider_code: str = Field(max_length=50)
    signature: str = Field(max_length=30)
    content: str = Field(max_length=500)
    params: list[dict[str, Any]] = json_value()


class SmsSend(SQLModel, table=True):
    """Written when the campaign (or a journey's step) is sent; `next_attempt_at` is also the not-before time
    that quiet hours set. Its id is the provider's idempotency key (`OutId`, `SessionContext`)."""

    __tablename__ = "sms_sends"
    __table_args__ = (
        UniqueConstraint("campaign_id", "contact_id", "step", name="uq_sms_sends_recipient"),
        Index("ix_sms_sends_due", "next_attempt_at", postgresql_where=text("status = 'queued'")),
        Index("ix_sms_sends_contact", "contact_id", "sent_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaigns.id", index=True)
    step: str = Field(default="campaign", max_length=50)
    contact_id: uuid.UUID
    phone_enc: str
    status: SendStatus = enum_column(SendStatus, SendStatus.QUEUED)
    attempts: int = 0
    next_attempt_at: dt.datetime = timestamp()
    provider: str = Field(default="", max_length=20)
    provider_id: str | None = Field(default=None, max_length=100, index=True)  # BizId, SerialNo
    last_error: str | None = Field(default=None, max_length=200)
    sent_at: dt.datetime | None = timestamp(nullable=True)
    delivered_at: dt.datetime | None = timestamp(nullable=True)
    report: str | None = Field(default=None, max_length=50)  # the delivery receipt's code
    # a journey's text: the template as it was queued (a campaign's texts share their SmsContent)
    content: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    created_at: dt.datetime = timestamp()
