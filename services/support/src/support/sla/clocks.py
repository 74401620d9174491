"""Tickets' clocks, read from their histories, their policies and their calendars."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Uuid, any_, cast
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import col, select

from crm_shared.db import UnitOfWork, utcnow
from support.calendars.hours import BusinessHours
from support.calendars.models import BusinessCalendar
from support.calendars.service import hours_of
from support.sla.engine import Change, Clock, Message, compute
from support.sla.models import SlaPolicy
from support.sla.policies import targets
from support.tickets.models import Entry, StatusChange, Ticket


async def policy_and_hours(uow: UnitOfWork, ticket: Ticket) -> tuple[SlaPolicy | None, BusinessHours | None]:
    policy = await uow.session.get(SlaPolicy, ticket.policy_id) if ticket.policy_id else None
    calendar = await uow.session.get(BusinessCalendar, policy.calendar_id) if policy else None
    return policy, hours_of(calendar) if calendar else None


async def clocks_of(uow: UnitOfWork, ticket: Ticket) -> tuple[list[Clock], SlaPolicy | None, BusinessHours | None]:
    """Every clock of the ticket now (empty without a policy)."""
    policy, hours = await policy_and_hours(uow, ticket)
    if policy is None or hours is None:
        return [], policy, hours
    changes, messages = (await timelines(uow, [ticket.id]))[ticket.id]
    return compute(changes, messages, targets(policy), hours, utcnow()), policy, hours


async def timelines(
    uow: UnitOfWork, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[list[Change], list[Message]]]:
    """Each ticket's status history and public messages, oldest first: two queries for any number of tickets."""
    out: dict[uuid.UUID, tuple[list[Change], list[Message]]] = {i: ([], []) for i in ticket_ids}
    if not ticket_ids:
        return out
    changes = await uow.session.execute(
        select(col(StatusChange.ticket_id), col(StatusChange.at), col(StatusChange.to_status))
        .where(col(StatusChange.ticket_id) == any_(cast(list(ticket_ids), ARRAY(Uuid))))
        .order_by(col(StatusChange.ticket_id), col(StatusChange.at), col(StatusChange.seq))
    )
    for ticket_id, at, status in changes.tuples():
        out[ticket_id][0].append(Change(at, status))
    public = await uow.session.execute(
        select(col(Entry.ticket_id), col(Entry.at), col(Entry.from_customer)).where(
            col(Entry.ticket_id) == any_(cast(list(ticket_ids), ARRAY(Uuid))), col(Entry.public)
        )
    )
    for ticket_id, at, from_customer in public.tuples():
        out[ticket_id][1].append(Message(at, from_customer))
    return out


def current(clocks: list[Clock]) -> list[Clock]:
    """One clock per kind, the latest next-response cycle."""
    latest: dict[str, Clock] = {}
    for clock in clocks:
        latest[clock.kind] = clock
    return list(latest.values())
