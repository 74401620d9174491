"""Canned responses over GraphQL."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry

from crm_shared.graphql import Info
from support.macros import service as macros
from support.macros.models import Macro as MacroRow


@strawberry.type(description="A canned response; merge fields such as {{contact.name}} are filled in per ticket.")
class Macro:
    id: strawberry.ID
    name: str
    body: str
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: MacroRow) -> Macro:
        return cls(id=strawberry.ID(str(row.id)), name=row.name, body=row.body, updated_at=row.updated_at)


@strawberry.input
class MacroInput:
    name: str
    body: str


@strawberry.type
class Query:
    @strawberry.field
    async def macros(self, info: Info) -> list[Macro]:
        async with info.context.uow() as uow:
            return [Macro.of(m) for m in await macros.listed(uow, info.context.principal)]

    @strawberry.field(description="The merge fields a macro may use.")
    def macro_fields(self, info: Info) -> list[str]:
        return list(macros.merge_fields(info.context.principal))

    @strawberry.field(description="The macro filled in for a ticket the caller works on.")
    async def render_macro(self, info: Info, id: strawberry.ID, ticket_id: strawberry.ID) -> str:
        async with info.context.uow() as uow:
            return await macros.render(uow, info.context.principal, uuid.UUID(str(id)), uuid.UUID(str(ticket_id)))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def save_macro(self, info: Info, input: MacroInput, id: strawberry.ID | None = None) -> Macro:
        macro_id = uuid.UUID(str(id)) if id is not None else None
        async with info.context.uow() as uow:
            return Macro.of(await macros.save(uow, info.context.principal, macro_id, input.name, input.body))

    @strawberry.mutation
    async def delete_macro(self, info: Info, id: strawberry.ID) -> bool:
        async with info.context.uow() as uow:
            await macros.delete(uow, info.context.principal, uuid.UUID(str(id)))
        return True
