"""The public survey form: no sign-in, the signed link is the only credential."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field, StrictInt

from crm_shared.http import PROBLEM, Transaction
from crm_shared.http.inputs import text
from support.settings import SupportSettings
from support.surveys import service as surveys
from support.surveys.models import EFFORT, SCALES, SurveyKind

router = APIRouter(prefix="/api/v1/public", tags=["support"])
REFUSED: dict[int | str, dict[str, Any]] = {404: PROBLEM, 409: PROBLEM, 410: PROBLEM}
QUESTIONS = {
    SurveyKind.CSAT: ("您对本次服务满意吗？", "How satisfied are you with how we handled your request?"),
    SurveyKind.NPS: (
        "您有多大可能向朋友或同事推荐我们？",
        "How likely are you to recommend us to a friend or colleague?",
    ),
}
EFFORT_QUESTION = ("解决您的问题有多容易？", "How easy was it to get your issue resolved?")


def _settings(request: Request) -> SupportSettings:
    settings: SupportSettings = request.app.state.settings
    return settings


Settings = Annotated[SupportSettings, Depends(_settings)]


class Scale(BaseModel):
    low: int
    high: int


class SurveyForm(BaseModel):
    kind: str
    question_zh: str
    question_en: str
    scale: Scale
    effort_question_zh: str | None = None
    effort_question_en: str | None = None
    effort_scale: Scale | None = None
    ticket_number: str | None = None
    ticket_subject: str | None = None
    expires_at: dt.datetime


class SurveyAnswer(BaseModel):
    score: StrictInt = Field(ge=-1000, le=1000)  # its scale depends on the survey: the service checks it
    effort: StrictInt | None = Field(default=None, ge=-1000, le=1000)
    comment: str | None = text(2000, default=None)


@router.get("/surveys/{token}", responses=REFUSED)
async def survey_form(token: Annotated[str, Path(max_length=200)], uow: Transaction) -> SurveyForm:
    """The survey's question and scale; answered, expired or unknown links are refused."""
    found = await surveys.form(uow, token)
    kind = found.survey.kind
    zh, en = QUESTIONS[kind]
    csat = kind is SurveyKind.CSAT
    return SurveyForm(
        kind=str(kind),
        question_zh=zh,
        question_en=en,
        scale=Scale(low=SCALES[kind][0], high=SCALES[kind][1]),
        effort_question_zh=EFFORT_QUESTION[0] if csat else None,
        effort_question_en=EFFORT_QUESTION[1] if csat else None,
        effort_scale=Scale(low=EFFORT[0], high=EFFORT[1]) if csat else None,
        ticket_number=found.ticket_number,
        ticket_subject=found.ticket_subject,
        expires_at=found.survey.expires_at,
    )


@router.post("/surveys/{token}", responses={**REFUSED, 422: PROBLEM})
async def answer_survey(
    token: Annotated[str, Path(max_length=200)], body: SurveyAnswer, uow: Transaction, settings: Settings
) -> dict[str, bool]:
    """Answer once; the link stops working afterwards."""
    await surveys.answer(uow, settings, token, body.score, body.effort, body.comment)
    return {"received": True}
