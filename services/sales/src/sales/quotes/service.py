"""Quotes: versions with exact totals; a discount past the threshold waits for an approval."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import AccountRef
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Page
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import day_within, fits
from sales.events import QuoteCreated, fields_of
from sales.money import MAX_AMOUNT, Rates, cents, percent
from sales.opportunities import lifecycle as opportunity_lifecycle
from sales.opportunities.models import Opportunity, OpportunityStatus
from sales.opportunities.service import LineInput
from sales.orders import service as orders
from sales.orders.models import Order
from sales.products.service import chosen_price_book, price_book_for, price_lines
from sales.quotes import lifecycle
from sales.quotes.lifecycle import snapshot
from sales.quotes.models import Quote, QuoteLine
from sales.repositories import Opportunities, Orders, Quotes

RESOURCE = "sales:quote"


@dataclass
class QuoteInput:
    opportunity_id: uuid.UUID
    lines: list[LineInput] = field(default_factory=list)
    discount_percent: str | None = None
    tax_rate: str | None = None
    valid_until: dt.date | None = None
    price_book_id: uuid.UUID | None = None


def totals(q: Quote, lines: list[QuoteLine]) -> None:
    """Subtotal of the lines, then the quote discount, then tax; each rounded half-up to the cent. The lines
    (`price_lines`) fit a money column; the lines at list price or the taxed total may not, and are refused."""
    listed = sum((line.quantity * line.list_price for line in lines), Decimal(0))
    if not fits(listed):
        raise BadInput("out_of_range", field="lines", maximum=str(MAX_AMOUNT))
    q.list_total = cents(listed)
    q.subtotal = cents(sum((line.total for line in lines), Decimal(0)))
    q.discount_amount = cents(q.subtotal * q.discount_percent / 100)
    net = q.subtotal - q.discount_amount
    q.tax_amount = cents(net * q.tax_rate / 100)
    q.total = net + q.tax_amount
    if not fits(q.total):
        raise BadInput("out_of_range", field="taxRate", maximum=str(MAX_AMOUNT))
    q.effective_discount = cents((1 - net / q.list_total) * 100) if q.list_total else Decimal(0)


class QuoteService:
    def __init__(self, rates: Rates, approval_threshold: Decimal) -> None:
        self.rates = rates
        self.threshold = approval_threshold

    async def create(self, uow: UnitOfWork, principal: Principal, data: QuoteInput) -> Quote:
        """A new version for the opportunity; earlier open versions are superseded."""
        principal.require(f"{RESOURCE}:create")
        if not data.lines:
            raise BadInput("required_field", field="lines")
        if data.valid_until is not None:
            day_within(data.valid_until, "validUntil", utcnow().date())  # a quote born expired could be submitted
        o = await Opportunities(uow, principal).get(data.opportunity_id, lock=True)
        await Quotes(uow, principal).require_for("create", o.owner_id)  # the owner's, as the versions it supersedes
        if o.status != "open":
            raise Conflict("opportunity_closed")
        if data.price_book_id is None:
            book = await price_book_for(uow, await uow.session.get(AccountRef, o.account_id), o.currency)
        else:
            book = await chosen_price_book(uow, data.price_book_id, o.currency)
        version = (
            await uow.session.scalar(select(func.max(col(Quote.version))).where(col(Quote.opportunity_id) == o.id))
        ) or 0
        await lifecycle.supersede_open(uow, o.id)
        quote = Quote(
            opportunity_id=o.id,
            account_id=o.account_id,
            version=version + 1,
            currency=o.currency,
            price_book_id=book.id if book else None,
            owner_id=o.owner_id,
            created_by=principal.user_id,
            valid_until=data.valid_until,
            discount_percent=percent(data.discount_percent, "discountPercent"),
            tax_rate=percent(data.tax_rate, "taxRate"),
        )
        uow.session.add(quote)
        await uow.flush()
        lines = [
            QuoteLine(
                quote_id=quote.id,
                position=index + 1,
                product_id=p.product.id,
                name=p.product.name,
                quantity=p.quantity,
                list_price=p.list_price,
                unit_price=p.unit_price,
                discount_percent=p.discount_percent,
                total=p.total,
            )
            for index, p in enumerate(await price_lines(uow, book, data.lines, self.rates, o.currency))
        ]
        uow.session.add_all(lines)
        totals(quote, lines)
        await uow.publish(QuoteCreated(**fields_of(quote, QuoteCreated)))
        await audit.record(uow, "quote.created", "Quote", quote.id, None, snapshot(quote))
        return quote

    async def submit(self, uow: UnitOfWork, principal: Principal, quote_id: uuid.UUID) -> Quote:
        """Within the threshold the quote is approved at once; beyond it automation's approval chain decides
        (`quote.submitted` → `approval.decided`)."""
        quote = await Quotes(uow, principal).get(quote_id, "update", lock=True)
        quote.submitted_by = principal.user_id
        opportunity = await uow.session.get(Opportunity, quote.opportunity_id)
        await lifecycle.submit(uow, quote, self.threshold, opportunity.name if opportunity else "")
        return quote

    async def accept(self, uow: UnitOfWork, principal: Principal, quote_id: uuid.UUID) -> tuple[Quote, Order]:
        """The customer accepted: the order is created and the opportunity won, in one transaction; the caller
        needs the right to both. The opportunity is locked before the quote, as a new version locks them."""
        quote = await Quotes(uow, principal).get(quote_id, "update")
        o = await uow.session.get_one(Opportunity, quote.opportunity_id, with_for_update=True)
        await Opportunities(uow, principal).require_for("update", o.owner_id)
        await Orders(uow, principal).require_for("create", quote.owner_id)
        await uow.session.refresh(quote, with_for_update=True)
        lifecycle.require_acceptable(quote)
        if o.status == OpportunityStatus.LOST:
            raise Conflict("opportunity_closed")
        await orders.require_no_live_order(uow, o.id)
        lines = list(
            (
                await uow.session.scalars(
                    select(QuoteLine).where(col(QuoteLine.quote_id) == quote.id).order_by(col(QuoteLine.position))
                )
            ).all()
        )
        order = await orders.from_quote(uow, quote, lines)
        await lifecycle.accepted(uow, quote, order.id)
        if o.status == OpportunityStatus.OPEN:
            amount = quote.total - quote.tax_amount
            priced = (amount, quote.currency, self.rates.to_base(amount, quote.currency))
            await opportunity_lifecycle.close(uow, o, True, "quote accepted", None, priced)
        return quote, order

    async def get(self, uow: UnitOfWork, principal: Principal, quote_id: uuid.UUID) -> Quote:
        return await Quotes(uow, principal).get(quote_id)

    async def page(
        self,
        uow: UnitOfWork,
        principal: Principal,
        opportunity_id: uuid.UUID | None,
        status: str | None,
        first: int,
        after: str | None,
    ) -> Page[Quote]:
        principal.require(f"{RESOURCE}:read")
        return await Quotes(uow, principal).newest([], first, after, opportunity_id=opportunity_id, status=status)

    async def lines(self, uow: UnitOfWork, quote_id: uuid.UUID) -> list[QuoteLine]:
        rows = await uow.session.scalars(
            select(QuoteLine).where(col(QuoteLine.quote_id) == quote_id).order_by(col(QuoteLine.position))
        )
        return list(rows.all())
