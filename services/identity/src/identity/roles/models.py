"""Roles: permissions, a data scope per resource, and fields shown masked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, String
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class Role(SQLModel, table=True):
    __tablename__ = "roles"

    key: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    name_zh: str = Field(default="", max_length=100)
    description: str = Field(default="", max_length=500)
    description_zh: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    builtin: bool = False
    permissions: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String(100)), nullable=False))
    scopes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    masked_fields: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String(100)), nullable=False))
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()

    @property
    def fixed(self) -> bool:
        """The administrator role grants everything; editing it could lock everyone out."""
        return self.key == "admin"
