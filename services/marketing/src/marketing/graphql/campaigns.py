"""Campaign queries and mutations: thin, each one call into the service layer."""

from __future__ import annotations

import datetime as dt

import strawberry

from crm_shared.graphql import Connection, Info
from marketing.campaigns import budget, members
from marketing.campaigns import service as campaigns
from marketing.campaigns.repository import CampaignFilter as Filter
from marketing.campaigns.rules import BudgetStatus, CampaignStatus, CampaignType
from marketing.graphql.types import Campaign, optional_uid, uid
from marketing.segments import campaigns as from_segment
from marketing.sending import service as sending
from marketing.settings import MarketingSettings


@strawberry.input
class BudgetLineInput:
    category: str
    amount: str = strawberry.field(description='A decimal string, e.g. "128000.00".')
    note: str | None = None


@strawberry.input
class CreateCampaignInput:
    name: str
    type: CampaignType
    starts_on: dt.date
    ends_on: dt.date
    description: str | None = None
    goal_leads: int | None = None
    goal_opportunities: int | None = None
    goal_revenue: str | None = None
    currency: str = "CNY"
    owner_id: strawberry.ID | None = None
    template_id: strawberry.ID | None = None
    language: str = "zh-CN"
    budget_lines: list[BudgetLineInput] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateCampaignInput:
    name: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    description: str | None = None
    goal_leads: int | None = None
    goal_opportunities: int | None = None
    goal_revenue: str | None = None
    owner_id: strawberry.ID | None = None
    template_id: strawberry.ID | None = None
    language: str | None = None
    budget_lines: list[BudgetLineInput] | None = strawberry.field(
        default=None, description="Replaces the lines; only while the budget is a draft or was rejected."
    )


@strawberry.input
class CampaignCostInput:
    category: str
    amount: str = strawberry.field(description='A decimal string, e.g. "3500.00".')
    incurred_on: dt.date
    note: str | None = None


@strawberry.input
class CampaignFilter:
    status: list[CampaignStatus] | None = None
    type: list[CampaignType] | None = None
    budget_status: list[BudgetStatus] | None = strawberry.field(
        default=None, description="Budgets in these states: SUBMITTED for those waiting for a decision."
    )
    owner_id: strawberry.ID | None = None
    search: str | None = strawberry.field(default=None, description="Part of the name.")


def _lines(lines: list[BudgetLineInput] | None) -> list[campaigns.LineInput] | None:
    if lines is None:
        return None
    return [campaigns.LineInput(line.category, line.amount, line.note) for line in lines]


@strawberry.type
class Query:
    @strawberry.field(description="Campaigns the caller may see, latest start first.")
    async def campaigns(
        self, info: Info, filter: CampaignFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Campaign]:
        f = filter or CampaignFilter()
        where = Filter(
            status=f.status,
            type=f.type,
            budget_status=f.budget_status,
            owner_id=optional_uid(f.owner_id),
            search=f.search,
        )
        async with info.context.uow() as uow:
            return Connection.of(await campaigns.page(uow, info.context.principal, where, first, after), Campaign.of)

    @strawberry.field
    async def campaign(self, info: Info, id: strawberry.ID) -> Campaign:
        async with info.context.uow() as uow:
            return Campaign.of(await campaigns.get(uow, info.context.principal, uid(id)))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_campaign(self, info: Info, input: CreateCampaignInput) -> Campaign:
        data = campaigns.CampaignInput(
            name=input.name,
            type=input.type,
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            description=input.description,
            goal_leads=input.goal_leads,
            goal_opportunities=input.goal_opportunities,
            goal_revenue=input.goal_revenue,
            currency=input.currency,
            owner_id=optional_uid(input.owner_id),
            template_id=optional_uid(input.template_id),
            language=input.language,
            budget_lines=_lines(input.budget_lines) or [],
        )
        async with info.context.uow() as uow:
            return Campaign.of(await campaigns.create(uow, info.context.principal, data))

    @strawberry.mutation
    async def update_campaign(self, info: Info, id: strawberry.ID, input: UpdateCampaignInput) -> Campaign:
        changes = campaigns.CampaignChanges(
            name=input.name,
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            description=input.description,
            goal_leads=input.goal_leads,
            goal_opportunities=input.goal_opportunities,
            goal_revenue=input.goal_revenue,
            owner_id=optional_uid(input.owner_id),
            template_id=optional_uid(input.template_id),
            language=input.language,
            budget_lines=_lines(input.budget_lines),
        )
        async with info.context.uow() as uow:
            return Campaign.of(await campaigns.update(uow, info.context.principal, uid(id), changes))

    @strawberry.mutation(description="Ask for the budget's approval: automation's approval chain decides.")
    async def submit_campaign_budget(self, info: Info, id: strawberry.ID) -> Campaign:
        async with info.context.uow() as uow:
            return Campaign.of(await budget.submit_budget(uow, info.context.principal, uid(id)))

    @strawberry.mutation(description="An actual cost against the approved budget.")
    async def record_campaign_cost(self, info: Info, id: strawberry.ID, input: CampaignCostInput) -> Campaign:
        data = budget.CostInput(input.category, input.amount, input.incurred_on, input.note)
        async with info.context.uow() as uow:
            await budget.record_cost(uow, info.context.principal, uid(id), data)
            return Campaign.of(await campaigns.get(uow, info.context.principal, uid(id)))

    @strawberry.mutation(
        description="Target contacts and leads, or a segment's members; those already members stay as they are."
    )
    async def add_campaign_members(
        self,
        info: Info,
        id: strawberry.ID,
        contact_ids: list[strawberry.ID] | None = None,
        lead_ids: list[strawberry.ID] | None = None,
        segment_id: strawberry.ID | None = None,
    ) -> Campaign:
        contacts = [uid(c) for c in contact_ids or []]
        leads = [uid(lead) for lead in lead_ids or []]
        async with info.context.uow() as uow:
            if segment_id is not None:
                await from_segment.add_segment_members(uow, info.context.principal, uid(id), uid(segment_id))
            if contacts or leads or segment_id is None:
                await members.add_members(uow, info.context.principal, uid(id), contacts, leads)
            return Campaign.of(await campaigns.get(uow, info.context.principal, uid(id)))

    @strawberry.mutation(description="Start (once approved), complete or cancel.")
    async def change_campaign_status(self, info: Info, id: strawberry.ID, status: CampaignStatus) -> Campaign:
        async with info.context.uow() as uow:
            return Campaign.of(await campaigns.change_status(uow, info.context.principal, uid(id), status))

    @strawberry.mutation(
        description="Queue an email campaign's mails, once: one per member with an address who consented."
    )
    async def send_campaign(self, info: Info, id: strawberry.ID) -> Campaign:
        settings: MarketingSettings = info.context.state.settings
        async with info.context.uow() as uow:
            await sending.send(uow, info.context.principal, uid(id), settings)
            return Campaign.of(await campaigns.get(uow, info.context.principal, uid(id)))
