"""What a queued mail says: its campaign's content, or the journey step's it was queued by."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col

from crm_shared.db import UnitOfWork
from marketing.journeys.models import Enrolment, JourneyContent, StepRun
from marketing.sending.models import CampaignContent, CampaignSend


async def content_of(uow: UnitOfWork, row: CampaignSend) -> CampaignContent | JourneyContent | None:
    if row.enrolment_id is None:
        return await uow.session.get(CampaignContent, row.campaign_id)
    found = await uow.session.scalar(
        select(JourneyContent)
        .join(Enrolment, col(Enrolment.version_id) == col(JourneyContent.version_id))
        .join(StepRun, col(StepRun.enrolment_id) == col(Enrolment.id))
        .where(
            col(Enrolment.id) == row.enrolment_id,
            col(StepRun.seq) == row.journey_seq,
            col(StepRun.step) == col(JourneyContent.step),
        )
    )
    return found
