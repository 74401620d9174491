"""Articles keep their working draft; each publish freezes it as a numbered version, earlier ones kept."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, strings


class ArticleStatus(StrEnum):
    DRAFT = "draft"  # never published
    PUBLISHED = "published"  # a version is out; the draft may hold changes for the next one


class Category(SQLModel, table=True):
    __tablename__ = "kb_categories"
    __table_args__ = (
        Index("uq_kb_categories_name_zh", "name_zh", unique=True),
        Index("uq_kb_categories_name_en", "name_en", unique=True, postgresql_where=text("name_en <> ''")),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name_zh: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=100)
    position: int = 0
    created_at: dt.datetime = timestamp()


class Article(SQLModel, table=True):
    __tablename__ = "kb_articles"
    __table_args__ = (
        Index("ix_kb_articles_search", "search", postgresql_using="gin"),
        Index("ix_kb_articles_updated", "updated_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    category_id: uuid.UUID | None = Field(default=None, foreign_key="kb_categories.id", index=True)
    status: ArticleStatus = enum_column(ArticleStatus, ArticleStatus.DRAFT, index=True)
    # the draft: what the next publish will freeze
    title_zh: str = Field(default="", max_length=200)
    body_zh: str = Field(default="", max_length=50000)
    title_en: str = Field(default="", max_length=200)
    body_en: str = Field(default="", max_length=50000)
    tags: list[str] = strings(50)
    version: int = 0  # the published version's number, 0 before the first publish
    owner_id: uuid.UUID | None = None  # its author: scope decides who else may change it
    helpful: int = 0
    not_helpful: int = 0
    search: Any = Field(default=None, sa_column=Column(TSVECTOR))  # the published version's words
    published_at: dt.datetime | None = timestamp(nullable=True)
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class ArticleVersion(SQLModel, table=True):
    __tablename__ = "kb_article_versions"

    article_id: uuid.UUID = Field(foreign_key="kb_articles.id", primary_key=True)
    version: int = Field(primary_key=True)
    title_zh: str = Field(max_length=200)
    body_zh: str = Field(max_length=50000)
    title_en: str = Field(max_length=200)
    body_en: str = Field(max_length=50000)
    tags: list[str] = strings(50)  # as published: the public view never shows the draft's
    category_id: uuid.UUID | None = Field(default=None, foreign_key="kb_categories.id")
    published_by: uuid.UUID | None = None
    published_at: dt.datetime = timestamp()


class ArticleVote(SQLModel, table=True):
    """One vote per user and article; voting again changes it."""

    __tablename__ = "kb_article_votes"

    article_id: uuid.UUID = Field(foreign_key="kb_articles.id", primary_key=True)
    user_id: uuid.UUID = Field(primary_key=True)
    helpful: bool
    at: dt.datetime = timestamp()


class ArticleLink(SQLModel, table=True):
    """An article that answered a ticket."""

    __tablename__ = "kb_article_links"

    ticket_id: uuid.UUID = Field(foreign_key="tickets.id", primary_key=True)
    article_id: uuid.UUID = Field(foreign_key="kb_articles.id", primary_key=True, index=True)
    linked_by: uuid.UUID | None = None
    at: dt.datetime = timestamp()
