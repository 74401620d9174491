"""The organisation tree: units, their managers, moves that keep every path correct."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from identity.events import ORG_TOPIC, org_event, unit_snapshot
from identity.org.models import OrgUnit
from identity.users.models import User

KINDS = ("company", "department", "team")
_UNSET: Any = object()


@dataclass
class UnitInput:
    name: str | None = None
    kind: str | None = None
    parent_id: Any = _UNSET  # uuid.UUID | None, or _UNSET to leave unchanged
    manager_id: Any = _UNSET


async def subtree_ids(session: object, unit_id: uuid.UUID) -> list[uuid.UUID]:
    """The unit and every unit below it."""
    rows = await session.scalars(select(OrgUnit.id).where(OrgUnit.path.contains([unit_id])))  # type: ignore[attr-defined,union-attr]
    return list(rows.all())


class OrgService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def all(self, principal: Principal) -> list[OrgUnit]:
        principal.require("identity:org_unit:read")
        async with self.db.read() as session:
            rows = await session.scalars(select(OrgUnit).order_by(func.cardinality(OrgUnit.path), OrgUnit.name))
            return list(rows.all())

    async def get(self, principal: Principal, unit_id: uuid.UUID) -> OrgUnit:
        principal.require("identity:org_unit:read")
        async with self.db.read() as session:
            unit = await session.get(OrgUnit, unit_id)
        if unit is None:
            raise NotFound(entity="OrgUnit")
        return unit

    async def create(self, principal: Principal | None, data: UnitInput) -> OrgUnit:
        if principal is not None:
            principal.require("identity:org_unit:create")
        name = _name(data.name)
        kind = _kind(data.kind or "team")
        async with self.db.unit_of_work() as uow:
            unit = OrgUnit(id=uuid.uuid4(), name=name, kind=kind, path=[])
            parent = await self._parent(uow, data.parent_id if data.parent_id is not _UNSET else None)
            unit.parent_id = parent.id if parent else None
            unit.path = [*(parent.path if parent else []), unit.id]
            unit.manager_id = await self._manager(uow, data.manager_id if data.manager_id is not _UNSET else None)
            uow.session.add(unit)
            await uow.flush()
            await uow.emit(ORG_TOPIC, org_event("org_unit.created", unit))
            await audit.record(uow, "org_unit.created", "OrgUnit", unit.id, None, unit_snapshot(unit), actor=principal)
        return unit

    async def update(self, principal: Principal | None, unit_id: uuid.UUID, data: UnitInput) -> OrgUnit:
        if principal is not None:
            principal.require("identity:org_unit:update")
        async with self.db.unit_of_work() as uow:
            unit = await uow.session.get(OrgUnit, unit_id, with_for_update=True)
            if unit is None:
                raise NotFound(entity="OrgUnit")
            before = unit_snapshot(unit)
            if data.name is not None:
                unit.name = _name(data.name)
            if data.kind is not None:
                unit.kind = _kind(data.kind)
            if data.manager_id is not _UNSET:
                unit.manager_id = await self._manager(uow, data.manager_id)  # type: ignore[arg-type]
            if data.parent_id is not _UNSET and data.parent_id != unit.parent_id:
                await self._move(uow, unit, data.parent_id)  # type: ignore[arg-type]
            unit.updated_at = utcnow()
            await uow.emit(ORG_TOPIC, org_event("org_unit.updated", unit))
            await audit.record(
                uow, "org_unit.updated", "OrgUnit", unit.id, before, unit_snapshot(unit), actor=principal
            )
        return unit

    async def delete(self, principal: Principal, unit_id: uuid.UUID) -> None:
        principal.require("identity:org_unit:delete")
        async with self.db.unit_of_work() as uow:
            unit = await uow.session.get(OrgUnit, unit_id, with_for_update=True)
            if unit is None:
                raise NotFound(entity="OrgUnit")
            children = await uow.session.scalar(select(func.count()).where(OrgUnit.parent_id == unit_id))
            members = await uow.session.scalar(select(func.count()).where(User.org_unit_id == unit_id))
            if children or members:
                raise Conflict("unit_not_empty")
            await uow.session.delete(unit)
            await uow.emit(ORG_TOPIC, org_event("org_unit.deleted", unit))
            await audit.record(uow, "org_unit.deleted", "OrgUnit", unit.id, unit_snapshot(unit), None)

    async def _move(self, uow: UnitOfWork, unit: OrgUnit, parent_id: uuid.UUID | None) -> None:
        parent = await self._parent(uow, parent_id)
        if parent is not None and unit.id in parent.path:
            raise BadInput("unit_cycle", field="parentId")
        ancestors = list(parent.path) if parent else []
        depth = len(unit.path) - 1
        unit.parent_id = parent.id if parent else None
        subtree = await uow.session.scalars(select(OrgUnit).where(OrgUnit.path.contains([unit.id])))  # type: ignore[attr-defined]
        for member in subtree.all():  # re-root every path below the moved unit
            member.path = [*ancestors, *member.path[depth:]]

    async def _parent(self, uow: UnitOfWork, parent_id: uuid.UUID | None) -> OrgUnit | None:
        if parent_id is None:
            return None
        parent = await uow.session.get(OrgUnit, parent_id)
        if parent is None:
            raise BadInput("unknown_unit", field="parentId")
        return parent

    async def _manager(self, uow: UnitOfWork, manager_id: uuid.UUID | None) -> uuid.UUID | None:
        if manager_id is not None and await uow.session.get(User, manager_id) is None:
            raise BadInput("unknown_user", field="managerId")
        return manager_id


def _name(name: str | None) -> str:
    if name is None or not name.strip() or len(name.strip()) > 200:
        raise BadInput(field="name", reason="1-200 characters")
    return name.strip()


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise BadInput(field="kind", reason="company, department or team")
    return kind
