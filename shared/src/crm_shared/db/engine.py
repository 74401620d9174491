"""Engine and unit of work: one transaction per request or event, committed only on success."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic._internal import _fields
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import ORMExecuteState, Session
from sqlmodel import SQLModel

from crm_shared import clock
from crm_shared.config import PlatformSettings
from crm_shared.context import current_principal

if TYPE_CHECKING:
    from crm_shared.events.envelope import CloudEvent
    from crm_shared.events.model import Event

T = TypeVar("T")

# pydantic asks `inspect.signature` of a field's default factory (`uuid4`, `utcnow`) each time SQLModel makes a table
# row object, for whether it takes the validated data (pydantic/pydantic#13376 is the same for private attributes):
# answered once per factory, where it took a third of the CPU of writing a workflow step's rows
_fields.takes_validated_data_argument = functools.cache(_fields.takes_validated_data_argument)  # type: ignore[assignment]

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

    def __init__(self, session: AsyncSession, db: Database, reads_only: bool = False) -> None:
        self.session = session
        self.db = db
        self.source = db.source
        self.reads_only = reads_only
        self._emitted = False
        self._read: dict[Hashable, Any] = {}

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

        self._writes()
        await enqueue(self.session, topic, event)
        self._emitted = True

    async def emit_many(self, topic: str, events: list[CloudEvent]) -> None:
        """Several events in one INSERT: bulk operations (imports) stay fast."""
        from crm_shared.events.outbox import enqueue_many

        if events:
            self._writes()
            await enqueue_many(self.session, topic, events)
            self._emitted = True

    async def flush(self) -> None:
        await self.session.flush()

    async def notify(self, channel: str) -> None:
        """Tell those listening on `channel` (a `Listener`) when this transaction commits: never if it rolls back,
        once however often it is told."""
        self._writes()
        await self.session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})

    async def read_once(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """What `load` answers, read once in this unit of work: a consumer applying a batch of events in one
        transaction reads what they all look up alike (a topic's rules) once for the batch."""
        if key not in self._read:
            self._read[key] = await load()
        found: T = self._read[key]
        return found

    def savepoint(self) -> Any:
        """A nested transaction: what fails inside it rolls back alone (`async with uow.savepoint():`)."""
        self._writes()
        return self.session.begin_nested()

    def _writes(self) -> None:
        if self.reads_only:
            raise ReadOnlyUnitOfWork()

    async def _before_commit(self) -> None:
        if self._emitted:
            from crm_shared.events.outbox import NOTIFY

            await self.session.execute(NOTIFY)


class ReadOnlyUnitOfWork(RuntimeError):
    """A write in a unit of work opened to read (a GraphQL query's): its statements are not one transaction."""

    def __init__(self) -> None:
        super().__init__("this unit of work only reads: writes belong in a mutation, a route or a handler")


class ReadSession(Session):
    """A session outside any transaction: each statement commits alone, so none may write."""


@sqlalchemy_event.listens_for(ReadSession, "before_flush")
def _refuse_flush(session: Session | AsyncSession, *_: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyUnitOfWork()


@sqlalchemy_event.listens_for(ReadSession, "do_orm_execute")
def _refuse_writes(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise ReadOnlyUnitOfWork()


# whether this task already holds one of its caller's sessions (a nested one does not wait for another)
_holding: ContextVar[bool] = ContextVar("holding_session", default=False)


class CallerSlots:
    """At most `per_caller` sessions at once for each caller, so one caller cannot drain the pool."""

    def __init__(self, per_caller: int) -> None:
        self.per_caller = per_caller
        self._slots: dict[Hashable, tuple[asyncio.Semaphore, int]] = {}

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        """One slot of the current principal's (none for background work or an anonymous caller)."""
        principal = current_principal.get()
        if principal is None or _holding.get():
            yield
            return
        caller = principal.user_id
        slot, users = self._slots.get(caller) or (asyncio.Semaphore(self.per_caller), 0)
        self._slots[caller] = (slot, users + 1)
        try:
            async with slot:
                token = _holding.set(True)
                try:
                    yield
                finally:
                    _holding.reset(token)
        finally:
            slot, users = self._slots[caller]
            if users == 1:
                del self._slots[caller]
            else:
                self._slots[caller] = (slot, users - 1)


class Database:
    """One service's database: the engine and the factory of units of work.

    Statement parameters never reach error messages or logs (`hide_parameters`), and one caller holds at
    most `CRM_DB_SESSIONS_PER_CALLER` sessions at once. `CRM_DB_STATEMENT_TIMEOUT_MS` bounds every wait
    on the database (0: none): the server cancels a statement running longer, and the driver gives up
    on an answer that has not come 2 s after the server would have cancelled it (a server gone without
    closing its connections, as a failed-over node does): a transient error, retried, where it would
    have waited forever. A transaction may stay open while its job talks to others (a scheduled job's
    batch of webhooks or mails holds its lock until their outcomes commit), so idle ones are not ended.
    """

    def __init__(self, url: str, source: str, platform: PlatformSettings | None = None, **engine_options: Any) -> None:
        platform = platform or PlatformSettings()
        limit = platform.db_statement_timeout_ms
        server = {"statement_timeout": str(limit)}
        options: dict[str, Any] = {
            # connections are kept once opened: a server process started for every other request, as load
            # rises and falls past a smaller core, cost PostgreSQL twice what the queries did under load
            "pool_size": platform.db_pool_size,
            "max_overflow": 0,
            "hide_parameters": True,
            "connect_args": {"server_settings": server, "command_timeout": limit / 1000 + 2 if limit else None},
        }
        options.update(engine_options)
        self.url = url = sqlalchemy_url(url)
        self.source = source
        self.engine: AsyncEngine = create_async_engine(url, **options)
        sqlalchemy_event.listen(self.engine.sync_engine, "checkin", _rested)
        sqlalchemy_event.listen(self.engine.sync_engine, "checkout", _replace_if_dead)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # each statement its own transaction: no BEGIN and ROLLBACK round trips around a read, which under
        # READ COMMITTED takes a snapshot per statement either way
        self._reads = async_sessionmaker(
            self.engine.execution_options(isolation_level="AUTOCOMMIT"), sync_session_class=ReadSession
        )
        self.callers = CallerSlots(platform.db_sessions_per_caller)

    @asynccontextmanager
    async def unit_of_work(self, *, reads_only: bool = False) -> AsyncIterator[UnitOfWork]:
        """Commit when the block ends normally, roll back when it raises. One that `reads_only` (a GraphQL
        query's) runs each statement on its own, without the BEGIN and COMMIT round trips, and refuses writes."""
        if reads_only:
            async with self.read() as session:
                yield UnitOfWork(session, self, reads_only=True)
                _refuse_flush(session)  # a change left unflushed is refused, not dropped unseen
            return
        async with self.callers.hold(), self.sessions() as session, session.begin():
            uow = UnitOfWork(session, self)
            yield uow
            await uow._before_commit()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads outside any transaction (a token's standing, a page's count)."""
        async with self.callers.hold(), self._reads() as session:
            yield session

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


# a connection back from the pool after resting longer is pinged first: its server may be gone unannounced
REST_BEFORE_PING = 5.0


def _rested(_dbapi_connection: Any, record: Any) -> None:
    record.info["rested_from"] = time.monotonic()


def _replace_if_dead(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """SQLAlchemy's pre-ping, without its round trips (BEGIN, a ping, ROLLBACK) on every checkout, a tenth of a
    request's processor time: a connection whose server closed it (a restart, a restore) is known closed
    already, and only one that rested is pinged, for a server that vanished without a word."""
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError()
    rested_from = record.info.get("rested_from")
    if rested_from is not None and time.monotonic() - rested_from > REST_BEFORE_PING:
        try:
            dbapi_connection.ping()
        except Exception as exc:  # the driver's error, whatever became of the connection
            raise DisconnectionError() from exc


def timestamp(nullable: bool = False) -> Any:
    """A timezone-aware timestamp column; non-null ones default to now."""
    from sqlalchemy import Column, DateTime
    from sqlmodel import Field

    if nullable:
        return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
