"""Events on `crm.support.survey`, keyed by the survey's id: survey.sent, survey.answered.

A comment stays in support (it may hold personal data); the score and what followed it leave.
"""

from __future__ import annotations

import datetime as dt
import uuid

from crm_shared.events.model import Event

SURVEY_TOPIC = "crm.support.survey"


class SurveySnapshot(Event):
    topic = SURVEY_TOPIC

    id: uuid.UUID
    kind: str  # csat, nps
    ticket_id: uuid.UUID | None
    account_id: uuid.UUID
    contact_id: uuid.UUID | None
    sent_at: dt.datetime
    expires_at: dt.datetime


class SurveySent(SurveySnapshot):
    """Recorded as sent: the link is shown to the agents, who pass it to the contact."""

    type = "survey.sent"


class SurveyAnswered(SurveySnapshot):
    type = "survey.answered"

    score: int
    effort: int | None  # CES, 1 (easy) to 7, when asked and answered
    follow_up: str  # none, reopened, task
    answered_at: dt.datetime
