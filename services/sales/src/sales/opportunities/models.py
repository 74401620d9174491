"""Opportunities (商机): an amount in a currency moving through a pipeline's stages to won or lost."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, money, quantity, rate


class OpportunityStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


STATUSES = tuple(OpportunityStatus)
CATEGORIES = ("pipeline", "best_case", "commit", "omitted")


class Opportunity(SQLModel, table=True):
    __tablename__ = "opportunities"
    __table_args__ = (
        Index("ix_opportunities_owner_created", "owner_id", "created_at", "id"),
        Index("ix_opportunities_created", "created_at", "id"),
        # the forecast reads these without touching the table
        Index(
            "ix_opportunities_open_closing",
            "expected_close_date",
            postgresql_where=text("status = 'open'"),
            postgresql_include=["amount_base", "probability", "forecast_category", "owner_id"],
        ),
        Index(
            "ix_opportunities_won_closed",
            "closed_at",
            postgresql_where=text("status = 'won'"),
            postgresql_include=["amount_base", "owner_id"],
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    account_id: uuid.UUID = Field(index=True)
    contact_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    campaign_id: uuid.UUID | None = Field(default=None, index=True)
    source: str | None = Field(default=None, max_length=50)
    pipeline_id: uuid.UUID = Field(foreign_key="pipelines.id")
    stage_id: uuid.UUID = Field(foreign_key="stages.id")
    stage_position: int = 1
    max_position: int = 1  # furthest stage reached; won counts as one past the last
    probability: Decimal = rate()
    amount: Decimal | None = money(nullable=True)
    currency: str = Field(default="CNY", max_length=3)
    amount_base: Decimal = money()  # in the base currency, for analytics
    expected_close_date: dt.date | None = None
    forecast_category: str = Field(default="pipeline", max_length=20)
    status: OpportunityStatus = enum_column(OpportunityStatus, OpportunityStatus.OPEN, 10)
    close_reason: str | None = Field(default=None, max_length=500)
    competitor: str | None = Field(default=None, max_length=200)
    closed_at: dt.datetime | None = timestamp(nullable=True)
    owner_id: uuid.UUID
    stage_entered_at: dt.datetime = timestamp()
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class OpportunityLine(SQLModel, table=True):
    __tablename__ = "opportunity_lines"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    opportunity_id: uuid.UUID = Field(foreign_key="opportunities.id", index=True)
    product_id: uuid.UUID = Field(foreign_key="products.id")
    quantity: Decimal = quantity()
    unit_price: Decimal = money()
    discount_percent: Decimal = rate()
    total: Decimal = money()


class StageVisit(SQLModel, table=True):
    """One stay of an opportunity in a stage; the filters the funnel needs are copied in."""

    __tablename__ = "stage_visits"
    __table_args__ = (Index("ix_stage_visits_pipeline_stage", "pipeline_id", "stage_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    opportunity_id: uuid.UUID = Field(foreign_key="opportunities.id", index=True)
    pipeline_id: uuid.UUID
    stage_id: uuid.UUID
    owner_id: uuid.UUID
    entered_at: dt.datetime = timestamp()
    left_at: dt.datetime | None = timestamp(nullable=True)
    actor_id: uuid.UUID | None = None
