"""Outbox and inbox tables: events leave with the state change; consumers apply each event once."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Identity, Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from crm_shared.db.engine import utcnow
from crm_shared.events.envelope import CloudEvent


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "id", postgresql_where=text("published_at IS NULL")),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    event_id: uuid.UUID
    topic: str
    key: str | None = None
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))
    published_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    last_error: str | None = None


class InboxRecord(SQLModel, table=True):
    __tablename__ = "inbox"

    consumer: str = Field(primary_key=True)
    event_id: uuid.UUID = Field(primary_key=True)
    event_type: str
    processed_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))


class ParkedEvent(SQLModel, table=True):
    """An event that arrived before the one its aggregate needs first; applied when that one is."""

    __tablename__ = "parked_events"
    __table_args__ = (Index("ix_parked_events_subject", "consumer", "topic", "subject"),)

    consumer: str = Field(primary_key=True)
    event_id: uuid.UUID = Field(primary_key=True)
    topic: str
    subject: str
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    reason: str = ""
    parked_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True)))


async def enqueue(session: AsyncSession, topic: str, event: CloudEvent) -> None:
    session.add(
        OutboxMessage(
            event_id=uuid.UUID(event.id),
            topic=topic,
            key=event.subject,
            payload=event.model_dump(mode="json"),
        )
    )


CHANNEL = "crm_outbox"  # the relay listens here: a transaction that wrote events notifies it, once at commit
NOTIFY = text(f"NOTIFY {CHANNEL}")

# the events bound as arrays: one statement whatever their number, rows (and so ids) in the events' order
ENQUEUE_MANY = text(
    "INSERT INTO outbox (event_id, topic, key, payload, created_at, attempts) "
    "SELECT u.event_id, :topic, u.key, u.payload, :now, 0 "
    "FROM unnest(CAST(:event_ids AS uuid[]), CAST(:keys AS varchar[]), CAST(:payloads AS jsonb[])) "
    "WITH ORDINALITY AS u(event_id, key, payload, n) ORDER BY u.n"
)


async def enqueue_many(session: AsyncSession, topic: str, events: list[CloudEvent]) -> None:
    await session.flush()  # events added one by one before these go first
    await session.execute(ENQUEUE_MANY, enqueue_many_values(topic, events, utcnow()))


def enqueue_many_values(topic: str, events: Sequence[CloudEvent], now: dt.datetime) -> dict[str, Any]:
    """What ENQUEUE_MANY binds: a statement that ends in it, after CTEs of its own, binds these as well."""
    return {
        "topic": topic,
        "now": now,
        "event_ids": [uuid.UUID(e.id) for e in events],
        "keys": [e.subject for e in events],
        "payloads": [e.model_dump_json() for e in events],
    }


async def remember(session: AsyncSession, consumer: str, event: CloudEvent) -> bool:
    """Record the event as processed by `consumer`; False when it already was."""
    return bool(await remember_many(session, consumer, [event]))


# one statement for a batch's events; RETURNING names those not seen before (a repeat in the batch once)
REMEMBER_MANY = text(
    "INSERT INTO inbox (consumer, event_id, event_type, processed_at) "
    "SELECT :consumer, u.event_id, u.event_type, :now "
    "FROM unnest(CAST(:event_ids AS uuid[]), CAST(:types AS varchar[])) AS u(event_id, event_type) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
)


async def remember_many(session: AsyncSession, consumer: str, events: list[CloudEvent]) -> set[uuid.UUID]:
    """Record the events as processed by `consumer`; returns the ids of those that were not yet."""
    if not events:
        return set()
    params = {"consumer": consumer, "now": utcnow(), "event_ids": [uuid.UUID(e.id) for e in events]}
    found = await session.execute(REMEMBER_MANY, {**params, "types": [e.type for e in events]})
    return set(found.scalars().all())
