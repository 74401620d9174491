"""Teams, routing rules, and picking an agent on shift: round robin or least loaded, within each agent's capacity."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import AccountRef
from crm_shared.auth.directory import DirectoryUser, assignable, may_read
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import items, required_text
from support.assignment.models import METHODS, RoutingRule, Team, TeamMember
from support.installed.service import product_ids
from support.shifts import service as shifts
from support.sla.policies import LEVELS
from support.tickets.models import Ticket
from support.tickets.states import OPEN_STATES, TicketType


@dataclass
class MemberInput:
    user_id: uuid.UUID
    capacity: int = 10


@dataclass
class TeamInput:
    name: str
    unit_id: uuid.UUID | None = None
    method: str = "round_robin"
    members: list[MemberInput] = field(default_factory=list)


@dataclass
class RuleInput:
    name: str
    team_id: uuid.UUID
    types: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    rank: int = 100
    active: bool = True
    products: list[uuid.UUID] = field(default_factory=list)


async def teams(uow: UnitOfWork, principal: Principal) -> list[Team]:
    principal.require("support:team:read")
    return list((await uow.session.scalars(select(Team).order_by(col(Team.name)))).all())


async def members(uow: UnitOfWork, team_id: uuid.UUID) -> list[TeamMember]:
    rows = await uow.session.scalars(
        select(TeamMember).where(col(TeamMember.team_id) == team_id).order_by(col(TeamMember.user_id))
    )
    return list(rows.all())


async def team(uow: UnitOfWork, team_id: uuid.UUID, field: str = "teamId") -> Team:
    found = await uow.session.get(Team, team_id)
    if found is None:
        raise BadInput("unknown_team", field=field)
    return found


async def save_team(uow: UnitOfWork, principal: Principal | None, team_id: uuid.UUID | None, data: TeamInput) -> Team:
    """A manager shapes the teams of their units; members must be active users within their scope."""
    action = "update" if team_id else "create"
    existing = await team(uow, team_id, "id") if team_id else None
    if principal is not None:
        if existing is not None:
            principal.require_governs(f"support:team:{action}", existing.unit_id)
        principal.require_governs(f"support:team:{action}", data.unit_id)
    if data.method not in METHODS:
        raise BadInput("support_one_of", field="method", choices=", ".join(METHODS))
    name = required_text(data.name, "name", 100)
    if await uow.session.scalar(select(col(Team.id)).where(col(Team.name) == name, col(Team.id) != team_id)):
        raise Conflict("team_name_taken", field="name")
    wanted = await _members_of(uow, principal, data.members)
    before = await _team_state(uow, existing) if existing else None
    row = existing or Team(name=name)
    moved = existing is not None and existing.unit_id != data.unit_id
    row.name, row.unit_id, row.method = name, data.unit_id, data.method
    uow.session.add(row)
    await uow.flush()
    if moved:  # a ticket's unit decides who reaches it: it follows its team
        await uow.session.execute(update(Ticket).where(col(Ticket.team_id) == row.id).values(unit_id=row.unit_id))
    for old in await members(uow, row.id):
        await uow.session.delete(old)
    await uow.flush()
    for m in wanted:
        uow.session.add(TeamMember(team_id=row.id, user_id=m.user_id, capacity=m.capacity))
    await uow.flush()
    after = await _team_state(uow, row)
    await audit.record(uow, "service_team.saved", "ServiceTeam", row.id, before, after, actor=principal)
    return row


async def _members_of(uow: UnitOfWork, principal: Principal | None, wanted: list[MemberInput]) -> list[MemberInput]:
    """The members as given, checked before anything is written: each once, assignable, within capacity bounds."""
    seen: set[uuid.UUID] = set()
    for i, m in enumerate(items(wanted, "members", 200)):
        if m.user_id in seen:
            raise BadInput("team_member_twice", field=f"members[{i}].userId")
        seen.add(m.user_id)
        if principal is not None:
            await assignable(uow, principal, "support:ticket", m.user_id, f"members[{i}].userId")
        if not 1 <= m.capacity <= 1000:
            raise BadInput("not_between", field=f"members[{i}].capacity", minimum=1, maximum=1000)
    return wanted


async def _team_state(uow: UnitOfWork, row: Team) -> dict[str, Any]:
    """A team as its audit record shows it, before and after a change."""
    state: dict[str, Any] = {"name": row.name, "unitId": row.unit_id, "method": row.method}
    state["members"] = [{"userId": str(m.user_id), "capacity": m.capacity} for m in await members(uow, row.id)]
    return state


async def rules(uow: UnitOfWork, principal: Principal) -> list[RoutingRule]:
    principal.require("support:team:read")
    rows = await uow.session.scalars(select(RoutingRule).order_by(col(RoutingRule.rank), col(RoutingRule.name)))
    return list(rows.all())


async def save_rule(
    uow: UnitOfWork, principal: Principal | None, rule_id: uuid.UUID | None, data: RuleInput
) -> RoutingRule:
    action = "update" if rule_id else "create"
    target = await team(uow, data.team_id)
    if principal is not None:
        principal.require_governs(f"support:team:{action}", target.unit_id)
    rule = (
        await uow.session.get(RoutingRule, rule_id, with_for_update=True)
        if rule_id
        else RoutingRule(name="", team_id=target.id)
    )
    if rule is None:
        raise BadInput("unknown_routing_rule", field="id")
    before = _rule_state(rule) if rule_id else None
    if principal is not None and rule_id:
        principal.require_governs(f"support:team:{action}", (await team(uow, rule.team_id)).unit_id)
    for value in items(data.types, "types", 20):
        if value not in tuple(TicketType):
            raise BadInput("support_one_of", field="types", choices=", ".join(TicketType))
    for value in items(data.levels, "levels", 4):
        if value not in LEVELS:
            raise BadInput("support_one_of", field="levels", choices=", ".join(LEVELS))
    rule.name = required_text(data.name, "name", 100)
    rule.team_id, rule.rank, rule.active = target.id, data.rank, data.active
    rule.types, rule.levels = sorted(set(data.types)), sorted(set(data.levels))
    rule.provinces = sorted({required_text(p, "provinces", 50) for p in items(data.provinces, "provinces", 50)})
    rule.products = sorted({str(p) for p in items(data.products, "products", 100)})
    uow.session.add(rule)
    await uow.flush()
    await audit.record(uow, "routing_rule.saved", "RoutingRule", rule.id, before, _rule_state(rule), actor=principal)
    return rule


def _rule_state(rule: RoutingRule) -> dict[str, Any]:
    state = {"name": rule.name, "teamId": rule.team_id, "types": rule.types, "provinces": rule.provinces}
    return state | {"levels": rule.levels, "products": rule.products, "rank": rule.rank, "active": rule.active}


async def route(uow: UnitOfWork, ticket: Ticket, account: AccountRef | None) -> RoutingRule | None:
    """The first active rule (by rank) matching the ticket's type, its account's province and level, and its
    product: the one it names, else any the account has installed."""
    rows = await uow.session.scalars(
        select(RoutingRule).where(col(RoutingRule.active)).order_by(col(RoutingRule.rank), col(RoutingRule.created_at))
    )
    province, level = (account.province, account.level) if account else (None, None)
    products: set[str] | None = None
    for rule in rows.all():
        if rule.products and products is None:
            if ticket.product_id:
                named = {ticket.product_id}
            else:  # a ticket from an unknown sender has no account, so nothing installed
                named = await product_ids(uow, ticket.account_id) if ticket.account_id else set()
            products = {str(p) for p in named}
        if (
            (not rule.types or ticket.type in rule.types)
            and (not rule.provinces or province in rule.provinces)
            and (not rule.levels or level in rule.levels)
            and (not rule.products or bool(products and products & set(rule.products)))
        ):
            return rule
    return None


async def open_load(uow: UnitOfWork, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Open tickets per agent."""
    rows = await uow.session.execute(
        select(col(Ticket.assignee_id), func.count())
        .where(col(Ticket.assignee_id).in_(user_ids), col(Ticket.status).in_(list(OPEN_STATES)))
        .group_by(col(Ticket.assignee_id))
    )
    return {user: count for user, count in rows.all() if user is not None}


async def pick(uow: UnitOfWork, team_id: uuid.UUID) -> uuid.UUID | None:
    """An active member below capacity, by the team's method; None when all are full (it waits in the queue)."""
    row = await uow.session.get(Team, team_id, with_for_update=True)  # one pick at a time per team: round robin holds
    if row is None:
        return None
    candidates = await members(uow, team_id)
    rows = await uow.session.execute(
        select(col(DirectoryUser.user_id), col(DirectoryUser.permissions)).where(
            col(DirectoryUser.user_id).in_([m.user_id for m in candidates]), col(DirectoryUser.is_active)
        )
    )
    # active, and able to open what they are given (a role taken away after they joined the team)
    able = {user_id for user_id, permissions in rows.all() if may_read(permissions, "support:ticket")}
    on = await shifts.on_shift(uow, [m.user_id for m in candidates], utcnow())
    candidates = [m for m in candidates if m.user_id in able and m.user_id in on]
    load = await open_load(uow, [m.user_id for m in candidates])
    free = [m for m in candidates if load.get(m.user_id, 0) < m.capacity]
    if not free:
        return None
    if row.method == "least_loaded":
        return min(free, key=lambda m: (load.get(m.user_id, 0) / m.capacity, str(m.user_id))).user_id
    for step in range(len(candidates)):
        member = candidates[(row.next_index + step) % len(candidates)]
        if member in free:
            row.next_index = (row.next_index + step + 1) % len(candidates)
            return member.user_id
    return None


async def is_member(uow: UnitOfWork, team_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    return await uow.session.get(TeamMember, (team_id, user_id)) is not None


async def queue_counts(uow: UnitOfWork, team_id: uuid.UUID) -> tuple[int, int]:
    """(open tickets, of them unassigned) in a team's queue."""
    row = await uow.session.execute(
        select(func.count(), func.count().filter(col(Ticket.assignee_id).is_(None))).where(
            col(Ticket.team_id) == team_id, col(Ticket.status).in_(list(OPEN_STATES))
        )
    )
    total, unassigned = row.one()
    return int(total), int(unassigned)
