"""Products (产品) and price books per customer level or region."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import money, quantity, rate


class Product(SQLModel, table=True):
    __tablename__ = "products"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code: str = Field(max_length=50, unique=True)
    name: str = Field(max_length=200, index=True)
    unit: str = Field(default="个", max_length=20)
    description: str = Field(default="", max_length=2000)
    list_price: Decimal = money()
    currency: str = Field(default="CNY", max_length=3)
    stock: Decimal = quantity()
    active: bool = True
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class PriceBook(SQLModel, table=True):
    """Prices for accounts of a level or region; a discount applies to products without an entry."""

    __tablename__ = "price_books"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    currency: str = Field(default="CNY", max_length=3)
    customer_level: str | None = Field(default=None, max_length=1)
    region: str | None = Field(default=None, max_length=50)
    discount_percent: Decimal = rate()
    active: bool = True
    created_at: dt.datetime = timestamp()


class PriceBookEntry(SQLModel, table=True):
    __tablename__ = "price_book_entries"
    __table_args__ = (Index("ix_price_book_entries_book_product", "price_book_id", "product_id", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    price_book_id: uuid.UUID = Field(foreign_key="price_books.id")
    product_id: uuid.UUID = Field(foreign_key="products.id")
    price: Decimal = money()
