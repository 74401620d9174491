"""Invoices from orders, payments against invoices (partial allowed), receivables and their aging."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlmodel import col

from crm_contracts.sales import OrderStatus
from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Page
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import day_within, optional_text
from sales.events import InvoiceIssued, InvoicePaid, PaymentRecorded, fields_of
from sales.money import Rates, cents, parse
from sales.numbering import next_number
from sales.orders.models import Invoice, InvoiceStatus, Payment
from sales.repositories import Invoices, Orders, Payments

RESOURCE = "sales:invoice"
METHODS = ("bank_transfer", "cash", "cheque", "card", "alipay", "wechat_pay", "other")
BUCKETS = (("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None))


@dataclass
class PaymentInput:
    invoice_id: uuid.UUID
    amount: str
    received_on: dt.date | None = None
    method: str = "bank_transfer"
    reference: str | None = None


@dataclass(frozen=True)
class PaymentFilter:
    invoice_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    method: str | None = None


@dataclass(frozen=True)
class PaymentView:
    """A payment with its invoice's number, which lists show and link by."""

    row: Payment
    invoice_number: str


@dataclass
class Bucket:
    label: str
    amount: Decimal
    count: int


@dataclass
class Aging:
    as_of: dt.date
    currency: str
    buckets: list[Bucket]
    total: Decimal


@dataclass
class Receivables:
    outstanding: Decimal
    overdue: Decimal
    currency: str
    open_invoices: int


class BillingService:
    def __init__(self, rates: Rates, due_days: int) -> None:
        self.rates = rates
        self.due_days = due_days

    async def issue(
        self, uow: UnitOfWork, principal: Principal, order_id: uuid.UUID, amount: str | None, due_on: dt.date | None
    ) -> Invoice:
        """Invoice the order's remaining amount, or part of it; never more than was ordered."""
        principal.require(f"{RESOURCE}:create")
        order = await Orders(uow, principal).get(order_id, lock=True)
        if order.status == OrderStatus.CANCELLED:
            raise Conflict("order_cancelled")
        remaining = order.total - order.invoiced
        value = cents(parse(amount, "amount", Decimal("0.01"))) if amount else remaining
        if value <= 0 or value > remaining:
            raise BadInput("invoice_exceeds_order", field="amount", remaining=str(remaining))
        today = utcnow().date()
        if due_on is not None and due_on < today:
            raise BadInput("date_in_past", field="dueOn")
        if due_on is not None:
            day_within(due_on, "dueOn")  # due in 9999 is a typo, not a term
        invoice = Invoice(
            number=await next_number(uow, "INV"),
            order_id=order.id,
            account_id=order.account_id,
            currency=order.currency,
            amount=value,
            issued_on=today,
            due_on=due_on or today + dt.timedelta(days=self.due_days),
            owner_id=order.owner_id,
        )
        order.invoiced += value
        order.updated_at = utcnow()
        uow.session.add(invoice)
        await uow.flush()
        issued = InvoiceIssued(**fields_of(invoice, InvoiceIssued))
        await uow.publish(issued)
        await audit.record(uow, issued.type, "Invoice", invoice.id, None, issued.data())
        return invoice

    async def record_payment(
        self, uow: UnitOfWork, principal: Principal, data: PaymentInput
    ) -> tuple[Payment, Invoice]:
        principal.require("sales:payment:create")
        if data.method not in METHODS:
            raise BadInput("one_of", field="method", choices=", ".join(METHODS))
        received = data.received_on or utcnow().date()
        if received > utcnow().date():
            raise BadInput("date_in_future", field="receivedOn")
        invoice = await Invoices(uow, principal).get(data.invoice_id, lock=True)
        day_within(received, "receivedOn", invoice.issued_on, utcnow().date())  # not before it was invoiced
        if invoice.settled:
            raise Conflict("invoice_settled")
        outstanding = invoice.amount - invoice.paid
        value = cents(parse(data.amount, "amount", Decimal("0.01")))
        if value > outstanding:
            raise BadInput("payment_exceeds_invoice", field="amount", outstanding=str(outstanding))
        payment = Payment(
            invoice_id=invoice.id,
            account_id=invoice.account_id,
            amount=value,
            currency=invoice.currency,
            amount_base=self.rates.to_base(value, invoice.currency),
            received_on=received,
            method=data.method,
            reference=optional_text(data.reference, "reference", 100) or "",
            owner_id=invoice.owner_id,
            recorded_by=principal.user_id,
        )
        uow.session.add(payment)
        invoice.pay(value)
        await uow.flush()
        recorded = PaymentRecorded(**fields_of(payment, PaymentRecorded), invoice_status=invoice.status)
        await uow.publish(recorded)
        if invoice.status == InvoiceStatus.PAID:
            await uow.publish(InvoicePaid(**fields_of(invoice, InvoicePaid)))
        await audit.record(uow, recorded.type, "Payment", payment.id, None, recorded.data())
        return payment, invoice

    async def page(
        self,
        uow: UnitOfWork,
        principal: Principal,
        account_id: uuid.UUID | None,
        order_id: uuid.UUID | None,
        status: str | None,
        first: int,
        after: str | None,
        aging_bucket: str | None = None,
    ) -> Page[Invoice]:
        """Newest first; `aging_bucket` keeps the outstanding invoices the aging report counts in that bucket today."""
        principal.require(f"{RESOURCE}:read")
        equal = {"account_id": account_id, "order_id": order_id, "status": status}
        where = [] if aging_bucket is None else _in_bucket(aging_bucket, utcnow().date())
        return await Invoices(uow, principal).newest(where, first, after, **equal)

    async def get(self, uow: UnitOfWork, principal: Principal, invoice_id: uuid.UUID) -> Invoice:
        return await Invoices(uow, principal).get(invoice_id)

    async def payment_page(
        self, uow: UnitOfWork, principal: Principal, f: PaymentFilter, first: int, after: str | None
    ) -> Page[PaymentView]:
        """Payments across invoices, newest recorded first, within the caller's data scope."""
        principal.require("sales:payment:read")
        if f.method is not None and f.method not in METHODS:
            raise BadInput("one_of", field="method", choices=", ".join(METHODS))
        if f.received_from and f.received_to and f.received_from > f.received_to:
            raise BadInput("not_before", field="to", other="from")
        where: list[Any] = []
        if f.received_from is not None:
            where.append(col(Payment.received_on) >= f.received_from)
        if f.received_to is not None:
            where.append(col(Payment.received_on) <= f.received_to)
        equal = {"invoice_id": f.invoice_id, "account_id": f.account_id, "method": f.method}
        found = await Payments(uow, principal).newest(where, first, after, **equal)
        ids = {p.invoice_id for p in found.items}
        rows = await uow.session.execute(select(col(Invoice.id), col(Invoice.number)).where(col(Invoice.id).in_(ids)))
        numbers = dict(rows.all())
        return found.map(lambda p: PaymentView(p, numbers[p.invoice_id]))

    async def payments(self, uow: UnitOfWork, invoice_id: uuid.UUID) -> list[Payment]:
        rows = await uow.session.scalars(
            select(Payment).where(col(Payment.invoice_id) == invoice_id).order_by(col(Payment.created_at))
        )
        return list(rows.all())

    async def aging(
        self, uow: UnitOfWork, principal: Principal, as_of: dt.date | None, account_id: uuid.UUID | None = None
    ) -> Aging:
        """Outstanding amounts by days past due (not yet due counts as 0-30), in the base currency."""
        principal.require(f"{RESOURCE}:read")
        day = as_of or utcnow().date()
        return self._aging(day, await self._outstanding(uow, principal, day, account_id))

    async def receivables(self, uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> Receivables:
        """What the account owes as the aging report counts it today, and how much of that is past due (an
        invoice falls due after it is issued), in one read."""
        principal.require(f"{RESOURCE}:read")
        day = utcnow().date()
        rows = await self._outstanding(uow, principal, day, account_id)
        aging = self._aging(day, rows)
        late: dict[str, Decimal] = {}
        for _, code, _, _, overdue in rows:
            late[code] = late.get(code, Decimal(0)) + (overdue or Decimal(0))
        total_late = sum((self.rates.in_base(amount, code) for code, amount in late.items()), Decimal(0))
        return Receivables(aging.total, cents(total_late), aging.currency, sum(b.count for b in aging.buckets))

    async def _outstanding(
        self, uow: UnitOfWork, principal: Principal, day: dt.date, account_id: uuid.UUID | None
    ) -> list[Any]:
        """The caller's outstanding invoices on `day` by aging bucket and currency: (bucket, currency, owed,
        count, owed past due)."""
        owed = col(Invoice.amount) - col(Invoice.paid)
        past_due = _days_past_due(day)
        bucket = case(*((past_due <= high, label) for label, _, high in BUCKETS if high is not None), else_="90+")
        where = [await Invoices(uow, principal).visible(), *_outstanding(day)]
        if account_id is not None:
            where.append(col(Invoice.account_id) == account_id)
        late = func.sum(owed).filter(col(Invoice.due_on) < day)
        rows = await uow.session.execute(
            select(bucket, col(Invoice.currency), func.sum(owed), func.count(), late)
            .where(and_(*where))
            .group_by(bucket, Invoice.currency)
        )
        return list(rows.all())

    def _aging(self, day: dt.date, rows: list[Any]) -> Aging:
        sums: dict[str, Decimal] = {}
        counts: dict[str, int] = {}
        for label, code, amount, count, _ in rows:
            sums[label] = sums.get(label, Decimal(0)) + self.rates.in_base(amount, code)
            counts[label] = counts.get(label, 0) + count
        buckets = [Bucket(label, sums.get(label, Decimal("0.00")), counts.get(label, 0)) for label, _, _ in BUCKETS]
        return Aging(day, self.rates.base, buckets, cents(sum((b.amount for b in buckets), Decimal(0))))


def _days_past_due(day: dt.date) -> ColumnElement[int]:
    return func.greatest(day - col(Invoice.due_on), 0)


def _outstanding(day: dt.date) -> list[ColumnElement[bool]]:
    """The invoices receivables count on a day: issued by then and not settled."""
    return [
        col(Invoice.status).in_((InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)),
        col(Invoice.issued_on) <= day,
    ]


def _in_bucket(label: str, day: dt.date) -> list[ColumnElement[bool]]:
    """The same rule as the aging report's bucket of that label, as a WHERE clause."""
    bounds = {name: (low, high) for name, low, high in BUCKETS}
    if label not in bounds:
        raise BadInput("one_of", field="agingBucket", choices=", ".join(bounds))
    low, high = bounds[label]
    overdue = _days_past_due(day)
    return [*_outstanding(day), overdue >= low, *([overdue <= high] if high is not None else [])]
