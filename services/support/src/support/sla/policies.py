"""SLA policies: which targets a ticket gets, by priority, type and its account's level."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic.alias_generators import to_camel
from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from crm_shared.validate import items, required_text
from support.calendars import service as calendars
from support.sla.engine import Targets
from support.sla.models import SlaPolicy, SlaRecheck
from support.tickets.models import Ticket
from support.tickets.states import Priority, TicketType

LEVELS = ("A", "B", "C", "D")
TARGETS = ("first_response_minutes", "next_response_minutes", "resolution_minutes")
MAX_MINUTES = 525600  # a year


@dataclass
class PolicyInput:
    name: str
    calendar_id: uuid.UUID
    priorities: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    first_response_minutes: int | None = None
    next_response_minutes: int | None = None
    resolution_minutes: int | None = None
    warn_percent: int = 80
    rank: int = 100
    raise_priority: bool = True
    escalate: bool = True
    reassign: bool = False
    active: bool = True


def targets(policy: SlaPolicy | None) -> Targets:
    if policy is None:
        return Targets()
    return Targets(policy.first_response_minutes, policy.next_response_minutes, policy.resolution_minutes)


def _allowed(values: list[str], allowed: tuple[str, ...], name: str) -> list[str]:
    for value in items(values, name, 20):
        if value not in allowed:
            raise BadInput("support_one_of", field=name, choices=", ".join(allowed))
    return sorted({str(v) for v in values})


async def policies(uow: UnitOfWork, principal: Principal) -> list[SlaPolicy]:
    principal.require("support:sla_policy:read")
    rows = await uow.session.scalars(select(SlaPolicy).order_by(col(SlaPolicy.rank), col(SlaPolicy.name)))
    return list(rows.all())


async def save(
    uow: UnitOfWork, principal: Principal | None, policy_id: uuid.UUID | None, data: PolicyInput
) -> SlaPolicy:
    """Create or change a policy; the tickets under it are given again the policy that fits them now and
    their clocks are recomputed from their history (no paused time is lost)."""
    if principal is not None:
        principal.require_governs(f"support:sla_policy:{'update' if policy_id else 'create'}", None)
    policy = (
        await uow.session.get(SlaPolicy, policy_id, with_for_update=True)
        if policy_id
        else SlaPolicy(name="", calendar_id=data.calendar_id)
    )
    if policy is None:
        raise BadInput("unknown_sla_policy", field="id")
    before = _state(policy) if policy_id else None
    await calendars.get(uow, data.calendar_id, "calendarId")
    for name in TARGETS:
        value = getattr(data, name)
        if value is not None and not 1 <= value <= MAX_MINUTES:
            raise BadInput("bad_minutes", field=to_camel(name))
    if all(getattr(data, name) is None for name in TARGETS):  # active, it would take the SLA off the tickets it fits
        raise BadInput("policy_without_targets", field="firstResponseMinutes")
    first, resolved = data.first_response_minutes, data.resolution_minutes
    if first is not None and resolved is not None and resolved < first:  # resolving answers first
        raise BadInput("resolution_before_response", field="resolutionMinutes")
    if not 1 <= data.warn_percent <= 99:
        raise BadInput("bad_share", field="warnPercent")
    policy.name = required_text(data.name, "name", 100)
    policy.calendar_id = data.calendar_id
    policy.priorities = _allowed(data.priorities, tuple(Priority), "priorities")
    policy.types = _allowed(data.types, tuple(TicketType), "types")
    policy.levels = _allowed(data.levels, LEVELS, "levels")
    for name in ("first_response_minutes", "next_response_minutes", "resolution_minutes", "warn_percent", "rank"):
        setattr(policy, name, getattr(data, name))
    policy.raise_priority, policy.escalate, policy.reassign = data.raise_priority, data.escalate, data.reassign
    policy.active, policy.updated_at = data.active, utcnow()
    uow.session.add(policy)
    await uow.flush()
    await audit.record(uow, "sla_policy.saved", "SlaPolicy", policy.id, before, _state(policy), actor=principal)
    await calendars.recheck(uow)  # any open ticket may now fit this policy, or another one
    return policy


async def rechecks(uow: UnitOfWork, principal: Principal, limit: int = 20) -> list[SlaRecheck]:
    """The latest rechecks, newest first: how far the monitor got with each."""
    principal.require("support:sla_policy:read")
    found = await uow.session.scalars(
        select(SlaRecheck).order_by(col(SlaRecheck.requested_at).desc(), col(SlaRecheck.id)).limit(limit)
    )
    return list(found.all())


def _state(policy: SlaPolicy) -> dict[str, Any]:
    """A policy as its audit record shows it, before and after a change."""
    names = ("name", "calendar_id", "priorities", "types", "levels", "rank", *TARGETS, "warn_percent")
    return {name: getattr(policy, name) for name in (*names, "raise_priority", "escalate", "reassign", "active")}


async def active(uow: UnitOfWork) -> list[SlaPolicy]:
    return list((await uow.session.scalars(select(SlaPolicy).where(col(SlaPolicy.active)))).all())


async def every(uow: UnitOfWork) -> dict[uuid.UUID, SlaPolicy]:
    """All policies by id, the inactive ones too: tickets keep the policy they were resolved under."""
    return {p.id: p for p in (await uow.session.scalars(select(SlaPolicy))).all()}


async def choose(
    uow: UnitOfWork, ticket: Ticket, level: str | None, rows: list[SlaPolicy] | None = None
) -> SlaPolicy | None:
    """The active policy matching the ticket with the most conditions, then the lowest rank."""
    return best(ticket, level, await active(uow) if rows is None else rows)


class Fitted(Protocol):
    """What a policy's conditions look at."""

    @property
    def priority(self) -> Priority: ...

    @property
    def escalated_from(self) -> Priority | None: ...

    @property
    def type(self) -> TicketType: ...


def chosen_by(ticket: Fitted) -> Priority:
    """The priority a ticket's policy is chosen by: the one a person gave it. Escalation raises the priority on a
    breach, and a raised priority fitting a laxer policy would move the ticket away from the targets it missed."""
    return ticket.escalated_from or ticket.priority


def best(ticket: Fitted, level: str | None, rows: list[SlaPolicy]) -> SlaPolicy | None:
    """Of `rows`, the policy matching the ticket with the most conditions, then the lowest rank."""
    priority = chosen_by(ticket)
    fitting = [
        p
        for p in rows
        if (not p.priorities or priority in p.priorities)
        and (not p.types or ticket.type in p.types)
        and (not p.levels or level in p.levels)
    ]
    fitting.sort(key=lambda p: (-(bool(p.priorities) + bool(p.types) + bool(p.levels)), p.rank, p.name))
    return fitting[0] if fitting else None
