"""The audit trail for administrators."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry
from strawberry.scalars import JSON

from crm_shared.errors import DomainError
from crm_shared.graphql import Connection, Info
from crm_shared.rows import from_row
from identity.audit import service as audit
from identity.audit.models import AuditRecord
from identity.audit.service import AuditFilter
from identity.graphql.types import User, user_view


@strawberry.type(description="One audited change, sign-in or denial.")
class AuditEntry:
    seq: int
    action: str
    entity_type: str
    entity_id: str | None
    changes: JSON = strawberry.field(description="Changed fields: {field: {before, after}}.")
    detail: JSON
    at: dt.datetime
    service: str
    on_behalf_of: str | None
    request_id: str | None = strawberry.field(description="The id the service gave the request.")
    client_request_id: str | None = strawberry.field(description="The X-Request-Id the client sent, if any.")
    trace_id: str | None
    actor_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def of(cls, row: AuditRecord) -> AuditEntry:
        return from_row(cls, row, seq=int(row.seq or 0))

    @strawberry.field
    async def actor(self, info: Info) -> User | None:
        if self.actor_id is None:
            return None
        try:
            return await user_view(info, self.actor_id)
        except DomainError:  # a service account or a since-removed user: the id stays in actorId
            return None


@strawberry.input
class AuditFilterInput:
    actor_id: strawberry.ID | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@strawberry.type
class AuditIntegrity:
    valid: bool
    checked: int
    first_broken_seq: int | None


@strawberry.type
class AuditQuery:
    @strawberry.field(description="Audit records, newest first (administrators).")
    async def audit_log(
        self, info: Info, filter: AuditFilterInput | None = None, first: int = 50, after: str | None = None
    ) -> Connection[AuditEntry]:
        f = filter or AuditFilterInput()
        criteria = AuditFilter(
            uuid.UUID(f.actor_id) if f.actor_id else None, f.entity_type, f.entity_id, f.action, f.since, f.until
        )
        async with info.context.uow() as uow:
            found = await audit.page(uow, info.context.principal, criteria, first, after)
        return Connection.of(found, AuditEntry.of)

    @strawberry.field(description="Recompute the hash chain: any edited or removed record breaks it.")
    async def audit_integrity(self, info: Info) -> AuditIntegrity:
        async with info.context.uow() as uow:
            valid, checked, broken = await audit.verify(uow, info.context.principal)
        return AuditIntegrity(valid=valid, checked=checked, first_broken_seq=broken)
