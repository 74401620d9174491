"""A service's copy of identity's organisation tree, kept from `crm.identity.org_unit` events.

Support's escalation walks a ticket's manager chain up it, level by level, and an account's tickets are
read by the managers above its owner; marketing finds the managers above a budget's submitter who may
approve it."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import text
from sqlmodel import Field, SQLModel

from crm_contracts.identity import OrgUnitCreated, OrgUnitDeleted, OrgUnitSnapshot, OrgUnitUpdated
from crm_shared.auth.directory import once_a_request
from crm_shared.db import UnitOfWork, timestamp
from crm_shared.db.snapshots import keep_newer
from crm_shared.events.handlers import Handlers


class OrgUnitRef(SQLModel, table=True):
    __tablename__ = "org_unit_refs"

    id: uuid.UUID = Field(primary_key=True)
    parent_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    deleted: bool = False
    updated_at: dt.datetime = timestamp()


ORG = Handlers()


@ORG.on(OrgUnitCreated, OrgUnitUpdated, OrgUnitDeleted)
async def project_unit(uow: UnitOfWork, unit: OrgUnitSnapshot) -> None:
    """The whole snapshot; an older one arriving late changes nothing."""
    values = {
        "id": unit.id,
        "parent_id": unit.parent_id,
        "manager_id": unit.manager_id,
        "deleted": isinstance(unit, OrgUnitDeleted),
        "updated_at": unit.time,
    }
    await keep_newer(uow, OrgUnitRef, values)


async def managers_above(uow: UnitOfWork, unit_id: uuid.UUID | None, skip: uuid.UUID | None) -> list[uuid.UUID]:
    """The managers from `unit_id` up to the root, nearest first, each once, leaving out `skip` (the
    assignee or submitter)."""
    chain: list[uuid.UUID] = []
    seen: set[uuid.UUID] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        unit = await uow.session.get(OrgUnitRef, unit_id)
        if unit is None:
            break
        if unit.manager_id and unit.manager_id != skip and unit.manager_id not in chain and not unit.deleted:
            chain.append(unit.manager_id)
        unit_id = unit.parent_id
    return chain


_MANAGED = text(
    "WITH RECURSIVE managed AS (SELECT id FROM org_unit_refs WHERE manager_id = :user AND NOT deleted "
    "UNION SELECT u.id FROM org_unit_refs u JOIN managed m ON u.parent_id = m.id WHERE NOT u.deleted) "
    "SELECT id FROM managed"
)


async def managed_by(uow: UnitOfWork, user_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """The units `user_id` manages and every unit below them: where they are a manager above, read once a request."""

    async def read() -> frozenset[uuid.UUID]:
        return frozenset((await uow.session.scalars(_MANAGED, {"user": user_id})).all())

    return await once_a_request(("managed", user_id), read)
