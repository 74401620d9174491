"""A ticket's figures, written by the SLA monitor each time it recomputes the ticket's clocks."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from crm_shared.db import UnitOfWork, utcnow
from support.analytics.models import TicketFigures
from support.sla.engine import Clock, ClockKind, ClockState
from support.tickets.models import Ticket


def _measure(clocks: list[Clock], kind: ClockKind) -> tuple[int | None, bool | None]:
    """(business seconds once the clock stopped, whether it met its target once that is known)."""
    clock = next((c for c in clocks if c.kind is kind), None)
    if clock is None:
        return None, None
    seconds = clock.elapsed_seconds if clock.stopped_at is not None else None
    met = {ClockState.MET: True, ClockState.BREACHED: False}.get(clock.state)
    return seconds, met


async def record(uow: UnitOfWork, computed: list[tuple[Ticket, list[Clock]]]) -> None:
    """Many tickets' figures in one statement."""
    if not computed:
        return
    now = utcnow()
    rows = []
    for ticket, clocks in computed:
        first, first_met = _measure(clocks, ClockKind.FIRST_RESPONSE)
        resolution, resolution_met = _measure(clocks, ClockKind.RESOLUTION)
        rows.append(
            {
                "ticket_id": ticket.id,
                "first_response_seconds": first,
                "first_response_met": first_met,
                "resolution_seconds": resolution,
                "resolution_met": resolution_met,
                "resolved_at": ticket.resolved_at,
                "updated_at": now,
            }
        )
    stmt = insert(TicketFigures)
    changed = {name: stmt.excluded[name] for name in rows[0] if name != "ticket_id"}
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=["ticket_id"], set_=changed), rows)
