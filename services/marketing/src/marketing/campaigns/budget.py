"""A campaign's budget: submitted for approval, decided by automation's approval chain (by default the
submitter's manager; never whoever owns, created or submitted it), and the actual costs recorded
against it once approved."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from crm_contracts.automation import ApprovalDecided, Outcome, SubjectKind
from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import optional_text, required_text
from marketing import events
from marketing.campaigns import rules
from marketing.campaigns.models import Campaign, CampaignCost
from marketing.campaigns.repository import Campaigns
from marketing.campaigns.rules import BudgetStatus, CampaignStatus
from marketing.campaigns.service import cost_of, snapshot


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
    submitted = await snapshot(
        uow, campaign, events.CampaignBudgetSubmitted, submitted_by=principal.user_id, created_by=campaign.created_by
    )
    await uow.publish(submitted)
    await audit.record(uow, "campaign.budget_submitted", "Campaign", campaign.id, actor=principal)
    return campaign


async def apply_decision(
    uow: UnitOfWork, campaign_id: uuid.UUID, approve: bool, approver: uuid.UUID, note: str | None
) -> Campaign | None:
    """Automation's approval decided: approved (the campaign is then approved and may start) or rejected (its
    lines may change and go again). Nothing for a budget no longer submitted (the decision came twice)."""
    campaign = await uow.session.get(Campaign, campaign_id, with_for_update=True)
    if campaign is None or campaign.budget_status is not BudgetStatus.SUBMITTED:
        return None
    text = (note or "").strip()[:1000] or None
    now = utcnow()
    campaign.budget_decided_by, campaign.budget_decided_at, campaign.budget_note = approver, now, text
    campaign.updated_at = now
    if approve:
        campaign.budget_status = rules.move_budget(campaign.budget_status, BudgetStatus.APPROVED)
        campaign.status = rules.move(campaign.status, CampaignStatus.APPROVED)
        event = await snapshot(uow, campaign, events.CampaignBudgetApproved, approved_by=approver)
    else:
        campaign.budget_status = rules.move_budget(campaign.budget_status, BudgetStatus.REJECTED)
        event = await snapshot(uow, campaign, events.CampaignBudgetRejected, rejected_by=approver, note=text)
    await uow.flush()
    await uow.publish(event)
    action = "campaign.budget_approved" if approve else "campaign.budget_rejected"
    await audit.record(uow, action, "Campaign", campaign.id, detail={"note": text, "approver": str(approver)})
    return campaign


async def on_decided(uow: UnitOfWork, decided: ApprovalDecided) -> None:
    if decided.subject_kind == SubjectKind.CAMPAIGN_BUDGET:
        approve = decided.outcome == Outcome.APPROVED
        await apply_decision(uow, decided.subject_id, approve, decided.approver_id, decided.comment)


def _incurred(day: dt.date, campaign: Campaign) -> dt.date:
    earliest, latest = rules.cost_window(campaign.starts_on, campaign.ends_on)
    if not earliest <= day <= latest:
        raise BadInput("not_between", field="incurredOn", minimum=str(earliest), maximum=str(latest))
    return day


async def record_cost(
    uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, data: CostInput, field: str = "amount"
) -> CampaignCost:
    """An actual cost against the approved budget; `field` is where the caller gave its amount (a material's issue
    gives its quantity). The campaign is locked, so the actual cost it adds to is the one it keeps."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    if campaign.budget_status is not BudgetStatus.APPROVED or campaign.status not in rules.COSTED:
        raise Conflict("cost_before_approval")
    amount = cost_of(data.amount, field, spent=await Campaigns(uow).actual_cost(campaign.id))
    cost = CampaignCost(
        campaign_id=campaign.id,
        category=required_text(data.category, "category", 100),
        amount=amount,
        incurred_on=_incurred(data.incurred_on, campaign),
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
