"""Engine and unit of work: one transaction per request or event, committed only on success."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlmodel import SQLModel

from crm_shared import clock

if TYPE_CHECKING:
    from crm_shared.events.envelope import CloudEvent
    from crm_shared.events.model import Event

# Predictable constraint names, so Alembic migrations can name what they drop.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Now in UTC from the injectable clock, so tests can move time (see `crm_shared.clock`)."""
    return clock.now()


def sqlalchemy_url(url: str) -> str:
    """Accept the plain `postgresql://` URIs operators hand out (CloudNativePG secrets) as well."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+asyncpg://" + url[len(scheme) :]
    return url


def asyncpg_dsn(url: str) -> str:
    """The plain libpq-style DSN asyncpg wants, from an SQLAlchemy URL."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


class UnitOfWork:
    """A session inside one transaction plus the domain events to publish with it (outbox).

    The boundary (a resolver, a route, an event handler, a scheduled job) opens it and passes it
    down; service functions join it and never open their own, so one request is one transaction.
    """

    def __init__(self, session: AsyncSession, db: Database) -> None:
        self.session = session
        self.db = db
        self.source = db.source
        self._emitted = False

    async def publish(self, *events: Event) -> None:
        """Typed domain events, written to the outbox in this transaction."""
        for event in events:
            await self.emit(event.topic, event.envelope(self.source))

    async def publish_many(self, events: Sequence[Event]) -> None:
        """Many events of one topic in one INSERT (imports)."""
        if events:
            await self.emit_many(events[0].topic, [e.envelope(self.source) for e in events])

    async def emit(self, topic: str, event: CloudEvent) -> None:
        """Write the event to the outbox in this transaction; the relay publishes it after commit."""
        from crm_shared.events.outbox import enqueue

        await enqueue(self.session, topic, event)
        self._emitted = True

    async def emit_many(self, topic: str, events: list[CloudEvent]) -> None:
        """Several events in one INSERT: bulk operations (imports) stay fast."""
        from crm_shared.events.outbox import enqueue_many

        if events:
            await enqueue_many(self.session, topic, events)
            self._emitted = True

    async def flush(self) -> None:
        await self.session.flush()

    def savepoint(self) -> Any:
        """A nested transaction: what fails inside it rolls back alone (`async with uow.savepoint():`)."""
        return self.session.begin_nested()

    async def _before_commit(self) -> None:
        if self._emitted:
            await self.session.execute(text("NOTIFY crm_outbox"))


class Database:
    """One service's database: the engine and the factory of units of work."""

    def __init__(self, url: str, source: str, **engine_options: Any) -> None:
        options: dict[str, Any] = {"pool_size": 10, "max_overflow": 10, "pool_pre_ping": True}
        options.update(engine_options)
        self.url = url = sqlalchemy_url(url)
        self.source = source
        self.engine: AsyncEngine = create_async_engine(url, **options)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """Commit when the block ends normally, roll back when it raises."""
        async with self.sessions() as session, session.begin():
            uow = UnitOfWork(session, self)
            yield uow
            await uow._before_commit()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads; nothing it does is committed."""
        async with self.sessions() as session:
            yield session

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def timestamp(nullable: bool = False) -> Any:
    """A timezone-aware timestamp column; non-null ones default to now."""
    from sqlalchemy import Column, DateTime
    from sqlmodel import Field

    if nullable:
        return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
