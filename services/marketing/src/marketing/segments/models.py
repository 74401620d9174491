"""Segment tables: the facts rules read (one profile row per contact) and the segments with their members.

`segment_profiles` is denormalised on purpose: a live count is one scan of one table, and one contact's
row is all the Python predicate needs. Account and sales facts live per account in `segment_accounts`
and are copied onto the account's contacts when they change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Column, Index, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _texts() -> Any:
    return Field(default_factory=list, sa_column=Column(ARRAY(Text()), nullable=False, server_default="{}"))


def _flag() -> Any:
    return Field(default=False, sa_column_kwargs={"server_default": "false"})


def _count() -> Any:
    return Field(default=0, sa_column_kwargs={"server_default": "0"})


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSONB(), nullable=False, server_default="{}"))


class SegmentAccount(SQLModel, table=True):
    """An account's classification from customer and its sales facts from sales."""

    __tablename__ = "segment_accounts"

    id: uuid.UUID = Field(primary_key=True)
    level: str | None = Field(default=None, max_length=1)
    industry: str | None = Field(default=None, max_length=100)
    province: str | None = Field(default=None, max_length=50)
    time_zone: str | None = Field(default=None, max_length=64)  # from its province or city, outside the mainland
    lifecycle_stage: str | None = Field(default=None, max_length=20)
    tags: list[str] = _texts()
    custom: dict[str, Any] = _json()
    deleted: bool = _flag()
    open_opportunity: bool = _flag()
    last_order_at: dt.datetime | None = timestamp(nullable=True)
    lost_to: list[str] = _texts()  # competitors the account's opportunities were lost to
    updated_at: dt.datetime = timestamp()  # of the account snapshot applied
    lifecycle_at: dt.datetime = timestamp()  # of the lifecycle stage applied


class SegmentOpportunity(SQLModel, table=True):
    __tablename__ = "segment_opportunities"

    id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID = Field(index=True)
    status: str = Field(max_length=10)  # open, won, lost
    competitor: str | None = Field(default=None, max_length=200)
    updated_at: dt.datetime = timestamp()


class SegmentOrder(SQLModel, table=True):
    __tablename__ = "segment_orders"

    id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID = Field(index=True)
    ordered_at: dt.datetime = timestamp()
    cancelled: bool = False


class Profile(SQLModel, table=True):
    """What segment rules read about one contact: its account's facts and its own engagement."""

    __tablename__ = "segment_profiles"
    __table_args__ = (Index("ix_segment_profiles_account", "account_id"),)

    contact_id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID | None = None
    active: bool = _flag()  # a live contact of a live account (or of none)
    level: str | None = Field(default=None, max_length=1)
    industry: str | None = Field(default=None, max_length=100)
    province: str | None = Field(default=None, max_length=50)
    lifecycle_stage: str | None = Field(default=None, max_length=20)
    tags: list[str] = _texts()
    custom: dict[str, Any] = _json()
    open_opportunity: bool = _flag()
    last_order_at: dt.datetime | None = timestamp(nullable=True)
    lost_to: list[str] = _texts()
    opened_count: int = _count()
    last_opened_at: dt.datetime | None = timestamp(nullable=True)
    clicked_count: int = _count()
    last_clicked_at: dt.datetime | None = timestamp(nullable=True)
    responded_count: int = _count()
    last_responded_at: dt.datetime | None = timestamp(nullable=True)


class Segment(SQLModel, table=True):
    __tablename__ = "segments"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    kind: str = Field(max_length=10)  # dynamic, static
    rules: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB(), nullable=True))
    owner_id: uuid.UUID = Field(index=True)
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
    checked_at: dt.datetime = timestamp()  # relative-time conditions were re-checked up to here


class SegmentMember(SQLModel, table=True):
    __tablename__ = "segment_members"
    __table_args__ = (Index("ix_segment_members_contact", "contact_id"),)

    segment_id: uuid.UUID = Field(primary_key=True, foreign_key="segments.id")
    contact_id: uuid.UUID = Field(primary_key=True)
    added_at: dt.datetime = timestamp()
