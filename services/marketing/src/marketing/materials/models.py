"""Marketing materials in stock and what was issued to which campaign."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, money


class MaterialKind(StrEnum):
    BROCHURE = "brochure"
    GIFT = "gift"


class Material(SQLModel, table=True):
    __tablename__ = "materials"
    __table_args__ = (CheckConstraint("stock >= 0", name="stock_not_negative"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    kind: MaterialKind = enum_column(MaterialKind, MaterialKind.BROCHURE)
    unit: str = Field(default="件", max_length=20)
    stock: int = 0
    unit_cost: Decimal = money()
    currency: str = Field(default="CNY", max_length=3)
    description: str = Field(default="", max_length=2000)
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class MaterialIssue(SQLModel, table=True):
    """Materials handed to a campaign: the stock went down and the campaign bore the cost."""

    __tablename__ = "material_issues"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    material_id: uuid.UUID = Field(foreign_key="materials.id", index=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaigns.id", index=True)
    quantity: int
    unit_cost: Decimal = money()
    cost_id: uuid.UUID | None = Field(default=None, foreign_key="campaign_costs.id")  # none for free materials
    note: str = Field(default="", max_length=500)
    issued_by: uuid.UUID | None = None
    issued_at: dt.datetime = timestamp()
