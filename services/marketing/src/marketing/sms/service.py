"""SMS templates, an SMS campaign's template, and queueing its texts: one row per consenting recipient, once.

Rows are written like email's: recipients with a mobile number who opted in to SMS, not opted out since,
not on the do-not-contact list and under the frequency cap; a marketing text due in the recipient's quiet
hours (their local time, `zones`) gets their next 8:00 as its not-before time. The template is copied with
the rows, so every text says the same.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import phone, required_text
from marketing import events
from marketing.audience import ContactRef
from marketing.campaigns.models import Campaign, CampaignMember
from marketing.campaigns.repository import Campaigns
from marketing.campaigns.rules import CampaignType
from marketing.consent.rules import Channel
from marketing.consent.service import reachable
from marketing.sending import caps
from marketing.sending.models import SendStatus
from marketing.sending.rules import Cap, not_before
from marketing.settings import MarketingSettings
from marketing.sms import rules
from marketing.sms.models import SmsContent, SmsKind, SmsSend, SmsTemplate
from marketing.sms.providers import Text
from marketing.sms.zones import zones
from marketing.templates import render

RESOURCE = "marketing:template"
CHUNK = 1000


@dataclass(frozen=True)
class SmsTemplateInput:
    name: str
    kind: SmsKind
    provider_code: str
    signature: str
    content: str
    params: list[rules.Param]


async def listed(uow: UnitOfWork, principal: Principal) -> list[SmsTemplate]:
    principal.require(f"{RESOURCE}:read")
    return list((await uow.session.scalars(select(SmsTemplate).order_by(col(SmsTemplate.name)))).all())


async def get(uow: UnitOfWork, principal: Principal, template_id: uuid.UUID, action: str = "read") -> SmsTemplate:
    principal.require(f"{RESOURCE}:{action}")
    template = await uow.session.get(SmsTemplate, template_id)
    if template is None:
        raise NotFound(entity="SmsTemplate")
    return template


async def save(
    uow: UnitOfWork, principal: Principal, template_id: uuid.UUID | None, data: SmsTemplateInput
) -> SmsTemplate:
    template = await get(uow, principal, template_id, "update") if template_id else None
    if template is None:
        principal.require(f"{RESOURCE}:create")
    name = required_text(data.name, "name", 100)
    values = rules.checked(data.kind, data.provider_code, data.signature, data.content, data.params)
    same_name = select(col(SmsTemplate.id)).where(col(SmsTemplate.name) == name)
    if template is not None:
        same_name = same_name.where(col(SmsTemplate.id) != template.id)
    if await uow.session.scalar(same_name) is not None:
        raise Conflict("sms_template_name_taken", field="name")
    before = {"name": template.name, "content": template.content} if template else None
    if template is None:
        template = SmsTemplate(name=name, created_by=principal.user_id, **values)
        uow.session.add(template)
    else:
        template.name = name
        for key, value in values.items():
            setattr(template, key, value)
    template.updated_at = utcnow()
    await uow.flush()
    after = {"name": template.name, "content": template.content}
    await audit.record(uow, "sms_template.saved", "SmsTemplate", template.id, before, after, actor=principal)
    return template


def sample(template: SmsTemplate) -> str:
    """The text as a recipient reads it, with sample values."""
    return rules.text(template.signature, template.content, rules.fill(rules.compiled(template.params), render.SAMPLE))


async def test_text(uow: UnitOfWork, principal: Principal, template_id: uuid.UUID, number: str) -> Text:
    """A template with sample values for a number the marketer types, to see it on a phone before a campaign:
    no recipient, consent or cap is involved, and its own id makes it a text of its own for the provider."""
    template = await get(uow, principal, template_id, "update")
    to = phone(number)
    if to is None:
        raise BadInput("required_field", field="phone")
    params = rules.fill(rules.compiled(template.params), render.SAMPLE)
    return Text(uuid.uuid4(), to, rules.sign_name(template.signature), template.provider_code, params)


async def choose_template(
    uow: UnitOfWork, principal: Principal, campaign_id: uuid.UUID, template_id: uuid.UUID
) -> Campaign:
    """The template an SMS campaign sends; it may change until the campaign is sent."""
    campaign = await Campaigns(uow, principal).get(campaign_id, "update", lock=True)
    if campaign.type is not CampaignType.SMS:
        raise Conflict("sms_not_sms_campaign")
    if campaign.send_queued_at is not None:
        raise Conflict("campaign_already_sent")
    if await uow.session.get(SmsTemplate, template_id) is None:
        raise BadInput("sms_unknown_template", field="templateId")
    campaign.sms_template_id, campaign.updated_at = template_id, utcnow()
    await uow.flush()
    await audit.record(uow, "campaign.sms_template_chosen", "Campaign", campaign.id, actor=principal)
    return campaign


async def queue(uow: UnitOfWork, campaign: Campaign, settings: MarketingSettings) -> int:
    """Write the campaign's texts (the caller checked the campaign may be sent); returns how many."""
    if campaign.sms_template_id is None:
        raise BadInput("sms_campaign_no_template", field="smsTemplateId")
    template = await uow.session.get(SmsTemplate, campaign.sms_template_id)
    assert template is not None
    uow.session.add(
        SmsContent(
            campaign_id=campaign.id,
            template_id=template.id,
            kind=template.kind,
            provider_code=template.provider_code,
            signature=template.signature,
            content=template.content,
            params=template.params,
        )
    )
    now, default_zone = utcnow(), ZoneInfo(settings.sms_time_zone)
    cap = Cap(settings.sms_cap, settings.cap_days)
    members = (
        select(ContactRef)
        .join(CampaignMember, col(CampaignMember.contact_id) == col(ContactRef.id))
        .where(col(CampaignMember.campaign_id) == campaign.id)
        .order_by(col(ContactRef.id))
    )
    queued, last = 0, None
    while chunk := list(
        (await uow.session.scalars((members.where(col(ContactRef.id) > last) if last else members).limit(CHUNK))).all()
    ):
        last = chunk[-1].id
        ready = await reachable(uow, chunk, Channel.SMS)
        already = await caps.received(uow, Channel.SMS, [c.id for c in ready], cap.since(now), queued=True)
        local = await zones(uow, {c.id for c in ready}, default_zone)
        rows = [
            {
                "id": uuid.uuid4(),
                "campaign_id": campaign.id,
                "step": "campaign",
                "contact_id": contact.id,
                "phone_enc": contact.phone_enc,
                "status": SendStatus.QUEUED,
                "attempts": 0,
                "provider": settings.sms_provider,
                "next_attempt_at": not_before(now, local[contact.id]) if template.kind is SmsKind.MARKETING else now,
                "created_at": now,
            }
            for contact in ready
            if template.kind is not SmsKind.MARKETING or cap.allows(already.get(contact.id, 0))
        ]
        if rows:
            await uow.session.execute(insert(SmsSend).values(rows))
            await uow.publish_many(
                [
                    events.MessageQueued(
                        id=r["id"], campaign_id=campaign.id, contact_id=r["contact_id"], channel="sms", at=now
                    )
                    for r in rows
                ]
            )
            queued += len(rows)
    return queued
