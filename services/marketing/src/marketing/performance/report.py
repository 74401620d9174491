"""A campaign's performance under one attribution model, read from its counters: no rows are counted."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import col

from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import NotFound
from marketing.campaigns.models import Campaign
from marketing.campaigns.repository import Campaigns
from marketing.performance import attribution
from marketing.performance.attribution import Model
from marketing.performance.models import CampaignRevenue, CampaignStats, OpportunityRef


@dataclass(frozen=True)
class Performance:
    campaign_id: uuid.UUID
    model: Model
    currency: str
    sent: int
    delivered: int
    opened: int
    clicked: int
    unsubscribed: int
    bounced: int
    responses: int
    leads: int
    opportunities: int
    won_opportunities: int
    won_revenue: Decimal
    cost: Decimal
    cost_per_lead: Decimal | None
    roi: Decimal | None


async def performance(uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, model: Model) -> Performance:
    campaigns = Campaigns(uow, principal)
    campaign = await campaigns.get(campaign_id)
    stats = await uow.session.get(CampaignStats, campaign.id) or CampaignStats(campaign_id=campaign.id)
    revenue = await uow.session.get(CampaignRevenue, (campaign.id, str(model)))
    won = revenue.revenue if revenue is not None else Decimal(0)
    cost = await campaigns.actual_cost(campaign.id)
    return Performance(
        campaign_id=campaign.id,
        model=model,
        currency=campaign.currency,
        sent=stats.sent,
        delivered=stats.delivered,
        opened=stats.opened,
        clicked=stats.clicked,
        unsubscribed=stats.unsubscribed,
        bounced=stats.bounced,
        responses=stats.responses,
        leads=stats.leads,
        opportunities=stats.opportunities,
        won_opportunities=stats.won,
        won_revenue=won,
        cost=cost,
        cost_per_lead=(cost / stats.leads).quantize(attribution.CENT) if stats.leads else None,
        roi=attribution.roi(won, cost),
    )


async def named_by_opportunity(uow: UnitOfWork, campaign_id: uuid.UUID) -> Campaign:
    """A campaign some opportunity names, for those who read opportunities; NOT_FOUND for any other."""
    named = await uow.session.scalar(
        select(col(OpportunityRef.id)).where(col(OpportunityRef.campaign_id) == campaign_id).limit(1)
    )
    campaign = await uow.session.get(Campaign, campaign_id) if named is not None else None
    if campaign is None:
        raise NotFound(entity="Campaign")
    return campaign
