"""Tickets, their status history and their conversation."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Column, ColumnElement, Identity, Index, bindparam, text
from sqlmodel import Field, SQLModel, col

from crm_shared.db import timestamp
from crm_shared.db.columns import enum_column, strings
from support.tickets.states import OPEN_STATES, Channel, Priority, Review, TicketStatus, TicketType


class Ticket(SQLModel, table=True):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_created", "created_at", "id"),
        Index("ix_tickets_account_created", "account_id", "created_at"),
        Index("ix_tickets_assignee_status", "assignee_id", "status"),
        Index("ix_tickets_team_status", "team_id", "status"),
        Index("ix_tickets_sla_next", "sla_next_at", postgresql_where=text("sla_next_at IS NOT NULL")),
        # the open queue filtered by type and priority, newest first (a list page and its count)
        Index(
            "ix_tickets_open_type_priority",
            "type",
            "priority",
            "created_at",
            "id",
            postgresql_where=text("status IN ('new', 'open', 'pending_customer', 'on_hold')"),
        ),
        # a recheck after a policy or calendar change walks the open tickets in id order
        Index(
            "ix_tickets_open_id",
            "id",
            postgresql_where=text("status IN ('new', 'open', 'pending_customer', 'on_hold')"),
        ),
        Index("ix_tickets_resolved", "resolved_at", postgresql_where=text("resolved_at IS NOT NULL")),
        Index(
            "ix_tickets_product_created", "product_id", "created_at", postgresql_where=text("product_id IS NOT NULL")
        ),
        # `search`: part of a number or a subject, found through trigrams rather than by reading every row
        *(
            Index(f"ix_tickets_{c}_trgm", c, postgresql_using="gin", postgresql_ops={c: "gin_trgm_ops"})
            for c in ("number", "subject")
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    subject: str = Field(max_length=200)
    description: str = Field(default="", max_length=10000)
    account_id: uuid.UUID | None = None  # none: opened by mail from an address no contact has
    contact_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None  # the installed product the request is about
    unknown_sender: bool = False  # opened by mail from an address no contact has: someone must find the customer
    requester_email_enc: str | None = None  # the address it was opened from, encrypted: replies go there
    type: TicketType = enum_column(TicketType, TicketType.INQUIRY)
    priority: Priority = enum_column(Priority, Priority.NORMAL)
    # the priority a person gave it, when escalation raised it since: its SLA policy is still chosen by that one
    escalated_from: Priority | None = enum_column(Priority, None)
    channel: Channel = enum_column(Channel, Channel.PHONE)
    tags: list[str] = strings(50)
    status: TicketStatus = enum_column(TicketStatus, TicketStatus.NEW, index=True)
    team_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None  # the team's org unit: managers reach tickets of their subtree
    assignee_id: uuid.UUID | None = None
    policy_id: uuid.UUID | None = None
    root_cause: str | None = Field(default=None, max_length=2000)
    resolution: str | None = Field(default=None, max_length=2000)
    review: Review = enum_column(Review, Review.NONE)
    reviewed_by: uuid.UUID | None = None
    review_comment: str | None = Field(default=None, max_length=1000)
    escalation_level: int = 0
    escalated_to_id: uuid.UUID | None = None
    resolved_at: dt.datetime | None = timestamp(nullable=True)
    # when the SLA monitor should look at the ticket next (a warning or a breach may come due then)
    sla_next_at: dt.datetime | None = timestamp(nullable=True)
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()


class StatusChange(SQLModel, table=True):
    """The history the SLA clocks are computed from; the first row is the ticket's creation."""

    __tablename__ = "ticket_status_changes"
    __table_args__ = (Index("ix_ticket_status_changes_ticket_at", "ticket_id", "at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    seq: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(), nullable=False)
    )  # order within one instant
    ticket_id: uuid.UUID = Field(foreign_key="tickets.id")
    from_status: TicketStatus | None = enum_column(TicketStatus, None)
    to_status: TicketStatus = enum_column(TicketStatus, TicketStatus.NEW)
    reason: str | None = Field(default=None, max_length=500)
    actor_id: uuid.UUID | None = None
    at: dt.datetime = timestamp()


class Entry(SQLModel, table=True):
    """A public reply to the customer, the customer's own message (by mail) or an internal note."""

    __tablename__ = "ticket_entries"
    __table_args__ = (
        Index("ix_ticket_entries_ticket_at", "ticket_id", "at"),
        Index(
            "ix_ticket_entries_message_id", "message_id", unique=True, postgresql_where=text("message_id IS NOT NULL")
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    ticket_id: uuid.UUID = Field(foreign_key="tickets.id")
    public: bool
    from_customer: bool = False
    body: str = Field(max_length=20000)
    author_id: uuid.UUID | None = None
    message_id: str | None = Field(default=None, max_length=500)  # the mail it came as or left as: threads replies
    at: dt.datetime = timestamp()


def is_open() -> ColumnElement[bool]:
    """Open tickets, the statuses written into the statement: as parameters, a cached (generic) plan could not tell
    that the partial index of open tickets applies, and would count the open queue by reading the whole table."""
    statuses = sorted(str(s) for s in OPEN_STATES)
    return col(Ticket.status).in_(bindparam("open_statuses", statuses, expanding=True, literal_execute=True))
