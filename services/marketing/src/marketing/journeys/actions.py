"""What a journey step does to a person: queue a mail or a text, tag, or hand over to customer (a task) or
sales (a lead).

Everything happens in the runner's transaction: the mail is a row of the sending outbox (the sender job
delivers it, exactly once), a text a row of the texts' outbox keyed by enrolment and step (a marketing text
due in the person's quiet hours waits in it until their 8:00, a durable timer), a hand-over is a row the
hand-over job delivers. A person a step cannot reach (no address or number, no consent, over the frequency
cap, no account owner) skips it and goes on. What many people of one batch do is
collected in a `Batch` and written with a statement per kind, so a batch costs a few round trips.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared.accounts import AccountRef
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.events.model import Event
from marketing import events
from marketing.audience import ContactRef, LeadRef, contacts
from marketing.consent.rules import Channel
from marketing.consent.service import reachable
from marketing.journeys.definition import Step, StepType
from marketing.journeys.models import ActionKind, ContactTag, Enrolment, HandOver
from marketing.sending import caps
from marketing.sending.models import CampaignSend, SendStatus
from marketing.sending.rules import Cap, not_before
from marketing.settings import MarketingSettings
from marketing.sms.models import SmsKind, SmsSend, SmsTemplate
from marketing.sms.zones import zones


@dataclass
class Batch:
    """What one runner transaction writes besides its rows: events, and tags by (contact, tag) → added."""

    contacts: dict[uuid.UUID, ContactRef]
    events: list[Event] = field(default_factory=list)
    tags: dict[tuple[uuid.UUID, str], tuple[bool, uuid.UUID]] = field(default_factory=dict)
    reach: dict[Channel, set[uuid.UUID]] = field(default_factory=dict)

    @classmethod
    async def of(cls, uow: UnitOfWork, people: list[uuid.UUID]) -> Batch:
        return cls(await contacts(uow, people))

    async def may_reach(self, uow: UnitOfWork, contact: ContactRef, channel: Channel) -> bool:
        """Whether a send on `channel` may reach the contact now (`reachable`), asked once for the whole batch: no
        step changes anyone's consent."""
        if channel not in self.reach:
            self.reach[channel] = {c.id for c in await reachable(uow, list(self.contacts.values()), channel)}
        return contact.id in self.reach[channel]

    async def write(self, uow: UnitOfWork) -> None:
        """Tags in the order the steps set them (the last step about a tag wins), then the events."""
        now = utcnow()
        added = [
            {"contact_id": c, "tag": t, "journey_id": j, "tagged_at": now}
            for (c, t), (on, j) in self.tags.items()
            if on
        ]
        if added:
            await uow.session.execute(insert(ContactTag).values(added).on_conflict_do_nothing())
        for (c, t), (on, _) in self.tags.items():
            if not on:
                await uow.session.execute(delete(ContactTag).where(ContactTag.contact_id == c, ContactTag.tag == t))  # type: ignore[arg-type]
        for topic in dict.fromkeys(e.topic for e in self.events):
            await uow.publish_many([e for e in self.events if e.topic == topic])


async def perform(
    uow: UnitOfWork,
    batch: Batch,
    e: Enrolment,
    step: Step,
    campaign_id: uuid.UUID,
    domain: str,
    settings: MarketingSettings,
) -> tuple[str, uuid.UUID | None]:
    """(outcome, the mail's send id) of the step's effect; `domain` ends a mail's Message-ID."""
    contact = batch.contacts.get(e.person_id) if e.person_kind == "contact" else None
    if step.type is StepType.EMAIL:
        return await _email(uow, batch, e, contact, campaign_id, domain)
    if step.type is StepType.SMS:
        return (await _sms(uow, batch, e, contact, step, campaign_id, settings), None)
    if step.type in (StepType.ADD_TAG, StepType.REMOVE_TAG):
        return (_tag(batch, e, contact, step), None)
    if step.type is StepType.TASK:
        return (await _task(uow, e, contact, step), None)
    if step.type is StepType.LEAD:
        return (await _lead(uow, e, contact, campaign_id), None)
    raise ValueError(f"no effect for a {step.type} step")


async def _email(
    uow: UnitOfWork, batch: Batch, e: Enrolment, contact: ContactRef | None, campaign_id: uuid.UUID, domain: str
) -> tuple[str, uuid.UUID | None]:
    if (
        contact is None
        or contact.deleted
        or not contact.email_enc
        or not await batch.may_reach(uow, contact, Channel.EMAIL)
    ):
        return "skipped", None
    now, send_id = utcnow(), uuid.uuid4()
    uow.session.add(
        CampaignSend(
            id=send_id,
            campaign_id=campaign_id,
            contact_id=contact.id,
            to_enc=contact.email_enc,
            message_id=f"{send_id.hex}@{domain}",
            status=SendStatus.QUEUED,
            next_attempt_at=now,
            created_at=now,
            enrolment_id=e.id,
            journey_seq=e.seq,
        )
    )
    queued = events.MessageQueued(id=send_id, campaign_id=campaign_id, contact_id=contact.id, channel="email", at=now)
    batch.events.append(queued)
    return "done", send_id


async def _sms(
    uow: UnitOfWork,
    batch: Batch,
    e: Enrolment,
    contact: ContactRef | None,
    step: Step,
    campaign_id: uuid.UUID,
    settings: MarketingSettings,
) -> str:
    """A text queued once per enrolment and step, with the template as it is now; skipped without a number, an
    SMS opt-in or room under the frequency cap, and due at the person's next allowed minute."""
    template = await uow.session.get(SmsTemplate, step.template_id) if step.template_id else None
    if (
        template is None
        or contact is None
        or contact.deleted
        or not contact.phone_enc
        or not await batch.may_reach(uow, contact, Channel.SMS)
    ):
        return "skipped"
    now, marketing = utcnow(), template.kind is SmsKind.MARKETING
    cap = Cap(settings.sms_cap, settings.cap_days)
    if marketing:
        already = await caps.received(uow, Channel.SMS, [contact.id], cap.since(now), queued=True)
        if not cap.allows(already.get(contact.id, 0)):
            return "skipped"
    zone = (await zones(uow, {contact.id}, ZoneInfo(settings.sms_time_zone)))[contact.id]
    send_id = uuid.uuid4()
    content = {k: getattr(template, k) for k in ("kind", "provider_code", "signature", "content", "params")}
    row = {
        "id": send_id,
        "campaign_id": campaign_id,
        "step": f"journey:{e.id.hex}:{e.seq}",
        "contact_id": contact.id,
        "phone_enc": contact.phone_enc,
        "status": SendStatus.QUEUED,
        "attempts": 0,
        "provider": settings.sms_provider,
        "next_attempt_at": not_before(now, zone) if marketing else now,
        "content": {**content, "kind": str(template.kind)},
        "created_at": now,
    }
    written = await uow.session.scalar(insert(SmsSend).values(row).on_conflict_do_nothing().returning(col(SmsSend.id)))
    if written is not None:
        batch.events.append(
            events.MessageQueued(id=send_id, campaign_id=campaign_id, contact_id=contact.id, channel="sms", at=now)
        )
    return "done"


def _tag(batch: Batch, e: Enrolment, contact: ContactRef | None, step: Step) -> str:
    if contact is None or step.tag is None:
        return "skipped"
    batch.tags.pop((contact.id, step.tag.strip()), None)  # re-inserted last: the order of the steps holds
    batch.tags[(contact.id, step.tag.strip())] = (step.type is StepType.ADD_TAG, e.journey_id)
    return "done"


async def _task(uow: UnitOfWork, e: Enrolment, contact: ContactRef | None, step: Step) -> str:
    """For the owner of the contact's account (or of the lead)."""
    owner, account_id = None, None
    if contact is not None and contact.account_id is not None:
        account = await uow.session.get(AccountRef, contact.account_id)
        owner, account_id = (account.owner_id, account.id) if account else (None, None)
    elif e.person_kind == "lead":
        lead = await uow.session.get(LeadRef, e.person_id)
        owner = lead.owner_id if lead else None
    if owner is None:
        return "skipped"
    due = utcnow() + dt.timedelta(days=step.due_days)
    name = contact.name if contact else ""
    payload = {
        "title": f"{step.title}：{name}" if name else step.title,
        "dueAt": due.isoformat(),
        "accountId": str(account_id) if account_id else None,
        "assigneeId": str(owner),
        "notes": "",
    }
    uow.session.add(HandOver(enrolment_id=e.id, seq=e.seq, kind=ActionKind.TASK, payload=payload))
    return "done"


async def _lead(uow: UnitOfWork, e: Enrolment, contact: ContactRef | None, campaign_id: uuid.UUID) -> str:
    """A contact becomes a lead in sales with the journey's campaign; a lead is in sales already."""
    if contact is None or contact.deleted:
        return "skipped"
    account = await uow.session.get(AccountRef, contact.account_id) if contact.account_id else None
    payload = {
        "company": account.name if account else contact.name,
        "contactName": contact.name or "-",
        "source": "campaign",
        "campaignId": str(campaign_id),
        "contactId": str(contact.id),  # the address is read from the projection when the lead is created
    }
    uow.session.add(HandOver(enrolment_id=e.id, seq=e.seq, kind=ActionKind.LEAD, payload=payload))
    return "done"
