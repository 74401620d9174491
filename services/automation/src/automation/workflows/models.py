"""Workflows, their published versions, runs with their step ledger, durable timers and records' last state."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, Identity, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, json_value


class WorkflowStatus(StrEnum):
    DRAFT = "draft"  # never published
    ACTIVE = "active"  # its latest version reacts to triggers
    DISABLED = "disabled"


class RunStatus(StrEnum):
    RUNNING = "running"
    WAITING = "waiting"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class TimerKind(StrEnum):
    ADVANCE = "advance"  # go on with a run (a wait is over, a step is retried, a run was started)
    TIMEOUT = "timeout"  # a wait for an event is over without it
    CRON = "cron"  # start a run of a scheduled workflow
    DATE = "date"  # start a run relative to a record's date field
    APPROVAL = "approval"  # an approval level's reminder or escalation (`subject` is the approval's id)


class Workflow(SQLModel, table=True):
    __tablename__ = "workflows"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    description: str = Field(default="", max_length=2000)
    draft: dict[str, Any] = json_value(dict)
    status: WorkflowStatus = enum_column(WorkflowStatus, WorkflowStatus.DRAFT)
    version: int = 0  # the latest published version; 0 before the first
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class WorkflowVersion(SQLModel, table=True):
    """A published definition; runs keep the version they began with."""

    __tablename__ = "workflow_versions"
    __table_args__ = (
        UniqueConstraint("workflow_id", "version", name="uq_workflow_versions_workflow_version"),
        Index("ix_workflow_versions_trigger", "trigger_topic", "trigger_type", "active"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    workflow_id: uuid.UUID = Field(foreign_key="workflows.id")
    version: int
    definition: dict[str, Any] = json_value(dict)
    trigger_kind: str = Field(max_length=10)
    trigger_topic: str | None = Field(default=None, max_length=200)
    trigger_type: str | None = Field(default=None, max_length=200)
    active: bool = True
    published_by: uuid.UUID | None = None
    published_at: dt.datetime = timestamp()


class WorkflowRun(SQLModel, table=True):
    __tablename__ = "workflow_runs"
    __table_args__ = (
        # one run per version and triggering event, however often the event is delivered
        UniqueConstraint("version_id", "trigger_key", name="uq_workflow_runs_version_trigger"),
        Index("ix_workflow_runs_workflow", "workflow_id", "seq"),
        Index("ix_workflow_runs_waiting", "status", "wait_topic", "wait_type"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    seq: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), nullable=False, unique=True))
    workflow_id: uuid.UUID = Field(foreign_key="workflows.id")
    version_id: uuid.UUID = Field(foreign_key="workflow_versions.id")
    version: int
    trigger_key: str = Field(max_length=200)  # the event's id, or the scheduled time
    subject: str | None = Field(default=None, max_length=200)
    context: dict[str, Any] = json_value(dict)  # event, previous, subject, steps
    status: RunStatus = enum_column(RunStatus, RunStatus.RUNNING)
    current_step: str | None = Field(default=None, max_length=40)
    wait_topic: str | None = Field(default=None, max_length=200)
    wait_type: str | None = Field(default=None, max_length=200)
    error: str | None = Field(default=None, max_length=2000)
    # runs in its chain: 1 when an event from outside started it, one more than the run whose call caused its event
    depth: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    started_at: dt.datetime = timestamp()
    finished_at: dt.datetime | None = timestamp(nullable=True)


class RunStep(SQLModel, table=True):
    """The step ledger: a step done is written with its effect, in one transaction, and never done again."""

    __tablename__ = "workflow_run_steps"
    __table_args__ = (UniqueConstraint("run_id", "step_id", name="uq_workflow_run_steps_run_step"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    seq: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), nullable=False))  # log order
    run_id: uuid.UUID = Field(foreign_key="workflow_runs.id", index=True)
    step_id: str = Field(max_length=40)
    action: str = Field(max_length=20)
    status: str = Field(max_length=10)  # done, retrying, failed
    result: dict[str, Any] = json_value(dict)
    error: str | None = Field(default=None, max_length=2000)
    attempts: int = 0
    started_at: dt.datetime = timestamp()
    finished_at: dt.datetime | None = timestamp(nullable=True)


class Timer(SQLModel, table=True):
    __tablename__ = "workflow_timers"
    __table_args__ = (Index("ix_workflow_timers_due", "due_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    due_at: dt.datetime = timestamp()
    kind: TimerKind = enum_column(TimerKind, TimerKind.ADVANCE)
    run_id: uuid.UUID | None = Field(default=None, index=True)
    version_id: uuid.UUID | None = Field(default=None, index=True)
    subject: str | None = Field(default=None, max_length=200)
    payload: dict[str, Any] = json_value(dict)


class RecordState(SQLModel, table=True):
    """The last fields seen of each record, so a condition can ask what a field changed from."""

    __tablename__ = "record_states"

    topic: str = Field(primary_key=True, max_length=200)
    subject: str = Field(primary_key=True, max_length=200)
    data: dict[str, Any] = json_value(dict)
    updated_at: dt.datetime = timestamp()
