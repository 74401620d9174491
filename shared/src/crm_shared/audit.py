"""Audit records: every change, login and denial, sent through the outbox to topic `crm.audit`.

Identity consumes the topic into its append-only, hash-chained audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from crm_shared.auth.principal import Principal
from crm_shared.context import client_request_id, current_principal, request_id
from crm_shared.db.engine import Database, UnitOfWork
from crm_shared.events.envelope import CloudEvent, new_event
from crm_shared.events.model import Event
from crm_shared.telemetry import current_trace_id

AUDIT_TOPIC = "crm.audit"


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Only the fields that changed, each with its value before and after."""
    before, after = before or {}, after or {}
    return {
        key: {"before": _plain(before.get(key)), "after": _plain(after.get(key))}
        for key in sorted({*before, *after})
        if before.get(key) != after.get(key)
    }


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID | dt.datetime | dt.date):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


async def record(
    uow: UnitOfWork,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | str | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Principal | None = None,
    actor_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Write one audit record in the caller's transaction (so it exists exactly when the change does)."""
    await uow.emit(AUDIT_TOPIC, _entry(uow, action, entity_type, entity_id, before, after, actor, actor_id, detail))


async def published(
    uow: UnitOfWork,
    event: Event,
    entity_type: str,
    entity_id: uuid.UUID | str,
    before: dict[str, Any] | None = None,
    **options: Any,
) -> None:
    """Publish a change's event and audit it under the event's type, the event's data being the state after."""
    await uow.publish(event)
    await record(uow, event.type, entity_type, entity_id, before, event.data(), **options)


async def record_many(
    uow: UnitOfWork,
    action: str,
    entity_type: str,
    created: list[tuple[uuid.UUID, dict[str, Any]]],
    actor: Principal | None = None,
    actor_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """One record per created entity, written in one INSERT (bulk imports)."""
    entries = [_entry(uow, action, entity_type, i, None, after, actor, actor_id, detail) for i, after in created]
    await uow.emit_many(AUDIT_TOPIC, entries)


def _entry(
    uow: UnitOfWork,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | str | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: Principal | None,
    actor_id: uuid.UUID | None,
    detail: dict[str, Any] | None,
) -> CloudEvent:
    who = actor or current_principal.get()
    subject = str(entity_id) if entity_id is not None else None
    data: dict[str, Any] = {
        "actorId": str(actor_id or (who.user_id if who else "")) or None,
        "onBehalfOf": who.on_behalf_of if who else None,
        "action": action,
        "entityType": entity_type,
        "entityId": subject,
        "changes": changes(before, after),
        "detail": detail or {},
        "at": dt.datetime.now(dt.UTC).isoformat(),
        "requestId": request_id.get() or None,
        "clientRequestId": client_request_id.get(),
        "traceId": current_trace_id(),
        "service": uow.source.rsplit("/", 1)[-1],
    }
    return new_event(uow.source, "audit.recorded", subject or "-", data)


async def record_alone(db: Database, action: str, entity_type: str, entity_id: Any, **kwargs: Any) -> None:
    """An audit record that must persist although the request itself fails (failed login, denial)."""
    async with db.unit_of_work() as uow:
        await record(uow, action, entity_type, entity_id, **kwargs)


async def denied(db: Database, principal: Principal | None, detail: dict[str, Any]) -> None:
    """Audit a permission denial; never lets the audit write mask the original error."""
    if principal is None:
        return
    try:
        await record_alone(db, "auth.denied", "Permission", detail.get("permission"), actor=principal, detail=detail)
    except Exception:
        logging.getLogger(__name__).exception("could not audit a permission denial")
