"""Counters, touches and attribution, moved by the events that change them.

Every event moves its counter by one (`bump`), so a campaign's performance is read from one row. A touch is
kept once per what caused it; when it lands on an account after a win it preceded (sales' topics are not
ordered against each other, and a lead's conversion names its account late), that win is attributed again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_contracts.sales import LeadSnapshot
from crm_shared.db import UnitOfWork
from crm_shared.db.snapshots import table_of
from marketing.performance import attribution
from marketing.performance.attribution import Model
from marketing.performance.models import (
    Attribution,
    CampaignRevenue,
    CampaignStats,
    OpportunityRef,
    OpportunityStatus,
    Touch,
    TouchKind,
)


async def bump(uow: UnitOfWork, campaign_id: uuid.UUID, **counts: int) -> None:
    """Add `counts` (sent=1, opportunities=-1, ...) to the campaign's counters."""
    stats = table_of(CampaignStats)
    stmt = insert(stats).values(campaign_id=campaign_id, **counts)
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["campaign_id"], set_={name: stats.c[name] + stmt.excluded[name] for name in counts}
        )
    )


async def touch(
    uow: UnitOfWork,
    campaign_id: uuid.UUID,
    kind: TouchKind,
    source_id: uuid.UUID,
    at: dt.datetime,
    account_id: uuid.UUID | None = None,
    contact_id: uuid.UUID | None = None,
    lead_id: uuid.UUID | None = None,
) -> bool:
    """Record the touch once; True when it is new."""
    values = {
        "id": uuid.uuid4(),
        "campaign_id": campaign_id,
        "kind": kind,
        "source_id": source_id,
        "at": at,
        "account_id": account_id,
        "contact_id": contact_id,
        "lead_id": lead_id,
    }
    added = await uow.session.scalar(insert(Touch).values(**values).on_conflict_do_nothing().returning(col(Touch.id)))
    if added is not None and account_id is not None:
        await reattribute_after(uow, account_id, at)
    return added is not None


async def lead_created(uow: UnitOfWork, lead: LeadSnapshot) -> None:
    """A lead naming a campaign counts as one of its leads and touches whatever account it becomes."""
    if lead.campaign_id is None:
        return
    if await touch(uow, lead.campaign_id, TouchKind.LEAD, lead.id, lead.created_at, lead_id=lead.id):
        await bump(uow, lead.campaign_id, leads=1)


async def lead_converted(
    uow: UnitOfWork, lead_id: uuid.UUID, account_id: uuid.UUID, contact_id: uuid.UUID | None
) -> None:
    """The lead's touches now touch the account it became."""
    touches = list((await uow.session.scalars(select(Touch).where(col(Touch.lead_id) == lead_id))).all())
    for found in touches:
        found.account_id, found.contact_id = account_id, found.contact_id or contact_id
    await uow.flush()
    if touches:
        await reattribute_after(uow, account_id, min(t.at for t in touches))


async def reattribute_after(uow: UnitOfWork, account_id: uuid.UUID, at: dt.datetime) -> None:
    """Attribute again the account's wins that closed after `at`."""
    won = await uow.session.scalars(
        select(OpportunityRef).where(
            col(OpportunityRef.account_id) == account_id,
            col(OpportunityRef.status) == OpportunityStatus.WON,
            col(OpportunityRef.closed_at) >= at,
        )
    )
    for opportunity in won.all():
        await reattribute(uow, opportunity)


async def _add_revenue(uow: UnitOfWork, campaign_id: uuid.UUID, model: str, amount: Decimal) -> None:
    stmt = insert(CampaignRevenue).values(campaign_id=campaign_id, model=model, revenue=amount)
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["campaign_id", "model"],
            set_={"revenue": col(CampaignRevenue.revenue) + stmt.excluded.revenue},
        )
    )


async def reattribute(uow: UnitOfWork, opportunity: OpportunityRef) -> None:
    """Take back what the opportunity gave before and, when it is won, share its revenue anew under every model
    among the campaigns that touched its account up to the win."""
    given = await uow.session.execute(
        delete(Attribution)
        .where(col(Attribution.opportunity_id) == opportunity.id)
        .returning(col(Attribution.campaign_id), col(Attribution.model), col(Attribution.amount))
    )
    for campaign_id, model, amount in given.all():
        await _add_revenue(uow, campaign_id, model, -amount)
    if opportunity.status is not OpportunityStatus.WON or opportunity.closed_at is None:
        return
    touched = await uow.session.scalars(
        select(col(Touch.campaign_id))
        .where(
            col(Touch.account_id) == opportunity.account_id,
            or_(col(Touch.at) <= opportunity.closed_at, col(Touch.source_id) == opportunity.id),  # its own campaign
        )
        .order_by(col(Touch.at), col(Touch.id))
    )
    campaigns = list(touched.all())
    for model in Model:
        for campaign_id, amount in attribution.attribute(model, campaigns, opportunity.revenue).items():
            row = {"opportunity_id": opportunity.id, "campaign_id": campaign_id, "model": str(model), "amount": amount}
            await uow.session.execute(insert(Attribution).values(**row))
            await _add_revenue(uow, campaign_id, model, amount)
