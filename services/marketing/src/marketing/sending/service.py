"""Sending an email or SMS campaign: every recipient's row written in one transaction, once per campaign.

The rows are the messages' outbox: the sender jobs deliver them in batches. Recipients are the members
with an address on the channel who opted in, did not opt out since and are not on the do-not-contact
list, decided by `consent.rules.decide` alone, and who are under the channel's frequency cap. The
template is copied with the rows, so every message says the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict
from marketing import events
from marketing.audience import ContactRef
from marketing.campaigns import rules
from marketing.campaigns.models import Campaign, CampaignMember
from marketing.campaigns.repository import Campaigns
from marketing.campaigns.rules import CampaignStatus, CampaignType
from marketing.campaigns.service import snapshot
from marketing.consent.rules import Channel
from marketing.consent.service import reachable
from marketing.sending import caps
from marketing.sending.models import CampaignContent, CampaignSend, SendStatus
from marketing.sending.rules import Cap
from marketing.settings import MarketingSettings
from marketing.sms import service as sms
from marketing.sms.models import SmsSend
from marketing.templates import render
from marketing.templates.service import get as get_template
from marketing.templates.service import parts

CHUNK = 1000  # recipients read and written per statement


@dataclass(frozen=True)
class Progress:
    queued: int
    sent: int
    failed: int
    opened: int
    clicked: int
    unsubscribed: int
    skipped: int  # the frequency cap held them back
    delivered: int  # texts the provider's receipt confirmed; mails the relay accepted


def _sendable(campaign: Campaign) -> None:
    if campaign.type not in (CampaignType.EMAIL, CampaignType.SMS):
        raise Conflict("not_sendable_type")
    if campaign.type is CampaignType.EMAIL and campaign.template_id is None:
        raise BadInput("campaign_no_template", field="templateId")
    if campaign.send_queued_at is not None:
        raise Conflict("campaign_already_sent")
    if campaign.status not in (CampaignStatus.APPROVED, CampaignStatus.RUNNING):
        raise Conflict("campaign_not_sendable", status=str(campaign.status))


async def send(uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, settings: MarketingSettings) -> int:
    """Queue the campaign's mails or texts, once; an approved campaign starts running. Returns how many were
    queued."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "send", lock=True)
    _sendable(campaign)
    if campaign.type is CampaignType.SMS:
        queued = await sms.queue(uow, campaign, settings)
    else:
        queued = await _queue_mail(uow, campaign, settings)
    now = utcnow()
    campaign.send_queued_at = campaign.updated_at = now
    if campaign.status is CampaignStatus.APPROVED:
        campaign.status = rules.move(campaign.status, CampaignStatus.RUNNING)
        await uow.flush()
        event = await snapshot(uow, campaign, events.CampaignStatusChanged, from_status=str(CampaignStatus.APPROVED))
        await uow.publish(event)
    await uow.flush()
    await audit.record(uow, "campaign.sent", "Campaign", campaign.id, detail={"queued": queued}, actor=principal)
    return queued


async def _queue_mail(uow: UnitOfWork, campaign: Campaign, settings: MarketingSettings) -> int:
    assert campaign.template_id is not None
    variant = parts(await get_template(uow, None, campaign.template_id), campaign.language)
    uow.session.add(
        CampaignContent(
            campaign_id=campaign.id,
            subject=variant.subject,
            html=variant.html,
            text=variant.text,
            links=render.links(variant.html),
        )
    )
    now = utcnow()
    cap = Cap(settings.email_cap, settings.cap_days)
    domain = settings.mail_address.rpartition("@")[2]
    members = (
        select(ContactRef)
        .join(CampaignMember, col(CampaignMember.contact_id) == col(ContactRef.id))
        .where(col(CampaignMember.campaign_id) == campaign.id)
        .order_by(col(ContactRef.id))
    )
    queued = 0
    last: uuid.UUID | None = None
    while True:
        query = members.where(col(ContactRef.id) > last) if last else members
        chunk = list((await uow.session.scalars(query.limit(CHUNK))).all())
        if not chunk:
            break
        last = chunk[-1].id
        rows = []
        ready = await reachable(uow, chunk, Channel.EMAIL)
        already = await caps.received(uow, Channel.EMAIL, [c.id for c in ready], cap.since(now), queued=True)
        for contact in ready:
            if not cap.allows(already.get(contact.id, 0)):
                continue
            send_id = uuid.uuid4()
            rows.append(
                {
                    "id": send_id,
                    "campaign_id": campaign.id,
                    "contact_id": contact.id,
                    "to_enc": contact.email_enc,
                    "message_id": f"{send_id.hex}@{domain}",
                    "status": SendStatus.QUEUED,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
        if rows:
            await uow.session.execute(insert(CampaignSend).values(rows))
            await uow.publish_many(
                [
                    events.MessageQueued(
                        id=r["id"], campaign_id=campaign.id, contact_id=r["contact_id"], channel="email", at=now
                    )
                    for r in rows
                ]
            )
            queued += len(rows)
    return queued


async def progress(uow: UnitOfWork, campaign_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Progress]:
    """How far each campaign's mails or texts went, counted from their rows (a campaign has one kind or
    none): a page of campaigns in two statements."""
    mails = await uow.session.execute(
        select(
            col(CampaignSend.campaign_id),
            *_by_status(CampaignSend),
            func.count(col(CampaignSend.opened_at)),
            func.count(col(CampaignSend.clicked_at)),
            func.count(col(CampaignSend.unsubscribed_at)),
        )
        .where(col(CampaignSend.campaign_id).in_(campaign_ids))
        .group_by(col(CampaignSend.campaign_id))
    )
    found = {
        campaign_id: Progress(queued, sent, failed, opened, clicked, unsubscribed, skipped, sent)
        for campaign_id, queued, sent, failed, skipped, opened, clicked, unsubscribed in mails.all()
    }
    texts = await uow.session.execute(
        select(col(SmsSend.campaign_id), *_by_status(SmsSend), func.count(col(SmsSend.delivered_at)))
        .where(col(SmsSend.campaign_id).in_(campaign_ids))
        .group_by(col(SmsSend.campaign_id))
    )
    for campaign_id, queued, sent, failed, skipped, delivered in texts.all():
        found[campaign_id] = Progress(queued, sent, failed, 0, 0, 0, skipped, delivered)
    return {campaign_id: found.get(campaign_id, Progress(0, 0, 0, 0, 0, 0, 0, 0)) for campaign_id in campaign_ids}


def _by_status(table: type[CampaignSend] | type[SmsSend]) -> list[Any]:
    return [func.count().filter(col(table.status) == status) for status in SendStatus]
