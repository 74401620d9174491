"""A service's copy of identity's organisation tree, kept from `crm.identity.org_unit` events.

Support's escalation walks a ticket's manager chain up it, level by level; marketing finds the
managers above a budget's submitter who may approve it."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from crm_contracts.identity import OrgUnitCreated, OrgUnitDeleted, OrgUnitSnapshot, OrgUnitUpdated
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
