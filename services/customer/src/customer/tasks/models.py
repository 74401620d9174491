"""Follow-up tasks with a due time and a durable reminder."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Index, String, text
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp, utcnow
from crm_shared.errors import Conflict


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class Task(SQLModel, table=True):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_assignee_due", "assignee_id", "status", "due_at"),
        Index("ix_tasks_reminder_pending", "remind_at", postgresql_where=text("reminder_sent_at IS NULL")),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID | None = Field(default=None, foreign_key="accounts.id", index=True)
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contacts.id")
    title: str = Field(max_length=200)
    notes: str = Field(default="", max_length=5000)
    due_at: dt.datetime = timestamp()
    remind_at: dt.datetime | None = timestamp(nullable=True)
    reminder_sent_at: dt.datetime | None = timestamp(nullable=True)
    assignee_id: uuid.UUID
    status: TaskStatus = Field(default=TaskStatus.OPEN, sa_type=String(10))
    completed_at: dt.datetime | None = timestamp(nullable=True)
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()

    def complete(self) -> None:
        """Open → done, once."""
        if self.status == TaskStatus.DONE:
            raise Conflict("task_done")
        self.status, self.completed_at = TaskStatus.DONE, utcnow()
