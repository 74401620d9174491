"""Approval chains, the approvals opened from them with their history, delegations, and users' roles."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, Identity, Index, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Uuid
from sqlmodel import Field, SQLModel

from crm_contracts.automation import SubjectKind
from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, json_value


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the subject went away undecided (a newer quote version replaced it)


class Action(StrEnum):
    """One line of an approval's history."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    REMINDED = "reminded"
    ESCALATED = "escalated"
    WITHDRAWN = "withdrawn"


def _users() -> Any:
    return Field(default_factory=list, sa_column=Column(ARRAY(Uuid()), nullable=False, server_default="{}"))


class ApprovalChain(SQLModel, table=True):
    """Which subjects it takes (kind and conditions, tried in `position` order) and its levels."""

    __tablename__ = "approval_chains"
    __table_args__ = (Index("ix_approval_chains_kind", "subject_kind", "position"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    subject_kind: SubjectKind = enum_column(SubjectKind, SubjectKind.QUOTE)
    position: int = 0
    conditions: list[Any] = json_value(list)
    levels: list[Any] = json_value(list)
    active: bool = True
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class Approval(SQLModel, table=True):
    """One subject's submission going through its chain's levels, with the approvers resolved when opened."""

    __tablename__ = "approvals"
    __table_args__ = (
        # one open approval per subject, however often its submission event arrives
        Index(
            "uq_approvals_pending_subject",
            "subject_kind",
            "subject_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_approvals_subject", "subject_kind", "subject_id", "seq"),
        Index("ix_approvals_approvers", "current_approvers", postgresql_using="gin"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    seq: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), nullable=False, unique=True))
    chain_id: uuid.UUID | None = None  # None: the default chain
    chain_name: str = Field(max_length=100)
    subject_kind: SubjectKind = enum_column(SubjectKind, SubjectKind.QUOTE)
    subject_id: uuid.UUID
    title: str = Field(default="", max_length=200)
    amount: str | None = Field(default=None, max_length=40)
    currency: str | None = Field(default=None, max_length=3)
    discount: str | None = Field(default=None, max_length=20)
    requester_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    creator_id: uuid.UUID | None = None
    subject_data: dict[str, Any] = json_value(dict)  # the submission event, which chain conditions read
    status: ApprovalStatus = enum_column(ApprovalStatus, ApprovalStatus.PENDING)
    level: int = 1  # the level waiting, 1-based
    levels: list[Any] = json_value(list)  # per level: name, mode, min, approvers, reminders and escalation
    current_approvers: list[uuid.UUID] = _users()
    level_started_at: dt.datetime = timestamp()
    final_approver_id: uuid.UUID | None = None
    comment: str | None = Field(default=None, max_length=1000)
    created_at: dt.datetime = timestamp()
    decided_at: dt.datetime | None = timestamp(nullable=True)


class ApprovalEntry(SQLModel, table=True):
    """The history: who did what at which level, and for whom when acting as a delegate."""

    __tablename__ = "approval_history"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    seq: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), nullable=False))
    approval_id: uuid.UUID = Field(foreign_key="approvals.id", index=True)
    level: int
    action: Action = enum_column(Action, Action.REQUESTED)
    actor_id: uuid.UUID | None = None
    on_behalf_of: uuid.UUID | None = None
    comment: str | None = Field(default=None, max_length=1000)
    at: dt.datetime = timestamp()


class Delegation(SQLModel, table=True):
    """While `user_id` is away, `delegate_id` decides what waits on them."""

    __tablename__ = "approval_delegations"
    __table_args__ = (Index("ix_approval_delegations_delegate", "delegate_id", "ends_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(index=True)
    delegate_id: uuid.UUID
    starts_at: dt.datetime = timestamp()
    ends_at: dt.datetime = timestamp()
    created_at: dt.datetime = timestamp()


class UserRoles(SQLModel, table=True):
    """Each user's roles, from identity's user events, so a level may name its approvers by role."""

    __tablename__ = "approval_user_roles"

    user_id: uuid.UUID = Field(primary_key=True)
    roles: list[str] = json_value(list)
    updated_at: dt.datetime = timestamp()
