"""Campaign operations: creating, changing and moving campaigns (their budgets in `budget`, their members
in `members`). Each change and its event on `crm.marketing.campaign` leave in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import require_account
from crm_shared.auth.directory import assignable
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Page
from crm_shared.errors import BadInput, Conflict, Forbidden
from crm_shared.validate import (
    currency_code,
    day_within,
    decimal_of,
    exact_decimal,
    field_name,
    fits,
    items,
    largest,
    optional_text,
    required_text,
    whole,
)
from marketing import events
from marketing.audience import require_contact
from marketing.campaigns import rules
from marketing.campaigns.models import BudgetLine, Campaign
from marketing.campaigns.repository import RESOURCE, CampaignFilter, Campaigns
from marketing.campaigns.rules import CampaignStatus, CampaignType
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
    id: uuid.UUID | None = None  # chosen in advance (the demo's campaign, which sales' demo deals name)


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


async def get(uow: UnitOfWork, principal: Principal | None, campaign_id: uuid.UUID, action: str = "read") -> Campaign:
    return await Campaigns(uow, principal).get(campaign_id, action)


async def page(
    uow: UnitOfWork, principal: Principal, where: CampaignFilter, first: int, after: str | None
) -> Page[Campaign]:
    principal.require(f"{RESOURCE}:read")
    return await Campaigns(uow, principal).find(where, first, after)


async def history(
    uow: UnitOfWork, principal: Principal, where: CampaignFilter, first: int, after: str | None
) -> Page[Campaign]:
    """The campaigns an account's contacts (or one contact) were members of, whatever their owner, for a
    caller who may read that account in customer (its owner in their scope, by marketing's projection):
    a sales rep sees their own customers' campaign history without reaching the campaigns list."""
    try:
        if where.contact_id is not None:
            principal.require("customer:contact:read")
            await require_contact(uow, principal, where.contact_id, "id")
        elif where.account_id is not None:
            principal.require("customer:account:read")
            await require_account(uow, principal, where.account_id, "id")
        else:
            raise Forbidden(permission=f"{RESOURCE}:read")
    except BadInput:  # an account or contact outside the caller's scope: not theirs to look into
        raise Forbidden(permission=f"{RESOURCE}:read") from None
    return await Campaigns(uow).find(
        CampaignFilter(contact_id=where.contact_id, account_id=where.account_id), first, after
    )


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
    return None if value is None else whole(value, name, 0, 100_000_000)


def amount_of(value: Decimal | str | None, name: str) -> Decimal | None:
    """Money in yuan and fen, never negative; `decimal_of` refuses a fraction of a fen (0.001), never rounds it."""
    if value is None:
        return None
    amount = decimal_of(value, name)
    if amount < 0:
        raise BadInput("negative_amount", field=name)
    return amount


def cost_of(value: Decimal | str, name: str, spent: Decimal | None = None) -> Decimal:
    """Money planned or spent (a budget line, a cost, a material's unit cost): more than zero, to the fen. A cost
    also keeps the campaign's actual cost (`spent` before it), which people read as one amount, in a money column."""
    amount = exact_decimal(value, name)
    if amount <= 0:
        raise BadInput("negative_amount", field=name)
    if spent is not None and not fits(spent + amount):
        raise BadInput("actual_cost_too_large", field=name, spent=f"{spent:.2f}", maximum=str(largest()))
    if not fits(amount):
        raise BadInput("out_of_range", field=name, maximum=str(largest()))
    return amount


def _period(starts_on: dt.date, ends_on: dt.date) -> None:
    day_within(starts_on, "startsOn")
    day_within(ends_on, "endsOn")
    if ends_on < starts_on:
        raise BadInput("ends_before_start", field="endsOn")


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise BadInput("one_of", field="language", choices=", ".join(LANGUAGES))
    return value


async def _template(uow: UnitOfWork, principal: Principal, template_id: uuid.UUID | None) -> uuid.UUID | None:
    if template_id is None:
        return None
    if not principal.can("marketing:template:read") or await uow.session.get(EmailTemplate, template_id) is None:
        raise BadInput("unknown_template", field="templateId")
    return template_id


async def _replace_lines(uow: UnitOfWork, campaign: Campaign, lines: list[LineInput]) -> None:
    """The budget's lines, whose total people read as one amount: one past a money column is refused."""
    rows = [
        BudgetLine(
            campaign_id=campaign.id,
            position=position,
            amount=cost_of(line.amount, field_name(["budgetLines", position, "amount"])),
            category=required_text(line.category, field_name(["budgetLines", position, "category"]), 100),
            note=optional_text(line.note, field_name(["budgetLines", position, "note"]), 500) or "",
        )
        for position, line in enumerate(items(lines, "budgetLines"))
    ]
    if not fits(rules.total(row.amount for row in rows)):
        raise BadInput("budget_too_large", field="budgetLines", maximum=str(largest()))
    await uow.session.execute(delete(BudgetLine).where(col(BudgetLine.campaign_id) == campaign.id))
    uow.session.add_all(rows)
    await uow.flush()


async def create(uow: UnitOfWork, principal: Principal, data: CampaignInput) -> Campaign:
    principal.require(f"{RESOURCE}:create")
    owner = principal.user_id
    if data.owner_id is not None and data.owner_id != principal.user_id:
        owner = (await assignable(uow, principal, RESOURCE, data.owner_id, "ownerId")).user_id
    _period(data.starts_on, data.ends_on)
    currency = currency_code(data.currency)
    campaign = Campaign(
        id=data.id or uuid.uuid4(),
        name=required_text(data.name, "name", 200),
        type=data.type,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        description=optional_text(data.description, "description", 5000, multiline=True) or "",
        goal_leads=_count(data.goal_leads, "goalLeads"),
        goal_opportunities=_count(data.goal_opportunities, "goalOpportunities"),
        goal_revenue=amount_of(data.goal_revenue, "goalRevenue"),
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


def require_open(campaign: Campaign) -> None:
    if campaign.status not in rules.OPEN:
        raise Conflict("campaign_closed", status=str(campaign.status))


async def update(uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, changes: CampaignChanges) -> Campaign:
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    require_open(campaign)
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
        campaign.goal_revenue = amount_of(changes.goal_revenue, "goalRevenue")
    if changes.owner_id is not None and changes.owner_id != campaign.owner_id:
        if not rules.owner_changeable(campaign.budget_status):
            raise BadInput("budget_locked", field="ownerId", status=str(campaign.budget_status))
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
