"""How many marketing messages each contact got on a channel within a cap's window, read from the send rows."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection

from sqlalchemy import ColumnElement, func, or_, select
from sqlmodel import col

from crm_shared.db import UnitOfWork
from marketing.consent.rules import Channel
from marketing.sending.models import CampaignSend, SendStatus
from marketing.sms.models import SmsSend


async def received(
    uow: UnitOfWork, channel: Channel, contact_ids: Collection[uuid.UUID], since: dt.datetime, queued: bool
) -> dict[uuid.UUID, int]:
    """Messages sent since `since` per contact; with `queued`, also those written since and still waiting
    (when new rows are written, the waiting ones will count by the time they go)."""
    if not contact_ids:
        return {}
    table: type[CampaignSend] | type[SmsSend] = CampaignSend if channel is Channel.EMAIL else SmsSend
    counted: ColumnElement[bool] = (col(table.status) == SendStatus.SENT) & (col(table.sent_at) >= since)
    if queued:
        counted = or_(counted, (col(table.status) == SendStatus.QUEUED) & (col(table.created_at) >= since))
    query = (
        select(col(table.contact_id), func.count())
        .where(col(table.contact_id).in_(list(contact_ids)), counted)
        .group_by(col(table.contact_id))
    )
    return dict((await uow.session.execute(query)).all())
