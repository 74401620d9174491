"""The organisation tree: queries and mutations."""

from __future__ import annotations

import uuid

import strawberry

from crm_shared.graphql import Info
from identity.graphql.types import OrgUnit
from identity.org import service as org
from identity.org.service import UNSET, UnitInput


@strawberry.input
class CreateOrgUnitInput:
    name: str
    kind: str = "team"
    parent_id: strawberry.ID | None = None
    manager_id: strawberry.ID | None = None


@strawberry.input
class UpdateOrgUnitInput:
    name: str | None = None
    kind: str | None = None
    parent_id: strawberry.ID | None = strawberry.UNSET
    manager_id: strawberry.ID | None = strawberry.UNSET


def _id(value: strawberry.ID | None) -> uuid.UUID | object | None:
    if value is strawberry.UNSET:
        return UNSET
    return uuid.UUID(value) if value else None


@strawberry.type
class OrgQuery:
    @strawberry.field(description="Every unit, parents before children.")
    async def org_units(self, info: Info) -> list[OrgUnit]:
        async with info.context.uow() as uow:
            return [OrgUnit.of(u) for u in await org.list_units(uow, info.context.principal)]


@strawberry.type
class OrgMutation:
    @strawberry.mutation
    async def create_org_unit(self, info: Info, input: CreateOrgUnitInput) -> OrgUnit:
        data = UnitInput(input.name, input.kind, _id(input.parent_id), _id(input.manager_id))
        async with info.context.uow() as uow:
            return OrgUnit.of(await org.create(uow, info.context.principal, data))

    @strawberry.mutation(description="Rename, re-parent (the subtree moves along) or change the manager.")
    async def update_org_unit(self, info: Info, id: strawberry.ID, input: UpdateOrgUnitInput) -> OrgUnit:
        data = UnitInput(input.name, input.kind, _id(input.parent_id), _id(input.manager_id))
        async with info.context.uow() as uow:
            return OrgUnit.of(await org.update(uow, info.context.principal, uuid.UUID(id), data))

    @strawberry.mutation(description="Delete an empty unit (no sub-units, no members).")
    async def delete_org_unit(self, info: Info, id: strawberry.ID) -> bool:
        async with info.context.uow() as uow:
            await org.delete(uow, info.context.principal, uuid.UUID(id))
        return True
