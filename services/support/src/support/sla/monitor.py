"""The SLA monitor: publishes each clock's warning and breach once, and escalates on breach.

A scheduled job looks at the tickets whose `sla_next_at` has come (every change of a ticket, its
policy or its calendar sets it to now), recomputes their clocks from history and publishes every
threshold reached and not yet noted. The note (ticket, clock, cycle, kind) is inserted in the
same transaction as the event's outbox row, so each warning and breach leaves exactly once, across
restarts and replicas. Then `sla_next_at` becomes the next instant a threshold can come due.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select

from crm_shared import audit
from crm_shared.db import UnitOfWork, utcnow
from support.analytics import figures
from support.events import SlaBreached, SlaWarning, TicketEscalated
from support.org import managers_above
from support.sla import policies
from support.sla.clocks import clocks_of
from support.sla.engine import Clock
from support.sla.models import SlaNotice, SlaPolicy
from support.tickets.models import Ticket
from support.tickets.service import rechoose_policy, snapshot
from support.tickets.states import OPEN_STATES


class SlaMonitor:
    def __init__(self, batch: int = 500) -> None:
        self.batch = batch

    async def run(self, uow: UnitOfWork) -> int:
        """One pass over the tickets that are due; returns how many notices went out."""
        now = utcnow()
        due = await uow.session.scalars(
            select(Ticket)
            .where(col(Ticket.sla_next_at) <= now)
            .order_by(col(Ticket.sla_next_at))
            .limit(self.batch)
            .with_for_update(skip_locked=True)
        )
        sent = 0
        rows = due.all()
        current = await policies.active(uow) if rows else []
        for ticket in rows:
            sent += await self.check(uow, ticket, now, current)
        return sent

    async def check(self, uow: UnitOfWork, ticket: Ticket, now: dt.datetime, active: list[SlaPolicy]) -> int:
        if ticket.status in OPEN_STATES:
            await rechoose_policy(uow, ticket, active)  # a changed policy may fit it now
        clocks, policy, hours = await clocks_of(uow, ticket)
        await figures.record(uow, ticket, clocks)  # what analytics aggregates
        sent, upcoming = 0, []
        if policy is not None and hours is not None:
            for clock in clocks:
                for kind, share in (("warning", policy.warn_percent / 100), ("breach", 1.0)):
                    at = clock.reached(share, hours)
                    if at is None:
                        continue
                    if at > now:
                        upcoming.append(at)
                    elif await self._note(uow, ticket.id, clock, kind, at):
                        sent += await self._publish(uow, ticket, policy, clock, kind, at, now)
        ticket.sla_next_at = min(upcoming, default=None)
        return sent

    async def _note(self, uow: UnitOfWork, ticket_id: uuid.UUID, clock: Clock, kind: str, at: dt.datetime) -> bool:
        """Whether this notice is new; the primary key keeps a second one out."""
        stmt = (
            insert(SlaNotice)
            .values(
                ticket_id=ticket_id,
                clock=str(clock.kind),
                cycle=clock.cycle,
                kind=kind,
                due_at=at,
                published_at=utcnow(),
            )
            .on_conflict_do_nothing()
            .returning(col(SlaNotice.ticket_id))
        )
        return (await uow.session.execute(stmt)).first() is not None

    async def _publish(
        self,
        uow: UnitOfWork,
        ticket: Ticket,
        policy: SlaPolicy,
        clock: Clock,
        kind: str,
        at: dt.datetime,
        now: dt.datetime,
    ) -> int:
        common = {"clock": str(clock.kind), "cycle": clock.cycle, "target_minutes": clock.target_minutes, "due_at": at}
        if kind == "warning":  # a warning found after its breach (the monitor was down) still goes out, first
            await uow.publish(snapshot(SlaWarning, ticket, share_percent=policy.warn_percent, **common))
            return 1
        await uow.publish(snapshot(SlaBreached, ticket, **common))
        if ticket.status in OPEN_STATES:  # a breach found after the resolution is reported, not escalated
            await escalate(uow, ticket, policy, str(clock.kind))
        return 1


async def escalate(uow: UnitOfWork, ticket: Ticket, policy: SlaPolicy, clock: str) -> None:
    """Per policy: raise the priority one step, and go one level further up the assignee's (or team's) manager chain."""
    if not (policy.raise_priority or policy.escalate):
        return
    before = ticket.priority
    if policy.raise_priority:
        ticket.priority = ticket.priority.raised()
    to_user = None
    if policy.escalate:
        from crm_shared.auth.directory import DirectoryUser

        assignee = await uow.session.get(DirectoryUser, ticket.assignee_id) if ticket.assignee_id else None
        start = assignee.unit_id if assignee and assignee.unit_id else ticket.unit_id
        chain = await managers_above(uow, start, ticket.assignee_id)
        if chain:
            to_user = chain[min(ticket.escalation_level, len(chain) - 1)]
            ticket.escalation_level = min(ticket.escalation_level + 1, len(chain))
            ticket.escalated_to_id = to_user
            if policy.reassign:
                ticket.assignee_id = to_user
    ticket.updated_at = utcnow()
    await uow.flush()
    escalated = snapshot(
        TicketEscalated,
        ticket,
        level=ticket.escalation_level,
        to_user_id=to_user,
        clock=clock,
        from_priority=str(before),
    )
    await audit.published(uow, escalated, "Ticket", ticket.id, {"priority": str(before)})
