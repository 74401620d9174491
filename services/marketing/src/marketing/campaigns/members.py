"""A campaign's members: the contacts and leads it targets, each once, and how far they went."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from crm_shared.validate import items
from marketing import events
from marketing.audience import require_contact, require_lead
from marketing.campaigns.models import CampaignMember
from marketing.campaigns.repository import Campaigns
from marketing.campaigns.rules import MemberStatus
from marketing.campaigns.service import require_open, snapshot

MAX_MEMBERS_PER_CALL = 1000


async def add_members(
    uow: UnitOfWork,
    principal: Principal,
    campaign_id: uuid.UUID,
    contact_ids: list[uuid.UUID],
    lead_ids: list[uuid.UUID],
) -> int:
    """Target contacts and leads; those already members stay as they are. Returns how many were added."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    require_open(campaign)
    contacts = items(list(dict.fromkeys(contact_ids)), "contactIds", MAX_MEMBERS_PER_CALL)
    leads = items(list(dict.fromkeys(lead_ids)), "leadIds", MAX_MEMBERS_PER_CALL)
    if not contacts and not leads:
        raise BadInput("required_field", field="contactIds")
    rows: list[dict[str, Any]] = []
    for contact_id in contacts:
        contact = await require_contact(uow, principal, contact_id, "contactIds")
        rows.append({"contact_id": contact_id, "lead_id": None, "account_id": contact.account_id})
    for lead_id in leads:
        await require_lead(uow, principal, lead_id, "leadIds")
        rows.append({"contact_id": None, "lead_id": lead_id, "account_id": None})
    now = utcnow()
    member = {"campaign_id": campaign.id, "status": MemberStatus.TARGETED, "added_at": now, "updated_at": now}
    values = [{"id": uuid.uuid4(), **member, **r} for r in rows]
    added = await uow.session.scalars(
        insert(CampaignMember).values(values).on_conflict_do_nothing().returning(CampaignMember)
    )
    new = list(added.all())
    if new:
        campaign.updated_at = now
        event = await snapshot(
            uow,
            campaign,
            events.CampaignMembersAdded,
            contact_ids=[m.contact_id for m in new if m.contact_id],
            lead_ids=[m.lead_id for m in new if m.lead_id],
        )
        await uow.publish(event)
    return len(new)


async def member_counts(uow: UnitOfWork, campaign_id: uuid.UUID) -> dict[str, int]:
    rows = await uow.session.execute(
        select(col(CampaignMember.status), func.count())
        .where(col(CampaignMember.campaign_id) == campaign_id)
        .group_by(col(CampaignMember.status))
    )
    return {str(status): int(n) for status, n in rows.all()}
