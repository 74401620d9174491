"""Accounts (companies) with classification, lifecycle, ownership and the public pool."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, String, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlmodel import Field, SQLModel

from crm_contracts.customer import LifecycleStage
from crm_shared.db import timestamp
from crm_shared.errors import BadInput

LEVELS = ("A", "B", "C", "D")
# what describes a company, each optional: imports and merges fill them where the account has none
DETAILS = ("industry", "size", "province", "city", "address", "website", "level", "source")
# the stored phone and email and the search vector, set only through the service
DERIVED = ("phone_enc", "phone_hash", "email_enc", "email_hash", "search")
LINK_KINDS = ("parent", "subsidiary", "partner", "competitor", "supplier", "customer")


def stage_of(value: str, field: str) -> LifecycleStage:
    """The stage a client named, or BAD_USER_INPUT listing the stages."""
    try:
        return LifecycleStage(value)
    except ValueError:
        raise BadInput("one_of", field=field, choices=", ".join(LifecycleStage)) from None


class OwnershipKind(StrEnum):
    TRANSFER = "transfer"
    RELEASE = "release"
    CLAIM = "claim"
    AUTO_RETURN = "auto_return"


class Account(SQLModel, table=True):
    __tablename__ = "accounts"
    __table_args__ = (
        Index("ix_accounts_search", "search", postgresql_using="gin"),
        Index("ix_accounts_tags", "tags", postgresql_using="gin"),
        Index("ix_accounts_owner_updated", "owner_id", "updated_at", "id"),
        Index("ix_accounts_updated", "updated_at", "id"),
        Index("ix_accounts_name_key", "name_key"),
        Index("ix_accounts_phone_hash", "phone_hash"),
        Index("ix_accounts_email_hash", "email_hash"),
        Index("ix_accounts_pool", "in_pool", "pool_since", postgresql_where=text("in_pool")),
        # what the time rules find due (pool returns, inactivity), read through the key rather than by a scan
        Index("ix_accounts_idle_since", "in_pool", text("coalesce(last_followup_at, created_at)")),
        Index(
            "ix_accounts_stage_last_touch",
            "lifecycle_stage",
            text("greatest(last_followup_at, last_order_at, created_at)"),
        ),
        # the list's level and industry filters in its default order, with what scope checks read: a page
        # walks one range in order, and its count reads the index alone, whatever the role's scope
        Index(
            "ix_accounts_live_level_industry",
            "level",
            "industry",
            "updated_at",
            "id",
            postgresql_include=["owner_id", "in_pool"],
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200)  # normalised for duplicate detection
    industry: str | None = Field(default=None, max_length=100, index=True)
    size: str | None = Field(default=None, max_length=20)
    province: str | None = Field(default=None, max_length=50, index=True)
    city: str | None = Field(default=None, max_length=50)
    address: str | None = Field(default=None, max_length=300)
    website: str | None = Field(default=None, max_length=200)
    level: str | None = Field(default=None, max_length=1, index=True)
    source: str | None = Field(default=None, max_length=50, index=True)
    tags: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String(50)), nullable=False))
    lifecycle_stage: LifecycleStage = Field(default=LifecycleStage.PROSPECT, sa_type=String(20))
    owner_id: uuid.UUID | None = Field(default=None)
    in_pool: bool = False
    pool_since: dt.datetime | None = timestamp(nullable=True)
    last_followup_at: dt.datetime | None = timestamp(nullable=True)
    last_order_at: dt.datetime | None = timestamp(nullable=True)
    phone_enc: str | None = None
    phone_hash: str | None = Field(default=None, max_length=64)
    email_enc: str | None = None
    email_hash: str | None = Field(default=None, max_length=64)
    custom: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    search: Any = Field(default=None, sa_column=Column(TSVECTOR))
    merged_into_id: uuid.UUID | None = None
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
    deleted_at: dt.datetime | None = timestamp(nullable=True)


class LifecycleChange(SQLModel, table=True):
    __tablename__ = "lifecycle_changes"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID = Field(foreign_key="accounts.id", index=True)
    from_stage: str | None = Field(default=None, max_length=20)
    to_stage: str = Field(max_length=20)
    reason: str = Field(default="", max_length=500)
    automatic: bool = False
    actor_id: uuid.UUID | None = None
    at: dt.datetime = timestamp()


class OwnershipChange(SQLModel, table=True):
    __tablename__ = "ownership_changes"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID = Field(foreign_key="accounts.id", index=True)
    from_owner_id: uuid.UUID | None = None
    to_owner_id: uuid.UUID | None = None
    kind: OwnershipKind = Field(sa_type=String(20))
    reason: str = Field(default="", max_length=500)
    actor_id: uuid.UUID | None = None
    at: dt.datetime = timestamp()


class AccountLink(SQLModel, table=True):
    """A typed edge of the relationship graph, from one account to another."""

    __tablename__ = "account_links"
    __table_args__ = (Index("ix_account_links_pair", "from_id", "to_id", "kind", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    from_id: uuid.UUID = Field(foreign_key="accounts.id", index=True)
    to_id: uuid.UUID = Field(foreign_key="accounts.id", index=True)
    kind: str = Field(max_length=20)
    note: str = Field(default="", max_length=300)
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
