"""The organisation tree: units, their managers, moves that keep every path correct."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import required_text
from identity.events import (
    OrgUnitCreated,
    OrgUnitDeleted,
    OrgUnitSnapshot,
    OrgUnitUpdated,
    UserUpdated,
    user_event,
)
from identity.org.models import OrgUnit, UnitKind
from identity.org.repository import OrgUnits
from identity.roles.grants import permitted
from identity.users.models import User
from identity.users.repository import Users

UNSET: Any = object()


@dataclass
class UnitInput:
    name: str | None = None
    kind: str | None = None
    parent_id: Any = UNSET  # uuid.UUID | None, or UNSET to leave unchanged
    manager_id: Any = UNSET


async def list_units(uow: UnitOfWork, principal: Principal) -> list[OrgUnit]:
    principal.require("identity:org_unit:read")
    return await OrgUnits(uow).tree()


async def get(uow: UnitOfWork, principal: Principal, unit_id: uuid.UUID) -> OrgUnit:
    return await OrgUnits(uow, principal).get(unit_id)


async def create(uow: UnitOfWork, principal: Principal | None, data: UnitInput) -> OrgUnit:
    if principal is not None:
        principal.require("identity:org_unit:create")
    unit = OrgUnit(
        id=uuid.uuid4(), name=required_text(data.name, "name", 200), kind=_kind(data.kind or UnitKind.TEAM), path=[]
    )
    unit.place_under(await _parent(uow, None if data.parent_id is UNSET else data.parent_id))
    unit.manager_id = await _manager(uow, None if data.manager_id is UNSET else data.manager_id)
    uow.session.add(unit)
    await uow.flush()
    await audit.published(uow, OrgUnitCreated.of(unit), "OrgUnit", unit.id, actor=principal)
    return unit


async def update(uow: UnitOfWork, principal: Principal | None, unit_id: uuid.UUID, data: UnitInput) -> OrgUnit:
    unit = await OrgUnits(uow, principal).get(unit_id, "update", lock=True)
    before = OrgUnitSnapshot.of(unit).data()
    if data.name is not None:
        unit.name = required_text(data.name, "name", 200)
    if data.kind is not None:
        unit.kind = _kind(data.kind)
    if data.manager_id is not UNSET:
        unit.manager_id = await _manager(uow, data.manager_id)
    if data.parent_id is not UNSET and data.parent_id != unit.parent_id:
        await _move(uow, unit, data.parent_id)
    unit.updated_at = utcnow()
    await audit.published(uow, OrgUnitUpdated.of(unit), "OrgUnit", unit.id, before, actor=principal)
    return unit


async def delete(uow: UnitOfWork, principal: Principal, unit_id: uuid.UUID) -> None:
    units = OrgUnits(uow, principal)
    unit = await units.get(unit_id, "delete", lock=True)
    if await units.children(unit_id) or await Users(uow).in_unit(unit_id):
        raise Conflict("unit_not_empty")
    await uow.session.delete(unit)
    await _subtrees_changed(uow, unit.path[:-1])
    deleted = OrgUnitDeleted.of(unit)
    await uow.publish(deleted)
    await audit.record(uow, "org_unit.deleted", "OrgUnit", unit.id, deleted.data(), None)


async def _move(uow: UnitOfWork, unit: OrgUnit, parent_id: uuid.UUID | None) -> None:
    parent = await _parent(uow, parent_id)
    if parent is not None and unit.id in parent.path:
        raise BadInput("unit_cycle", field="parentId")
    ancestors = list(parent.path) if parent else []
    depth = len(unit.path) - 1
    await _subtrees_changed(uow, [*unit.path[:depth], *ancestors])
    unit.parent_id = parent.id if parent else None
    for member in await OrgUnits(uow).subtree(unit.id):  # re-root every path below the moved unit
        member.path = [*ancestors, *member.path[depth:]]


async def _subtrees_changed(uow: UnitOfWork, unit_ids: list[uuid.UUID]) -> None:
    """The units' subtrees changed: their users' tokens carry the old ones (`units`) and stop counting."""
    for user in await Users(uow).in_units(unit_ids):
        user.grants_changed(utcnow())
        await uow.publish(user_event(UserUpdated, user, await permitted(uow, user.roles)))


async def _parent(uow: UnitOfWork, parent_id: uuid.UUID | None) -> OrgUnit | None:
    """The unit to hang one below; none only for the first unit: the company is the tree's one root."""
    if parent_id is None:
        # two first units created at once would both find no root: one waits for the other to commit
        await uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('identity:org-root'))"))
        if await OrgUnits(uow).has_root():
            raise BadInput("unit_parent_required", field="parentId")
        return None
    parent = await uow.session.get(OrgUnit, parent_id)
    if parent is None:
        raise BadInput("unknown_unit", field="parentId")
    return parent


async def _manager(uow: UnitOfWork, manager_id: uuid.UUID | None) -> uuid.UUID | None:
    if manager_id is not None and await uow.session.get(User, manager_id) is None:
        raise BadInput("unknown_user", field="managerId")
    return manager_id


def _kind(kind: str) -> UnitKind:
    if kind not in UnitKind.__members__.values():
        raise BadInput("one_of", field="kind", choices=", ".join(UnitKind))
    return UnitKind(kind)
