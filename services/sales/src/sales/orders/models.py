"""Orders (订单), invoices (发票) and payments (收款)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_contracts.sales import OrderStatus
from crm_shared.db import timestamp, utcnow
from crm_shared.db.columns import enum_column, money, quantity, rate
from crm_shared.errors import Conflict


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    VOID = "void"


ORDER_STATUSES = tuple(OrderStatus)
INVOICE_STATUSES = tuple(InvoiceStatus)
# a confirmed order is fulfilled or cancelled; a fulfilled one can still be cancelled until it is invoiced
ORDER_MOVES: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    OrderStatus.CONFIRMED: (OrderStatus.FULFILLED, OrderStatus.CANCELLED),
    OrderStatus.FULFILLED: (OrderStatus.CANCELLED,),
}


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_owner_created", "owner_id", "created_at", "id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    number: str = Field(max_length=30, unique=True)
    account_id: uuid.UUID = Field(index=True)
    opportunity_id: uuid.UUID | None = None
    quote_id: uuid.UUID | None = Field(default=None, unique=True)
    contract_id: uuid.UUID | None = None
    status: OrderStatus = enum_column(OrderStatus, OrderStatus.CONFIRMED, 20)
    currency: str = Field(default="CNY", max_length=3)
    total: Decimal = money()
    invoiced: Decimal = money()
    owner_id: uuid.UUID
    cancel_reason: str | None = Field(default=None, max_length=500)
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()

    def move(self, to: OrderStatus) -> None:
        if to not in ORDER_MOVES.get(self.status, ()):
            raise Conflict("order_cancelled" if self.status == OrderStatus.CANCELLED else "order_not_confirmed")
        self.status, self.updated_at = to, utcnow()


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_lines"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    order_id: uuid.UUID = Field(foreign_key="orders.id", index=True)
    product_id: uuid.UUID | None = Field(default=None, foreign_key="products.id")
    name: str = Field(max_length=200)
    quantity: Decimal = quantity()
    unit_price: Decimal = money()
    discount_percent: Decimal = rate()
    total: Decimal = money()


class Invoice(SQLModel, table=True):
    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_open_due", "status", "due_on"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    number: str = Field(max_length=30, unique=True)
    order_id: uuid.UUID = Field(foreign_key="orders.id", index=True)
    account_id: uuid.UUID = Field(index=True)
    currency: str = Field(default="CNY", max_length=3)
    amount: Decimal = money()
    paid: Decimal = money()
    status: InvoiceStatus = enum_column(InvoiceStatus, InvoiceStatus.OPEN, 20)
    issued_on: dt.date
    due_on: dt.date
    owner_id: uuid.UUID
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()

    @property
    def settled(self) -> bool:
        return self.status in (InvoiceStatus.PAID, InvoiceStatus.VOID)

    def pay(self, amount: Decimal) -> None:
        """Part or all of what is outstanding; paid once nothing is."""
        if self.settled:
            raise Conflict("invoice_settled")
        self.paid += amount
        self.status = InvoiceStatus.PAID if self.paid == self.amount else InvoiceStatus.PARTIALLY_PAID
        self.updated_at = utcnow()


class Payment(SQLModel, table=True):
    __tablename__ = "payments"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    invoice_id: uuid.UUID = Field(foreign_key="invoices.id", index=True)
    account_id: uuid.UUID
    amount: Decimal = money()
    amount_base: Decimal = money()
    currency: str = Field(default="CNY", max_length=3)
    received_on: dt.date = Field(index=True)
    method: str = Field(default="bank_transfer", max_length=30)
    reference: str = Field(default="", max_length=100)
    owner_id: uuid.UUID  # the invoice owner's, whose collections it counts toward
    recorded_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
