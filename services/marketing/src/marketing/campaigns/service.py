"""Campaign operations: the only place campaigns, their budgets, costs and members change.

Each change and its event on `crm.marketing.campaign` leave in the caller's transaction. A budget is
decided by a manager above its submitter in identity's organisation tree, never by the submitter.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth.directory import assignable, unit_of
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Page
from crm_shared.errors import BadInput, Conflict, Forbidden
from crm_shared.validate import decimal_of, items, optional_text, required_text
from marketing import events
from marketing.audience import require_contact, require_lead
from marketing.campaigns import rules
from marketing.campaigns.models import BudgetLine, Campaign, CampaignCost, CampaignMember
from marketing.campaigns.repository import RESOURCE, CampaignFilter, Campaigns
from marketing.campaigns.rules import BudgetStatus, CampaignStatus, CampaignType, MemberStatus
from marketing.org import managers_above
from marketing.templates.models import EmailTemplate

MAX_MEMBERS_PER_CALL = 1000
LANGUAGES = ("zh-CN", "en")


@dataclass(frozen=True)
class LineInput:
    category: str
    amount: Decimal | str
    note: str | None = None


@dataclass(frozen=True)
class CampaignInput:
    name: str
    type: CampaignType
    starts_on: dt.date
    ends_on: dt.date
    description: str | None = None
    goal_leads: int | None = None
    goal_opportunities: int | None = None
    goal_revenue: Decimal | str | None = None
    currency: str = "CNY"
    owner_id: uuid.UUID | None = None
    template_id: uuid.UUID | None = None
    language: str = "zh-CN"
    budget_lines: list[LineInput] = field(default_factory=list)


@dataclass(frozen=True)
class CampaignChanges:
    name: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    description: str | None = None
    goal_leads: int | None = None
    goal_opportunities: int | None = None
    goal_revenue: Decimal | str | None = None
    owner_id: uuid.UUID | None = None
    template_id: uuid.UUID | None = None
    language: str | None = None
    budget_lines: list[LineInput] | None = None


@dataclass(frozen=True)
class CostInput:
    category: str
    amount: Decimal | str
    incurred_on: dt.date
    note: str | None = None


async def get(uow: UnitOfWork, principal: Principal | None, campaign_id: uuid.UUID, action: str = "read") -> Campaign:
    return await Campaigns(uow, principal).get(campaign_id, action)


async def page(
    uow: UnitOfWork, principal: Principal, where: CampaignFilter, first: int, after: str | None
) -> Page[Campaign]:
    principal.require(f"{RESOURCE}:read")
    return await Campaigns(uow, principal).find(where, first, after)


async def snapshot(uow: UnitOfWork, campaign: Campaign, event: type[events.CampaignSnapshot], **extra: Any) -> Any:
    repo = Campaigns(uow)
    return event(
        id=campaign.id,
        name=campaign.name,
        campaign_type=str(campaign.type),
        status=str(campaign.status),
        budget_status=str(campaign.budget_status),
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        goal_leads=campaign.goal_leads,
        goal_opportunities=campaign.goal_opportunities,
        goal_revenue=campaign.goal_revenue,
        currency=campaign.currency,
        budget_total=await repo.budget_total(campaign.id),
        actual_cost=await repo.actual_cost(campaign.id),
        owner_id=campaign.owner_id,
        **extra,
    )


def _count(value: int | None, name: str) -> int | None:
    if value is not None and not 0 <= value <= 100_000_000:
        raise BadInput("out_of_range", field=name, maximum="100000000")
    return value


def _amount(value: Decimal | str | None, name: str) -> Decimal | None:
    if value is None:
        return None
    amount = decimal_of(value, name)
    if amount < 0:
        raise BadInput("negative_amount", field=name)
    return amount


def _period(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise BadInput("bad_period", field="endsOn")


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise BadInput("invalid_field", field="language", reason=" | ".join(LANGUAGES))
    return value


async def _template(uow: UnitOfWork, principal: Principal, template_id: uuid.UUID | None) -> uuid.UUID | None:
    if template_id is None:
        return None
    if not principal.can("marketing:template:read") or await uow.session.get(EmailTemplate, template_id) is None:
        raise BadInput("unknown_template", field="templateId")
    return template_id


async def _replace_lines(uow: UnitOfWork, campaign: Campaign, lines: list[LineInput]) -> None:
    await uow.session.execute(delete(BudgetLine).where(col(BudgetLine.campaign_id) == campaign.id))
    for position, line in enumerate(items(lines, "budgetLines")):
        amount = _amount(line.amount, f"budgetLines.{position}.amount")
        uow.session.add(
            BudgetLine(
                campaign_id=campaign.id,
                position=position,
                category=required_text(line.category, f"budgetLines.{position}.category", 100),
                amount=amount or Decimal(0),
                note=optional_text(line.note, f"budgetLines.{position}.note", 500) or "",
            )
        )
    await uow.flush()


async def create(uow: UnitOfWork, principal: Principal, data: CampaignInput) -> Campaign:
    principal.require(f"{RESOURCE}:create")
    owner = principal.user_id
    if data.owner_id is not None and data.owner_id != principal.user_id:
        owner = (await assignable(uow, principal, RESOURCE, data.owner_id, "ownerId")).user_id
    _period(data.starts_on, data.ends_on)
    currency = required_text(data.currency, "currency", 3).upper()
    campaign = Campaign(
        name=required_text(data.name, "name", 200),
        type=data.type,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        description=optional_text(data.description, "description", 5000, multiline=True) or "",
        goal_leads=_count(data.goal_leads, "goalLeads"),
        goal_opportunities=_count(data.goal_opportunities, "goalOpportunities"),
        goal_revenue=_amount(data.goal_revenue, "goalRevenue"),
        currency=currency,
        owner_id=owner,
        template_id=await _template(uow, principal, data.template_id),
        language=_language(data.language),
        created_by=principal.user_id,
    )
    uow.session.add(campaign)
    await uow.flush()
    await _replace_lines(uow, campaign, data.budget_lines)
    await uow.publish(await snapshot(uow, campaign, events.CampaignCreated))
    await audit.record(uow, "campaign.created", "Campaign", campaign.id, None, {"name": campaign.name}, actor=principal)
    return campaign


def _open(campaign: Campaign) -> None:
    if campaign.status not in rules.OPEN:
        raise Conflict("campaign_closed", status=str(campaign.status))


async def update(uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, changes: CampaignChanges) -> Campaign:
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    _open(campaign)
    before = {"name": campaign.name, "startsOn": campaign.starts_on, "endsOn": campaign.ends_on}
    if changes.name is not None:
        campaign.name = required_text(changes.name, "name", 200)
    campaign.starts_on = changes.starts_on or campaign.starts_on
    campaign.ends_on = changes.ends_on or campaign.ends_on
    _period(campaign.starts_on, campaign.ends_on)
    if changes.description is not None:
        campaign.description = optional_text(changes.description, "description", 5000, multiline=True) or ""
    if changes.goal_leads is not None:
        campaign.goal_leads = _count(changes.goal_leads, "goalLeads")
    if changes.goal_opportunities is not None:
        campaign.goal_opportunities = _count(changes.goal_opportunities, "goalOpportunities")
    if changes.goal_revenue is not None:
        campaign.goal_revenue = _amount(changes.goal_revenue, "goalRevenue")
    if changes.owner_id is not None and changes.owner_id != campaign.owner_id:
        campaign.owner_id = (await assignable(uow, principal, RESOURCE, changes.owner_id, "ownerId")).user_id
    if changes.template_id is not None:
        if campaign.send_queued_at is not None:
            raise Conflict("campaign_already_sent")
        campaign.template_id = await _template(uow, principal, changes.template_id)
    if changes.language is not None:
        campaign.language = _language(changes.language)
    if changes.budget_lines is not None:
        if not rules.budget_editable(campaign.budget_status):
            raise BadInput("budget_locked", field="budgetLines", status=str(campaign.budget_status))
        await _replace_lines(uow, campaign, changes.budget_lines)
    campaign.updated_at = utcnow()
    await uow.flush()
    await uow.publish(await snapshot(uow, campaign, events.CampaignUpdated))
    after = {"name": campaign.name, "startsOn": campaign.starts_on, "endsOn": campaign.ends_on}
    await audit.record(uow, "campaign.updated", "Campaign", campaign.id, before, after, actor=principal)
    return campaign


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
    """Who may decide the submitted budget: the managers above its submitter, nearest first."""
    submitter = campaign.budget_submitted_by
    if submitter is None:
        return []
    return await managers_above(uow, await unit_of(uow, submitter), skip=submitter)


async def decide_budget(
    uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, approve: bool, note: str | None = None
) -> Campaign:
    """Approve (the campaign is then approved and may start) or reject (its lines may change again)."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "approve", lock=True)
    if campaign.budget_status is not BudgetStatus.SUBMITTED:
        raise Conflict("budget_transition", from_status=str(campaign.budget_status), to_status="decided")
    principal.require_independent(campaign.budget_submitted_by)
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
    amount = _amount(data.amount, "amount") or Decimal(0)
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


async def add_members(
    uow: UnitOfWork,
    principal: Principal,
    campaign_id: uuid.UUID,
    contact_ids: list[uuid.UUID],
    lead_ids: list[uuid.UUID],
) -> int:
    """Target contacts and leads; those already members stay as they are. Returns how many were added."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    _open(campaign)
    contacts = items(list(dict.fromkeys(contact_ids)), "contactIds", MAX_MEMBERS_PER_CALL)
    leads = items(list(dict.fromkeys(lead_ids)), "leadIds", MAX_MEMBERS_PER_CALL)
    if not contacts and not leads:
        raise BadInput("required_field", field="contactIds")
    rows: list[dict[str, Any]] = []
    for contact_id in contacts:
        contact = await require_contact(uow, principal, contact_id, "contactIds")
        rows.append({"contact_id": contact_id, "lead_id": None, "account_id": contact.account_id})
    for lead_id in leads:
        await require_lead(uow, principal, lead_id, "leadIds")
        rows.append({"contact_id": None, "lead_id": lead_id, "account_id": None})
    now = utcnow()
    member = {"campaign_id": campaign.id, "status": MemberStatus.TARGETED, "added_at": now, "updated_at": now}
    values = [{"id": uuid.uuid4(), **member, **r} for r in rows]
    added = await uow.session.scalars(
        insert(CampaignMember).values(values).on_conflict_do_nothing().returning(CampaignMember)
    )
    new = list(added.all())
    if new:
        campaign.updated_at = now
        event = await snapshot(
            uow,
            campaign,
            events.CampaignMembersAdded,
            contact_ids=[m.contact_id for m in new if m.contact_id],
            lead_ids=[m.lead_id for m in new if m.lead_id],
        )
        await uow.publish(event)
    return len(new)


async def change_status(uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, to: CampaignStatus) -> Campaign:
    """Start, complete or cancel; a campaign is approved only by approving its budget."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    if to is CampaignStatus.APPROVED:
        raise Conflict("approved_by_budget")
    previous = campaign.status
    campaign.status = rules.move(previous, to)
    campaign.updated_at = utcnow()
    await uow.flush()
    await uow.publish(await snapshot(uow, campaign, events.CampaignStatusChanged, from_status=str(previous)))
    await audit.record(
        uow, "campaign.status_changed", "Campaign", campaign.id, {"status": previous}, {"status": to}, principal
    )
    return campaign


async def member_counts(uow: UnitOfWork, campaign_id: uuid.UUID) -> dict[str, int]:
    rows = await uow.session.execute(
        select(col(CampaignMember.status), func.count())
        .where(col(CampaignMember.campaign_id) == campaign_id)
        .group_by(col(CampaignMember.status))
    )
    return {str(status): int(n) for status, n in rows.tuples().all()}
