"""SLA policies and the record of what the monitor has published."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import strings


class SlaPolicy(SQLModel, table=True):
    """Targets for tickets matching its conditions (empty: any); the most specific match wins, then `rank`."""

    __tablename__ = "sla_policies"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    rank: int = 100
    priorities: list[str] = strings(20)
    types: list[str] = strings(20)
    levels: list[str] = strings(1)
    calendar_id: uuid.UUID = Field(foreign_key="business_calendars.id")
    first_response_minutes: int | None = None
    next_response_minutes: int | None = None
    resolution_minutes: int | None = None
    warn_percent: int = 80  # the warning comes at this share of a target
    raise_priority: bool = True  # on breach
    escalate: bool = True  # on breach: one level up the manager chain
    reassign: bool = False  # on breach: the escalation manager takes the ticket over
    active: bool = True
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class SlaNotice(SQLModel, table=True):
    """One published warning or breach of one clock of one ticket: the key makes each go out once."""

    __tablename__ = "sla_notices"

    ticket_id: uuid.UUID = Field(primary_key=True)
    clock: str = Field(primary_key=True, max_length=20)
    cycle: int = Field(default=0, primary_key=True)
    kind: str = Field(primary_key=True, max_length=10)  # warning, breach
    due_at: dt.datetime = timestamp()
    target_minutes: int | None = None  # the target reached: a breached clock keeps it under another policy
    published_at: dt.datetime = timestamp()


class SlaRecheck(SQLModel, table=True):
    """Open tickets whose clocks the SLA monitor recomputes after a policy or a calendar changed.

    The monitor takes them a batch at a time, in id order, in the runs where fewer tickets are due than
    it could look at (a due warning or breach goes first); the row shows how far it got.
    """

    __tablename__ = "sla_rechecks"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    calendar_id: uuid.UUID | None = None  # the tickets whose policies use it; none: every open ticket
    reason: str = Field(max_length=20)  # calendar, policy
    total: int = 0  # open tickets concerned when it was asked for
    checked: int = 0
    after_id: uuid.UUID | None = None  # the last ticket looked at
    requested_at: dt.datetime = timestamp()
    # when the monitor took it up (the change committed): tickets opened since get their first look under it
    started_at: dt.datetime | None = timestamp(nullable=True)
    finished_at: dt.datetime | None = timestamp(nullable=True)
