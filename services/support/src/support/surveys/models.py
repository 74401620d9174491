"""Surveys sent to an account's contacts and their answers, and the follow-up tasks low scores ask for."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column


class SurveyKind(StrEnum):
    CSAT = "csat"  # 1–5 after a ticket is resolved, with an optional effort question (CES, 1–7)
    NPS = "nps"  # 0–10, the relationship survey


class FollowUp(StrEnum):
    NONE = "none"
    REOPENED = "reopened"  # a low CSAT within the reopen window reopened the ticket
    TASK = "task"  # a task for the account's owner, created in customer


class TaskDelivery(StrEnum):
    PENDING = "pending"
    CREATED = "created"


SCALES = {SurveyKind.CSAT: (1, 5), SurveyKind.NPS: (0, 10)}
EFFORT = (1, 7)


class Survey(SQLModel, table=True):
    __tablename__ = "surveys"
    __table_args__ = (
        Index("ix_surveys_account_kind_answered", "account_id", "kind", "answered_at"),
        Index("ix_surveys_contact_kind_sent", "contact_id", "kind", "sent_at"),
        Index("ix_surveys_answered", "answered_at", postgresql_where=text("answered_at IS NOT NULL")),
        UniqueConstraint("ticket_id", "resolved_at", name="uq_surveys_ticket_resolution"),  # one per resolution
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: SurveyKind = enum_column(SurveyKind, SurveyKind.CSAT)
    ticket_id: uuid.UUID | None = Field(default=None, foreign_key="tickets.id")
    resolved_at: dt.datetime | None = timestamp(nullable=True)  # the resolution a CSAT survey follows
    account_id: uuid.UUID
    contact_id: uuid.UUID | None = None
    sent_at: dt.datetime = timestamp()
    expires_at: dt.datetime = timestamp()
    answered_at: dt.datetime | None = timestamp(nullable=True)
    score: int | None = None
    effort: int | None = None
    comment: str | None = Field(default=None, max_length=2000)
    follow_up: FollowUp = enum_column(FollowUp, FollowUp.NONE)


class FollowUpTask(SQLModel, table=True):
    """A task customer is asked to create for the account's owner; a scheduled job delivers it."""

    __tablename__ = "survey_follow_ups"
    __table_args__ = (Index("ix_survey_follow_ups_pending", "created_at", postgresql_where=text("task_id IS NULL")),)

    survey_id: uuid.UUID = Field(foreign_key="surveys.id", primary_key=True)
    account_id: uuid.UUID
    assignee_id: uuid.UUID
    title: str = Field(max_length=200)
    notes: str = Field(default="", max_length=5000)
    due_at: dt.datetime = timestamp()
    task_id: uuid.UUID | None = None  # customer's task, once created
    attempts: int = 0
    created_at: dt.datetime = timestamp()
