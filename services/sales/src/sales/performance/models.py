"""Targets (销售目标) and the forecast snapshots that past forecasts are measured by."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import money, unbounded

METRICS = ("won_amount", "collected_amount")


class Target(SQLModel, table=True):
    """A goal for one rep (user_id) or one unit (unit_id) in a month or quarter."""

    __tablename__ = "targets"
    __table_args__ = (
        Index(
            "ix_targets_key",
            "period",
            "metric",
            "user_id",
            "unit_id",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    period: str = Field(max_length=7)
    metric: str = Field(max_length=20)
    user_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    amount: Decimal = money()
    owner_id: uuid.UUID | None = None  # the rep, for data scope; unit targets have none
    set_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class ForecastSnapshot(SQLModel, table=True):
    """Each owner's forecast of a period as it stood on a day; accuracy compares the first with actuals."""

    __tablename__ = "forecast_snapshots"
    __table_args__ = (Index("ix_forecast_snapshots_key", "period", "owner_id", "taken_on", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    period: str = Field(max_length=7)
    owner_id: uuid.UUID
    taken_on: dt.date
    weighted: Decimal = unbounded()
    commit: Decimal = unbounded()
    best_case: Decimal = unbounded()
