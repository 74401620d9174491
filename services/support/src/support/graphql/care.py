"""Satisfaction surveys, the installed base, service analytics and agents' shifts: thin resolvers."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import strawberry

from crm_shared.db import utcnow
from crm_shared.errors import NotFound
from crm_shared.graphql import Connection, Info
from support.analytics import service as analytics
from support.graphql.types import Account, Ticket, User
from support.installed import service as installed
from support.installed.models import InstalledProduct as InstalledRow
from support.shifts import service as shifts
from support.shifts.models import AgentShift as ShiftRow
from support.surveys import results, tokens
from support.surveys import service as surveys
from support.surveys.models import FollowUp, SurveyKind
from support.surveys.models import Survey as SurveyRow
from support.tickets import repository
from support.tickets.states import TicketType

strawberry.enum(SurveyKind, name="SurveyKind")
strawberry.enum(FollowUp, name="SurveyFollowUp")


def _id(value: strawberry.ID | None) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value is not None else None


def _gid(value: uuid.UUID | None) -> strawberry.ID | None:
    return strawberry.ID(str(value)) if value else None


@strawberry.type(description="A satisfaction (CSAT, with an optional effort score) or relationship (NPS) survey.")
class SurveyResult:
    row: strawberry.Private[SurveyRow]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field
    def kind(self) -> SurveyKind:
        return self.row.kind

    @strawberry.field
    def ticket_id(self) -> strawberry.ID | None:
        return _gid(self.row.ticket_id)

    @strawberry.field
    def account_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.account_id))

    @strawberry.field(description="The account asked, its name from the customer service.")
    def account(self) -> Account:
        return Account(id=strawberry.ID(str(self.row.account_id)))

    @strawberry.field
    def contact_id(self) -> strawberry.ID | None:
        return _gid(self.row.contact_id)

    @strawberry.field
    def sent_at(self) -> dt.datetime:
        return self.row.sent_at

    @strawberry.field
    def expires_at(self) -> dt.datetime:
        return self.row.expires_at

    @strawberry.field
    def answered_at(self) -> dt.datetime | None:
        return self.row.answered_at

    @strawberry.field(description="CSAT 1–5, NPS 0–10.")
    def score(self) -> int | None:
        return self.row.score

    @strawberry.field(description="Customer effort (CES), 1 (easy) to 7, when answered.")
    def effort(self) -> int | None:
        return self.row.effort

    @strawberry.field
    def comment(self) -> str | None:
        return self.row.comment

    @strawberry.field(description="What a low score set off: the ticket reopened, or a task for the account's owner.")
    def follow_up(self) -> FollowUp:
        return self.row.follow_up

    @strawberry.field(
        description="The signed link the contact was mailed (to pass on by other means too) while the survey waits "
        "for its answer."
    )
    def link(self, info: Info) -> str | None:
        if self.row.answered_at is not None or self.row.expires_at <= utcnow():
            return None
        return tokens.link(info.context.state.settings, self.row)


@strawberry.type(description="An account's CSAT: its answers' average and the share satisfied (4 or 5).")
class CsatSummary:
    answers: int
    average: float | None
    satisfied_percent: float | None


@strawberry.type(description="An account's NPS from each contact's latest answer: promoters minus detractors.")
class NpsSummary:
    answers: int
    promoters: int
    passives: int
    detractors: int
    score: float | None


@strawberry.type(description="CSAT and NPS over the answered surveys a filter matches.")
class SurveySummary:
    csat: CsatSummary
    nps: NpsSummary = strawberry.field(description="Over each answer, not each contact's latest.")


@strawberry.type(description="A product delivered to the account (维保记录), with its warranty.")
class InstalledProduct:
    row: strawberry.Private[InstalledRow]

    @strawberry.field
    def order_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.order_id))

    @strawberry.field
    def order_number(self) -> str:
        return self.row.order_number

    @strawberry.field
    def product_id(self) -> strawberry.ID | None:
        return _gid(self.row.product_id)

    @strawberry.field
    def product_code(self) -> str | None:
        return self.row.product_code

    @strawberry.field
    def name(self) -> str:
        return self.row.name

    @strawberry.field
    def quantity(self) -> Decimal:
        return self.row.quantity

    @strawberry.field
    def delivered_on(self) -> dt.date:
        return self.row.delivered_on

    @strawberry.field
    def warranty_until(self) -> dt.date:
        return self.row.warranty_until

    @strawberry.field
    def in_warranty(self) -> bool:
        return installed.in_warranty(self.row, utcnow().date())

    @strawberry.field(description="The account's tickets about this product the caller may see, newest first.")
    async def service_history(self, info: Info) -> list[Ticket]:
        if self.row.product_id is None:
            return []
        async with info.context.uow() as uow:
            rows = await installed.history(uow, info.context.principal, self.row.account_id, self.row.product_id)
        return [Ticket.of(r) for r in rows]


@strawberry.type
class TrendPoint:
    start: dt.date = strawberry.field(description="The day, or the Monday of the week, in the filter's time zone.")
    created: int
    resolved: int
    csat: float | None = strawberry.field(description="Percent of the bucket's CSAT answers of 4 or 5.")
    nps: float | None = strawberry.field(description="Promoters minus detractors among the bucket's NPS answers.")


@strawberry.type(description="Service figures over the tickets the caller works on (a manager: their subtree).")
class ServiceAnalytics:
    backlog: int = strawberry.field(description="Open now among the filtered tickets.")
    created: int
    resolved: int
    first_response_minutes: float | None = strawberry.field(description="Average, in business minutes.")
    resolution_minutes: float | None = strawberry.field(description="Average, in business minutes.")
    first_response_attainment: float | None = strawberry.field(description="Percent of first responses in time.")
    resolution_attainment: float | None = strawberry.field(description="Percent of resolutions in time.")
    reopen_rate: float | None = strawberry.field(description="Percent of resolved tickets that had been reopened.")
    csat_answers: int
    csat: float | None = strawberry.field(description="Percent of CSAT answers of 4 or 5.")
    csat_average: float | None
    nps_answers: int
    nps: float | None = strawberry.field(description="Promoters minus detractors, percent, from the tickets' accounts.")
    trend: list[TrendPoint]


@strawberry.type
class ShiftHours:
    start: str
    end: str


@strawberry.type
class WeeklyShift:
    weekday: int
    start: str
    end: str


@strawberry.type
class ShiftException:
    day: dt.date
    hours: list[ShiftHours] = strawberry.field(description="Empty: a day off.")


@strawberry.type(description="An agent's roster; assignment gives new tickets only to agents on shift.")
class AgentShift:
    row: strawberry.Private[ShiftRow]

    @strawberry.field
    def user_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.user_id))

    @strawberry.field(description="The agent, their name from identity.")
    def user(self) -> User:
        return User(id=strawberry.ID(str(self.row.user_id)))

    @strawberry.field
    def time_zone(self) -> str:
        return self.row.time_zone

    @strawberry.field
    def weekly(self) -> list[WeeklyShift]:
        return [
            WeeklyShift(weekday=int(str(w["weekday"])), start=str(w["start"]), end=str(w["end"]))
            for w in self.row.weekly
        ]

    @strawberry.field
    def exceptions(self) -> list[ShiftException]:
        return [
            ShiftException(
                day=dt.date.fromisoformat(str(e["day"])),
                hours=[ShiftHours(start=h["start"], end=h["end"]) for h in e["hours"]],  # type: ignore[attr-defined]
            )
            for e in self.row.exceptions
        ]

    @strawberry.field(description="Whether the agent is on shift now.")
    def on_shift(self) -> bool:
        return shifts.covers(self.row, utcnow())


@strawberry.input
class SurveyFilter:
    kind: SurveyKind | None = None
    account_id: strawberry.ID | None = None
    ticket_id: strawberry.ID | None = None
    answered: bool | None = None
    answered_from: dt.datetime | None = None
    answered_to: dt.datetime | None = None


@strawberry.input
class ServiceAnalyticsFilter:
    from_: dt.datetime = strawberry.field(name="from")
    to: dt.datetime
    team_id: strawberry.ID | None = None
    agent_id: strawberry.ID | None = None
    type: TicketType | None = None
    bucket: str = strawberry.field(default="day", description="day or week")
    time_zone: str = "Asia/Shanghai"


@strawberry.input
class ShiftHoursInput:
    start: str = strawberry.field(description="HH:MM")
    end: str = strawberry.field(description="HH:MM (24:00 for midnight)")


@strawberry.input
class WeeklyShiftInput:
    weekday: int = strawberry.field(description="1 = Monday ... 7 = Sunday")
    start: str
    end: str


@strawberry.input
class ShiftExceptionInput:
    day: dt.date
    hours: list[ShiftHoursInput] = strawberry.field(default_factory=list, description="None: a day off.")


@strawberry.input
class AgentShiftInput:
    user_id: strawberry.ID
    time_zone: str = "Asia/Shanghai"
    weekly: list[WeeklyShiftInput] = strawberry.field(default_factory=list)
    exceptions: list[ShiftExceptionInput] = strawberry.field(default_factory=list)


def _survey_filter(filter: SurveyFilter | None) -> results.SurveyFilter:
    f = filter or SurveyFilter()
    return results.SurveyFilter(
        kind=f.kind,
        account_id=_id(f.account_id),
        ticket_id=_id(f.ticket_id),
        answered=f.answered,
        answered_from=f.answered_from,
        answered_to=f.answered_to,
    )


@strawberry.type
class Query:
    @strawberry.field(description="Survey results the caller may see, newest first.")
    async def survey_results(
        self, info: Info, filter: SurveyFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[SurveyResult]:
        async with info.context.uow() as uow:
            found = await results.results(uow, info.context.principal, _survey_filter(filter), first, after)
            return Connection.of(found, lambda row: SurveyResult(row=row))

    @strawberry.field(description="CSAT and NPS over the answers `surveyResults` shows for the same filter.")
    async def survey_summary(self, info: Info, filter: SurveyFilter | None = None) -> SurveySummary:
        async with info.context.uow() as uow:
            csat, nps = await results.summary(uow, info.context.principal, _survey_filter(filter))
        return SurveySummary(csat=CsatSummary(**vars(csat)), nps=NpsSummary(**vars(nps)))

    @strawberry.field
    async def service_analytics(self, info: Info, filter: ServiceAnalyticsFilter) -> ServiceAnalytics:
        command = analytics.AnalyticsFilter(
            start=filter.from_,
            end=filter.to,
            team_id=_id(filter.team_id),
            agent_id=_id(filter.agent_id),
            type=filter.type,
            bucket=filter.bucket,
            time_zone=filter.time_zone,
        )
        async with info.context.uow() as uow:
            f = await analytics.figures(uow, info.context.principal, command)
        values = {k: v for k, v in vars(f).items() if k != "trend"}
        return ServiceAnalytics(**values, trend=[TrendPoint(**vars(p)) for p in f.trend])

    @strawberry.field
    async def agent_shifts(self, info: Info) -> list[AgentShift]:
        async with info.context.uow() as uow:
            return [AgentShift(row=r) for r in await shifts.rosters(uow, info.context.principal)]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Send the NPS survey now to the account's contacts not asked within the interval.")
    async def send_nps_surveys(self, info: Info, account_id: strawberry.ID) -> int:
        principal = info.context.principal
        principal.require("support:survey:create")
        async with info.context.uow() as uow:
            if not await repository.Tickets(uow, principal).reaches_account(uuid.UUID(str(account_id))):
                raise NotFound(entity="Account")
            return await surveys.send_nps(uow, info.context.state.settings, uuid.UUID(str(account_id)))

    @strawberry.mutation(description="Replace an agent's roster (weekly pattern and dated exceptions).")
    async def save_agent_shift(self, info: Info, input: AgentShiftInput) -> AgentShift:
        data = shifts.RosterInput(
            user_id=uuid.UUID(str(input.user_id)),
            time_zone=input.time_zone,
            weekly=[shifts.WeeklyShift(w.start, w.end, w.weekday) for w in input.weekly],
            exceptions=[
                shifts.ShiftException(e.day, [shifts.Hours(h.start, h.end) for h in e.hours]) for e in input.exceptions
            ],
        )
        async with info.context.uow() as uow:
            return AgentShift(row=await shifts.save(uow, info.context.principal, data))
