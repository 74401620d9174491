"""Service analytics in SQL over indexed columns, limited to the tickets the caller works on.

Tickets count by when they were created within [from, to); resolutions and survey answers by when
they happened within it. Times are business minutes from the SLA clocks (`ticket_figures`). CSAT
is the share of satisfied answers (4 or 5 of 5); NPS is promoters (9–10) minus detractors (0–6),
in percent of the answers. The backlog is what is open now among the filtered tickets.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import ColumnElement, Numeric, and_, cast, exists, false, func, or_, select, true
from sqlmodel import col

from crm_shared.auth.principal import DataScope, Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput
from support.analytics.models import TicketFigures
from support.assignment.models import TeamMember
from support.surveys.models import Survey, SurveyKind
from support.tickets.models import StatusChange, Ticket
from support.tickets.states import DONE, OPEN_STATES, TicketStatus, TicketType

RESOURCE = "support:ticket"
BUCKETS = ("day", "week")


@dataclass
class AnalyticsFilter:
    start: dt.datetime
    end: dt.datetime
    team_id: uuid.UUID | None = None
    agent_id: uuid.UUID | None = None
    type: TicketType | None = None
    bucket: str = "day"
    time_zone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class Point:
    start: dt.date
    created: int
    resolved: int
    csat: float | None = None  # percent satisfied among the bucket's answers
    nps: float | None = None


@dataclass(frozen=True)
class Figures:
    backlog: int
    created: int
    resolved: int
    first_response_minutes: float | None  # average over the tickets created and replied to
    resolution_minutes: float | None  # average over the tickets resolved
    first_response_attainment: float | None  # percent of decided first-response clocks met
    resolution_attainment: float | None
    reopen_rate: float | None  # percent of the tickets resolved that had been reopened
    csat_answers: int
    csat: float | None  # percent satisfied
    csat_average: float | None
    nps_answers: int
    nps: float | None
    trend: list[Point]


def reach(principal: Principal) -> ColumnElement[bool]:
    """The tickets the caller works on: theirs, their teams', and their units' (a manager's subtree)."""
    if principal.scope(RESOURCE) is DataScope.ALL:
        return true()
    teams = select(col(TeamMember.team_id)).where(col(TeamMember.user_id) == principal.user_id)
    clauses: list[ColumnElement[bool]] = [col(Ticket.assignee_id) == principal.user_id, col(Ticket.team_id).in_(teams)]
    scope = principal.scope(RESOURCE)
    units = {principal.unit_id} if scope is DataScope.UNIT else set()
    if scope is DataScope.SUBTREE:
        units = {principal.unit_id, *principal.subtree_unit_ids}
    units.discard(None)
    if units:
        clauses.append(col(Ticket.unit_id).in_(units))
    return or_(*clauses) if clauses else false()


def _pct(part: Any, whole: Any) -> Any:
    return func.round(cast(100.0 * part / func.nullif(whole, 0), Numeric), 1)


def _number(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


async def figures(uow: UnitOfWork, principal: Principal, f: AnalyticsFilter) -> Figures:
    if f.end <= f.start:
        raise BadInput("bad_period", field="to")
    if f.time_zone not in available_timezones():  # an IANA name: PostgreSQL reads "+08:00" as eight hours west
        raise BadInput("bad_time_zone", field="timeZone")
    if f.bucket not in BUCKETS:
        raise BadInput("support_one_of", field="bucket", choices=", ".join(BUCKETS))
    principal.require("support:analytics:read")
    scope = [reach(principal)]
    for column, value in ((Ticket.team_id, f.team_id), (Ticket.assignee_id, f.agent_id), (Ticket.type, f.type)):
        if value is not None:
            scope.append(col(column) == value)
    created = and_(col(Ticket.created_at) >= f.start, col(Ticket.created_at) < f.end)
    resolved = and_(
        col(Ticket.status).in_(list(DONE)), col(Ticket.resolved_at) >= f.start, col(Ticket.resolved_at) < f.end
    )
    reopened = exists().where(
        col(StatusChange.ticket_id) == col(Ticket.id),
        col(StatusChange.from_status).in_(list(DONE)),
        col(StatusChange.to_status) == TicketStatus.OPEN,
    )
    first_met = col(TicketFigures.first_response_met).is_(True)
    resolution_met = col(TicketFigures.resolution_met).is_(True)
    first_known = col(TicketFigures.first_response_met).is_not(None)
    resolution_known = col(TicketFigures.resolution_met).is_not(None)
    row = (
        await uow.session.execute(
            select(
                func.count().filter(col(Ticket.status).in_(list(OPEN_STATES))),
                func.count().filter(created),
                func.count().filter(resolved),
                func.avg(col(TicketFigures.first_response_seconds)).filter(created) / 60,
                func.avg(col(TicketFigures.resolution_seconds)).filter(resolved) / 60,
                _pct(func.count().filter(created, first_met), func.count().filter(created, first_known)),
                _pct(
                    func.count().filter(resolved, resolution_met),
                    func.count().filter(resolved, resolution_known),
                ),
                _pct(func.count().filter(resolved, reopened), func.count().filter(resolved)),
            )
            .select_from(Ticket)
            .outerjoin(TicketFigures, col(TicketFigures.ticket_id) == col(Ticket.id))
            .where(*scope)
        )
    ).one()
    answered = and_(col(Survey.answered_at) >= f.start, col(Survey.answered_at) < f.end)
    csat = (
        await uow.session.execute(
            select(
                func.count(),
                _pct(func.count().filter(col(Survey.score) >= 4), func.count()),
                func.avg(col(Survey.score)),
            )
            .select_from(Survey)
            .join(Ticket, col(Ticket.id) == col(Survey.ticket_id))
            .where(col(Survey.kind) == SurveyKind.CSAT, answered, *scope)
        )
    ).one()
    nps = await _nps(uow, answered, scope)
    return Figures(
        backlog=row[0],
        created=row[1],
        resolved=row[2],
        first_response_minutes=_number(row[3]),
        resolution_minutes=_number(row[4]),
        first_response_attainment=_number(row[5]),
        resolution_attainment=_number(row[6]),
        reopen_rate=_number(row[7]),
        csat_answers=csat[0],
        csat=_number(csat[1]),
        csat_average=_number(csat[2]),
        nps_answers=nps[0],
        nps=_number(nps[1]),
        trend=await _trend(uow, f, scope),
    )


def _csat_answers(answered: ColumnElement[bool], scope: list[ColumnElement[bool]]) -> Any:
    """Satisfaction answers about the tickets within the filter."""
    return (
        select(func.count(), _pct(func.count().filter(col(Survey.score) >= 4), func.count()))
        .select_from(Survey)
        .join(Ticket, col(Ticket.id) == col(Survey.ticket_id))
        .where(col(Survey.kind) == SurveyKind.CSAT, answered, *scope)
    )


def _nps_answers(answered: ColumnElement[bool], scope: list[ColumnElement[bool]]) -> Any:
    """Relationship answers from the accounts whose tickets (within the filter) the caller works on."""
    accounts = select(col(Ticket.account_id)).where(*scope)
    score = col(Survey.score)
    promoters = func.count().filter(score >= 9)
    detractors = func.count().filter(score <= 6)
    return select(func.count(), _pct(promoters - detractors, func.count())).where(
        col(Survey.kind) == SurveyKind.NPS, answered, col(Survey.account_id).in_(accounts)
    )


async def _nps(uow: UnitOfWork, answered: ColumnElement[bool], scope: list[ColumnElement[bool]]) -> tuple[int, Any]:
    row = (await uow.session.execute(_nps_answers(answered, scope))).one()
    return row[0], row[1]


async def _trend(uow: UnitOfWork, f: AnalyticsFilter, scope: list[ColumnElement[bool]]) -> list[Point]:
    """Tickets created and resolved, CSAT and NPS per day or ISO week (Monday first), in `time_zone`, empty
    buckets left out."""

    def bucket(column: Any) -> Any:
        return func.date_trunc(f.bucket, func.timezone(f.time_zone, column))

    counts: dict[dt.date, list[int]] = {}
    for column, index, within in (
        (col(Ticket.created_at), 0, and_(col(Ticket.created_at) >= f.start, col(Ticket.created_at) < f.end)),
        (
            col(Ticket.resolved_at),
            1,
            and_(
                col(Ticket.status).in_(list(DONE)), col(Ticket.resolved_at) >= f.start, col(Ticket.resolved_at) < f.end
            ),
        ),
    ):
        key = bucket(column).label("bucket")
        rows = await uow.session.execute(select(key, func.count()).where(within, *scope).group_by(key))
        for start, count in rows.all():
            counts.setdefault(start.date(), [0, 0])[index] = count
    answered = and_(col(Survey.answered_at) >= f.start, col(Survey.answered_at) < f.end)
    scores: dict[dt.date, dict[str, float | None]] = {}
    for name, query in (("csat", _csat_answers(answered, scope)), ("nps", _nps_answers(answered, scope))):
        key = bucket(col(Survey.answered_at)).label("bucket")
        for _, value, start in (await uow.session.execute(query.add_columns(key).group_by(key))).all():
            scores.setdefault(start.date(), {})[name] = _number(value)
    points = []
    for day in sorted({*counts, *scores}):
        created, resolved = counts.get(day, [0, 0])
        figures = scores.get(day, {})
        points.append(Point(day, created, resolved, figures.get("csat"), figures.get("nps")))
    return points
