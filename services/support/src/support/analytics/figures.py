"""A ticket's figures, written by the SLA monitor each time it recomputes the ticket's clocks."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import text

from crm_shared.db import UnitOfWork, utcnow
from support.sla.engine import Clock, ClockKind, ClockState

COLUMNS = (
    "ticket_id",
    "first_response_seconds",
    "first_response_met",
    "resolution_seconds",
    "resolution_met",
    "resolved_at",
)
# the arrays are bound whole: one statement and one round trip for a batch of any size
UPSERT = text(
    "INSERT INTO ticket_figures (ticket_id, first_response_seconds, first_response_met, resolution_seconds, "
    "resolution_met, resolved_at, updated_at) "
    "SELECT u.*, CAST(:now AS timestamptz) FROM unnest(CAST(:ticket_id AS uuid[]), "
    "CAST(:first_response_seconds AS integer[]), CAST(:first_response_met AS boolean[]), "
    "CAST(:resolution_seconds AS integer[]), CAST(:resolution_met AS boolean[]), CAST(:resolved_at AS timestamptz[])) "
    "AS u ON CONFLICT (ticket_id) DO UPDATE SET first_response_seconds = excluded.first_response_seconds, "
    "first_response_met = excluded.first_response_met, resolution_seconds = excluded.resolution_seconds, "
    "resolution_met = excluded.resolution_met, resolved_at = excluded.resolved_at, updated_at = excluded.updated_at "
    # most looks change nothing (a clock still running): no new row version to write, index and vacuum
    "WHERE (ticket_figures.first_response_seconds, ticket_figures.first_response_met, "
    "ticket_figures.resolution_seconds, ticket_figures.resolution_met, ticket_figures.resolved_at) "
    "IS DISTINCT FROM (excluded.first_response_seconds, "
    "excluded.first_response_met, excluded.resolution_seconds, excluded.resolution_met, excluded.resolved_at)"
)


def _measure(clocks: list[Clock], kind: ClockKind) -> tuple[int | None, bool | None]:
    """(business seconds once the clock stopped, whether it met its target once that is known)."""
    clock = next((c for c in clocks if c.kind is kind), None)
    if clock is None:
        return None, None
    seconds = clock.elapsed_seconds if clock.stopped_at is not None else None
    met = {ClockState.MET: True, ClockState.BREACHED: False}.get(clock.state)
    return seconds, met


async def record(uow: UnitOfWork, computed: list[tuple[uuid.UUID, dt.datetime | None, list[Clock]]]) -> None:
    """Many tickets' figures (ticket, its resolution, its clocks) in one statement."""
    if not computed:
        return
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for ticket_id, resolved_at, clocks in computed:
        first, first_met = _measure(clocks, ClockKind.FIRST_RESPONSE)
        resolution, resolution_met = _measure(clocks, ClockKind.RESOLUTION)
        for name, value in zip(
            COLUMNS, (ticket_id, first, first_met, resolution, resolution_met, resolved_at), strict=True
        ):
            columns[name].append(value)
    await uow.session.execute(UPSERT, columns | {"now": utcnow()})
