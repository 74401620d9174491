"""Reading survey results: a list for the service desk, and an account's CSAT and NPS.

Staff with scope `all` on `support:survey` read every result; others those about the tickets they
work on and the NPS answers of those tickets' accounts. An account's scores are read as its tickets are:
by support staff, its owner and the managers above them (`Tickets.reaches_account`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.dialects.postgresql import distinct_on
from sqlmodel import col

from crm_shared.auth.principal import DataScope, Principal
from crm_shared.db import UnitOfWork
from crm_shared.db.pages import Order, Page, page
from support.analytics.service import reach
from support.surveys.models import Survey, SurveyKind
from support.tickets.models import Ticket
from support.tickets.repository import Tickets

RESOURCE = "support:survey"


@dataclass
class SurveyFilter:
    kind: SurveyKind | None = None
    account_id: uuid.UUID | None = None
    ticket_id: uuid.UUID | None = None
    answered: bool | None = None
    answered_from: dt.datetime | None = None
    answered_to: dt.datetime | None = None


@dataclass(frozen=True)
class Csat:
    answers: int
    average: float | None
    satisfied_percent: float | None  # answers of 4 or 5


@dataclass(frozen=True)
class Nps:
    answers: int
    promoters: int
    passives: int
    detractors: int
    score: float | None  # promoters minus detractors, in percent


def _visible(principal: Principal) -> ColumnElement[bool]:
    principal.require(f"{RESOURCE}:read")
    if principal.scope(RESOURCE) is DataScope.ALL:
        return true()
    tickets = select(col(Ticket.id)).where(reach(principal))
    accounts = select(col(Ticket.account_id)).where(reach(principal))
    return or_(
        col(Survey.ticket_id).in_(tickets),
        (col(Survey.kind) == SurveyKind.NPS) & col(Survey.account_id).in_(accounts),
    )


def _matching(principal: Principal, f: SurveyFilter) -> list[Any]:
    where: list[Any] = [_visible(principal)]
    for column, value in ((Survey.kind, f.kind), (Survey.account_id, f.account_id), (Survey.ticket_id, f.ticket_id)):
        if value is not None:
            where.append(col(column) == value)
    if f.answered is not None:
        where.append(col(Survey.answered_at).is_not(None) if f.answered else col(Survey.answered_at).is_(None))
    if f.answered_from is not None:
        where.append(col(Survey.answered_at) >= f.answered_from)
    if f.answered_to is not None:
        where.append(col(Survey.answered_at) < f.answered_to)
    return where


async def results(
    uow: UnitOfWork, principal: Principal, f: SurveyFilter, first: int, after: str | None
) -> Page[Survey]:
    query = select(Survey).where(*_matching(principal, f))
    return await page(uow, query, Order.by(Survey.sent_at, Survey.id, descending=True), first, after)


async def summary(uow: UnitOfWork, principal: Principal, f: SurveyFilter) -> tuple[Csat, Nps]:
    """CSAT and NPS over the answers the list shows for the same filter, so the figures match the rows."""
    score, kind = col(Survey.score), col(Survey.kind)
    csat, nps = kind == SurveyKind.CSAT, kind == SurveyKind.NPS
    row = (
        await uow.session.execute(
            select(
                func.count(score).filter(csat),
                func.avg(score).filter(csat),
                func.count().filter(csat, score >= 4),
                func.count(score).filter(nps),
                func.count().filter(nps, score >= 9),
                func.count().filter(nps, score <= 6),
            ).where(*_matching(principal, f), score.is_not(None))
        )
    ).one()
    answers, satisfied = int(row[0]), int(row[2])
    asked, promoters, detractors = int(row[3]), int(row[4]), int(row[5])
    return Csat(
        answers=answers,
        average=round(float(row[1]), 2) if answers else None,
        satisfied_percent=round(100 * satisfied / answers, 1) if answers else None,
    ), Nps(
        answers=asked,
        promoters=promoters,
        passives=asked - promoters - detractors,
        detractors=detractors,
        score=round(100 * (promoters - detractors) / asked, 1) if asked else None,
    )


async def account_csat(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> Csat | None:
    """None for an account the caller does not reach."""
    if not await Tickets(uow, principal).reaches_account(account_id):
        return None
    score = col(Survey.score)
    row = (
        await uow.session.execute(
            select(func.count(score), func.avg(score), func.count().filter(score >= 4)).where(
                col(Survey.account_id) == account_id, col(Survey.kind) == SurveyKind.CSAT, score.is_not(None)
            )
        )
    ).one()
    answers = int(row[0])
    return Csat(
        answers=answers,
        average=round(float(row[1]), 2) if answers else None,
        satisfied_percent=round(100 * row[2] / answers, 1) if answers else None,
    )


async def account_nps(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> Nps | None:
    """The latest answer of each contact counts once."""
    if not await Tickets(uow, principal).reaches_account(account_id):
        return None
    latest = (
        select(col(Survey.score))
        .where(col(Survey.account_id) == account_id, col(Survey.kind) == SurveyKind.NPS, col(Survey.score).is_not(None))
        .ext(distinct_on(col(Survey.contact_id)))
        .order_by(col(Survey.contact_id), col(Survey.answered_at).desc())
        .subquery()
    )
    score = latest.c.score
    row = (
        await uow.session.execute(
            select(func.count(), func.count().filter(score >= 9), func.count().filter(score <= 6)).select_from(latest)
        )
    ).one()
    answers, promoters, detractors = int(row[0]), int(row[1]), int(row[2])
    return Nps(
        answers=answers,
        promoters=promoters,
        passives=answers - promoters - detractors,
        detractors=detractors,
        score=round(100 * (promoters - detractors) / answers, 1) if answers else None,
    )
