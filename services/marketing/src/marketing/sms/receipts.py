"""What the SMS provider pushes back: delivery receipts for sent texts and subscribers' replies.

Both arrive as the provider's JSON lists (Aliyun's SmsReport and SmsUp fields, Tencent's callback fields)
on public routes whose body is signed with the shared callback secret. A receipt names the send by its
`out_id` (our row id) or the provider's id; a reply of 退订, T or TD records an SMS opt-out for every
contact with that number.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import uuid
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import col

from crm_shared.crypto import lookup_hash
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Unauthenticated
from crm_shared.validate import phone
from marketing import events
from marketing.audience import ContactRef
from marketing.consent.rules import Channel
from marketing.consent.service import add_record
from marketing.sms import rules
from marketing.sms.models import SmsSend

DELIVERED = ("DELIVERED", "DELIVRD", "SUCCESS")


def verify(secret: str, body: bytes, signature: str | None) -> None:
    """The push is ours only with the hex HMAC-SHA256 of its body under the callback secret."""
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected.encode(), signature.encode()):  # any header, never a 500
        raise Unauthenticated("sms_callback_signature")


def _items(document: Any) -> list[dict[str, Any]]:
    items = document if isinstance(document, list) else [document]
    if not all(isinstance(item, dict) for item in items):
        raise BadInput("sms_callback_body", field="body")
    return items


async def report(uow: UnitOfWork, document: Any) -> int:
    """Record each receipt on its text; returns how many texts were found."""
    found = 0
    for item in _items(document):
        out_id, provider_id = str(item.get("out_id") or ""), str(item.get("biz_id") or item.get("sid") or "")
        keys = [col(SmsSend.provider_id) == provider_id] if provider_id else []
        with contextlib.suppress(ValueError):
            keys.append(col(SmsSend.id) == uuid.UUID(out_id))
        row = await uow.session.scalar(select(SmsSend).where(or_(*keys)).with_for_update()) if keys else None
        if row is None:
            continue
        found += 1
        code = str(item.get("err_code") or item.get("errmsg") or item.get("report_status") or "")
        ok = item.get("success") is True or str(item.get("report_status") or "").upper() == "SUCCESS"
        row.report = (code or ("DELIVERED" if ok else "FAILED"))[:50]
        if ok and row.delivered_at is None:
            row.delivered_at = now = utcnow()
            await uow.publish(
                events.MessageDelivered(
                    id=row.id, campaign_id=row.campaign_id, contact_id=row.contact_id, channel="sms", at=now
                )
            )
    return found


async def replies(uow: UnitOfWork, document: Any) -> int:
    """Opt out the contacts who replied 退订, T or TD; returns how many contacts opted out."""
    opted = 0
    for item in _items(document):
        content = str(item.get("content") or item.get("text") or "")
        number = str(item.get("phone_number") or item.get("mobile") or "")
        if not rules.opts_out(content) or not number:
            continue
        digits = phone(number, "phone_number")
        contacts = await uow.session.scalars(
            select(ContactRef).where(col(ContactRef.phone_hash) == lookup_hash(digits or ""))
        )
        for contact in contacts.all():
            await add_record(uow, contact.id, Channel.SMS, False, "sms_reply", content.strip()[:500])
            opted += 1
    return opted
