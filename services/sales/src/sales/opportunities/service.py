"""Opportunities: create, edit, move through stages (history kept), close as won or lost, reopen, line items."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import AccountRef, require_account
from crm_shared.auth import Principal
from crm_shared.auth.directory import assignable
from crm_shared.contacts import require_contact
from crm_shared.db import UnitOfWork, effects
from crm_shared.db.pages import Page
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import choice, note, optional_text, required_text
from sales.campaigns import require_campaign
from sales.events import OpportunityUpdated, fields_of
from sales.money import Rates, cents, currency, parse
from sales.opportunities import lifecycle
from sales.opportunities.lifecycle import snapshot
from sales.opportunities.models import CATEGORIES, STATUSES, Opportunity, OpportunityLine, OpportunityStatus, StageVisit
from sales.orders import service as orders
from sales.pipeline.models import Stage
from sales.pipeline.service import default_pipeline, stages_of
from sales.products.service import price_book_for, price_lines
from sales.repositories import Opportunities

RESOURCE = "sales:opportunity"


@dataclass
class OpportunityInput:
    name: str | None = None
    amount: str | None = None
    currency: str | None = None
    account_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    pipeline_id: uuid.UUID | None = None
    expected_close_date: dt.date | None = None
    forecast_category: str | None = None
    source: str | None = None
    campaign_id: uuid.UUID | None = None
    description: str | None = None
    owner_id: uuid.UUID | None = None
    cleared: frozenset[str] = frozenset()  # of CLEARABLE: asked to be emptied, where None leaves a field as it is


CLEARABLE = ("amount", "contact_id", "expected_close_date")
KEPT = ("name", "currency", "forecast_category")  # always hold a value: given as null, refused (never ignored)


@dataclass
class LineInput:
    product_id: uuid.UUID
    quantity: str
    unit_price: str | None = None
    discount_percent: str | None = None


@dataclass(frozen=True)
class OpportunityFilter:
    status: str | None = None
    owner_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    pipeline_id: uuid.UUID | None = None
    stage_id: uuid.UUID | None = None
    campaign_id: uuid.UUID | None = None
    closing_from: dt.date | None = None
    closing_to: dt.date | None = None


@dataclass(frozen=True)
class StageTotal:
    """Open opportunities at one stage: how many, and their amount in the base currency."""

    stage: Stage
    count: int
    amount_base: Decimal


def missing_for(o: Opportunity, stage: Stage, has_lines: bool) -> str | None:
    """The first field the stage requires that the opportunity lacks."""
    for required in stage.required_fields:
        present = has_lines if required == "lines" else bool(getattr(o, required))
        if not present:
            return required
    return None


async def _fills(uow: UnitOfWork, o: Opportunity, stage: Stage) -> None:
    """An opportunity enters a stage (moved, or reopened into it) only with the fields the stage requires."""
    count = await uow.session.scalar(
        select(func.count()).select_from(OpportunityLine).where(col(OpportunityLine.opportunity_id) == o.id)
    )
    lacking = missing_for(o, stage, bool(count))
    if lacking:
        raise BadInput("stage_requires", field=CAMEL[lacking], stage=stage.name)


def _editable(data: OpportunityInput) -> None:
    """The account, pipeline and owner are set when the opportunity is made, not by an edit."""
    if data.account_id is not None or data.pipeline_id is not None or data.owner_id is not None:
        raise BadInput(
            "immutable_field",
            field="accountId" if data.account_id else "pipelineId" if data.pipeline_id else "ownerId",
        )


async def _keeps_required(uow: UnitOfWork, o: Opportunity, cleared: frozenset[str]) -> None:
    """What the opportunity's stage requires stays filled: it was asked for on the way in."""
    stage = await uow.session.get(Stage, o.stage_id)
    if stage is None:
        return
    required = next((name for name in stage.required_fields if name in cleared), None)
    if required is not None:
        raise BadInput("stage_requires", field=CAMEL[required], stage=stage.name)


CAMEL = {
    "amount": "amount",
    "expected_close_date": "expectedCloseDate",
    "contact_id": "contactId",
    "lines": "lines",
    "description": "description",
}


class OpportunityService:
    def __init__(self, rates: Rates) -> None:
        self.rates = rates

    def _apply(self, o: Opportunity, data: OpportunityInput) -> None:
        if data.name is not None:
            o.name = required_text(data.name, "name", 200)
        if data.currency is not None or not o.currency:
            o.currency = self.rates.check(currency(data.currency, self.rates.base))
        if data.amount is not None:
            o.amount = cents(parse(data.amount, "amount"))
        if data.expected_close_date is not None:
            o.expected_close_date = data.expected_close_date
        if data.forecast_category is not None:
            o.forecast_category = choice(data.forecast_category, "forecastCategory", CATEGORIES) or "pipeline"
        if data.source is not None:
            o.source = optional_text(data.source, "source", 50)
        if data.description is not None:
            o.description = note(data.description, "description", 2000)
        if data.contact_id is not None:
            o.contact_id = data.contact_id
        if data.campaign_id is not None:
            o.campaign_id = data.campaign_id
        for name in data.cleared:
            setattr(o, name, None)
        o.amount_base = self.rates.to_base(o.amount or Decimal(0), o.currency)

    async def create(self, uow: UnitOfWork, principal: Principal, data: OpportunityInput) -> Opportunity:
        """For the caller, or for an active colleague within the caller's scope (a manager's rep)."""
        principal.require(f"{RESOURCE}:create")
        step = await effects.step(uow, "Opportunity")
        if step.done is not None:  # this request ran before and made it; its answer was lost
            return await self.get(uow, principal, step.done)
        owner = data.owner_id or principal.user_id
        if data.account_id is None:
            raise BadInput("required_field", field="accountId")
        await require_account(uow, principal, data.account_id)
        if data.contact_id is not None:
            await require_contact(uow, data.account_id, data.contact_id)
        if data.campaign_id is not None:
            await require_campaign(uow, data.campaign_id)
        if owner != principal.user_id:
            await assignable(uow, principal, RESOURCE, owner, "ownerId")
        opportunity = await self.start(uow, data, owner, None)
        step.made(opportunity.id)
        return opportunity

    async def start(
        self, uow: UnitOfWork, data: OpportunityInput, owner: uuid.UUID, lead_id: uuid.UUID | None
    ) -> Opportunity:
        """At the first stage of the pipeline: for createOpportunity, and for a converted lead in its handler."""
        if data.account_id is None:
            raise BadInput("required_field", field="accountId")
        pipeline_id = data.pipeline_id or (await default_pipeline(uow)).id
        stages = await stages_of(uow, pipeline_id)
        if not stages:
            raise BadInput("unknown_pipeline", field="pipelineId")
        o = Opportunity(
            name="",
            account_id=data.account_id,
            pipeline_id=pipeline_id,
            stage_id=stages[0].id,
            owner_id=owner,
            lead_id=lead_id,
            currency="",
            created_by=owner,
        )
        self._apply(o, data)
        await lifecycle.opened(uow, o, stages[0])
        return o

    async def get(self, uow: UnitOfWork, principal: Principal, opportunity_id: uuid.UUID) -> Opportunity:
        return await Opportunities(uow, principal).get(opportunity_id)

    async def page(
        self, uow: UnitOfWork, principal: Principal, f: OpportunityFilter, first: int, after: str | None
    ) -> Page[Opportunity]:
        principal.require(f"{RESOURCE}:read")
        if f.status is not None and f.status not in STATUSES:
            raise BadInput("one_of", field="status", choices=", ".join(STATUSES))
        where: list[Any] = []
        if f.closing_from is not None:
            where.append(col(Opportunity.expected_close_date) >= f.closing_from)
        if f.closing_to is not None:
            where.append(col(Opportunity.expected_close_date) <= f.closing_to)
        equal = ("status", "owner_id", "account_id", "pipeline_id", "stage_id", "campaign_id")
        return await Opportunities(uow, principal).newest(where, first, after, **{n: getattr(f, n) for n in equal})

    async def open_by_stage(
        self, uow: UnitOfWork, principal: Principal, owner_id: uuid.UUID | None
    ) -> list[StageTotal]:
        """The open opportunities the caller may see (one person's, or all), counted and summed per stage in one
        grouped read, in each pipeline's stage order: a pipeline of any size, where a page of them shows a part."""
        principal.require(f"{RESOURCE}:read")
        where = [await Opportunities(uow, principal).visible(), col(Opportunity.status) == OpportunityStatus.OPEN]
        if owner_id is not None:
            where.append(col(Opportunity.owner_id) == owner_id)
        totals = (
            select(
                col(Opportunity.stage_id),
                func.count().label("count"),
                func.sum(col(Opportunity.amount_base)).label("amount"),
            )
            .where(*where)
            .group_by(col(Opportunity.stage_id))
            .subquery()
        )
        rows = await uow.session.execute(
            select(Stage, totals.c.count, totals.c.amount)
            .join(totals, col(Stage.id) == totals.c.stage_id)
            .order_by(col(Stage.pipeline_id), col(Stage.position))
        )
        return [StageTotal(stage, count, amount) for stage, count, amount in rows.all()]

    async def update(
        self, uow: UnitOfWork, principal: Principal, opportunity_id: uuid.UUID, data: OpportunityInput
    ) -> Opportunity:
        _editable(data)
        o = await Opportunities(uow, principal).get(opportunity_id, "update", lock=True)
        await self._revise(uow, o, data)
        return o

    async def _revise(self, uow: UnitOfWork, o: Opportunity, data: OpportunityInput) -> None:
        if data.contact_id is not None and data.contact_id != o.contact_id:
            await require_contact(uow, o.account_id, data.contact_id)
        if data.campaign_id is not None and data.campaign_id != o.campaign_id:
            await require_campaign(uow, data.campaign_id)
        if data.cleared:
            await _keeps_required(uow, o, data.cleared)
        before = snapshot(o)
        async with lifecycle.revising(uow, o):
            self._apply(o, data)
        await uow.publish(OpportunityUpdated(**fields_of(o, OpportunityUpdated)))
        await audit.record(uow, "opportunity.updated", "Opportunity", o.id, before, snapshot(o))

    async def move(
        self,
        uow: UnitOfWork,
        principal: Principal,
        opportunity_id: uuid.UUID,
        stage_id: uuid.UUID,
        data: OpportunityInput | None = None,
        lines: list[LineInput] | None = None,
    ) -> Opportunity:
        """Into a stage of its pipeline; `data` and `lines` fill what the stage requires in the same transaction."""
        if data is not None:
            _editable(data)
        o = await Opportunities(uow, principal).get(opportunity_id, "update", lock=True)
        lifecycle.require_open(o)
        stage = await uow.session.get(Stage, stage_id)
        if stage is None or stage.pipeline_id != o.pipeline_id:
            raise BadInput("unknown_stage", field="stageId")
        if data is not None:
            await self._revise(uow, o, data)
        if lines is not None:
            await self._set_lines(uow, o, lines)
        if stage.id == o.stage_id:
            return o
        await _fills(uow, o, stage)
        await lifecycle.move(uow, o, stage, principal.user_id)
        return o

    async def close(
        self,
        uow: UnitOfWork,
        principal: Principal,
        opportunity_id: uuid.UUID,
        won: bool,
        reason: str,
        competitor: str | None = None,
    ) -> Opportunity:
        o = await Opportunities(uow, principal).get(opportunity_id, "update", lock=True)
        await lifecycle.close(uow, o, won, reason, competitor)
        return o

    async def reopen(
        self, uow: UnitOfWork, principal: Principal, opportunity_id: uuid.UUID, stage_id: uuid.UUID | None
    ) -> Opportunity:
        """Back into a stage (the last if none is given) whose required fields it has, as a move would; a deal
        with a live order stays sold."""
        o = await Opportunities(uow, principal).get(opportunity_id, "update", lock=True)
        if o.status == OpportunityStatus.OPEN:
            raise Conflict("opportunity_open")
        await orders.require_no_live_order(uow, o.id)
        stages = await stages_of(uow, o.pipeline_id)
        stage = next((s for s in stages if s.id == stage_id), None) if stage_id else stages[-1]
        if stage is None:
            raise BadInput("unknown_stage", field="stageId")
        await _fills(uow, o, stage)
        await lifecycle.reopen(uow, o, stage, len(stages), principal.user_id)
        return o

    async def set_lines(
        self, uow: UnitOfWork, principal: Principal, opportunity_id: uuid.UUID, lines: list[LineInput]
    ) -> Opportunity:
        """Replace the products; the amount becomes their total."""
        o = await Opportunities(uow, principal).get(opportunity_id, "update", lock=True)
        await self._set_lines(uow, o, lines)
        return o

    async def _set_lines(self, uow: UnitOfWork, o: Opportunity, lines: list[LineInput]) -> None:
        async with lifecycle.revising(uow, o):
            await self._replace_lines(uow, o, lines)
        await uow.publish(OpportunityUpdated(**fields_of(o, OpportunityUpdated)))
        await audit.record(uow, "opportunity.lines_set", "Opportunity", o.id, None, {"amount": str(o.amount)})

    async def _replace_lines(self, uow: UnitOfWork, o: Opportunity, lines: list[LineInput]) -> None:
        for row in (
            await uow.session.scalars(select(OpportunityLine).where(col(OpportunityLine.opportunity_id) == o.id))
        ).all():
            await uow.session.delete(row)
        book = await price_book_for(uow, await uow.session.get(AccountRef, o.account_id), o.currency)
        priced = await price_lines(uow, book, lines, self.rates, o.currency)
        uow.session.add_all(
            OpportunityLine(
                opportunity_id=o.id,
                product_id=p.product.id,
                quantity=p.quantity,
                unit_price=p.unit_price,
                discount_percent=p.discount_percent,
                total=p.total,
            )
            for p in priced
        )
        o.amount = cents(sum((p.total for p in priced), Decimal(0)))
        o.amount_base = self.rates.to_base(o.amount, o.currency)

    async def lines(
        self, uow: UnitOfWork, opportunity_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[OpportunityLine]]:
        """The product lines of each opportunity (none: an empty list), read in one statement."""
        found: dict[uuid.UUID, list[OpportunityLine]] = {i: [] for i in opportunity_ids}
        rows = await uow.session.scalars(select(OpportunityLine).where(col(OpportunityLine.opportunity_id).in_(found)))
        for line in rows.all():
            found[line.opportunity_id].append(line)
        return found

    async def history(self, uow: UnitOfWork, opportunity_id: uuid.UUID) -> list[tuple[StageVisit, str]]:
        rows = await uow.session.execute(
            select(StageVisit, col(Stage.name))
            .join(Stage, col(Stage.id) == col(StageVisit.stage_id))
            .where(col(StageVisit.opportunity_id) == opportunity_id)
            .order_by(col(StageVisit.entered_at))
        )
        return [(visit, name) for visit, name in rows.all()]
