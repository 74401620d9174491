"""An account's installed products, one row per delivered order line."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import quantity


class InstalledProduct(SQLModel, table=True):
    __tablename__ = "installed_products"
    __table_args__ = (
        Index("ix_installed_products_account_delivered", "account_id", "delivered_on"),
        Index("ix_installed_products_product", "product_id"),
    )

    order_id: uuid.UUID = Field(primary_key=True)
    line: int = Field(primary_key=True)  # the line's place in the order
    account_id: uuid.UUID
    order_number: str = Field(max_length=30)
    product_id: uuid.UUID | None = None
    product_code: str | None = Field(default=None, max_length=50)
    name: str = Field(max_length=200)
    quantity: Decimal = quantity()
    delivered_on: dt.date
    warranty_until: dt.date
    created_at: dt.datetime = timestamp()
