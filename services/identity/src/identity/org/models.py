"""Organisation units: a tree (company → department → team) kept with materialised ancestor paths."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Column, Index
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class UnitKind(StrEnum):
    COMPANY = "company"
    DEPARTMENT = "department"
    TEAM = "team"


class OrgUnit(SQLModel, table=True):
    __tablename__ = "org_units"
    __table_args__ = (Index("ix_org_units_path", "path", postgresql_using="gin"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)  # a UnitKind
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="org_units.id", index=True)
    manager_id: uuid.UUID | None = Field(default=None, index=True)
    # ids from the root down to this unit itself: a subtree query is `path @> ARRAY[unit]`
    path: list[uuid.UUID] = Field(sa_column=Column(ARRAY(UUID(as_uuid=True)), nullable=False))
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()

    def place_under(self, parent: OrgUnit | None) -> None:
        """Hang this unit below `parent` (None: a root); its own path ends with itself."""
        self.parent_id = parent.id if parent else None
        self.path = [*(parent.path if parent else []), self.id]
