"""Canned responses, shared by the service organisation."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class Macro(SQLModel, table=True):
    __tablename__ = "macros"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    body: str = Field(max_length=10000)
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
