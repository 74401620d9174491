"""Support's queries and mutations: thin, each one call into the service layer."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum

import strawberry

from crm_shared.graphql import Connection, Info
from support.assignment import service as assignment
from support.calendars import service as calendars
from support.graphql.types import BusinessCalendar, RoutingRule, ServiceTeam, SlaPolicy, Ticket, TicketEntry
from support.sla import policies
from support.tickets import service as tickets
from support.tickets.states import Channel, Priority, TicketStatus, TicketType


def _id(value: strawberry.ID | None) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value is not None else None


def _uid(value: strawberry.ID) -> uuid.UUID:
    return uuid.UUID(str(value))


@strawberry.input
class CreateTicketInput:
    subject: str
    account_id: strawberry.ID
    description: str | None = None
    contact_id: strawberry.ID | None = None
    type: TicketType = TicketType.INQUIRY
    priority: Priority = Priority.NORMAL
    channel: Channel = Channel.PHONE
    tags: list[str] = strawberry.field(default_factory=list)
    team_id: strawberry.ID | None = None
    assignee_id: strawberry.ID | None = None


@strawberry.input
class UpdateTicketInput:
    subject: str | None = None
    description: str | None = None
    contact_id: strawberry.ID | None = None
    type: TicketType | None = None
    priority: Priority | None = None
    channel: Channel | None = None
    tags: list[str] | None = None
    root_cause: str | None = None
    resolution: str | None = None


@strawberry.input
class TicketFilter:
    status: list[TicketStatus] | None = None
    open: bool | None = strawberry.field(default=None, description="Only tickets not yet resolved.")
    type: TicketType | None = None
    priority: Priority | None = None
    account_id: strawberry.ID | None = None
    team_id: strawberry.ID | None = strawberry.field(default=None, description="A team's queue.")
    assignee_id: strawberry.ID | None = None
    unassigned: bool | None = None
    tag: str | None = None


@strawberry.enum
class TicketOrder(Enum):
    CREATED_DESC = "CREATED_DESC"
    CREATED_ASC = "CREATED_ASC"
    UPDATED_DESC = "UPDATED_DESC"


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
    priorities: list[str] = strawberry.field(default_factory=list)
    types: list[str] = strawberry.field(default_factory=list)
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
    types: list[str] = strawberry.field(default_factory=list)
    provinces: list[str] = strawberry.field(default_factory=list)
    levels: list[str] = strawberry.field(default_factory=list)
    rank: int = 100
    active: bool = True


ORDERS = {"CREATED_DESC": ("created", True), "CREATED_ASC": ("created", False), "UPDATED_DESC": ("updated", True)}


@strawberry.type
class Query:
    @strawberry.field(description="Tickets the caller may see; a team's queue with filter.teamId.")
    async def tickets(
        self,
        info: Info,
        filter: TicketFilter | None = None,
        order_by: TicketOrder = TicketOrder.CREATED_DESC,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Ticket]:
        f = filter or TicketFilter()
        sort, descending = ORDERS[order_by.value]
        command = tickets.TicketFilter(
            status=f.status,
            open=f.open,
            type=f.type,
            priority=f.priority,
            account_id=_id(f.account_id),
            team_id=_id(f.team_id),
            assignee_id=_id(f.assignee_id),
            unassigned=f.unassigned,
            tag=f.tag,
            order_by=sort,
            descending=descending,
        )
        async with info.context.uow() as uow:
            return Connection.of(await tickets.page(uow, info.context.principal, command, first, after), Ticket.of)

    @strawberry.field
    async def ticket(self, info: Info, id: strawberry.ID) -> Ticket:
        async with info.context.uow() as uow:
            return Ticket.of(await tickets.get(uow, info.context.principal, _uid(id)))

    @strawberry.field
    async def business_calendars(self, info: Info) -> list[BusinessCalendar]:
        async with info.context.uow() as uow:
            return [BusinessCalendar.of(c) for c in await calendars.calendars(uow, info.context.principal)]

    @strawberry.field
    async def sla_policies(self, info: Info) -> list[SlaPolicy]:
        async with info.context.uow() as uow:
            return [SlaPolicy.of(p) for p in await policies.policies(uow, info.context.principal)]

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
    @strawberry.mutation(description="Open a ticket; routing rules pick its team and the team its agent unless given.")
    async def create_ticket(self, info: Info, input: CreateTicketInput) -> Ticket:
        data = tickets.TicketInput(
            subject=input.subject,
            account_id=_uid(input.account_id),
            description=input.description,
            contact_id=_id(input.contact_id),
            type=input.type,
            priority=input.priority,
            channel=input.channel,
            tags=input.tags,
            team_id=_id(input.team_id),
            assignee_id=_id(input.assignee_id),
        )
        async with info.context.uow() as uow:
            return Ticket.of(await tickets.create(uow, info.context.principal, data))

    @strawberry.mutation
    async def update_ticket(self, info: Info, id: strawberry.ID, input: UpdateTicketInput) -> Ticket:
        data = tickets.TicketChanges(
            subject=input.subject,
            description=input.description,
            contact_id=_id(input.contact_id),
            type=input.type,
            priority=input.priority,
            channel=input.channel,
            tags=input.tags,
            root_cause=input.root_cause,
            resolution=input.resolution,
        )
        async with info.context.uow() as uow:
            return Ticket.of(await tickets.update(uow, info.context.principal, _uid(id), data))

    @strawberry.mutation(description="Give the ticket to another team (its agent picked there) or agent of its team.")
    async def assign_ticket(
        self,
        info: Info,
        id: strawberry.ID,
        team_id: strawberry.ID | None = None,
        assignee_id: strawberry.ID | None = None,
    ) -> Ticket:
        async with info.context.uow() as uow:
            return Ticket.of(
                await tickets.assign(uow, info.context.principal, _uid(id), _id(team_id), _id(assignee_id))
            )

    @strawberry.mutation(description="A public reply to the customer; it meets the response clocks.")
    async def reply_to_ticket(self, info: Info, id: strawberry.ID, body: str) -> TicketEntry:
        async with info.context.uow() as uow:
            return TicketEntry.of(await tickets.reply(uow, info.context.principal, _uid(id), body))

    @strawberry.mutation(description="An internal note; the customer never sees it.")
    async def add_ticket_note(self, info: Info, id: strawberry.ID, body: str) -> TicketEntry:
        async with info.context.uow() as uow:
            return TicketEntry.of(await tickets.add_note(uow, info.context.principal, _uid(id), body))

    @strawberry.mutation(description="Move the ticket along its statuses; reopening works within the reopen window.")
    async def change_ticket_status(
        self,
        info: Info,
        id: strawberry.ID,
        status: TicketStatus,
        reason: str | None = None,
    ) -> Ticket:
        days = info.context.state.settings.reopen_days
        async with info.context.uow() as uow:
            return Ticket.of(await tickets.change_status(uow, info.context.principal, _uid(id), status, reason, days))

    @strawberry.mutation(description="A service manager approves a resolved complaint, or sends it back to work.")
    async def review_complaint(
        self, info: Info, id: strawberry.ID, approve: bool, comment: str | None = None
    ) -> Ticket:
        async with info.context.uow() as uow:
            return Ticket.of(await tickets.review_complaint(uow, info.context.principal, _uid(id), approve, comment))

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
            members=[assignment.MemberInput(_uid(m.user_id), m.capacity) for m in input.members],
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
            types=input.types,
            provinces=input.provinces,
            levels=input.levels,
            rank=input.rank,
            active=input.active,
        )
        async with info.context.uow() as uow:
            return RoutingRule.of(await assignment.save_rule(uow, info.context.principal, _id(id), data))
