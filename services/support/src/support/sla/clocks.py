"""Tickets' clocks, read from their histories, their policies and their calendars."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Uuid, any_, cast
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import col, select

from crm_shared.db import UnitOfWork, utcnow
from support.calendars.service import hours_by_id
from support.sla.engine import Breach, Change, Clock, ClockKind, Message, compute
from support.sla.models import SlaNotice
from support.sla.policies import every, targets
from support.tickets.models import Entry, StatusChange, Ticket

# what a published breach keeps of its clock
BREACH: tuple[Any, ...] = tuple(
    col(c) for c in (SlaNotice.ticket_id, SlaNotice.clock, SlaNotice.cycle, SlaNotice.due_at, SlaNotice.target_minutes)
)


async def clocks_now(uow: UnitOfWork, ticket_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Clock]]:
    """Every clock of each ticket now (none without a policy): a page's tickets in six queries whatever their
    number (their policies, the policies' calendars, histories, messages and published breaches), not six each."""
    found = await uow.session.execute(
        select(col(Ticket.id), col(Ticket.policy_id)).where(col(Ticket.id) == any_(cast(list(ticket_ids), ARRAY(Uuid))))
    )
    chosen = {ticket: policy for ticket, policy in found.all() if policy is not None}
    plans = await every(uow)  # a few, set up by service managers
    hours = await hours_by_id(uow, {plans[p].calendar_id for p in chosen.values() if p in plans})
    timed = [t for t, p in chosen.items() if p in plans and plans[p].calendar_id in hours]
    lines = await timelines(uow, timed)
    now = utcnow()
    out: dict[uuid.UUID, list[Clock]] = {t: [] for t in ticket_ids}
    for ticket_id in timed:
        policy = plans[chosen[ticket_id]]
        changes, messages, breaches = lines[ticket_id]
        out[ticket_id] = compute(changes, messages, targets(policy), hours[policy.calendar_id], now, breaches)
    return out


async def timelines(
    uow: UnitOfWork, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[list[Change], list[Message], list[Breach]]]:
    """Each ticket's status history and public messages, oldest first, and the breaches published: three queries
    for any number of tickets."""
    out: dict[uuid.UUID, tuple[list[Change], list[Message], list[Breach]]] = {i: ([], [], []) for i in ticket_ids}
    if not ticket_ids:
        return out
    changes = await uow.session.execute(
        select(col(StatusChange.ticket_id), col(StatusChange.at), col(StatusChange.to_status))
        .where(col(StatusChange.ticket_id) == any_(cast(list(ticket_ids), ARRAY(Uuid))))
        .order_by(col(StatusChange.ticket_id), col(StatusChange.at), col(StatusChange.seq))
    )
    for ticket_id, at, status in changes:
        out[ticket_id][0].append(Change(at, status))
    public = await uow.session.execute(
        select(col(Entry.ticket_id), col(Entry.at), col(Entry.from_customer)).where(
            col(Entry.ticket_id) == any_(cast(list(ticket_ids), ARRAY(Uuid))), col(Entry.public)
        )
    )
    for ticket_id, at, from_customer in public:
        out[ticket_id][1].append(Message(at, from_customer))
    breaches = await uow.session.execute(
        select(*BREACH).where(
            col(SlaNotice.ticket_id) == any_(cast(list(ticket_ids), ARRAY(Uuid))), col(SlaNotice.kind) == "breach"
        )
    )
    for ticket_id, clock, cycle, due_at, target in breaches:
        out[ticket_id][2].append(Breach(ClockKind(clock), cycle, due_at, target))
    return out


def current(clocks: list[Clock]) -> list[Clock]:
    """One clock per kind, the latest next-response cycle."""
    latest: dict[str, Clock] = {}
    for clock in clocks:
        latest[clock.kind] = clock
    return list(latest.values())
