"""Which campaigns a caller reaches: those whose owner is in their data scope over `marketing:campaign`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared.db.pages import Order, Page, page
from crm_shared.db.repository import Repository, contains_text
from marketing.campaigns.models import BudgetLine, Campaign, CampaignCost, CampaignMember
from marketing.campaigns.rules import BudgetStatus, CampaignStatus, CampaignType

RESOURCE = "marketing:campaign"


@dataclass(frozen=True)
class CampaignFilter:
    status: list[CampaignStatus] | None = None
    type: list[CampaignType] | None = None
    budget_status: list[BudgetStatus] | None = None
    owner_id: uuid.UUID | None = None
    search: str | None = None
    contact_id: uuid.UUID | None = None  # campaigns the contact is a member of
    account_id: uuid.UUID | None = None  # campaigns one of the account's contacts is a member of


class Campaigns(Repository[Campaign]):
    model = Campaign
    resource = RESOURCE

    async def find(self, where: CampaignFilter, first: int, after: str | None) -> Page[Campaign]:
        clauses: list[Any] = []
        if where.status:
            clauses.append(col(Campaign.status).in_(where.status))
        if where.type:
            clauses.append(col(Campaign.type).in_(where.type))
        if where.budget_status:
            clauses.append(col(Campaign.budget_status).in_(where.budget_status))
        if where.owner_id:
            clauses.append(col(Campaign.owner_id) == where.owner_id)
        if where.search and where.search.strip():
            clauses.append(contains_text(where.search, col(Campaign.name)))
        members = select(col(CampaignMember.campaign_id))
        if where.contact_id:
            clauses.append(col(Campaign.id).in_(members.where(col(CampaignMember.contact_id) == where.contact_id)))
        if where.account_id:
            clauses.append(col(Campaign.id).in_(members.where(col(CampaignMember.account_id) == where.account_id)))
        query = await self.select(*clauses)
        order = Order.by(col(Campaign.starts_on), col(Campaign.id), descending=True)
        return await self.page(query, order, first, after)

    async def budget_total(self, campaign_id: uuid.UUID) -> Decimal:
        return (await self.budget_totals([campaign_id]))[campaign_id]

    async def actual_cost(self, campaign_id: uuid.UUID) -> Decimal:
        return (await self.actual_costs([campaign_id]))[campaign_id]

    async def budget_totals(self, campaign_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
        """Each campaign's budget lines added up (0 without any), in one statement for a page of them."""
        return await self._sums(BudgetLine, campaign_ids)

    async def actual_costs(self, campaign_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
        """Each campaign's recorded costs added up (0 without any)."""
        return await self._sums(CampaignCost, campaign_ids)

    async def _sums(
        self, table: type[BudgetLine] | type[CampaignCost], campaign_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, Decimal]:
        rows = await self.session.execute(
            select(col(table.campaign_id), func.sum(col(table.amount)))
            .where(col(table.campaign_id).in_(campaign_ids))
            .group_by(col(table.campaign_id))
        )
        found = {campaign_id: Decimal(total) for campaign_id, total in rows.all()}
        return {campaign_id: found.get(campaign_id, Decimal(0)) for campaign_id in campaign_ids}

    async def lines(self, campaign_id: uuid.UUID) -> list[BudgetLine]:
        rows = await self.session.scalars(
            select(BudgetLine).where(col(BudgetLine.campaign_id) == campaign_id).order_by(col(BudgetLine.position))
        )
        return list(rows.all())

    async def costs(self, campaign_id: uuid.UUID) -> list[CampaignCost]:
        rows = await self.session.scalars(
            select(CampaignCost)
            .where(col(CampaignCost.campaign_id) == campaign_id)
            .order_by(col(CampaignCost.incurred_on), col(CampaignCost.created_at))
        )
        return list(rows.all())

    async def members(
        self, campaign_id: uuid.UUID, first: int, after: str | None, within: CampaignFilter | None = None
    ) -> Page[CampaignMember]:
        """The campaign's members; `within` keeps only one account's or one contact's."""
        query = select(CampaignMember).where(col(CampaignMember.campaign_id) == campaign_id)
        if within is not None and within.contact_id is not None:
            query = query.where(col(CampaignMember.contact_id) == within.contact_id)
        if within is not None and within.account_id is not None:
            query = query.where(col(CampaignMember.account_id) == within.account_id)
        return await page(self.uow, query, Order.by(col(CampaignMember.added_at), col(CampaignMember.id)), first, after)
