"""Attribution tables: each campaign's counters, the touches on accounts, contacts and leads, sales'
opportunities as marketing needs them, and the revenue each won opportunity gave each campaign."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, money, unbounded
from marketing.sales_events import OpportunityStatus

COUNTERS = (
    "sent",
    "delivered",
    "opened",
    "clicked",
    "unsubscribed",
    "bounced",
    "responses",
    "leads",
    "opportunities",
    "won",
)


class CampaignStats(SQLModel, table=True):
    """A campaign's counters, each moved by one event as it arrives: no query counts rows."""

    __tablename__ = "campaign_stats"

    campaign_id: uuid.UUID = Field(primary_key=True)  # sales may name a campaign before its event is seen
    sent: int = 0
    delivered: int = 0
    opened: int = 0
    clicked: int = 0
    unsubscribed: int = 0
    bounced: int = 0
    responses: int = 0
    leads: int = 0
    opportunities: int = 0
    won: int = 0


class TouchKind(StrEnum):
    RESPONSE = "response"  # a member responded: clicked a mail, registered, attended
    LEAD = "lead"  # a lead came in naming the campaign
    OPPORTUNITY = "opportunity"  # an opportunity names the campaign


class Touch(SQLModel, table=True):
    """A campaign reaching an account (through one of its contacts) or a lead, once per what caused it."""

    __tablename__ = "campaign_touches"
    __table_args__ = (
        UniqueConstraint("campaign_id", "kind", "source_id", name="uq_campaign_touches_source"),
        Index("ix_campaign_touches_account", "account_id", "at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    campaign_id: uuid.UUID = Field(index=True)
    kind: TouchKind = enum_column(TouchKind, TouchKind.RESPONSE)
    source_id: uuid.UUID  # the mail, lead or opportunity that made the touch
    account_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = Field(default=None, index=True)  # the account is known once it is converted
    at: dt.datetime = timestamp()


class OpportunityRef(SQLModel, table=True):
    """Sales' opportunity as attribution and win/loss read it, from `crm.sales.opportunity`."""

    __tablename__ = "sales_opportunities"

    id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID = Field(index=True)
    campaign_id: uuid.UUID | None = Field(default=None, index=True)
    status: OpportunityStatus = enum_column(OpportunityStatus, OpportunityStatus.OPEN)
    revenue: Decimal = money()  # in the base currency
    competitor_key: str | None = Field(default=None, max_length=200, index=True)  # normalised, as sales wrote it
    created_at: dt.datetime = timestamp()
    closed_at: dt.datetime | None = timestamp(nullable=True)
    updated_at: dt.datetime = timestamp()


class Attribution(SQLModel, table=True):
    """What a won opportunity gave one campaign under one model; gone again when it is reopened."""

    __tablename__ = "campaign_attributions"

    opportunity_id: uuid.UUID = Field(primary_key=True)
    campaign_id: uuid.UUID = Field(primary_key=True, index=True)
    model: str = Field(primary_key=True, max_length=20)  # an attribution `Model`
    amount: Decimal = money()


class CampaignRevenue(SQLModel, table=True):
    """A campaign's attributed revenue per model, kept up to date with the attributions."""

    __tablename__ = "campaign_revenue"

    campaign_id: uuid.UUID = Field(primary_key=True)
    model: str = Field(primary_key=True, max_length=20)  # an attribution `Model`
    revenue: Decimal = unbounded()  # the sum of many won deals: two of the largest amount pass numeric(18, 2)
