"""Opportunities: create, edit, move through stages (history kept), close as won or lost, reopen, line items."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from crm_shared import audit
from crm_shared.accounts import require_account
from crm_shared.auth import Principal
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import choice, optional_text, required_text
from sales.access import listing, load, may_access, require_active_user, visible
from sales.events import OPPORTUNITY_TOPIC, event
from sales.money import Rates, cents, currency, parse, percent
from sales.opportunities.models import CATEGORIES, STATUSES, Opportunity, OpportunityLine, StageVisit
from sales.performance.rollup import StageChange, entry, exit_, funnel_state, record_stays, shift_funnel
from sales.pipeline.models import Stage
from sales.pipeline.service import default_pipeline, stages_of
from sales.products.models import Product

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


def snapshot(o: Opportunity) -> dict[str, Any]:
    return {
        "id": str(o.id),
        "name": o.name,
        "accountId": str(o.account_id),
        "ownerId": str(o.owner_id),
        "pipelineId": str(o.pipeline_id),
        "stageId": str(o.stage_id),
        "probability": str(o.probability),
        "amount": str(o.amount) if o.amount is not None else None,
        "currency": o.currency,
        "amountBase": str(o.amount_base),
        "expectedCloseDate": o.expected_close_date.isoformat() if o.expected_close_date else None,
        "forecastCategory": o.forecast_category,
        "status": o.status,
        "source": o.source,
        "campaignId": str(o.campaign_id) if o.campaign_id else None,
        "leadId": str(o.lead_id) if o.lead_id else None,
    }


def missing_for(o: Opportunity, stage: Stage, has_lines: bool) -> str | None:
    """The first field the stage requires that the opportunity lacks."""
    for required in stage.required_fields:
        present = has_lines if required == "lines" else bool(getattr(o, required))
        if not present:
            return required
    return None


CAMEL = {
    "amount": "amount",
    "expected_close_date": "expectedCloseDate",
    "contact_id": "contactId",
    "lines": "lines",
    "description": "description",
}


class OpportunityService:
    def __init__(self, db: Database, rates: Rates) -> None:
        self.db = db
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
            o.description = optional_text(data.description, "description", 2000) or ""
        if data.contact_id is not None:
            o.contact_id = data.contact_id
        if data.campaign_id is not None:
            o.campaign_id = data.campaign_id
        o.amount_base = self.rates.to_base(o.amount or Decimal(0), o.currency)

    async def create(self, principal: Principal, data: OpportunityInput) -> Opportunity:
        """For the caller, or for an active colleague within the caller's scope (a manager's rep)."""
        principal.require(f"{RESOURCE}:create")
        owner = data.owner_id or principal.user_id
        if data.account_id is None:
            raise BadInput("required_field", field="accountId")
        async with self.db.unit_of_work() as uow:
            await require_account(uow, principal, data.account_id)
            if owner != principal.user_id:
                await require_active_user(uow, owner)
                if not await may_access(uow, principal, RESOURCE, owner):
                    raise BadInput("unknown_user", field="ownerId")
            return await self.open(uow, data, owner, None)

    async def open(
        self, uow: UnitOfWork, data: OpportunityInput, owner: uuid.UUID, lead_id: uuid.UUID | None
    ) -> Opportunity:
        """Insert at the first stage of the pipeline; shared by createOpportunity and lead conversion."""
        pipeline = await default_pipeline(uow) if data.pipeline_id is None else None
        pipeline_id = data.pipeline_id or pipeline.id  # type: ignore[union-attr]
        stages = await stages_of(uow, pipeline_id)
        if not stages:
            raise BadInput("unknown_pipeline", field="pipelineId")
        first = stages[0]
        o = Opportunity(
            name="",
            account_id=data.account_id,
            pipeline_id=pipeline_id,
            stage_id=first.id,
            stage_position=1,
            max_position=1,
            probability=first.probability,
            owner_id=owner,
            lead_id=lead_id,
            currency="",
            created_by=owner,
        )  # type: ignore[arg-type]
        self._apply(o, data)
        uow.session.add(o)
        await uow.flush()
        uow.session.add(
            StageVisit(
                opportunity_id=o.id,
                pipeline_id=pipeline_id,
                stage_id=first.id,
                owner_id=owner,
                entered_at=o.created_at,
                actor_id=owner,
            )
        )
        await record_stays(uow, o, [entry(first.id, o.created_at)])
        await shift_funnel(uow, None, o)
        await uow.emit(OPPORTUNITY_TOPIC, event("opportunity.created", o.id, snapshot(o)))
        await audit.record(uow, "opportunity.created", "Opportunity", o.id, None, snapshot(o))
        return o

    async def get(self, principal: Principal, opportunity_id: uuid.UUID) -> Opportunity:
        async with self.db.unit_of_work() as uow:
            return await load(uow, principal, Opportunity, opportunity_id, f"{RESOURCE}:read")

    async def page(
        self, principal: Principal, f: OpportunityFilter, first: int, after: str | None
    ) -> tuple[list[Opportunity], Any]:
        principal.require(f"{RESOURCE}:read")
        if f.status is not None and f.status not in STATUSES:
            raise BadInput(field="status", reason=", ".join(STATUSES))
        async with self.db.read() as session:
            where = [await visible(session, principal, RESOURCE, Opportunity)]
            for column, value in (
                (Opportunity.status, f.status),
                (Opportunity.owner_id, f.owner_id),
                (Opportunity.account_id, f.account_id),
                (Opportunity.pipeline_id, f.pipeline_id),
                (Opportunity.stage_id, f.stage_id),
                (Opportunity.campaign_id, f.campaign_id),
            ):
                if value is not None:
                    where.append(column == value)
            if f.closing_from is not None:
                where.append(Opportunity.expected_close_date >= f.closing_from)  # type: ignore[operator]
            if f.closing_to is not None:
                where.append(Opportunity.expected_close_date <= f.closing_to)  # type: ignore[operator]
        return await listing(self.db, Opportunity, where, first, after)

    async def update(self, principal: Principal, opportunity_id: uuid.UUID, data: OpportunityInput) -> Opportunity:
        if data.account_id is not None or data.pipeline_id is not None or data.owner_id is not None:
            raise BadInput(
                "immutable_field",
                field="accountId" if data.account_id else "pipelineId" if data.pipeline_id else "ownerId",
            )
        async with self.db.unit_of_work() as uow:
            o = await load(uow, principal, Opportunity, opportunity_id, f"{RESOURCE}:update", lock=True)
            if o.status != "open":
                raise Conflict("opportunity_closed")
            before, counted = snapshot(o), funnel_state(o)
            self._apply(o, data)
            o.updated_at = utcnow()
            await shift_funnel(uow, counted, o)
            await uow.emit(OPPORTUNITY_TOPIC, event("opportunity.updated", o.id, snapshot(o)))
            await audit.record(uow, "opportunity.updated", "Opportunity", o.id, before, snapshot(o))
        return o

    async def move(self, principal: Principal, opportunity_id: uuid.UUID, stage_id: uuid.UUID) -> Opportunity:
        async with self.db.unit_of_work() as uow:
            o = await load(uow, principal, Opportunity, opportunity_id, f"{RESOURCE}:update", lock=True)
            if o.status != "open":
                raise Conflict("opportunity_closed")
            stage = await uow.session.get(Stage, stage_id)
            if stage is None or stage.pipeline_id != o.pipeline_id:
                raise BadInput("unknown_stage", field="stageId")
            if stage.id == o.stage_id:
                return o
            lines = await uow.session.scalar(
                select(func.count()).select_from(OpportunityLine).where(OpportunityLine.opportunity_id == o.id)
            )
            lacking = missing_for(o, stage, bool(lines))
            if lacking:
                raise BadInput("stage_requires", field=CAMEL[lacking], stage=stage.name)
            counted = funnel_state(o)
            await self._enter(uow, o, stage, principal.user_id)
            await shift_funnel(uow, counted, o)
        return o

    async def _leave(self, uow: UnitOfWork, o: Opportunity, now: dt.datetime) -> list[StageChange]:
        """End the open stay; what it adds to the stage-time totals is returned for the caller to record."""
        visit = await uow.session.scalar(
            select(StageVisit).where(StageVisit.opportunity_id == o.id, StageVisit.left_at.is_(None))
        )  # type: ignore[union-attr]
        if visit is not None:
            visit.left_at = now
            return [exit_(visit.stage_id, visit.entered_at, now)]
        return []

    async def _enter(self, uow: UnitOfWork, o: Opportunity, stage: Stage, actor: uuid.UUID | None) -> None:
        """Into a stage, with history; the caller shifts the funnel totals."""
        now = utcnow()
        left = await self._leave(uow, o, now)
        before = o.stage_id
        o.stage_id, o.stage_position, o.probability = stage.id, stage.position, stage.probability
        o.max_position = max(o.max_position, stage.position)
        o.stage_entered_at = o.updated_at = now
        uow.session.add(
            StageVisit(
                opportunity_id=o.id,
                pipeline_id=o.pipeline_id,
                stage_id=stage.id,
                owner_id=o.owner_id,
                entered_at=now,
                actor_id=actor,
            )
        )
        await record_stays(uow, o, [*left, entry(stage.id, now)])
        data = {**snapshot(o), "fromStageId": str(before), "stageName": stage.name}
        await uow.emit(OPPORTUNITY_TOPIC, event("opportunity.stage_changed", o.id, data))
        await audit.record(
            uow, "opportunity.stage_changed", "Opportunity", o.id, {"stageId": str(before)}, {"stageId": str(stage.id)}
        )

    async def close(
        self, principal: Principal, opportunity_id: uuid.UUID, won: bool, reason: str, competitor: str | None = None
    ) -> Opportunity:
        async with self.db.unit_of_work() as uow:
            o = await load(uow, principal, Opportunity, opportunity_id, f"{RESOURCE}:update", lock=True)
            await self.close_in(uow, o, won, reason, competitor)
        return o

    async def close_in(
        self,
        uow: UnitOfWork,
        o: Opportunity,
        won: bool,
        reason: str,
        competitor: str | None,
        counted: tuple[Any, ...] | None = None,
    ) -> None:
        if o.status != "open":
            raise Conflict("opportunity_closed")
        if not reason.strip():
            raise BadInput("required_field", field="reason")
        if won and not o.amount:
            raise BadInput("required_field", field="amount")
        now = utcnow()
        counted = counted or funnel_state(o)  # where it counted before the caller's own changes, if any
        await record_stays(uow, o, await self._leave(uow, o, now))
        stages = await stages_of(uow, o.pipeline_id)
        o.status, o.close_reason, o.closed_at, o.updated_at = (
            ("won" if won else "lost"),
            reason.strip()[:500],
            now,
            now,
        )
        o.competitor = optional_text(competitor, "competitor", 200) if competitor is not None else o.competitor
        o.probability = Decimal(100 if won else 0)
        if won:
            o.max_position = len(stages) + 1
        await shift_funnel(uow, counted, o)
        kind = "opportunity.won" if won else "opportunity.lost"
        data = {
            **snapshot(o),
            "reason": o.close_reason,
            "competitor": o.competitor,
            "closedAt": now.isoformat(),
        }
        await uow.emit(OPPORTUNITY_TOPIC, event(kind, o.id, data))
        await audit.record(
            uow,
            kind,
            "Opportunity",
            o.id,
            {"status": "open"},
            {"status": o.status},
            detail={"reason": o.close_reason, "competitor": o.competitor},
        )

    async def reopen(self, principal: Principal, opportunity_id: uuid.UUID, stage_id: uuid.UUID | None) -> Opportunity:
        async with self.db.unit_of_work() as uow:
            o = await load(uow, principal, Opportunity, opportunity_id, f"{RESOURCE}:update", lock=True)
            if o.status == "open":
                raise Conflict("opportunity_open")
            stages = await stages_of(uow, o.pipeline_id)
            stage = next((s for s in stages if s.id == stage_id), None) if stage_id else stages[-1]
            if stage is None:
                raise BadInput("unknown_stage", field="stageId")
            before, counted = o.status, funnel_state(o)
            o.status, o.closed_at, o.close_reason = "open", None, None
            o.max_position = min(o.max_position, len(stages))
            await self._enter(uow, o, stage, principal.user_id)
            await shift_funnel(uow, counted, o)
            await uow.emit(OPPORTUNITY_TOPIC, event("opportunity.reopened", o.id, {**snapshot(o), "from": before}))
            await audit.record(uow, "opportunity.reopened", "Opportunity", o.id, {"status": before}, {"status": "open"})
        return o

    async def set_lines(self, principal: Principal, opportunity_id: uuid.UUID, lines: list[LineInput]) -> Opportunity:
        """Replace the products; the amount becomes their total."""
        async with self.db.unit_of_work() as uow:
            o = await load(uow, principal, Opportunity, opportunity_id, f"{RESOURCE}:update", lock=True)
            if o.status != "open":
                raise Conflict("opportunity_closed")
            counted = funnel_state(o)
            for row in (
                await uow.session.scalars(select(OpportunityLine).where(OpportunityLine.opportunity_id == o.id))
            ).all():
                await uow.session.delete(row)
            total = Decimal(0)
            for index, line in enumerate(lines):
                product = await uow.session.get(Product, line.product_id)
                if product is None or not product.active:
                    raise BadInput("unknown_product", field=f"lines[{index}].productId")
                qty = parse(line.quantity, f"lines[{index}].quantity", Decimal("0.0001"))
                price = parse(line.unit_price, f"lines[{index}].unitPrice") if line.unit_price else product.list_price
                discount = percent(line.discount_percent, f"lines[{index}].discountPercent")
                amount = cents(qty * price * (1 - discount / 100))
                total += amount
                uow.session.add(
                    OpportunityLine(
                        opportunity_id=o.id,
                        product_id=product.id,
                        quantity=qty,
                        unit_price=price,
                        discount_percent=discount,
                        total=amount,
                    )
                )
            o.amount = cents(total)
            o.amount_base = self.rates.to_base(o.amount, o.currency)
            o.updated_at = utcnow()
            await shift_funnel(uow, counted, o)
            await uow.emit(OPPORTUNITY_TOPIC, event("opportunity.updated", o.id, snapshot(o)))
            await audit.record(uow, "opportunity.lines_set", "Opportunity", o.id, None, {"amount": str(o.amount)})
        return o

    async def lines(self, opportunity_id: uuid.UUID) -> list[OpportunityLine]:
        async with self.db.read() as session:
            rows = await session.scalars(
                select(OpportunityLine).where(OpportunityLine.opportunity_id == opportunity_id)
            )
            return list(rows.all())

    async def history(self, opportunity_id: uuid.UUID) -> list[tuple[StageVisit, str]]:
        async with self.db.read() as session:
            rows = await session.execute(
                select(StageVisit, Stage.name)
                .join(Stage, Stage.id == StageVisit.stage_id)
                .where(StageVisit.opportunity_id == opportunity_id)
                .order_by(StageVisit.entered_at)
            )
            return [(visit, name) for visit, name in rows.all()]
