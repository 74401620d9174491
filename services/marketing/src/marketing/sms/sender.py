"""The scheduled job that sends queued texts through the configured provider, each exactly once.

A batch of due rows is claimed (`FOR UPDATE SKIP LOCKED`), checked again against the recipient's quiet
hours in their own time zone (a row due in them waits, durably, until their 8:00) and the frequency cap,
sent side by side within the provider's rate limit and marked in the same transaction. A crash after the
provider accepted a text and before the mark sends it again under the same `OutId`/`SessionContext`, which
the provider answers without a second text.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select, update
from sqlmodel import col

from crm_shared.crypto import decrypt
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.service import RunAgain
from marketing import events
from marketing.audience import ContactRef
from marketing.campaigns.models import Campaign, CampaignMember
from marketing.campaigns.rules import MemberStatus
from marketing.consent.rules import Channel
from marketing.sending import caps
from marketing.sending.models import SendStatus
from marketing.sending.rules import Cap, not_before
from marketing.settings import MarketingSettings
from marketing.sms import rules
from marketing.sms.models import SmsContent, SmsKind, SmsSend
from marketing.sms.providers import Outcome, Provider, Text, provider
from marketing.sms.zones import zones
from marketing.templates import render
from marketing.templates.service import recipient_values

log = logging.getLogger(__name__)


class RateLimit:
    """Spaces requests `1 / per_second` apart across the process's runs (the provider's limit)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next = 0.0

    async def wait(self) -> None:
        now = time.monotonic()
        slot, self.next = max(now, self.next), max(now, self.next) + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


class SmsSender:
    def __init__(self, settings: MarketingSettings) -> None:
        self.settings = settings
        self.provider: Provider = provider(settings)
        self.limit = RateLimit(settings.sms_per_second)
        self.zone = ZoneInfo(settings.sms_time_zone)

    async def run(self, uow: UnitOfWork) -> RunAgain | int:
        """Sends up to `sms_batch` due texts; runs again at once while more are due."""
        s, now = self.settings, utcnow()
        rows = list(
            (
                await uow.session.scalars(
                    select(SmsSend)
                    .where(col(SmsSend.status) == SendStatus.QUEUED, col(SmsSend.next_attempt_at) <= now)
                    .order_by(col(SmsSend.next_attempt_at), col(SmsSend.id))
                    .limit(s.sms_batch)
                    .with_for_update(skip_locked=True)
                )
            ).all()
        )
        if not rows:
            return 0
        contents = await self._contents(uow, rows)
        going = await self._allowed(uow, rows, contents, now)
        texts, sendable = [], []
        for row in going:
            try:
                texts.append(await self._text(uow, row, contents[row.id]))
                sendable.append(row)
            except render.RenderFailed as exc:  # this recipient's values fail a parameter: never sendable
                row.status, row.last_error = SendStatus.FAILED, f"template {exc.part}: {exc}"[:200]
        async with httpx.AsyncClient(timeout=10) as client:
            outcomes = await asyncio.gather(*(self._send(client, text) for text in texts))
        for row, outcome in zip(sendable, outcomes, strict=True):
            await self._mark(uow, row, outcome)
        return RunAgain() if len(rows) == s.sms_batch else len(going)

    async def _contents(self, uow: UnitOfWork, rows: list[SmsSend]) -> dict[uuid.UUID, SmsContent]:
        """Each row's text by its id: a journey's carries its own, a campaign's is the campaign's."""
        ids = {row.campaign_id for row in rows if row.content is None}
        shared = await uow.session.scalars(select(SmsContent).where(col(SmsContent.campaign_id).in_(ids)))
        by_campaign = {c.campaign_id: c for c in shared.all()}
        own = {
            row.id: SmsContent(campaign_id=row.campaign_id, **{**row.content, "kind": SmsKind(row.content["kind"])})
            for row in rows
            if row.content
        }
        return {row.id: own.get(row.id) or by_campaign[row.campaign_id] for row in rows}

    async def _allowed(
        self, uow: UnitOfWork, rows: list[SmsSend], contents: dict[uuid.UUID, SmsContent], now: dt.datetime
    ) -> list[SmsSend]:
        """The rows that go now: marketing texts wait out the recipient's quiet hours and stop at the cap."""
        cap = Cap(self.settings.sms_cap, self.settings.cap_days)
        marketing = [row for row in rows if contents[row.id].kind is SmsKind.MARKETING]
        already = await caps.received(uow, Channel.SMS, {r.contact_id for r in marketing}, cap.since(now), False)
        local = await zones(uow, {r.contact_id for r in marketing}, self.zone)
        going = []
        for row in rows:
            if contents[row.id].kind is SmsKind.MARKETING:
                if (due := not_before(now, local[row.contact_id])) != now:
                    row.next_attempt_at = due
                    continue
                if not cap.allows(already.get(row.contact_id, 0)):
                    row.status, row.last_error = SendStatus.SKIPPED, "frequency_cap"
                    continue
                already[row.contact_id] = already.get(row.contact_id, 0) + 1
            going.append(row)
        return going

    async def _text(self, uow: UnitOfWork, row: SmsSend, content: SmsContent) -> Text:
        contact = await uow.session.get(ContactRef, row.contact_id)
        campaign = await uow.session.get(Campaign, row.campaign_id)
        values = await recipient_values(uow, contact.name if contact else "", contact.account_id if contact else None)
        values.update(campaign={"name": campaign.name if campaign else ""})
        params = rules.fill(rules.compiled(content.params), values)
        phone = decrypt(row.phone_enc) or ""
        return Text(row.id, phone, rules.sign_name(content.signature), content.provider_code, params)

    async def send_now(self, text: Text) -> Outcome:
        """One text outside the outbox (a template's test): what the provider answered."""
        async with httpx.AsyncClient(timeout=10) as client:
            return await self._send(client, text)

    async def _send(self, client: httpx.AsyncClient, text: Text) -> Outcome:
        await self.limit.wait()
        request = self.provider.request(text, utcnow())
        try:
            response = await client.post(request.url, content=request.body, headers=request.headers)
        except httpx.HTTPError as exc:
            return Outcome(False, type(exc).__name__)
        return self.provider.outcome(response.status_code, response.content)

    async def _mark(self, uow: UnitOfWork, row: SmsSend, outcome: Outcome) -> None:
        s, now = self.settings, utcnow()
        row.attempts += 1
        if not outcome.accepted:
            row.last_error = outcome.code[:200]
            if outcome.permanent or row.attempts >= s.send_max_attempts:
                row.status = SendStatus.FAILED
                log.warning("a text was given up after %d attempts (%s)", row.attempts, outcome.code)
            else:
                wait = min(s.send_retry_seconds * 2 ** (row.attempts - 1), s.send_retry_max_seconds)
                row.next_attempt_at = now + dt.timedelta(seconds=wait)
            return
        row.status, row.sent_at, row.provider_id = SendStatus.SENT, now, outcome.provider_id
        await uow.session.execute(
            update(CampaignMember)
            .where(
                col(CampaignMember.campaign_id) == row.campaign_id,
                col(CampaignMember.contact_id) == row.contact_id,
                col(CampaignMember.status) == MemberStatus.TARGETED,
            )
            .values(status=MemberStatus.SENT, updated_at=now)
        )
        sent = events.MessageSent(
            id=row.id,
            campaign_id=row.campaign_id,
            contact_id=row.contact_id,
            channel="sms",
            at=now,
            message_id=outcome.provider_id or str(row.id),
        )
        await uow.publish(sent)
