"""Campaign tables: the campaign, its budget lines, recorded costs and members."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, money
from marketing.campaigns.rules import BudgetStatus, CampaignStatus, CampaignType, MemberStatus


class Campaign(SQLModel, table=True):
    __tablename__ = "campaigns"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    type: CampaignType = enum_column(CampaignType, CampaignType.EMAIL)
    status: CampaignStatus = enum_column(CampaignStatus, CampaignStatus.PLANNED, index=True)
    starts_on: dt.date
    ends_on: dt.date
    description: str = Field(default="", max_length=5000)
    goal_leads: int | None = None
    goal_opportunities: int | None = None
    goal_revenue: Decimal | None = money(nullable=True)
    currency: str = Field(default="CNY", max_length=3)
    owner_id: uuid.UUID = Field(index=True)
    template_id: uuid.UUID | None = Field(default=None, foreign_key="email_templates.id")
    language: str = Field(default="zh-CN", max_length=5)  # of the template variant an email campaign sends
    budget_status: BudgetStatus = enum_column(BudgetStatus, BudgetStatus.DRAFT, index=True)
    budget_submitted_by: uuid.UUID | None = None
    budget_submitted_at: dt.datetime | None = timestamp(nullable=True)
    budget_decided_by: uuid.UUID | None = None
    budget_decided_at: dt.datetime | None = timestamp(nullable=True)
    budget_note: str | None = Field(default=None, max_length=1000)
    send_queued_at: dt.datetime | None = timestamp(nullable=True)  # when its mails were queued, once
    sms_template_id: uuid.UUID | None = Field(default=None, foreign_key="sms_templates.id")  # an SMS campaign's
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class BudgetLine(SQLModel, table=True):
    __tablename__ = "campaign_budget_lines"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaigns.id", index=True)
    position: int
    category: str = Field(max_length=100)
    amount: Decimal = money()
    note: str = Field(default="", max_length=500)


class CampaignCost(SQLModel, table=True):
    """An actual cost, recorded against the approved budget."""

    __tablename__ = "campaign_costs"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaigns.id", index=True)
    category: str = Field(max_length=100)
    amount: Decimal = money()
    incurred_on: dt.date
    note: str = Field(default="", max_length=500)
    recorded_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()


class CampaignMember(SQLModel, table=True):
    """A contact or a lead the campaign targets, and how far they went."""

    __tablename__ = "campaign_members"
    __table_args__ = (
        UniqueConstraint("campaign_id", "contact_id", name="uq_campaign_members_contact"),
        UniqueConstraint("campaign_id", "lead_id", name="uq_campaign_members_lead"),
        Index("ix_campaign_members_contact", "contact_id"),
        Index("ix_campaign_members_account", "account_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaigns.id", index=True)
    contact_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None  # the contact's account when added: Account.campaigns reads it
    status: MemberStatus = enum_column(MemberStatus, MemberStatus.TARGETED)
    added_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
