"""Running totals behind the funnel, kept in the same transaction as every opportunity change.

A funnel over a million opportunities and their stage history cannot be aggregated from the raw
rows within a request, so each change shifts a few counters instead: opportunities by how far they
got (`funnel_totals`) and time spent per stage (`stage_time_totals`), keyed by what the funnel can
be filtered by (pipeline, owner, month created, source, campaign). An open stay counts its entry
time, so the average includes stays still running. `rebuild` recomputes both from the raw rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Float, Index, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Field, SQLModel

from crm_shared.db import UnitOfWork
from crm_shared.db.columns import unbounded

KEY = ("pipeline_id", "owner_id", "month", "source", "campaign_id")


class FunnelTotal(SQLModel, table=True):
    __tablename__ = "funnel_totals"
    __table_args__ = (
        Index(
            "ix_funnel_totals_key",
            *KEY,
            "max_position",
            "status",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pipeline_id: uuid.UUID
    owner_id: uuid.UUID
    month: dt.date
    source: str = Field(default="", max_length=50)
    campaign_id: uuid.UUID | None = None
    max_position: int
    status: str = Field(max_length=10)
    opportunities: int = 0
    amount: Decimal = unbounded()
    cycle_seconds: float = Field(default=0, sa_column=Column(Float, nullable=False))


class StageTimeTotal(SQLModel, table=True):
    __tablename__ = "stage_time_totals"
    __table_args__ = (
        Index("ix_stage_time_totals_key", *KEY, "stage_id", unique=True, postgresql_nulls_not_distinct=True),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    pipeline_id: uuid.UUID
    stage_id: uuid.UUID
    owner_id: uuid.UUID
    month: dt.date
    source: str = Field(default="", max_length=50)
    campaign_id: uuid.UUID | None = None
    closed_visits: int = 0
    closed_seconds: float = Field(default=0, sa_column=Column(Float, nullable=False))
    open_visits: int = 0
    open_entered_sum: float = Field(default=0, sa_column=Column(Float, nullable=False))  # epoch seconds


def _key(o: Any) -> dict[str, Any]:
    created = o.created_at.astimezone(dt.UTC)
    return {
        "pipeline_id": o.pipeline_id,
        "owner_id": o.owner_id,
        "month": dt.date(created.year, created.month, 1),
        "source": o.source or "",
        "campaign_id": o.campaign_id,
    }


def funnel_state(o: Any) -> tuple[tuple[Any, ...], Decimal, float]:
    """Where an opportunity counts in the funnel, and what it adds there."""
    cycle = (o.closed_at - o.created_at).total_seconds() if o.closed_at else 0.0
    return (*_key(o).values(), o.max_position, o.status), Decimal(o.amount_base or 0), cycle


async def _add_funnel(uow: UnitOfWork, state: tuple[tuple[Any, ...], Decimal, float], sign: int) -> None:
    key, amount, cycle = state
    values = dict(zip((*KEY, "max_position", "status"), key, strict=True))
    stmt = insert(FunnelTotal).values(
        id=uuid.uuid4(), **values, opportunities=sign, amount=sign * amount, cycle_seconds=sign * cycle
    )
    table = FunnelTotal.metadata.tables[FunnelTotal.__tablename__].c
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[*KEY, "max_position", "status"],
            set_={
                "opportunities": table.opportunities + stmt.excluded.opportunities,
                "amount": table.amount + stmt.excluded.amount,
                "cycle_seconds": table.cycle_seconds + stmt.excluded.cycle_seconds,
            },
        )
    )


async def shift_funnel(uow: UnitOfWork, before: tuple[tuple[Any, ...], Decimal, float] | None, o: Any) -> None:
    """Move the opportunity's contribution from where it counted `before` to where it counts now."""
    after = funnel_state(o)
    if before == after:
        return
    shifts = [(after, 1)] if before is None else [(before, -1), (after, 1)]
    for state, sign in sorted(shifts, key=lambda shift: repr(shift[0][0])):  # one lock order for every writer
        await _add_funnel(uow, state, sign)


async def _add_stage(uow: UnitOfWork, o: Any, stage_id: uuid.UUID, **deltas: float) -> None:
    zero = dict.fromkeys(("closed_visits", "closed_seconds", "open_visits", "open_entered_sum"), 0)
    stmt = insert(StageTimeTotal).values(id=uuid.uuid4(), stage_id=stage_id, **_key(o), **{**zero, **deltas})
    table = StageTimeTotal.metadata.tables[StageTimeTotal.__tablename__].c
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[*KEY, "stage_id"], set_={name: table[name] + stmt.excluded[name] for name in deltas}
        )
    )


StageChange = tuple[uuid.UUID, dict[str, float]]


def entry(stage_id: uuid.UUID, at: dt.datetime) -> StageChange:
    return stage_id, {"open_visits": 1, "open_entered_sum": at.timestamp()}


def exit_(stage_id: uuid.UUID, entered: dt.datetime, left: dt.datetime) -> StageChange:
    return stage_id, {
        "open_visits": -1,
        "open_entered_sum": -entered.timestamp(),
        "closed_visits": 1,
        "closed_seconds": (left - entered).total_seconds(),
    }


async def record_stays(uow: UnitOfWork, o: Any, changes: list[StageChange]) -> None:
    """Stage time entered and left, applied in stage order so concurrent moves lock rows in one order."""
    for stage_id, deltas in sorted(changes, key=lambda change: str(change[0])):
        await _add_stage(uow, o, stage_id, **deltas)


REBUILD = """
DELETE FROM funnel_totals;
DELETE FROM stage_time_totals;
INSERT INTO funnel_totals (id, pipeline_id, owner_id, month, source, campaign_id, max_position, status, opportunities,
                           amount, cycle_seconds)
SELECT gen_random_uuid(), pipeline_id, owner_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date,
       coalesce(source, ''), campaign_id, max_position, status, count(*), sum(amount_base),
       coalesce(sum(extract(epoch FROM closed_at - created_at)), 0)
FROM opportunities GROUP BY 2, 3, 4, 5, 6, 7, 8;
INSERT INTO stage_time_totals (id, pipeline_id, stage_id, owner_id, month, source, campaign_id, closed_visits,
                               closed_seconds, open_visits, open_entered_sum)
SELECT gen_random_uuid(), o.pipeline_id, v.stage_id, o.owner_id,
       date_trunc('month', o.created_at AT TIME ZONE 'UTC')::date,
       coalesce(o.source, ''), o.campaign_id, count(v.left_at),
       coalesce(sum(extract(epoch FROM v.left_at - v.entered_at)), 0),
       count(*) - count(v.left_at), coalesce(sum(extract(epoch FROM v.entered_at)) FILTER (WHERE v.left_at IS NULL), 0)
FROM stage_visits v JOIN opportunities o ON o.id = v.opportunity_id GROUP BY 2, 3, 4, 5, 6, 7;
"""


async def rebuild(uow: UnitOfWork) -> None:
    """Recompute the totals from the opportunities and their stage history (after a bulk load)."""
    for statement in REBUILD.split(";"):
        if statement.strip():
            await uow.session.execute(text(statement))
