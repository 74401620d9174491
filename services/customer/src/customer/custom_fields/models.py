"""Custom fields administrators define for accounts and contacts."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Column, Index, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp

TYPES = ("text", "number", "date", "single_choice", "multi_choice")
ENTITIES = ("account", "contact")


class CustomFieldDefinition(SQLModel, table=True):
    __tablename__ = "custom_field_definitions"
    __table_args__ = (Index("ix_custom_field_definitions_entity_key", "entity", "key", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entity: str = Field(max_length=10)
    key: str = Field(max_length=50)
    label: str = Field(max_length=100)
    label_zh: str = Field(default="", max_length=100)
    type: str = Field(max_length=20)
    options: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String(100)), nullable=False))
    required: bool = False
    created_at: dt.datetime = timestamp()
