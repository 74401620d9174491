"""Sales REST API: thin routes over the service layer, plus the public web-form endpoint."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from crm_shared.addresses import client_address
from crm_shared.errors import BadInput
from crm_shared.http import ERRORS, PROBLEM, CurrentPrincipal, Cursor, Transaction
from crm_shared.http.inputs import Amount, text
from sales.commands import command
from sales.leads import service as leads
from sales.leads.service import LeadFilter, LeadInput, LeadView
from sales.opportunities.service import CLEARABLE, KEPT, OpportunityFilter, OpportunityInput
from sales.orders import service as orders
from sales.orders.billing import PaymentInput
from sales.performance.analytics import FunnelFilter
from sales.services import Sales

router = APIRouter(prefix="/api/v1", tags=["sales"])


def _sales(request: Request) -> Sales:
    sales: Sales = request.app.state.sales
    return sales


Services = Annotated[Sales, Depends(_sales)]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total_count: int
    total_count_is_exact: bool
    next_cursor: str | None


async def _page(page: Any, out: Any) -> dict[str, Any]:
    count = await page.count()
    items = [out(r) for r in page.items]
    return {
        "items": items,
        "total_count": count.value,
        "total_count_is_exact": count.exact,
        "next_cursor": page.next_cursor,
    }


class LeadIn(BaseModel):
    company: str = text(200)
    contact_name: str = text(100)
    phone: str | None = text(40, default=None)
    email: str | None = text(320, default=None)
    title: str | None = text(100, default=None)
    industry: str | None = text(100, default=None)
    province: str | None = text(50, default=None)
    city: str | None = text(50, default=None)
    source: str | None = text(50, default=None)
    campaign_id: uuid.UUID | None = None
    notes: str | None = text(2000, default=None)
    owner_id: uuid.UUID | None = None

    def command(self) -> LeadInput:
        return LeadInput(**self.model_dump())


class WebFormIn(BaseModel):
    company: str = Field(max_length=200)
    contact_name: str = Field(max_length=100)
    phone: str | None = None
    email: str | None = None
    title: str | None = None
    province: str | None = None
    city: str | None = None
    message: str | None = Field(default=None, max_length=2000)
    campaign_id: uuid.UUID | None = None
    website: str | None = Field(default=None, description="Leave empty: a field only robots fill in.")
    filled_seconds: float | None = Field(
        default=None, ge=0, allow_inf_nan=False, description="How long the visitor took to fill the form."
    )


class LeadOut(BaseModel):
    id: uuid.UUID
    company: str
    contact_name: str
    phone: str | None
    email: str | None
    title: str | None
    industry: str | None
    province: str | None
    city: str | None
    source: str
    campaign_id: uuid.UUID | None
    status: str
    score: int
    owner_id: uuid.UUID | None
    conversion_status: str
    conversion_error: str | None
    account_id: uuid.UUID | None
    opportunity_id: uuid.UUID | None
    created_at: dt.datetime


def _lead(lead: LeadView) -> LeadOut:
    """Phone and email as the service shows them to the caller (masked for some roles)."""
    return LeadOut(
        **{k: getattr(lead.row, k) for k in LeadOut.model_fields if k not in ("phone", "email")},
        phone=lead.phone,
        email=lead.email,
    )


class OpportunityIn(BaseModel):
    name: str = text(200)
    account_id: uuid.UUID
    amount: Amount | None = None
    currency: str | None = text(3, default=None, pattern=r"^[A-Za-z]{3}$")
    contact_id: uuid.UUID | None = None
    pipeline_id: uuid.UUID | None = None
    expected_close_date: dt.date | None = None
    forecast_category: str | None = text(20, default=None)
    source: str | None = text(50, default=None)
    campaign_id: uuid.UUID | None = None
    description: str | None = text(2000, default=None)

    def command(self) -> OpportunityInput:
        return OpportunityInput(**self.model_dump())


class OpportunityPatch(BaseModel):
    """A JSON merge patch: a field left out stays as it is; `amount`, `contact_id` or `expected_close_date`
    sent as null is cleared, unless the opportunity's stage requires it; `name`, `currency` or
    `forecast_category` sent as null is refused, as they always hold a value."""

    name: str | None = text(200, default=None)
    amount: Amount | None = None
    currency: str | None = text(3, default=None, pattern=r"^[A-Za-z]{3}$")
    contact_id: uuid.UUID | None = None
    expected_close_date: dt.date | None = None
    forecast_category: str | None = text(20, default=None)
    description: str | None = text(2000, default=None)

    def command(self) -> OpportunityInput:
        given = self.model_dump(exclude_unset=True)
        if kept := next((name for name in KEPT if name in given and given[name] is None), None):
            raise BadInput("required_field", field=kept)
        cleared = frozenset(name for name in CLEARABLE if name in given and given[name] is None)
        return OpportunityInput(**{k: v for k, v in given.items() if v is not None}, cleared=cleared)


class OpportunityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    account_id: uuid.UUID
    contact_id: uuid.UUID | None
    amount: Decimal | None
    currency: str
    pipeline_id: uuid.UUID
    stage_id: uuid.UUID
    probability: Decimal
    expected_close_date: dt.date | None
    forecast_category: str
    status: str
    owner_id: uuid.UUID
    campaign_id: uuid.UUID | None
    created_at: dt.datetime


class StageMove(BaseModel):
    stage_id: uuid.UUID


class CloseIn(BaseModel):
    won: bool
    reason: str = text(500)
    competitor: str | None = text(200, default=None)


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    account_id: uuid.UUID
    status: str
    currency: str
    total: Decimal
    invoiced: Decimal
    owner_id: uuid.UUID
    created_at: dt.datetime


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    order_id: uuid.UUID
    account_id: uuid.UUID
    currency: str
    amount: Decimal
    paid: Decimal
    status: str
    issued_on: dt.date
    due_on: dt.date
    created_at: dt.datetime


class PaymentIn(BaseModel):
    invoice_id: uuid.UUID
    amount: Amount
    received_on: dt.date | None = None
    method: str = text(30, default="bank_transfer")
    reference: str | None = text(100, default=None)


@router.post("/public/web-form", status_code=202, responses={429: PROBLEM, 422: PROBLEM})
async def web_form(body: WebFormIn, request: Request, uow: Transaction, sales: Services) -> dict[str, bool]:
    """The website's contact form; no sign-in. Rate limited per address; spam is accepted and dropped."""
    data = command(body, LeadInput, notes=body.message)
    async with request.app.state.db.unit_of_work() as counted:  # counts even when the submission is refused
        await sales.intake.throttle(counted, client_address(request))
    await sales.intake.web_form(uow, data, body.website, body.filled_seconds)
    return {"received": True}


@router.get("/leads", responses=ERRORS)
async def list_leads(
    principal: CurrentPrincipal,
    uow: Transaction,
    sales: Services,
    status: str | None = None,
    source: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    cursor: Cursor = None,
) -> Page[LeadOut]:
    """Leads the caller may see, newest first."""
    page = await leads.page(uow, principal, LeadFilter(status=status, source=source), limit, cursor)
    return Page[LeadOut](**await _page(page, _lead))


@router.post("/leads", status_code=201, responses=ERRORS)
async def create_lead(
    body: LeadIn, principal: CurrentPrincipal, uow: Transaction, sales: Services, allow_duplicate: bool = False
) -> LeadOut:
    """Capture a lead; the assignment rules pick its owner unless owner_id is given. An open lead with the
    same phone or email answers 409 unless allow_duplicate."""
    return _lead(await leads.create(uow, principal, body.command(), allow_duplicate))


@router.get("/leads/{lead_id}", responses=ERRORS)
async def get_lead(lead_id: uuid.UUID, principal: CurrentPrincipal, uow: Transaction, sales: Services) -> LeadOut:
    return _lead(await leads.get(uow, principal, lead_id))


@router.post("/leads/{lead_id}/convert", status_code=202, responses=ERRORS)
async def convert_lead(lead_id: uuid.UUID, principal: CurrentPrincipal, uow: Transaction, sales: Services) -> LeadOut:
    """Start the conversion; conversion_status turns done (or failed) when the customer service answers."""
    return _lead(await sales.conversion.request(uow, principal, lead_id))


@router.get("/opportunities", responses=ERRORS)
async def list_opportunities(
    principal: CurrentPrincipal,
    uow: Transaction,
    sales: Services,
    status: str | None = None,
    account_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    cursor: Cursor = None,
) -> Page[OpportunityOut]:
    page = await sales.opportunities.page(
        uow, principal, OpportunityFilter(status=status, account_id=account_id), limit, cursor
    )
    return Page[OpportunityOut](**await _page(page, OpportunityOut.model_validate))


@router.post("/opportunities", status_code=201, responses=ERRORS)
async def create_opportunity(
    body: OpportunityIn, principal: CurrentPrincipal, uow: Transaction, sales: Services
) -> OpportunityOut:
    return OpportunityOut.model_validate(await sales.opportunities.create(uow, principal, body.command()))


@router.get("/opportunities/{opportunity_id}", responses=ERRORS)
async def get_opportunity(
    opportunity_id: uuid.UUID, principal: CurrentPrincipal, uow: Transaction, sales: Services
) -> OpportunityOut:
    return OpportunityOut.model_validate(await sales.opportunities.get(uow, principal, opportunity_id))


@router.patch("/opportunities/{opportunity_id}", responses=ERRORS)
async def update_opportunity(
    opportunity_id: uuid.UUID, body: OpportunityPatch, principal: CurrentPrincipal, uow: Transaction, sales: Services
) -> OpportunityOut:
    row = await sales.opportunities.update(uow, principal, opportunity_id, body.command())
    return OpportunityOut.model_validate(row)


@router.post("/opportunities/{opportunity_id}/stage", responses=ERRORS)
async def move_opportunity(
    opportunity_id: uuid.UUID, body: StageMove, principal: CurrentPrincipal, uow: Transaction, sales: Services
) -> OpportunityOut:
    return OpportunityOut.model_validate(await sales.opportunities.move(uow, principal, opportunity_id, body.stage_id))


@router.post("/opportunities/{opportunity_id}/close", responses=ERRORS)
async def close_opportunity(
    opportunity_id: uuid.UUID, body: CloseIn, principal: CurrentPrincipal, uow: Transaction, sales: Services
) -> OpportunityOut:
    row = await sales.opportunities.close(uow, principal, opportunity_id, body.won, body.reason, body.competitor)
    return OpportunityOut.model_validate(row)


@router.get("/orders", responses=ERRORS)
async def list_orders(
    principal: CurrentPrincipal,
    uow: Transaction,
    sales: Services,
    account_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    cursor: Cursor = None,
) -> Page[OrderOut]:
    page = await orders.page(uow, principal, account_id, None, limit, cursor)
    return Page[OrderOut](**await _page(page, OrderOut.model_validate))


@router.get("/invoices", responses=ERRORS)
async def list_invoices(
    principal: CurrentPrincipal,
    uow: Transaction,
    sales: Services,
    account_id: uuid.UUID | None = None,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    cursor: Cursor = None,
) -> Page[InvoiceOut]:
    page = await sales.billing.page(uow, principal, account_id, None, status, limit, cursor)
    return Page[InvoiceOut](**await _page(page, InvoiceOut.model_validate))


@router.post("/payments", status_code=201, responses=ERRORS)
async def record_payment(body: PaymentIn, principal: CurrentPrincipal, uow: Transaction, sales: Services) -> InvoiceOut:
    """Record a payment; answers the invoice with its new paid amount and status."""
    _, invoice = await sales.billing.record_payment(uow, principal, PaymentInput(**body.model_dump()))
    return InvoiceOut.model_validate(invoice)


@router.get("/receivables/aging", responses=ERRORS)
async def receivables_aging(
    principal: CurrentPrincipal, uow: Transaction, sales: Services, as_of: dt.date | None = None
) -> dict[str, Any]:
    """Outstanding amounts by days past due: 0-30, 31-60, 61-90, 90+."""
    a = await sales.billing.aging(uow, principal, as_of)
    return {
        "as_of": a.as_of,
        "currency": a.currency,
        "total": str(a.total),
        "buckets": [{"label": b.label, "amount": str(b.amount), "count": b.count} for b in a.buckets],
    }


@router.get("/forecast", responses=ERRORS)
async def forecast(period: str, principal: CurrentPrincipal, uow: Transaction, sales: Services) -> dict[str, Any]:
    """Weighted, commit, best case and pipeline of a period such as 2026-Q4, in the base currency."""
    f = await sales.analytics.forecast(uow, principal, period)
    return {
        "period": f.period,
        "currency": f.currency,
        "weighted": str(f.weighted),
        "commit": str(f.commit),
        "best_case": str(f.best_case),
        "pipeline": str(f.pipeline),
        "closed_won": str(f.closed_won),
        "trend": str(f.trend),
    }


@router.get("/funnel", responses=ERRORS)
async def funnel(
    principal: CurrentPrincipal,
    uow: Transaction,
    sales: Services,
    period: str | None = None,
    owner_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Stage counts and conversion, time in stage, win rate and velocity."""
    f = await sales.analytics.funnel(uow, principal, FunnelFilter(owner_id=owner_id, period=period))
    return {
        "stages": [
            {
                "name": s.name,
                "count": s.count,
                "conversion_rate": s.conversion_rate,
                "average_days_in_stage": s.average_days_in_stage,
            }
            for s in f.stages
        ],
        "win_rate": f.win_rate,
        "average_deal_size": str(f.average_deal_size),
        "sales_velocity": str(f.sales_velocity),
        "currency": f.currency,
    }
