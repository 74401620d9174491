"""A person's saved view of a list: a name and the list's filter and sort."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Column, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class SavedView(SQLModel, table=True):
    __tablename__ = "saved_views"
    __table_args__ = (
        Index("ix_saved_views_owner_list_name", "owner_id", "list_key", "name", unique=True),
        Index("ix_saved_views_unit_list", "unit_id", "list_key"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID
    list_key: str = Field(max_length=30)
    name: str = Field(max_length=100)
    filter: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    order_by: str | None = Field(default=None, max_length=30)
    unit_id: uuid.UUID | None = None  # shared with this unit when set
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
