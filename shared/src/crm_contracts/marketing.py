"""Marketing's events other services act on: a campaign's snapshot on `crm.marketing.campaign`, which
sales keeps to check the campaign a lead or an opportunity names, and whose budget automation decides."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from crm_shared.events.model import Event

CAMPAIGN_TOPIC = "crm.marketing.campaign"


class CampaignSnapshot(Event):
    topic = CAMPAIGN_TOPIC

    id: uuid.UUID
    name: str
    campaign_type: str  # exhibition, seminar, webinar, email, sms, online_ads, social
    status: str  # planned, approved, running, completed, cancelled
    budget_status: str  # draft, submitted, approved, rejected
    starts_on: dt.date
    ends_on: dt.date
    goal_leads: int | None
    goal_opportunities: int | None
    goal_revenue: Decimal | None
    currency: str
    budget_total: Decimal
    actual_cost: Decimal
    owner_id: uuid.UUID


class CampaignCreated(CampaignSnapshot):
    type = "campaign.created"


class CampaignUpdated(CampaignSnapshot):
    type = "campaign.updated"


class CampaignBudgetSubmitted(CampaignSnapshot):
    """Goes to automation's approvals, with who may not decide on it (owner, creator, submitter)."""

    type = "campaign.budget_submitted"

    submitted_by: uuid.UUID
    created_by: uuid.UUID | None = None


class CampaignBudgetApproved(CampaignSnapshot):
    type = "campaign.budget_approved"

    approved_by: uuid.UUID


class CampaignBudgetRejected(CampaignSnapshot):
    type = "campaign.budget_rejected"

    rejected_by: uuid.UUID
    note: str | None


class CampaignCostRecorded(CampaignSnapshot):
    type = "campaign.cost_recorded"

    cost_id: uuid.UUID
    category: str
    amount: Decimal
    incurred_on: dt.date


class CampaignMembersAdded(CampaignSnapshot):
    type = "campaign.members_added"

    contact_ids: list[uuid.UUID]
    lead_ids: list[uuid.UUID]


class CampaignStatusChanged(CampaignSnapshot):
    type = "campaign.status_changed"

    from_status: str


CAMPAIGN_EVENTS = (
    CampaignCreated,
    CampaignUpdated,
    CampaignBudgetSubmitted,
    CampaignBudgetApproved,
    CampaignBudgetRejected,
    CampaignCostRecorded,
    CampaignMembersAdded,
    CampaignStatusChanged,
)  # each carries the campaign's whole snapshot
