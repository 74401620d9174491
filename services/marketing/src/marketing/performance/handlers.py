"""The events that move a campaign's figures: marketing's own mail events, sales' leads and opportunities.

Sales' events are read here in the shape marketing needs (unknown fields ignored), so sales may add to them
freely. A lead's creation reaches `service.lead_created` through the audience projection, which handles
`lead.created`.
"""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert

from crm_contracts.sales import LEAD_TOPIC
from crm_shared.db import UnitOfWork
from crm_shared.events.handlers import Handlers
from crm_shared.events.model import Event
from crm_shared.text import normalise
from marketing import events
from marketing.audience import ContactRef
from marketing.performance import service
from marketing.performance.models import OpportunityRef, TouchKind
from marketing.sales_events import (
    OpportunityCreatedSeen,
    OpportunityLostSeen,
    OpportunityReopenedSeen,
    OpportunitySeen,
    OpportunityStatus,
    OpportunityUpdatedSeen,
    OpportunityWonSeen,
)

PERFORMANCE = Handlers()


@PERFORMANCE.on(events.MessageSent)
async def sent(uow: UnitOfWork, event: events.MessageSent) -> None:
    """Accepted by the relay: a recipient it refuses is reported as bounced instead, never as sent."""
    await service.bump(uow, event.campaign_id, sent=1, delivered=1)


@PERFORMANCE.on(events.MessageOpened)
async def opened(uow: UnitOfWork, event: events.MessageOpened) -> None:
    await service.bump(uow, event.campaign_id, opened=1)


@PERFORMANCE.on(events.MessageClicked)
async def clicked(uow: UnitOfWork, event: events.MessageClicked) -> None:
    """The first click of a mail is its recipient's response, and touches their account."""
    await service.bump(uow, event.campaign_id, clicked=1, responses=1)
    contact = await uow.session.get(ContactRef, event.contact_id)
    account = contact.account_id if contact is not None else None
    await service.touch(uow, event.campaign_id, TouchKind.RESPONSE, event.id, event.at, account, event.contact_id)


@PERFORMANCE.on(events.MessageUnsubscribed)
async def unsubscribed(uow: UnitOfWork, event: events.MessageUnsubscribed) -> None:
    await service.bump(uow, event.campaign_id, unsubscribed=1)


@PERFORMANCE.on(events.MessageBounced)
async def bounced(uow: UnitOfWork, event: events.MessageBounced) -> None:
    await service.bump(uow, event.campaign_id, bounced=1)


class LeadConvertedSeen(Event):
    topic, type = LEAD_TOPIC, "lead.converted"

    id: uuid.UUID
    account_id: uuid.UUID
    contact_id: uuid.UUID | None


@PERFORMANCE.on(LeadConvertedSeen)
async def lead_converted(uow: UnitOfWork, event: LeadConvertedSeen) -> None:
    await service.lead_converted(uow, event.id, event.account_id, event.contact_id)


@PERFORMANCE.on(
    OpportunityCreatedSeen, OpportunityUpdatedSeen, OpportunityWonSeen, OpportunityLostSeen, OpportunityReopenedSeen
)
async def opportunity_seen(uow: UnitOfWork, event: OpportunitySeen) -> None:
    """Keep the opportunity; move its campaign's counters when its campaign or outcome changed, and attribute a
    win (or take it back on reopening). An older snapshot arriving late changes nothing."""
    before = await uow.session.get(OpportunityRef, event.id, with_for_update=True)
    if before is not None and before.updated_at > event.time:
        return
    was = (before.campaign_id, before.status, before.revenue) if before is not None else (None, None, None)
    closed = event.status is not OpportunityStatus.OPEN
    values = {
        "id": event.id,
        "account_id": event.account_id,
        "campaign_id": event.campaign_id,
        "status": event.status,
        "revenue": event.amount_base,
        "competitor_key": normalise(event.competitor)[:200] if event.competitor else None,
        "closed_at": event.closed_at if closed else None,
        "created_at": event.time,
        "updated_at": event.time,
    }
    stmt = insert(OpportunityRef).values(**values)
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["id"], set_={k: stmt.excluded[k] for k in values if k not in ("id", "created_at")}
        )
    )
    ref = await uow.session.get(OpportunityRef, event.id, populate_existing=True)
    assert ref is not None
    await _count(uow, was[0], was[1], -1)
    await _count(uow, ref.campaign_id, ref.status, 1)
    if ref.campaign_id is not None and ref.campaign_id != was[0]:
        at = min(event.time, ref.closed_at or event.time)  # named by a deal it won: it touched before the win
        await service.touch(uow, ref.campaign_id, TouchKind.OPPORTUNITY, ref.id, at, ref.account_id)
    if OpportunityStatus.WON in (was[1], ref.status) and (was[1], was[2]) != (ref.status, ref.revenue):
        await service.reattribute(uow, ref)


async def _count(uow: UnitOfWork, campaign_id: uuid.UUID | None, status: OpportunityStatus | None, sign: int) -> None:
    if campaign_id is not None and status is not None:
        await service.bump(uow, campaign_id, opportunities=sign, won=sign if status is OpportunityStatus.WON else 0)
