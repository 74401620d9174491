"""What a recipient does with a campaign mail, through its signed links: unsubscribe, open, click.

No sign-in: the link is the credential. Unsubscribing records the contact's own opt-out for email, so
no later send reaches them; the first open and the first click of each mail are kept and published.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import col

from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import NotFound
from marketing import events
from marketing.campaigns.models import CampaignMember
from marketing.campaigns.rules import MemberStatus
from marketing.consent.rules import Channel
from marketing.consent.service import add_record
from marketing.sending import links
from marketing.sending.contents import content_of
from marketing.sending.models import CampaignSend

E = TypeVar("E", bound=events.MessageEvent)


async def _send(uow: UnitOfWork, token: str, kind: links.Kind) -> tuple[CampaignSend, links.Link]:
    link = links.read(token, kind)
    row = await uow.session.get(CampaignSend, link.send_id, with_for_update=True) if link else None
    if row is None or link is None:
        raise NotFound(entity="Link")
    return row, link


def _event(kind: type[E], row: CampaignSend, at: dt.datetime, **extra: Any) -> E:
    return kind(id=row.id, campaign_id=row.campaign_id, contact_id=row.contact_id, channel="email", at=at, **extra)


async def confirm(uow: UnitOfWork, token: str) -> bool:
    """Whether the unsubscribe link is genuine and already used (GET shows this; it changes nothing)."""
    row, _ = await _send(uow, token, links.Kind.UNSUBSCRIBE)
    return row.unsubscribed_at is not None


async def unsubscribe(uow: UnitOfWork, token: str) -> None:
    """The contact opts out of email; a second POST of the same link changes nothing."""
    row, _ = await _send(uow, token, links.Kind.UNSUBSCRIBE)
    if row.unsubscribed_at is not None:
        return
    row.unsubscribed_at = now = utcnow()
    await add_record(uow, row.contact_id, Channel.EMAIL, False, "unsubscribe_link", "one-click")
    await uow.publish(_event(events.MessageUnsubscribed, row, now))


async def opened(uow: UnitOfWork, token: str) -> None:
    row, _ = await _send(uow, token, links.Kind.OPEN)
    if row.opened_at is None:
        row.opened_at = now = utcnow()
        await uow.publish(_event(events.MessageOpened, row, now))


async def clicked(uow: UnitOfWork, token: str) -> str:
    """Where the link goes: only a link the campaign's template contained. A click is a response."""
    row, link = await _send(uow, token, links.Kind.CLICK)
    content = await content_of(uow, row)
    if content is None or link.index >= len(content.links):
        raise NotFound(entity="Link")
    target = content.links[link.index]
    if row.clicked_at is None:
        row.clicked_at = now = utcnow()
        row.opened_at = row.opened_at or now  # the images may have been blocked
        await uow.session.execute(
            update(CampaignMember)
            .where(
                col(CampaignMember.campaign_id) == row.campaign_id,
                col(CampaignMember.contact_id) == row.contact_id,
                col(CampaignMember.status).in_([MemberStatus.TARGETED, MemberStatus.SENT]),
            )
            .values(status=MemberStatus.RESPONDED, updated_at=now)
        )
        await uow.publish(_event(events.MessageClicked, row, now, url=target))
    return target
