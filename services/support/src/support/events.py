"""Events the support service publishes, keyed by the aggregate's id.

`crm.support.ticket`: ticket.created, .assigned, .status_changed, .replied, .customer_message, .sla_warning,
.sla_breached, .escalated, .resolved, .reopened; each carries the ticket's snapshot, so a consumer needs no
other. `crm.support.article`: article.published, .updated. `crm.support.survey` (from `support.surveys.events`):
survey.sent, .answered.
"""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field

from crm_shared.events.model import Event
from support.surveys.events import SURVEY_TOPIC, SurveyAnswered, SurveySent

__all__ = ["SURVEY_TOPIC", "SurveyAnswered", "SurveySent"]  # published on the survey topic

TICKET_TOPIC = "crm.support.ticket"
ARTICLE_TOPIC = "crm.support.article"
TOPICS = (TICKET_TOPIC, ARTICLE_TOPIC, SURVEY_TOPIC)


class TicketSnapshot(Event):
    topic = TICKET_TOPIC

    id: uuid.UUID
    number: str
    title: str  # the ticket's subject
    account_id: uuid.UUID | None  # none: opened by mail from an address no contact has, until an agent sets it
    contact_id: uuid.UUID | None
    ticket_type: str  # inquiry, fault, complaint, return, maintenance
    priority: str
    channel: str
    tags: list[str]
    status: str
    team_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    policy_id: uuid.UUID | None
    created_at: dt.datetime


class TicketCreated(TicketSnapshot):
    type = "ticket.created"


class TicketAssigned(TicketSnapshot):
    type = "ticket.assigned"

    previous_assignee_id: uuid.UUID | None
    by_rule_id: uuid.UUID | None


class TicketStatusChanged(TicketSnapshot):
    type = "ticket.status_changed"

    from_status: str = Field(alias="from")
    reason: str | None


class TicketResolved(TicketSnapshot):
    type = "ticket.resolved"

    resolution: str | None
    root_cause: str | None


class TicketReopened(TicketSnapshot):
    type = "ticket.reopened"

    reason: str | None


class TicketReplied(TicketSnapshot):
    """A public reply to the customer (its text stays in support: it may hold personal data)."""

    type = "ticket.replied"

    entry_id: uuid.UUID
    author_id: uuid.UUID | None


class TicketCustomerMessage(TicketSnapshot):
    """The customer wrote on the ticket (by mail); its text stays in support."""

    type = "ticket.customer_message"

    entry_id: uuid.UUID
    reopened: bool  # it brought a resolved ticket back to work


class SlaNoticeEvent(TicketSnapshot):
    clock: str  # first_response, next_response, resolution
    cycle: int
    target_minutes: int
    due_at: dt.datetime  # when the share (warning) or the whole (breach) of the target was reached


class SlaWarning(SlaNoticeEvent):
    type = "ticket.sla_warning"

    share_percent: int


class SlaBreached(SlaNoticeEvent):
    type = "ticket.sla_breached"


class TicketEscalated(TicketSnapshot):
    type = "ticket.escalated"

    level: int
    to_user_id: uuid.UUID | None
    clock: str
    from_priority: str


class ArticleSnapshot(Event):
    """A knowledge-base article as published (`crm.support.article`, keyed by the article's id)."""

    topic = ARTICLE_TOPIC

    id: uuid.UUID
    category_id: uuid.UUID | None
    status: str  # draft, published
    version: int  # the published version, 0 before the first
    title_zh: str
    title_en: str
    tags: list[str]
    published_at: dt.datetime | None


class ArticlePublished(ArticleSnapshot):
    """A new version is out; the one before it is kept."""

    type = "article.published"


class ArticleUpdated(ArticleSnapshot):
    """The draft changed (created or edited); readers still see the published version."""

    type = "article.updated"
