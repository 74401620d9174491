"""Journeys' tables: the definition and its published versions, each person's enrolment (its position and
its timer), the steps each enrolment went through, and what waits to be handed to customer and sales."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, json_value


class JourneyStatus(StrEnum):
    DRAFT = "draft"  # never published
    LIVE = "live"  # people enter its latest version


class EnrolmentState(StrEnum):
    ACTIVE = "active"  # due to take its current step
    WAITING = "waiting"  # at a wait step until `due_at` (or the awaited event)
    FINISHED = "finished"
    EXITED = "exited"


class Journey(SQLModel, table=True):
    __tablename__ = "journeys"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    campaign_id: uuid.UUID = Field(foreign_key="campaigns.id", index=True)  # its mail counts for the campaign
    status: JourneyStatus = enum_column(JourneyStatus, JourneyStatus.DRAFT)
    draft: dict[str, Any] = json_value(dict)  # the definition being edited
    live_version: int | None = None
    created_by: uuid.UUID
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class JourneyVersion(SQLModel, table=True):
    """A published definition, never changed: people who entered it finish it."""

    __tablename__ = "journey_versions"
    __table_args__ = (UniqueConstraint("journey_id", "version", name="uq_journey_versions_version"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    journey_id: uuid.UUID = Field(foreign_key="journeys.id")
    version: int
    definition: dict[str, Any] = json_value(dict)
    published_by: uuid.UUID
    published_at: dt.datetime = timestamp()


class JourneyContent(SQLModel, table=True):
    """An email step's template as it was when the version was published: its mails render this."""

    __tablename__ = "journey_contents"

    version_id: uuid.UUID = Field(foreign_key="journey_versions.id", primary_key=True)
    step: str = Field(max_length=40, primary_key=True)
    subject: str = Field(max_length=300)
    html: str = Field(max_length=100_000)
    text: str = Field(max_length=50_000)
    links: list[str] = json_value()


class Enrolment(SQLModel, table=True):
    """One person in one journey: where they are and, while they wait, when they go on (the durable timer)."""

    __tablename__ = "journey_enrolments"
    __table_args__ = (
        UniqueConstraint("journey_id", "person_id", name="uq_journey_enrolments_person"),
        Index("ix_journey_enrolments_due", "due_at", postgresql_where=text("state IN ('active', 'waiting')")),
        Index("ix_journey_enrolments_position", "journey_id", "state", "step"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    journey_id: uuid.UUID = Field(foreign_key="journeys.id")
    version_id: uuid.UUID = Field(foreign_key="journey_versions.id")
    person_id: uuid.UUID = Field(index=True)  # a contact, or a lead for journeys that start from leads
    person_kind: str = Field(max_length=10)
    step: str = Field(max_length=40)
    state: EnrolmentState = enum_column(EnrolmentState, EnrolmentState.ACTIVE)
    due_at: dt.datetime | None = timestamp(nullable=True)
    event_seen: bool = False  # the event the current wait step waits for arrived
    seq: int = 0  # steps taken so far: the key of the next one's run
    data: dict[str, Any] = json_value(dict)  # the event that enrolled the person (branches test its fields)
    goal_at: dt.datetime | None = timestamp(nullable=True)
    entered_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
    ended_at: dt.datetime | None = timestamp(nullable=True)


class StepRun(SQLModel, table=True):
    """A step an enrolment took, once: the primary key is what makes a repeat impossible."""

    __tablename__ = "journey_step_runs"

    enrolment_id: uuid.UUID = Field(foreign_key="journey_enrolments.id", primary_key=True)
    seq: int = Field(primary_key=True)
    step: str = Field(max_length=40)
    outcome: str = Field(max_length=30)  # done, waiting, skipped, goal, exited...
    send_id: uuid.UUID | None = None  # an email step's mail
    due_at: dt.datetime | None = timestamp(nullable=True)  # when the step was due (a timer's due time)
    at: dt.datetime = timestamp()


class ContactTag(SQLModel, table=True):
    """Tags journeys put on contacts, kept in marketing (segments may select on them)."""

    __tablename__ = "journey_contact_tags"

    contact_id: uuid.UUID = Field(primary_key=True)
    tag: str = Field(max_length=50, primary_key=True)
    journey_id: uuid.UUID | None = None
    tagged_at: dt.datetime = timestamp()


class ActionKind(StrEnum):
    TASK = "task"
    LEAD = "lead"


class HandOver(SQLModel, table=True):
    """A task for customer or a lead for sales, created by a scheduled job, once per enrolment step."""

    __tablename__ = "journey_handovers"
    __table_args__ = (UniqueConstraint("enrolment_id", "seq", name="uq_journey_handovers_run"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    enrolment_id: uuid.UUID = Field(foreign_key="journey_enrolments.id")
    seq: int
    kind: ActionKind = enum_column(ActionKind, ActionKind.TASK)
    payload: dict[str, Any] = json_value(dict)
    remote_id: uuid.UUID | None = None  # the task's or lead's id once created
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=200)
    created_at: dt.datetime = timestamp()
