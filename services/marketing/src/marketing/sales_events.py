"""Sales' opportunity snapshots as marketing reads them (unknown fields ignored, so sales may add to them
freely): segments keep each account's open deals and lost-to competitors, attribution keeps revenue and
campaigns."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from crm_shared.events.model import Event

OPPORTUNITY_TOPIC = "crm.sales.opportunity"


class OpportunityStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class OpportunitySeen(Event):
    topic = OPPORTUNITY_TOPIC

    id: uuid.UUID
    account_id: uuid.UUID
    status: OpportunityStatus
    amount_base: Decimal
    campaign_id: uuid.UUID | None
    competitor: str | None = None  # on closed ones
    closed_at: dt.datetime | None = None


class OpportunityCreatedSeen(OpportunitySeen):
    type = "opportunity.created"


class OpportunityUpdatedSeen(OpportunitySeen):
    type = "opportunity.updated"


class OpportunityStageChangedSeen(OpportunitySeen):
    type = "opportunity.stage_changed"


class OpportunityWonSeen(OpportunitySeen):
    type = "opportunity.won"


class OpportunityLostSeen(OpportunitySeen):
    type = "opportunity.lost"


class OpportunityReopenedSeen(OpportunitySeen):
    type = "opportunity.reopened"


OPPORTUNITY_EVENTS = (
    OpportunityCreatedSeen,
    OpportunityUpdatedSeen,
    OpportunityStageChangedSeen,
    OpportunityWonSeen,
    OpportunityLostSeen,
    OpportunityReopenedSeen,
)
