"""The service desk's setup: business calendars, SLA policies, teams and routing rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from crm_shared.graphql import Info
from crm_shared.validate import uuid_of
from support.assignment import service as assignment
from support.assignment.models import RoutingRule as RuleRow
from support.assignment.models import Team as TeamRow
from support.calendars import service as calendars
from support.calendars.models import BusinessCalendar as CalendarRow
from support.calendars.statutory import covered_until
from support.graphql.types import User, gid
from support.graphql.types import optional_uid as _id
from support.graphql.types import uid as _uid
from support.sla import policies
from support.sla.models import SlaPolicy as PolicyRow
from support.sla.models import SlaRecheck as RecheckRow
from support.tickets.states import Priority, TicketType


@strawberry.type
class Weekly:
    weekday: int
    start: str
    end: str


@strawberry.type
class Closure:
    start: dt.datetime
    end: dt.datetime
    reason: str


@strawberry.type(description="Working hours in a time zone, with holidays, make-up workdays (调休) and closures.")
class BusinessCalendar:
    id: strawberry.ID
    name: str
    time_zone: str
    statutory: bool = strawberry.field(description="China's announced holidays and make-up workdays apply.")
    weekly: list[Weekly]
    holidays: list[dt.date]
    workdays: list[dt.date]
    closures: list[Closure]

    @strawberry.field(
        description="The last day the statutory holidays are announced for; later ones are the administrator's to add."
    )
    def statutory_until(self) -> dt.date | None:
        return covered_until() if self.statutory else None

    @classmethod
    def of(cls, c: CalendarRow) -> BusinessCalendar:
        return cls(
            id=strawberry.ID(str(c.id)),
            name=c.name,
            time_zone=c.time_zone,
            statutory=c.statutory,
            weekly=[Weekly(weekday=int(str(w["weekday"])), start=str(w["start"]), end=str(w["end"])) for w in c.weekly],
            holidays=list(c.holidays),
            workdays=list(c.workdays),
            closures=[
                Closure(
                    start=dt.datetime.fromisoformat(x["start"]),
                    end=dt.datetime.fromisoformat(x["end"]),
                    reason=x["reason"],
                )
                for x in c.closures
            ],
        )


@strawberry.type
class SlaPolicy:
    id: strawberry.ID
    name: str
    rank: int
    priorities: list[Priority] = strawberry.field(description="The tickets' priorities it covers; empty: any.")
    types: list[TicketType] = strawberry.field(description="The tickets' types it covers; empty: any.")
    levels: list[str]
    calendar_id: strawberry.ID
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    warn_percent: int
    raise_priority: bool
    escalate: bool
    reassign: bool
    active: bool

    @classmethod
    def of(cls, p: PolicyRow) -> SlaPolicy:
        values: dict[str, Any] = {
            name: getattr(p, name)
            for name in cls.__annotations__
            if name not in ("id", "calendar_id", "priorities", "types")
        }
        return cls(
            id=strawberry.ID(str(p.id)),
            calendar_id=strawberry.ID(str(p.calendar_id)),
            priorities=[Priority(v) for v in p.priorities],
            types=[TicketType(v) for v in p.types],
            **values,
        )


@strawberry.type(
    description="Open tickets whose clocks the SLA monitor recomputes after a policy or calendar changed, "
    "a batch at a time between due warnings and breaches."
)
class SlaRecheck:
    id: strawberry.ID
    reason: str = strawberry.field(description="calendar or policy: what changed.")
    calendar_id: strawberry.ID | None = strawberry.field(description="The calendar changed; none: every open ticket.")
    total: int = strawberry.field(description="Open tickets concerned when it was asked for.")
    checked: int = strawberry.field(description="Tickets recomputed so far.")
    requested_at: dt.datetime
    finished_at: dt.datetime | None

    @classmethod
    def of(cls, r: RecheckRow) -> SlaRecheck:
        return cls(
            id=strawberry.ID(str(r.id)),
            reason=r.reason,
            calendar_id=gid(r.calendar_id),
            total=r.total,
            checked=r.checked,
            requested_at=r.requested_at,
            finished_at=r.finished_at,
        )


@strawberry.type
class TeamMember:
    user: User
    capacity: int


@strawberry.type(description="A team of agents and its queue.")
class ServiceTeam:
    id: strawberry.ID
    name: str
    unit_id: strawberry.ID | None
    method: str
    row: strawberry.Private[TeamRow]

    @classmethod
    def of(cls, t: TeamRow) -> ServiceTeam:
        return cls(id=strawberry.ID(str(t.id)), name=t.name, unit_id=gid(t.unit_id), method=t.method, row=t)

    @strawberry.field
    async def members(self, info: Info) -> list[TeamMember]:
        async with info.context.uow() as uow:
            rows = await assignment.members(uow, self.row.id)
        return [TeamMember(user=User(id=strawberry.ID(str(m.user_id))), capacity=m.capacity) for m in rows]

    @strawberry.field(description="Open tickets in the team's queue.")
    async def open_tickets(self, info: Info) -> int:
        async with info.context.uow() as uow:
            return (await assignment.queue_counts(uow, self.row.id))[0]

    @strawberry.field(description="Open tickets waiting for an agent (everyone was at capacity).")
    async def unassigned_tickets(self, info: Info) -> int:
        async with info.context.uow() as uow:
            return (await assignment.queue_counts(uow, self.row.id))[1]


@strawberry.type(description="New tickets matching it go to its team; the lowest rank wins.")
class RoutingRule:
    id: strawberry.ID
    name: str
    rank: int
    types: list[TicketType] = strawberry.field(description="The tickets' types it covers; empty: any.")
    provinces: list[str]
    levels: list[str]
    products: list[strawberry.ID] = strawberry.field(
        description="Product ids: the ticket's, else the account's installed."
    )
    team_id: strawberry.ID
    active: bool

    @classmethod
    def of(cls, r: RuleRow) -> RoutingRule:
        return cls(
            id=strawberry.ID(str(r.id)),
            name=r.name,
            rank=r.rank,
            types=[TicketType(v) for v in r.types],
            provinces=r.provinces,
            levels=r.levels,
            products=[strawberry.ID(p) for p in r.products],
            team_id=strawberry.ID(str(r.team_id)),
            active=r.active,
        )


@strawberry.input
class WeeklyInput:
    weekday: int = strawberry.field(description="1 = Monday ... 7 = Sunday")
    start: str = strawberry.field(description="HH:MM")
    end: str = strawberry.field(description="HH:MM (24:00 for midnight)")


@strawberry.input
class ClosureInput:
    start: dt.datetime
    end: dt.datetime
    reason: str | None = None


@strawberry.input
class BusinessCalendarInput:
    name: str
    time_zone: str = "Asia/Shanghai"
    weekly: list[WeeklyInput] = strawberry.field(default_factory=list)
    statutory: bool = True
    holidays: list[dt.date] = strawberry.field(default_factory=list)
    workdays: list[dt.date] = strawberry.field(default_factory=list, description="Make-up workdays (调休).")
    closures: list[ClosureInput] = strawberry.field(default_factory=list)


@strawberry.input
class SlaPolicyInput:
    name: str
    calendar_id: strawberry.ID
    priorities: list[Priority] = strawberry.field(default_factory=list)
    types: list[TicketType] = strawberry.field(default_factory=list)
    levels: list[str] = strawberry.field(default_factory=list, description="Customer levels A–D.")
    first_response_minutes: int | None = None
    next_response_minutes: int | None = None
    resolution_minutes: int | None = None
    warn_percent: int = 80
    rank: int = 100
    raise_priority: bool = True
    escalate: bool = True
    reassign: bool = False
    active: bool = True


@strawberry.input
class TeamMemberInput:
    user_id: strawberry.ID
    capacity: int = 10


@strawberry.input
class ServiceTeamInput:
    name: str
    unit_id: strawberry.ID | None = None
    method: str = strawberry.field(default="round_robin", description="round_robin or least_loaded")
    members: list[TeamMemberInput] = strawberry.field(default_factory=list)


@strawberry.input
class RoutingRuleInput:
    name: str
    team_id: strawberry.ID
    types: list[TicketType] = strawberry.field(default_factory=list)
    provinces: list[str] = strawberry.field(default_factory=list)
    levels: list[str] = strawberry.field(default_factory=list)
    products: list[strawberry.ID] = strawberry.field(default_factory=list, description="Installed product ids.")
    rank: int = 100
    active: bool = True


@strawberry.type
class Query:
    @strawberry.field
    async def business_calendars(self, info: Info) -> list[BusinessCalendar]:
        async with info.context.uow() as uow:
            return [BusinessCalendar.of(c) for c in await calendars.calendars(uow, info.context.principal)]

    @strawberry.field
    async def sla_policies(self, info: Info) -> list[SlaPolicy]:
        async with info.context.uow() as uow:
            return [SlaPolicy.of(p) for p in await policies.policies(uow, info.context.principal)]

    @strawberry.field(description="The latest rechecks of clocks after policy and calendar changes, newest first.")
    async def sla_rechecks(self, info: Info) -> list[SlaRecheck]:
        async with info.context.uow() as uow:
            return [SlaRecheck.of(r) for r in await policies.rechecks(uow, info.context.principal)]

    @strawberry.field
    async def service_teams(self, info: Info) -> list[ServiceTeam]:
        async with info.context.uow() as uow:
            return [ServiceTeam.of(t) for t in await assignment.teams(uow, info.context.principal)]

    @strawberry.field
    async def routing_rules(self, info: Info) -> list[RoutingRule]:
        async with info.context.uow() as uow:
            return [RoutingRule.of(r) for r in await assignment.rules(uow, info.context.principal)]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create (without id) or replace a business calendar.")
    async def save_business_calendar(
        self, info: Info, input: BusinessCalendarInput, id: strawberry.ID | None = None
    ) -> BusinessCalendar:
        data = calendars.CalendarInput(
            name=input.name,
            time_zone=input.time_zone,
            statutory=input.statutory,
            holidays=input.holidays,
            workdays=input.workdays,
            weekly=[calendars.HoursInput(w.weekday, w.start, w.end) for w in input.weekly],
            closures=[calendars.ClosureInput(c.start, c.end, c.reason) for c in input.closures],
        )
        async with info.context.uow() as uow:
            return BusinessCalendar.of(await calendars.save(uow, info.context.principal, _id(id), data))

    @strawberry.mutation(
        description="Create (without id) or change an SLA policy; open tickets' clocks are recomputed."
    )
    async def save_sla_policy(self, info: Info, input: SlaPolicyInput, id: strawberry.ID | None = None) -> SlaPolicy:
        values = {k: getattr(input, k) for k in policies.PolicyInput.__dataclass_fields__ if k != "calendar_id"}
        data = policies.PolicyInput(calendar_id=_uid(input.calendar_id), **values)
        async with info.context.uow() as uow:
            return SlaPolicy.of(await policies.save(uow, info.context.principal, _id(id), data))

    @strawberry.mutation(description="Create (without id) or change a team and its agents' capacities.")
    async def save_service_team(
        self, info: Info, input: ServiceTeamInput, id: strawberry.ID | None = None
    ) -> ServiceTeam:
        data = assignment.TeamInput(
            name=input.name,
            unit_id=_id(input.unit_id),
            method=input.method,
            members=[
                assignment.MemberInput(uuid_of(m.user_id, f"members[{i}].userId"), m.capacity)
                for i, m in enumerate(input.members)
            ],
        )
        async with info.context.uow() as uow:
            return ServiceTeam.of(await assignment.save_team(uow, info.context.principal, _id(id), data))

    @strawberry.mutation
    async def save_routing_rule(
        self, info: Info, input: RoutingRuleInput, id: strawberry.ID | None = None
    ) -> RoutingRule:
        data = assignment.RuleInput(
            name=input.name,
            team_id=_uid(input.team_id),
            types=[t.value for t in input.types],
            provinces=input.provinces,
            levels=input.levels,
            rank=input.rank,
            active=input.active,
            products=[uuid_of(p, f"products[{i}]") for i, p in enumerate(input.products)],
        )
        async with info.context.uow() as uow:
            return RoutingRule.of(await assignment.save_rule(uow, info.context.principal, _id(id), data))
