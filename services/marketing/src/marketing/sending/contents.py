"""What a queued mail says: its campaign's content, or the journey step's it was queued by."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select, tuple_
from sqlmodel import col

from crm_shared.db import UnitOfWork
from marketing.journeys.models import Enrolment, JourneyContent, StepRun
from marketing.sending.models import CampaignContent, CampaignSend

Content = CampaignContent | JourneyContent


async def contents_of(uow: UnitOfWork, rows: Sequence[CampaignSend]) -> dict[uuid.UUID, Content]:
    """Each row's content by the row's id: campaigns' in one query, journey steps' in one more."""
    found: dict[uuid.UUID, Content] = {}
    campaign_ids = {row.campaign_id for row in rows if row.enrolment_id is None}
    if campaign_ids:
        campaigns = select(CampaignContent).where(col(CampaignContent.campaign_id).in_(campaign_ids))
        by_campaign = {content.campaign_id: content for content in (await uow.session.scalars(campaigns)).all()}
        found |= {row.id: by_campaign[row.campaign_id] for row in rows if row.campaign_id in by_campaign}
    steps = [(row.enrolment_id, row.journey_seq) for row in rows if row.enrolment_id is not None]
    if steps:
        journeys = (
            select(col(StepRun.enrolment_id), col(StepRun.seq), JourneyContent)
            .join(Enrolment, col(Enrolment.id) == col(StepRun.enrolment_id))
            .join(
                JourneyContent,
                (col(JourneyContent.version_id) == col(Enrolment.version_id))
                & (col(JourneyContent.step) == col(StepRun.step)),
            )
            .where(tuple_(col(StepRun.enrolment_id), col(StepRun.seq)).in_(steps))
        )
        by_step: dict[tuple[uuid.UUID | None, int | None], JourneyContent] = {
            (enrolment, seq): content for enrolment, seq, content in (await uow.session.execute(journeys)).all()
        }
        found |= {
            row.id: by_step[(row.enrolment_id, row.journey_seq)]
            for row in rows
            if (row.enrolment_id, row.journey_seq) in by_step
        }
    return found


async def content_of(uow: UnitOfWork, row: CampaignSend) -> Content | None:
    return (await contents_of(uow, [row])).get(row.id)
