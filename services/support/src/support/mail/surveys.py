"""A survey's mail: a short note carrying its signed link, as text and HTML.

Customer keeps no language for contacts or accounts, so the note is written in Chinese first and in
English after it. It is composed when it is sent, so the link (a credential of the public form) is
never stored.
"""

from __future__ import annotations

from email.message import EmailMessage
from html import escape

from support.settings import SupportSettings
from support.surveys.models import Survey, SurveyKind
from support.surveys.tokens import link
from support.tickets.models import Ticket


def subject(survey: Survey, ticket: Ticket | None) -> str:
    if survey.kind is SurveyKind.CSAT and ticket is not None:
        return f"请评价工单 {ticket.number} 的服务 / How did we do on {ticket.number}?"
    return "您会向朋友推荐我们吗？/ Would you recommend us?"


def _paragraphs(survey: Survey, ticket: Ticket | None, name: str | None, days: int) -> list[tuple[str, bool]]:
    """The note's paragraphs, each with whether it is followed by the link."""
    zh_hello, en_hello = (f"{name}，您好：", f"Dear {name},") if name else ("您好：", "Hello,")
    if survey.kind is SurveyKind.CSAT and ticket is not None:
        zh = f"您的服务请求 {ticket.number}「{ticket.subject}」已解决。请用一分钟告诉我们您是否满意："
        en = f'Your request {ticket.number} "{ticket.subject}" has been resolved. Please tell us how satisfied you are:'
    else:
        zh = "您有多大可能向朋友或同事推荐我们？请用一分钟告诉我们："
        en = "How likely are you to recommend us to a friend or colleague? Please take a minute to tell us:"
    return [
        (zh_hello, False),
        (zh, True),
        (f"链接 {days} 天内有效。", False),
        (en_hello, False),
        (en, True),
        (f"The link works for {days} days.", False),
    ]


def write(
    message: EmailMessage, settings: SupportSettings, survey: Survey, ticket: Ticket | None, name: str | None
) -> None:
    """The note as plain text with an HTML alternative; the link goes out in both."""
    url = link(settings, survey)
    paragraphs = _paragraphs(survey, ticket, name, settings.survey_days)
    text = "\n\n".join(f"{p}\n{url}" if linked else p for p, linked in paragraphs)
    html = "".join(
        f'<p>{escape(p)}<br><a href="{escape(url)}">{escape(url)}</a></p>' if linked else f"<p>{escape(p)}</p>"
        for p, linked in paragraphs
    )
    message.set_content(f"{text}\n\n{settings.mail_name}\n")
    message.add_alternative(
        f"<!DOCTYPE html><html><body>{html}<p>{escape(settings.mail_name)}</p></body></html>", subtype="html"
    )
