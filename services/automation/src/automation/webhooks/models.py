"""Webhook subscriptions and the log of their deliveries."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, json_value, strings


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # given up after the last attempt (a replay sends it again)


class WebhookSubscription(SQLModel, table=True):
    __tablename__ = "webhook_subscriptions"
    __table_args__ = (Index("uq_webhook_subscriptions_name", "name", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    url: str = Field(max_length=2000)
    secret: str = Field(max_length=200)  # whsec_...: shown to those who manage webhooks, to verify signatures
    event_types: list[str] = strings(200)
    filters: list[dict[str, Any]] = json_value(list)
    enabled: bool = True
    failures_in_row: int = 0
    disabled_at: dt.datetime | None = timestamp(nullable=True)
    owner_id: uuid.UUID | None = None  # who created it: told when it is switched off
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class WebhookDelivery(SQLModel, table=True):
    """One message to one subscription; its `message_id` is the `webhook-id` of every attempt and replay."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_log", "subscription_id", "created_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    subscription_id: uuid.UUID = Field(foreign_key="webhook_subscriptions.id")
    message_id: str = Field(max_length=100)
    event_type: str = Field(max_length=200)
    payload: dict[str, Any] = json_value(dict)
    status: DeliveryStatus = enum_column(DeliveryStatus, DeliveryStatus.PENDING)
    attempts: int = 0
    next_attempt_at: dt.datetime = timestamp()
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    replay_of: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    delivered_at: dt.datetime | None = timestamp(nullable=True)
