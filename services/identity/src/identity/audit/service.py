"""Reading the audit log: administrators filter by actor, entity, action and time, newest first."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from crm_shared.db.pages import Order, Page
from identity.audit import chain
from identity.audit.models import AuditRecord
from identity.repository import Unscoped


@dataclass(frozen=True)
class AuditFilter:
    actor_id: uuid.UUID | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


class AuditLog(Unscoped[AuditRecord]):
    model = AuditRecord
    resource = "identity:audit"


async def page(
    uow: UnitOfWork, principal: Principal, filter: AuditFilter, first: int, after: str | None
) -> Page[AuditRecord]:
    principal.require("identity:audit:read")
    where = [
        column == value
        for column, value in (
            (col(AuditRecord.actor_id), filter.actor_id),
            (col(AuditRecord.entity_type), filter.entity_type),
            (col(AuditRecord.entity_id), filter.entity_id),
            (col(AuditRecord.action), filter.action),
        )
        if value is not None
    ]
    if filter.since:
        where.append(col(AuditRecord.at) >= filter.since)
    if filter.until:
        where.append(col(AuditRecord.at) < filter.until)
    log = AuditLog(uow, principal)
    return await log.page(await log.select(*where), Order.by(col(AuditRecord.seq), descending=True), first, after)


async def verify(uow: UnitOfWork, principal: Principal) -> tuple[bool, int, int | None]:
    principal.require("identity:audit:read")
    return await chain.verify(uow)
