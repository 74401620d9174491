"""A ticket's clocks, read from its history, its policy and its calendar."""

from __future__ import annotations

from sqlmodel import col, select

from crm_shared.db import UnitOfWork, utcnow
from support.calendars.hours import BusinessHours
from support.calendars.models import BusinessCalendar
from support.calendars.service import hours_of
from support.sla.engine import Change, Clock, Message, compute
from support.sla.models import SlaPolicy
from support.sla.policies import targets
from support.tickets.models import Entry, Ticket
from support.tickets.service import history


async def policy_and_hours(uow: UnitOfWork, ticket: Ticket) -> tuple[SlaPolicy | None, BusinessHours | None]:
    policy = await uow.session.get(SlaPolicy, ticket.policy_id) if ticket.policy_id else None
    calendar = await uow.session.get(BusinessCalendar, policy.calendar_id) if policy else None
    return policy, hours_of(calendar) if calendar else None


async def clocks_of(uow: UnitOfWork, ticket: Ticket) -> tuple[list[Clock], SlaPolicy | None, BusinessHours | None]:
    """Every clock of the ticket now (empty without a policy)."""
    policy, hours = await policy_and_hours(uow, ticket)
    if policy is None or hours is None:
        return [], policy, hours
    changes = [Change(c.at, c.to_status) for c in await history(uow, ticket.id)]
    public = await uow.session.execute(
        select(col(Entry.at), col(Entry.from_customer)).where(col(Entry.ticket_id) == ticket.id, col(Entry.public))
    )
    messages = [Message(at, from_customer) for at, from_customer in public.tuples().all()]
    return compute(changes, messages, targets(policy), hours, utcnow()), policy, hours


def current(clocks: list[Clock]) -> list[Clock]:
    """One clock per kind, the latest next-response cycle."""
    latest: dict[str, Clock] = {}
    for clock in clocks:
        latest[clock.kind] = clock
    return list(latest.values())
