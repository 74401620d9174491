"""Reconciliation after a restore: a service re-publishes what others project from it, and they prune the rest.

When a service's database goes back to an earlier point, the other services' projections of its
objects hold objects it no longer has and states newer than its own. A reconciliation run
re-publishes, in one transaction through the outbox, a snapshot of every live object each of its
`ServiceManifest.snapshots` declares, stamped with the run's id and time `cutoff` (no write that the
run missed started before it), and then one "finished" marker per kind carrying how many snapshots
the run sent and the cutoff. A consumer applies each snapshot as it applies any snapshot of that kind (the
run's are the newest, so an older state wins again), and counts them; the marker may arrive before
snapshots on other partitions, so the consumer prunes only once it has applied as many as the
marker announces, whichever of the two comes last: projected rows not changed since the cutoff
were not re-published, and are gone. The times compared are the producers' clocks and the
database's: keep them within the seconds between a restore and its reconciliation.

    python -m crm_shared.events.reconcile <service>     (<SERVICE>_DATABASE_URL names its database)
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, ClassVar

from sqlalchemy import Column, DateTime, func, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Field, SQLModel, col

from crm_shared.db.engine import Database, UnitOfWork, utcnow
from crm_shared.db.snapshots import table_of
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.handlers import Handlers, Typed
from crm_shared.events.model import Event
from crm_shared.service import ServiceManifest, named

BATCH = 1000


class ReconciliationFinished(Event):
    """Closes a run for one kind: `count` snapshots went out; rows untouched since `cutoff` were not among them."""

    subject_field = "run_id"

    run_id: uuid.UUID
    count: int
    cutoff: dt.datetime


class Reconciled(Event):
    """A snapshot re-published by run `run_id`; a subclass also derives from the kind's snapshot model."""

    finished: ClassVar[type[ReconciliationFinished]]

    run_id: uuid.UUID


# ---------------------------------------------------------------------------------------------
# The consuming side: apply, count, prune once complete
# ---------------------------------------------------------------------------------------------


class ReconciliationRun(SQLModel, table=True):
    """How far this database's consumer is with one run of one kind; pruned once applied == expected."""

    __tablename__ = "reconciliation_runs"

    run_id: uuid.UUID = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=100)
    applied: int = 0
    expected: int | None = None
    cutoff: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    pruned: int | None = None
    pruned_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


Prune = Callable[[UnitOfWork, dt.datetime], Awaitable[int]]


def projection(handlers: Handlers, snapshot: type[Reconciled], apply: Typed, prune: Prune) -> None:
    """Register a projection's side of reconciliation: `apply` each snapshot, then `prune(uow, cutoff)` once."""

    async def on_snapshot(uow: UnitOfWork, event: Reconciled) -> None:
        await apply(uow, event)
        await _progress(uow, event.run_id, snapshot.type, prune, applied=1)

    async def on_finished(uow: UnitOfWork, event: ReconciliationFinished) -> None:
        await _progress(uow, event.run_id, snapshot.type, prune, expected=event.count, cutoff=event.cutoff)

    handlers.add(snapshot, on_snapshot)
    handlers.add(snapshot.finished, on_finished)


async def _progress(
    uow: UnitOfWork,
    run_id: uuid.UUID,
    kind: str,
    prune: Prune,
    applied: int = 0,
    expected: int | None = None,
    cutoff: dt.datetime | None = None,
) -> None:
    """Count in one upsert: its row lock orders consumers of other partitions, so exactly one sees the run complete."""
    run = table_of(ReconciliationRun)
    stmt = insert(run).values(run_id=run_id, kind=kind, applied=applied, expected=expected, cutoff=cutoff)
    upsert = stmt.on_conflict_do_update(
        index_elements=["run_id", "kind"],
        set_={
            "applied": run.c.applied + stmt.excluded.applied,
            "expected": func.coalesce(stmt.excluded.expected, run.c.expected),
            "cutoff": func.coalesce(stmt.excluded.cutoff, run.c.cutoff),
        },
    ).returning(run.c.applied, run.c.expected, run.c.cutoff, run.c.pruned_at)
    state = (await uow.session.execute(upsert)).one()
    if state.expected is None or state.cutoff is None or state.applied != state.expected or state.pruned_at:
        return
    pruned = await prune(uow, state.cutoff)
    await uow.session.execute(
        update(ReconciliationRun)
        .where(col(ReconciliationRun.run_id) == run_id, col(ReconciliationRun.kind) == kind)
        .values(pruned=pruned, pruned_at=utcnow())
    )


# ---------------------------------------------------------------------------------------------
# The publishing side
# ---------------------------------------------------------------------------------------------

# No write the run misses began before the cutoff: the oldest transaction open, read *before* the run
# takes its snapshot (a write that commits in between is then either seen or open at this reading).
# The service's own sessions share its role, so theirs are listed.
_CUTOFF = text(
    "SELECT least(clock_timestamp(), min(xact_start)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
)

Source = Callable[[UnitOfWork, uuid.UUID], AsyncIterator[Reconciled]]


async def reconcile(uow: UnitOfWork, manifest: ServiceManifest) -> tuple[uuid.UUID, dict[str, int]]:
    """Write one run into the outbox: every declared kind's snapshots, then its marker; returns the counts.

    Snapshots are stamped with the cutoff: later than every state projected from before the restore,
    so the restored state wins over it, and earlier than every write the run did not see, so a
    change committed while the run was taking its snapshot is not overwritten by the older state.
    `uow` must not have run a statement yet: its first one takes the run's snapshot.
    """
    async with uow.db.read() as session:
        cutoff: dt.datetime = (await session.execute(_CUTOFF)).scalar_one()
    await uow.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
    run_id, counts = uuid.uuid4(), {}
    for declared in manifest.snapshots:
        kind: type[Reconciled] = manifest.load(declared.event)
        source: Source = manifest.load(declared.source)
        count, batch = 0, []
        async for snapshot in source(uow, run_id):
            batch.append(snapshot)
            if len(batch) == BATCH:
                count += await _emit(uow, batch, cutoff)
                batch = []
        count += await _emit(uow, batch, cutoff)
        await _emit(uow, [kind.finished(run_id=run_id, count=count, cutoff=cutoff)], cutoff)
        counts[kind.type] = count
    return run_id, counts


async def _emit(uow: UnitOfWork, events: list[Any], stamp: dt.datetime) -> int:
    envelopes: list[CloudEvent] = [e.envelope(uow.source).model_copy(update={"time": stamp}) for e in events]
    if envelopes:
        await uow.emit_many(events[0].topic, envelopes)
    return len(envelopes)


async def _main(service: str) -> tuple[uuid.UUID, dict[str, int]]:
    manifest = named(service)
    db = Database(os.environ[f"{service.upper()}_DATABASE_URL"], source=manifest.source)
    try:
        async with db.unit_of_work() as uow:
            return await reconcile(uow, manifest)
    finally:
        await db.dispose()


def describe(service: str, run_id: uuid.UUID, counts: dict[str, int]) -> str:
    if not counts:
        return f"{service} declares no snapshots: nothing to reconcile"
    sent = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    return f"reconciliation {run_id} of {service}: {sent} in its outbox; its relay publishes them"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("service")
    args = parser.parse_args()
    print(describe(args.service, *asyncio.run(_main(args.service))))


if __name__ == "__main__":
    main()
