"""Contracts (合同): draft → pending approval → approved → signed → active → expired or terminated."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, money


class ContractStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    SIGNED = "signed"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"


STATUSES = tuple(ContractStatus)


class Contract(SQLModel, table=True):
    __tablename__ = "contracts"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    number: str = Field(max_length=30, unique=True)
    title: str = Field(max_length=200)
    account_id: uuid.UUID = Field(index=True)
    opportunity_id: uuid.UUID | None = None
    quote_id: uuid.UUID | None = None
    value: Decimal = money()
    currency: str = Field(default="CNY", max_length=3)
    start_date: dt.date
    end_date: dt.date = Field(index=True)
    status: ContractStatus = enum_column(ContractStatus, ContractStatus.DRAFT, 20, index=True)
    owner_id: uuid.UUID
    created_by: uuid.UUID | None = None
    submitted_by: uuid.UUID | None = None  # with the owner and creator, who may not decide on it
    approver_id: uuid.UUID | None = None
    decision_comment: str | None = Field(default=None, max_length=1000)
    signed_on: dt.date | None = None
    termination_reason: str | None = Field(default=None, max_length=500)
    renewal_notified_at: dt.datetime | None = timestamp(nullable=True)
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
