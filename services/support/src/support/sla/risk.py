"""Open tickets whose SLA is at risk or breached, from the monitor's notices, as a WHERE clause.

A notice records that a clock reached its warning or its target; the clock is still live when
the ticket is open and, for a response clock, no reply went out since that instant (a reply
stops it). So the queue filters in SQL without recomputing every ticket's clocks.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from support.sla.engine import ClockKind
from support.sla.models import SlaNotice
from support.tickets.models import Entry, Ticket, is_open


class SlaRisk(StrEnum):
    AT_RISK = "at_risk"  # past a clock's warning, before its target
    BREACHED = "breached"  # past a clock's target, the clock still running


def _live(notice: type[SlaNotice]) -> ColumnElement[bool]:
    replied = exists().where(
        col(Entry.ticket_id) == col(notice.ticket_id),
        col(Entry.public),
        ~col(Entry.from_customer),
        col(Entry.at) >= col(notice.due_at),
    )
    return or_(col(notice.clock) == str(ClockKind.RESOLUTION), ~replied)


def at(risk: SlaRisk) -> ColumnElement[bool]:
    notice = aliased(SlaNotice)
    conditions = [col(notice.ticket_id) == col(Ticket.id), _live(notice)]
    if risk is SlaRisk.BREACHED:
        conditions.append(col(notice.kind) == "breach")
    else:
        breach = aliased(SlaNotice)
        breached = exists().where(
            col(breach.ticket_id) == col(notice.ticket_id),
            col(breach.clock) == col(notice.clock),
            col(breach.cycle) == col(notice.cycle),
            col(breach.kind) == "breach",
        )
        conditions += [col(notice.kind) == "warning", ~breached]
    live = select(col(notice.ticket_id)).where(and_(*conditions)).exists()
    return and_(is_open(), live)
