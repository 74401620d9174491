"""Appending to the hash chain, and checking it: each record's hash covers its content and the previous hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from sqlalchemy import select, text
from sqlmodel import col

from crm_shared.db import UnitOfWork
from crm_shared.events import CloudEvent
from identity.audit.models import AuditRecord

GENESIS = "0" * 64
_LOCK = 0x41554449  # one appender at a time keeps the chain linear


def digest(prev_hash: str, record: AuditRecord) -> str:
    content: dict[str, Any] = {
        "event_id": str(record.event_id),
        "actor_id": str(record.actor_id) if record.actor_id else None,
        "on_behalf_of": record.on_behalf_of,
        "action": record.action,
        "entity_type": record.entity_type,
        "entity_id": record.entity_id,
        "changes": record.changes,
        "detail": record.detail,
        "at": record.at.astimezone(dt.UTC).isoformat(),
        "request_id": record.request_id,
        "trace_id": record.trace_id,
        "service": record.service,
    }
    if record.client_request_id is not None:  # records written before it existed keep their hashes
        content["client_request_id"] = record.client_request_id
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _text(value: Any, limit: int) -> str | None:
    return str(value)[:limit] if value else None


async def append(uow: UnitOfWork, event: CloudEvent) -> None:
    """Consumer handler for `audit.recorded` on crm.audit."""
    data = event.data
    await uow.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK})
    last = await uow.session.scalar(select(col(AuditRecord.hash)).order_by(col(AuditRecord.seq).desc()).limit(1))
    record = AuditRecord(
        event_id=uuid.UUID(event.id),
        actor_id=_uuid(data.get("actorId")),
        on_behalf_of=data.get("onBehalfOf"),
        action=str(data["action"])[:100],
        entity_type=str(data["entityType"])[:100],
        entity_id=data.get("entityId"),
        changes=data.get("changes") or {},
        detail=data.get("detail") or {},
        at=dt.datetime.fromisoformat(data["at"]),
        request_id=_text(data.get("requestId"), 100),
        client_request_id=_text(data.get("clientRequestId"), 64),
        trace_id=data.get("traceId"),
        service=str(data.get("service") or event.source.rsplit("/", 1)[-1])[:50],
        prev_hash=last or GENESIS,
        hash="",
    )
    record.hash = digest(record.prev_hash, record)
    uow.session.add(record)


async def verify(uow: UnitOfWork, batch: int = 5000) -> tuple[bool, int, int | None]:
    """Walk the chain from the start: (intact, records checked, first broken sequence number)."""
    prev, checked, after = GENESIS, 0, 0
    while True:
        rows = (
            await uow.session.scalars(
                select(AuditRecord).where(col(AuditRecord.seq) > after).order_by(col(AuditRecord.seq)).limit(batch)
            )
        ).all()
        if not rows:
            return True, checked, None
        for record in rows:
            if record.prev_hash != prev or digest(prev, record) != record.hash:
                return False, checked, record.seq
            prev, checked, after = record.hash, checked + 1, int(record.seq or 0)
