"""Appending to the hash chain, and checking it: each record's hash covers its content and the previous hash.

Records are plain rows of the table here, not ORM objects: the consumer appends an import's thousands at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select, text

from crm_shared.db import UnitOfWork
from crm_shared.db.snapshots import table_of
from crm_shared.events import CloudEvent
from identity.audit.models import AuditRecord

GENESIS = "0" * 64
RECORDED = "audit.recorded"
_LOCK = text("SELECT pg_advisory_xact_lock(1096107081)")  # one appender at a time keeps the chain linear ("AUDI")
_TABLE = table_of(AuditRecord)
_LAST = select(_TABLE.c.hash).order_by(_TABLE.c.seq.desc()).limit(1)
_INSERT = insert(_TABLE)


def digest(prev_hash: str, record: Mapping[Any, Any]) -> str:
    content: dict[str, Any] = {
        "event_id": str(record["event_id"]),
        "actor_id": str(record["actor_id"]) if record["actor_id"] else None,
        "on_behalf_of": record["on_behalf_of"],
        "action": record["action"],
        "entity_type": record["entity_type"],
        "entity_id": record["entity_id"],
        "changes": record["changes"],
        "detail": record["detail"],
        "at": record["at"].astimezone(dt.UTC).isoformat(),
        "request_id": record["request_id"],
        "trace_id": record["trace_id"],
        "service": record["service"],
    }
    if record["client_request_id"] is not None:  # records written before it existed keep their hashes
        content["client_request_id"] = record["client_request_id"]
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _text(value: Any, limit: int) -> str | None:
    return str(value)[:limit] if value else None


async def append(uow: UnitOfWork, events: list[CloudEvent]) -> None:
    """Consumer handler for `audit.recorded` on crm.audit, taking a fetched batch at once: the lock taken and
    the chain's end read once, the records linked in their order and written in one statement (its rows take
    their sequence numbers in that order)."""
    records = [record(event) for event in events if event.type == RECORDED]
    if not records:
        return
    await uow.session.execute(_LOCK)
    prev = await uow.session.scalar(_LAST) or GENESIS
    for row in records:
        row["prev_hash"] = prev
        row["hash"] = prev = digest(prev, row)
    await uow.session.execute(_INSERT, records)


def record(event: CloudEvent) -> dict[str, Any]:
    """The audit record of an `audit.recorded` envelope, not yet linked."""
    data = event.data
    return {
        "event_id": uuid.UUID(event.id),
        "actor_id": _uuid(data.get("actorId")),
        "on_behalf_of": data.get("onBehalfOf"),
        "action": str(data["action"])[:100],
        "entity_type": str(data["entityType"])[:100],
        "entity_id": data.get("entityId"),
        "changes": data.get("changes") or {},
        "detail": data.get("detail") or {},
        "at": dt.datetime.fromisoformat(data["at"]),
        "request_id": _text(data.get("requestId"), 100),
        "client_request_id": _text(data.get("clientRequestId"), 64),
        "trace_id": data.get("traceId"),
        "service": str(data.get("service") or event.source.rsplit("/", 1)[-1])[:50],
    }


async def verify(uow: UnitOfWork, batch: int = 5000) -> tuple[bool, int, int | None]:
    """Walk the chain from the start: (intact, records checked, first broken sequence number)."""
    prev, checked, after = GENESIS, 0, 0
    while True:
        page = select(_TABLE).where(_TABLE.c.seq > after).order_by(_TABLE.c.seq).limit(batch)
        rows = (await uow.session.execute(page)).mappings().all()
        if not rows:
            return True, checked, None
        for row in rows:
            if row["prev_hash"] != prev or digest(prev, row) != row["hash"]:
                return False, checked, row["seq"]
            prev, checked, after = row["hash"], checked + 1, row["seq"]
