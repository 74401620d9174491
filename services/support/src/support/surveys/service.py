"""Sending surveys, answering them through their signed link, and what a low score sets off.

A CSAT survey follows every resolution (a reopened ticket resolved again is asked again); a
relationship NPS survey goes to each contact of a live account every `nps_interval_days`. Each is
mailed through the mail outbox, in the survey's transaction, to the address replies go to (the
ticket's) or the contact's; its link is also shown to the staff, who may pass it on otherwise.
A CSAT of 2 or less reopens its ticket while the reopen window lasts; after it, and for an NPS
detractor (0–6), the account's owner gets a follow-up task in customer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlmodel import col

from crm_shared.accounts import AccountRef
from crm_shared.contacts import ContactRef
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import optional_text
from support.mail import outbound
from support.settings import SupportSettings
from support.surveys import tokens
from support.surveys.events import SurveyAnswered, SurveySent, SurveySnapshot
from support.surveys.models import EFFORT, SCALES, FollowUp, FollowUpTask, Survey, SurveyKind
from support.tickets.lifecycle import move
from support.tickets.models import Ticket
from support.tickets.states import DONE, TicketStatus

LOW_CSAT = 2
DETRACTOR = 6  # NPS 0–6; promoters answer 9 or 10


class SurveyExpired(Conflict):
    status, key = 410, "survey_expired"


@dataclass(frozen=True)
class Form:
    """What the public form shows: the question, its scale, and the ticket it follows."""

    survey: Survey
    ticket_number: str | None
    ticket_subject: str | None


def _event(kind: type[SurveySnapshot], s: Survey, **extra: object) -> SurveySnapshot:
    return kind(
        id=s.id,
        kind=str(s.kind),
        ticket_id=s.ticket_id,
        account_id=s.account_id,
        contact_id=s.contact_id,
        sent_at=s.sent_at,
        expires_at=s.expires_at,
        **extra,
    )


async def _issue(uow: UnitOfWork, settings: SupportSettings, survey: Survey, to: str | None) -> Survey:
    """Record the survey as sent and queue its mail to `to` (an encrypted address; none: the staff pass the link)."""
    survey.sent_at = utcnow().replace(microsecond=0)
    survey.expires_at = survey.sent_at + dt.timedelta(days=settings.survey_days)  # whole seconds, as in the token
    uow.session.add(survey)
    await uow.flush()
    if to is not None:
        await outbound.queue_survey(uow, survey, to, settings)
    await uow.publish(_event(SurveySent, survey))
    return survey


async def send_due(uow: UnitOfWork, settings: SupportSettings) -> int:
    """Scheduled: a CSAT survey for each resolution not asked about yet, then the NPS round's due contacts."""
    return await send_csat(uow, settings) + await send_nps(uow, settings)


def _unasked(settings: SupportSettings) -> list[ColumnElement[bool]]:
    """Resolutions within the reopen window (later, a low score could no longer reopen) not asked about yet, of
    tickets with an account (one opened by an unknown sender is asked once an agent gave it its account)."""
    since = utcnow() - dt.timedelta(days=settings.reopen_days)
    asked = exists().where(col(Survey.ticket_id) == col(Ticket.id), col(Survey.resolved_at) == col(Ticket.resolved_at))
    known = col(Ticket.account_id).is_not(None)
    return [col(Ticket.status).in_(list(DONE)), col(Ticket.resolved_at) >= since, known, ~asked]


async def csat_due(uow: UnitOfWork, settings: SupportSettings) -> int:
    """How many resolutions wait for their survey (some may be locked by a run sending them)."""
    return int(await uow.session.scalar(select(func.count()).select_from(Ticket).where(*_unasked(settings))) or 0)


async def send_csat(uow: UnitOfWork, settings: SupportSettings) -> int:
    """Tickets another transaction holds (the SLA monitor, a second replica) are left for the next run."""
    rows = await uow.session.scalars(
        select(Ticket)
        .where(*_unasked(settings))
        .order_by(col(Ticket.resolved_at))
        .limit(settings.survey_batch)
        .with_for_update(skip_locked=True)
    )
    made = 0
    for ticket in rows.all():
        assert ticket.account_id is not None  # `_unasked` takes only tickets with an account
        survey = Survey(
            kind=SurveyKind.CSAT,
            ticket_id=ticket.id,
            resolved_at=ticket.resolved_at,
            account_id=ticket.account_id,
            contact_id=ticket.contact_id,
        )
        await _issue(uow, settings, survey, await outbound.recipient(uow, ticket))
        made += 1
    return made


async def send_nps(uow: UnitOfWork, settings: SupportSettings, account_id: uuid.UUID | None = None) -> int:
    """Each live account's contacts not asked within the interval (of one account when given)."""
    since = utcnow() - dt.timedelta(days=settings.nps_interval_days)
    asked = exists().where(
        col(Survey.contact_id) == col(ContactRef.id),
        col(Survey.kind) == SurveyKind.NPS,
        col(Survey.sent_at) > since,
    )
    query = (
        select(ContactRef)
        .join(AccountRef, and_(col(AccountRef.id) == col(ContactRef.account_id), ~col(AccountRef.deleted)))
        .where(~col(ContactRef.deleted), ~asked)
        .order_by(col(ContactRef.id))
        .limit(settings.survey_batch)
    )
    if account_id is not None:
        query = query.where(col(ContactRef.account_id) == account_id)
    made = 0
    for contact in (await uow.session.scalars(query)).all():
        assert contact.account_id is not None  # joined to its account
        survey = Survey(kind=SurveyKind.NPS, account_id=contact.account_id, contact_id=contact.id)
        await _issue(uow, settings, survey, contact.email_enc)
        made += 1
    return made


async def _open(uow: UnitOfWork, token: str, lock: bool = False) -> Survey:
    """The survey a genuine, current, unanswered token names; the same answer for a forged one as for none."""
    found = tokens.read(token)
    survey = await uow.session.get(Survey, found[0], with_for_update=lock) if found else None
    if found is None or survey is None or int(survey.expires_at.timestamp()) != int(found[1].timestamp()):
        raise NotFound(entity="Survey")
    if survey.answered_at is not None:
        raise Conflict("survey_answered")
    if utcnow() >= survey.expires_at:
        raise SurveyExpired()
    return survey


async def form(uow: UnitOfWork, token: str) -> Form:
    survey = await _open(uow, token)
    ticket = await uow.session.get(Ticket, survey.ticket_id) if survey.ticket_id else None
    return Form(survey, ticket.number if ticket else None, ticket.subject if ticket else None)


async def answer(
    uow: UnitOfWork,
    settings: SupportSettings,
    token: str,
    score: int,
    effort: int | None = None,
    comment: str | None = None,
) -> Survey:
    """Once per survey; a low score reopens the ticket or asks the account's owner to follow up."""
    survey = await _open(uow, token, lock=True)
    low, high = SCALES[survey.kind]
    if not low <= score <= high:
        raise BadInput("bad_score", field="score", low=low, high=high)
    if effort is not None and (survey.kind is not SurveyKind.CSAT or not EFFORT[0] <= effort <= EFFORT[1]):
        raise BadInput("bad_score", field="effort", low=EFFORT[0], high=EFFORT[1])
    survey.score, survey.effort = score, effort
    survey.comment = optional_text(comment, "comment", 2000, multiline=True)
    survey.answered_at = utcnow()
    if survey.kind is SurveyKind.CSAT and score <= LOW_CSAT:
        survey.follow_up = await _reopen(uow, settings, survey) or await _task(uow, settings, survey)
    elif survey.kind is SurveyKind.NPS and score <= DETRACTOR:
        survey.follow_up = await _task(uow, settings, survey)
    await uow.flush()
    await uow.publish(
        _event(
            SurveyAnswered,
            survey,
            score=score,
            effort=effort,
            follow_up=str(survey.follow_up),
            answered_at=survey.answered_at,
        )
    )
    return survey


async def _reopen(uow: UnitOfWork, settings: SupportSettings, survey: Survey) -> FollowUp | None:
    ticket = await uow.session.get(Ticket, survey.ticket_id, with_for_update=True) if survey.ticket_id else None
    if ticket is None or ticket.status not in DONE or ticket.resolved_at is None:
        return None
    if utcnow() - ticket.resolved_at > dt.timedelta(days=settings.reopen_days):
        return None
    await move(
        uow, None, ticket, TicketStatus.OPEN, f"客户满意度 {survey.score} 分 / Satisfaction score {survey.score}"
    )
    return FollowUp.REOPENED


async def _task(uow: UnitOfWork, settings: SupportSettings, survey: Survey) -> FollowUp:
    """A task for the account's owner (an account in the pool has none to ask: nothing follows)."""
    account = await uow.session.get(AccountRef, survey.account_id)
    if account is None or account.owner_id is None:
        return FollowUp.NONE
    if survey.kind is SurveyKind.NPS:
        title = f"NPS 贬损客户回访 Follow up an NPS detractor ({survey.score}/10)"
    else:
        ticket = await uow.session.get(Ticket, survey.ticket_id) if survey.ticket_id else None
        number = ticket.number if ticket else ""
        title = f"工单 {number} 满意度低，请回访 Low satisfaction on {number} ({survey.score}/5)"
    notes = f"{account.name}: {survey.comment}" if survey.comment else account.name
    uow.session.add(
        FollowUpTask(
            survey_id=survey.id,
            account_id=account.id,
            assignee_id=account.owner_id,
            title=title[:200],
            notes=notes[:5000],
            due_at=utcnow() + dt.timedelta(days=settings.follow_up_days),
        )
    )
    return FollowUp.TASK
