"""Competitors and intelligence entries: the company's shared knowledge of its market, searched in Chinese."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, strings


class Competitor(SQLModel, table=True):
    __tablename__ = "competitors"
    __table_args__ = (Index("ix_competitors_search", "search", postgresql_using="gin"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    # the names sales writes in an opportunity's competitor field, normalised: they count its wins and losses
    keys: list[str] = strings(200)
    aliases: list[str] = strings(200)
    website: str | None = Field(default=None, max_length=500)
    description: str = Field(default="", max_length=5000)
    strengths: str = Field(default="", max_length=5000)
    weaknesses: str = Field(default="", max_length=5000)
    account_id: uuid.UUID | None = Field(default=None, index=True)  # the competitor as an account in customer
    search: Any = Field(default=None, sa_column=Column(TSVECTOR))
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class IntelligenceKind(StrEnum):
    RESEARCH_REPORT = "research_report"
    PRICING = "pricing"
    PRODUCT = "product"
    NEWS = "news"


class IntelligenceEntry(SQLModel, table=True):
    __tablename__ = "intelligence_entries"
    __table_args__ = (
        Index("ix_intelligence_entries_search", "search", postgresql_using="gin"),
        Index("ix_intelligence_entries_latest", "created_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: IntelligenceKind = enum_column(IntelligenceKind, IntelligenceKind.NEWS, index=True)
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=50_000)
    source: str = Field(default="", max_length=200)
    links: list[str] = strings(1000)
    tags: list[str] = strings(50)
    competitor_id: uuid.UUID | None = Field(default=None, foreign_key="competitors.id", index=True)
    search: Any = Field(default=None, sa_column=Column(TSVECTOR))
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
