"""Reading the audit log: administrators filter by actor, entity, action and time, newest first."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from crm_shared.auth import Principal
from crm_shared.db import Database
from crm_shared.graphql.connection import check_page_size, decode_cursor
from identity.audit import chain
from identity.audit.models import AuditRecord


@dataclass(frozen=True)
class AuditFilter:
    actor_id: uuid.UUID | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


class AuditService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def page(
        self, principal: Principal, filter: AuditFilter, first: int, after: str | None
    ) -> tuple[list[AuditRecord], int]:
        principal.require("identity:audit:read")
        check_page_size(first)
        query = select(AuditRecord)
        for column, value in (
            (AuditRecord.actor_id, filter.actor_id),
            (AuditRecord.entity_type, filter.entity_type),
            (AuditRecord.entity_id, filter.entity_id),
            (AuditRecord.action, filter.action),
        ):
            if value is not None:
                query = query.where(column == value)
        if filter.since:
            query = query.where(AuditRecord.at >= filter.since)
        if filter.until:
            query = query.where(AuditRecord.at < filter.until)
        async with self.db.read() as session:
            total = await session.scalar(select(func.count()).select_from(query.subquery()))
            if after:
                (seq,) = decode_cursor(after, 1)
                query = query.where(AuditRecord.seq < int(seq))  # type: ignore[operator]
            rows = await session.scalars(query.order_by(AuditRecord.seq.desc()).limit(first + 1))  # type: ignore[union-attr]
            return list(rows.all()), int(total or 0)

    async def verify(self, principal: Principal) -> tuple[bool, int, int | None]:
        principal.require("identity:audit:read")
        async with self.db.unit_of_work() as uow:
            return await chain.verify(uow)
