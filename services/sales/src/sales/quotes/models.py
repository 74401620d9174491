"""Quotes (报价): numbered versions per opportunity, with lines, discount, tax and approval."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, money, quantity, rate, unbounded


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"


STATUSES = tuple(QuoteStatus)


class Quote(SQLModel, table=True):
    __tablename__ = "quotes"
    __table_args__ = (Index("ix_quotes_opportunity_version", "opportunity_id", "version", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    opportunity_id: uuid.UUID = Field(foreign_key="opportunities.id")
    account_id: uuid.UUID = Field(index=True)
    version: int = 1
    status: QuoteStatus = enum_column(QuoteStatus, QuoteStatus.DRAFT, 20, index=True)
    currency: str = Field(default="CNY", max_length=3)
    price_book_id: uuid.UUID | None = None
    discount_percent: Decimal = rate()
    tax_rate: Decimal = rate()
    list_total: Decimal = money()  # the lines at list price, to measure the whole discount
    subtotal: Decimal = money()
    discount_amount: Decimal = money()
    tax_amount: Decimal = money()
    total: Decimal = money()
    effective_discount: Decimal = unbounded()  # a price far above the list is a markup of any size
    valid_until: dt.date | None = None
    owner_id: uuid.UUID
    created_by: uuid.UUID | None = None
    submitted_by: uuid.UUID | None = None  # with the owner and creator, who may not decide on it
    approver_id: uuid.UUID | None = None
    decision_comment: str | None = Field(default=None, max_length=1000)
    submitted_at: dt.datetime | None = timestamp(nullable=True)
    decided_at: dt.datetime | None = timestamp(nullable=True)
    order_id: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class QuoteLine(SQLModel, table=True):
    __tablename__ = "quote_lines"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    quote_id: uuid.UUID = Field(foreign_key="quotes.id", index=True)
    position: int
    product_id: uuid.UUID = Field(foreign_key="products.id")
    name: str = Field(max_length=200)
    quantity: Decimal = quantity()
    list_price: Decimal = money()
    unit_price: Decimal = money()
    discount_percent: Decimal = rate()
    total: Decimal = money()
