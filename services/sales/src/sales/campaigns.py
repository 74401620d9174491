"""Sales' copy of marketing's campaigns, kept from `crm.marketing.campaign` events, so that a lead or an
opportunity names a campaign that exists (marketing attributes revenue to it and the console shows it)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from crm_contracts.marketing import CAMPAIGN_EVENTS, CampaignSnapshot
from crm_shared.db import UnitOfWork, timestamp
from crm_shared.db.snapshots import keep_newer
from crm_shared.errors import BadInput
from crm_shared.events.handlers import Handlers


class CampaignRef(SQLModel, table=True):
    __tablename__ = "campaign_refs"

    id: uuid.UUID = Field(primary_key=True)
    name: str = Field(default="", max_length=200)
    status: str = Field(default="", max_length=20)
    updated_at: dt.datetime = timestamp()


CAMPAIGNS = Handlers()


@CAMPAIGNS.on(*CAMPAIGN_EVENTS)
async def project_campaign(uow: UnitOfWork, campaign: CampaignSnapshot) -> None:
    """Every campaign event carries the whole snapshot; an older one arriving late changes nothing."""
    values = {"id": campaign.id, "name": campaign.name[:200], "status": campaign.status, "updated_at": campaign.time}
    await keep_newer(uow, CampaignRef, values)


async def known(uow: UnitOfWork, campaign_id: uuid.UUID) -> bool:
    return await uow.session.get(CampaignRef, campaign_id) is not None


async def require_campaign(uow: UnitOfWork, campaign_id: uuid.UUID) -> None:
    """A campaign marketing has announced; otherwise a field error naming `campaignId`."""
    if not await known(uow, campaign_id):
        raise BadInput("unknown_campaign", field="campaignId")
