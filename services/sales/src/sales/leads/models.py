"""Leads (线索) and the rules that assign and score them on arrival."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from crm_contracts.sales import LeadStatus
from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, strings

STATUSES = tuple(LeadStatus)
OPEN = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)


class ConversionStatus(StrEnum):
    NONE = "none"
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class Lead(SQLModel, table=True):
    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_owner_created", "owner_id", "created_at", "id"),
        Index("ix_leads_created", "created_at", "id"),
        Index("ix_leads_unassigned", "created_at", postgresql_where=text("owner_id IS NULL")),
        Index("ix_leads_email_hash", "email_hash"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    company: str = Field(max_length=200)
    contact_name: str = Field(max_length=100)
    title: str | None = Field(default=None, max_length=100)
    phone_enc: str | None = None
    phone_hash: str | None = Field(default=None, max_length=64)
    email_enc: str | None = None
    email_hash: str | None = Field(default=None, max_length=64)
    industry: str | None = Field(default=None, max_length=100)
    province: str | None = Field(default=None, max_length=50)
    city: str | None = Field(default=None, max_length=50)
    source: str = Field(default="manual", max_length=50, index=True)
    campaign_id: uuid.UUID | None = Field(default=None, index=True)
    notes: str = Field(default="", max_length=2000)
    status: LeadStatus = enum_column(LeadStatus, LeadStatus.NEW, 20, index=True)
    disqualify_reason: str | None = Field(default=None, max_length=500)
    score: int = 0
    activity_count: int = 0
    owner_id: uuid.UUID | None = None
    assigned_by_rule_id: uuid.UUID | None = None
    assigned_at: dt.datetime | None = timestamp(nullable=True)
    conversion_status: ConversionStatus = enum_column(ConversionStatus, ConversionStatus.NONE, 20)
    conversion_error: str | None = Field(default=None, max_length=500)
    account_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    opportunity_id: uuid.UUID | None = None
    converted_at: dt.datetime | None = timestamp(nullable=True)
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class LeadActivity(SQLModel, table=True):
    """A touch on a lead (call, email, meeting, note); touches raise the score and mark it contacted."""

    __tablename__ = "lead_activities"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    lead_id: uuid.UUID = Field(foreign_key="leads.id", index=True)
    kind: str = Field(max_length=20)
    note: str = Field(default="", max_length=2000)
    actor_id: uuid.UUID | None = None
    at: dt.datetime = timestamp()


METHODS = ("round_robin", "least_loaded", "fixed")


class AssignmentRule(SQLModel, table=True):
    """Leads matching the conditions (empty = any) go to one of the members, by the method; first rule wins."""

    __tablename__ = "assignment_rules"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    priority: int = 100
    method: str = Field(max_length=20)
    provinces: list[str] = strings(50)
    industries: list[str] = strings(100)
    sources: list[str] = strings(50)
    unit_id: uuid.UUID | None = None  # members: the unit's active users, unless listed
    member_ids: list[str] = strings(36)
    next_index: int = 0  # round-robin position
    active: bool = True
    created_at: dt.datetime = timestamp()


SCORE_FIELDS = ("source", "industry", "province", "city", "title", "email", "phone", "activities")


class ScoringRule(SQLModel, table=True):
    """`points` when `field` matches `value`: equality, a title containing it, contact data present,
    or at least `value` activities."""

    __tablename__ = "scoring_rules"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    field: str = Field(max_length=20)
    value: str = Field(default="", max_length=100)
    points: int
    created_at: dt.datetime = timestamp()


class FormSubmission(SQLModel, table=True):
    """Web-form arrivals per source address, for the rate limit."""

    __tablename__ = "form_submissions"
    __table_args__ = (Index("ix_form_submissions_address_at", "address_hash", "at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    address_hash: str = Field(max_length=64)
    at: dt.datetime = timestamp()


class QuarantinedSubmission(SQLModel, table=True):
    """A web-form submission taken for spam, kept 30 days so a manager can recover a real customer.

    The submission is sealed whole (it holds a phone or email); only what a reviewer scans is plain.
    """

    __tablename__ = "quarantined_submissions"
    __table_args__ = (Index("ix_quarantined_submissions_received", "received_at", "id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    company: str = Field(default="", max_length=200)
    contact_name: str = Field(default="", max_length=100)
    reason: str = Field(max_length=50)
    submission_enc: str
    received_at: dt.datetime = timestamp()
