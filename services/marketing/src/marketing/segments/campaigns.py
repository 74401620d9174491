"""A campaign's members taken from a segment: one statement however large the segment, each contact once."""

from __future__ import annotations

import uuid

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from marketing import events
from marketing.audience import ContactRef
from marketing.campaigns.models import CampaignMember
from marketing.campaigns.repository import Campaigns
from marketing.campaigns.rules import MemberStatus
from marketing.campaigns.service import require_open, snapshot
from marketing.segments import service as segments
from marketing.segments.models import Profile, SegmentMember


async def add_segment_members(
    uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, segment_id: uuid.UUID
) -> int:
    """Target the segment's members the caller may see; those already members stay as they are."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    require_open(campaign)
    segment = await segments.get(uow, principal, segment_id)
    now = utcnow()
    chosen = (
        select(
            func.gen_random_uuid(),
            literal(campaign.id),
            col(ContactRef.id),
            col(ContactRef.account_id),
            literal(str(MemberStatus.TARGETED)),
            literal(now),
            literal(now),
        )
        .join(SegmentMember, col(SegmentMember.contact_id) == col(ContactRef.id))
        .join(Profile, col(Profile.contact_id) == col(ContactRef.id))
        .where(col(SegmentMember.segment_id) == segment.id, *await segments.visible_profiles(uow, principal))
    )
    columns = ["id", "campaign_id", "contact_id", "account_id", "status", "added_at", "updated_at"]
    added = await uow.session.scalars(
        insert(CampaignMember)
        .from_select(columns, chosen)
        .on_conflict_do_nothing()
        .returning(col(CampaignMember.contact_id))
    )
    new = sorted(c for c in added.all() if c is not None)
    if new:
        campaign.updated_at = now
        for start in range(0, len(new), segments.EVENT_CHUNK):
            part = new[start : start + segments.EVENT_CHUNK]
            await uow.publish(await snapshot(uow, campaign, events.CampaignMembersAdded, contact_ids=part, lead_ids=[]))
    return len(new)
