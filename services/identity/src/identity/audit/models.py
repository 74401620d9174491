"""The audit log: append-only (a trigger refuses UPDATE and DELETE) and hash-chained."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Identity, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


class AuditRecord(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor_seq", "actor_id", "seq"),
        Index("ix_audit_log_entity_seq", "entity_type", "entity_id", "seq"),
        Index("ix_audit_log_action_seq", "action", "seq"),
        Index("ix_audit_log_at", "at"),
    )

    seq: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    event_id: uuid.UUID = Field(unique=True)
    actor_id: uuid.UUID | None = None
    on_behalf_of: str | None = Field(default=None, max_length=200)
    action: str = Field(max_length=100)
    entity_type: str = Field(max_length=100)
    entity_id: str | None = Field(default=None, max_length=200)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    request_id: str | None = Field(default=None, max_length=100)  # the service's own id for the request
    client_request_id: str | None = Field(default=None, max_length=64)  # what the client sent, sanitised
    trace_id: str | None = Field(default=None, max_length=32)
    service: str = Field(max_length=50)
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False))
