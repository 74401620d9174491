"""The demo's attributed exhibition: sales' demo names it on two leads and on the deal it won (under this id),
so its performance shows leads, an opportunity, won revenue and a return on what it cost."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from marketing.campaigns import budget
from marketing.campaigns import service as campaigns
from marketing.campaigns.rules import CampaignStatus, CampaignType

DEMO_CAMPAIGN = uuid.uuid5(uuid.NAMESPACE_URL, "https://crm.example.com/demo/campaigns/autumn-expo")


async def seed_expo(uow: UnitOfWork, marketer: Principal, manager: Principal) -> uuid.UUID:
    """Held two months ago, approved, paid for and completed."""
    today = utcnow().date()
    data = campaigns.CampaignInput(
        id=DEMO_CAMPAIGN,
        name="2026 秋季数字化展会 Autumn digital expo",
        type=CampaignType.EXHIBITION,
        starts_on=today - dt.timedelta(days=60),
        ends_on=today - dt.timedelta(days=58),
        goal_leads=20,
        goal_opportunities=5,
        goal_revenue=Decimal("300000"),
        budget_lines=[
            campaigns.LineInput("展位 Booth", Decimal("25000")),
            campaigns.LineInput("物料", Decimal("5000")),
        ],
    )
    campaign = await campaigns.create(uow, marketer, data)
    await budget.submit_budget(uow, marketer, campaign.id)
    await budget.apply_decision(uow, campaign.id, True, manager.user_id, "同意 Approved")
    await campaigns.change_status(uow, marketer, campaign.id, CampaignStatus.RUNNING)
    for category, amount in (("展位 Booth", "24000"), ("物料 Materials", "4200")):
        cost = budget.CostInput(category, Decimal(amount), data.starts_on)
        await budget.record_cost(uow, marketer, campaign.id, cost)
    return campaign.id
