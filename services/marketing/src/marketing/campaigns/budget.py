"""A campaign's budget: submitted for approval, decided by a manager above the submitter in identity's
organisation tree (never by whoever owns, created or submitted it), and the actual costs recorded
against it once approved."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from crm_shared import audit
from crm_shared.auth.directory import unit_of
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, Forbidden
from crm_shared.org import managers_above
from crm_shared.validate import optional_text, required_text
from marketing import events
from marketing.campaigns import rules
from marketing.campaigns.models import Campaign, CampaignCost
from marketing.campaigns.repository import Campaigns
from marketing.campaigns.rules import BudgetStatus, CampaignStatus
from marketing.campaigns.service import amount_of, snapshot


@dataclass(frozen=True)
class CostInput:
    category: str
    amount: Decimal | str
    incurred_on: dt.date
    note: str | None = None


async def submit_budget(uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID) -> Campaign:
    """Ask for the budget's approval: a planned campaign with at least one line."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    if campaign.status is not CampaignStatus.PLANNED:
        raise Conflict("campaign_closed", status=str(campaign.status))
    if not await Campaigns(uow).lines(campaign.id):
        raise BadInput("budget_empty", field="budgetLines")
    campaign.budget_status = rules.move_budget(campaign.budget_status, BudgetStatus.SUBMITTED)
    campaign.budget_submitted_by, campaign.budget_submitted_at = principal.user_id, utcnow()
    campaign.budget_decided_by = campaign.budget_decided_at = campaign.budget_note = None
    campaign.updated_at = utcnow()
    await uow.flush()
    await uow.publish(await snapshot(uow, campaign, events.CampaignBudgetSubmitted, submitted_by=principal.user_id))
    await audit.record(uow, "campaign.budget_submitted", "Campaign", campaign.id, actor=principal)
    return campaign


async def approvers(uow: UnitOfWork, campaign: Campaign) -> list[uuid.UUID]:
    """Who may decide the submitted budget: the managers above its submitter, nearest first, but for
    whoever owns or created the campaign."""
    submitter = campaign.budget_submitted_by
    if submitter is None:
        return []
    chain = await managers_above(uow, await unit_of(uow, submitter), skip=submitter)
    return [user for user in chain if user not in (campaign.owner_id, campaign.created_by)]


async def decide_budget(
    uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, approve: bool, note: str | None = None
) -> Campaign:
    """Approve (the campaign is then approved and may start) or reject (its lines may change again)."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "approve", lock=True)
    if campaign.budget_status is not BudgetStatus.SUBMITTED:
        to = BudgetStatus.APPROVED if approve else BudgetStatus.REJECTED
        raise Conflict("budget_transition", from_status=str(campaign.budget_status), to_status=str(to))
    principal.require_independent(campaign.budget_submitted_by, campaign.owner_id, campaign.created_by)
    if principal.user_id not in await approvers(uow, campaign):
        raise Forbidden("not_an_approver")
    text = optional_text(note, "note", 1000)
    now = utcnow()
    campaign.budget_decided_by, campaign.budget_decided_at, campaign.budget_note = principal.user_id, now, text
    campaign.updated_at = now
    if approve:
        campaign.budget_status = rules.move_budget(campaign.budget_status, BudgetStatus.APPROVED)
        campaign.status = rules.move(campaign.status, CampaignStatus.APPROVED)
        event = await snapshot(uow, campaign, events.CampaignBudgetApproved, approved_by=principal.user_id)
    else:
        campaign.budget_status = rules.move_budget(campaign.budget_status, BudgetStatus.REJECTED)
        event = await snapshot(uow, campaign, events.CampaignBudgetRejected, rejected_by=principal.user_id, note=text)
    await uow.flush()
    await uow.publish(event)
    action = "campaign.budget_approved" if approve else "campaign.budget_rejected"
    await audit.record(uow, action, "Campaign", campaign.id, detail={"note": text}, actor=principal)
    return campaign


async def record_cost(uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, data: CostInput) -> CampaignCost:
    """An actual cost against the approved budget."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    if campaign.budget_status is not BudgetStatus.APPROVED or campaign.status not in rules.COSTED:
        raise Conflict("cost_before_approval")
    amount = amount_of(data.amount, "amount") or Decimal(0)
    if amount <= 0:
        raise BadInput("negative_amount", field="amount")
    cost = CampaignCost(
        campaign_id=campaign.id,
        category=required_text(data.category, "category", 100),
        amount=amount,
        incurred_on=data.incurred_on,
        note=optional_text(data.note, "note", 500) or "",
        recorded_by=principal.user_id,
    )
    uow.session.add(cost)
    campaign.updated_at = utcnow()
    await uow.flush()
    await uow.publish(
        await snapshot(
            uow,
            campaign,
            events.CampaignCostRecorded,
            cost_id=cost.id,
            category=cost.category,
            amount=cost.amount,
            incurred_on=cost.incurred_on,
        )
    )
    await audit.record(uow, "campaign.cost_recorded", "Campaign", campaign.id, None, {"amount": amount}, principal)
    return cost
