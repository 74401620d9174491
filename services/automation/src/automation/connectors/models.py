"""What the connectors keep: every input once (replays are known), the call log, logging addresses, logged mail."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column


class Connector(StrEnum):
    TELEPHONY = "telephony"
    ERP = "erp"
    EMAIL = "email"


class Outcome(StrEnum):
    APPLIED = "applied"  # acted on in customer or sales
    UNMATCHED = "unmatched"  # kept: no contact had the number or address
    FAILED = "failed"  # refused or not reachable; the error is kept, a resend is tried again


class ConnectorInput(SQLModel, table=True):
    """One input of a connector by its own key (a call's event, an ERP document, a mail): a replay is known."""

    __tablename__ = "connector_inputs"
    __table_args__ = (
        UniqueConstraint("connector", "key"),
        Index("ix_connector_inputs_outcome", "connector", "outcome"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    connector: Connector = enum_column(Connector, Connector.TELEPHONY, 20)
    key: str = Field(max_length=300)
    kind: str = Field(max_length=50)
    outcome: Outcome = enum_column(Outcome, Outcome.APPLIED, 20)
    error: str | None = Field(default=None, max_length=2000)
    attempts: int = 1
    received_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class CallStatus(StrEnum):
    REQUESTED = "requested"  # click-to-call sent to the CTI
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"
    MISSED = "missed"  # ended without being answered


class Call(SQLModel, table=True):
    """The call log; the customer's number is personal data, kept encrypted with a hash to find it."""

    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_started", "started_at", "id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    call_id: str = Field(max_length=100, unique=True)  # the CTI's
    direction: str = Field(default="outbound", max_length=10)  # inbound, outbound
    number_enc: str | None = None  # the customer's side
    number_hash: str | None = Field(default=None, max_length=64, index=True)
    agent_id: uuid.UUID | None = Field(default=None, index=True)
    status: CallStatus = enum_column(CallStatus, CallStatus.RINGING, 20)
    started_at: dt.datetime = timestamp()
    answered_at: dt.datetime | None = timestamp(nullable=True)
    ended_at: dt.datetime | None = timestamp(nullable=True)
    duration_seconds: int | None = None
    recording_url: str | None = Field(default=None, max_length=2000)
    contact_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    activity_id: uuid.UUID | None = None
    task_id: uuid.UUID | None = None
    updated_at: dt.datetime = timestamp()


class LoggingAddress(SQLModel, table=True):
    """A user's personal logging address: `log+<token>@<domain>`."""

    __tablename__ = "mail_logging_addresses"

    user_id: uuid.UUID = Field(primary_key=True)
    token: str = Field(max_length=40, unique=True)
    created_at: dt.datetime = timestamp()


class LoggedMail(SQLModel, table=True):
    """A mail taken in for a user; its addresses are personal data, kept encrypted."""

    __tablename__ = "logged_mails"
    __table_args__ = (
        UniqueConstraint("user_id", "message_id"),
        Index("ix_logged_mails_user_time", "user_id", "received_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID
    message_id: str = Field(max_length=500)
    thread_id: str = Field(max_length=500, index=True)
    subject: str = Field(default="", max_length=200)
    addresses_enc: str  # From, To and Cc, as JSON
    sent_at: dt.datetime = timestamp()
    matched: int = 0  # contacts it was logged on; 0: kept for the user to see
    received_at: dt.datetime = timestamp()
