"""Each ticket's figures as the SLA clocks last computed them, so analytics aggregates in SQL."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class TicketFigures(SQLModel, table=True):
    __tablename__ = "ticket_figures"
    __table_args__ = (Index("ix_ticket_figures_resolved", "resolved_at"),)

    ticket_id: uuid.UUID = Field(foreign_key="tickets.id", primary_key=True)
    first_response_seconds: int | None = None  # business seconds to the first reply, once replied
    resolution_seconds: int | None = None  # business seconds to the (latest) resolution
    first_response_met: bool | None = None  # None: no target, or not decided yet
    resolution_met: bool | None = None
    resolved_at: dt.datetime | None = timestamp(nullable=True)
    updated_at: dt.datetime = timestamp()
