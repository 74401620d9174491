"""Pipelines and their ordered stages, each with a default probability and required fields."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import rate, strings

# what a stage may require before an opportunity enters it
REQUIRABLE = ("amount", "expected_close_date", "contact_id", "lines", "description")


class Pipeline(SQLModel, table=True):
    __tablename__ = "pipelines"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    is_default: bool = False
    unit_id: uuid.UUID | None = None  # the unit whose managers shape it; None: company-wide (administrators)
    created_at: dt.datetime = timestamp()


class Stage(SQLModel, table=True):
    __tablename__ = "stages"
    __table_args__ = (Index("ix_stages_pipeline_position", "pipeline_id", "position", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pipeline_id: uuid.UUID = Field(foreign_key="pipelines.id")
    name: str = Field(max_length=100)
    position: int
    probability: Decimal = rate()
    required_fields: list[str] = strings(30)
