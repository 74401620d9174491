"""Saved views of the console's lists, kept per person."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry
from strawberry.scalars import JSON

from crm_shared.graphql import Info, gid
from crm_shared.rows import from_row
from customer.graphql.inputs import json_object, uid
from customer.graphql.types import User
from customer.saved_views import service as views
from customer.saved_views.models import SavedView as ViewRow


@strawberry.type(description="A named filter and sort of a list; shared ones are shown to the owner's unit.")
class SavedView:
    id: strawberry.ID
    list: str
    name: str
    filter: JSON = strawberry.field(description="As the list's `filter` argument takes it.")
    order_by: str | None
    shared: bool
    owner: User | None
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: ViewRow) -> SavedView:
        return from_row(
            cls, row, id=gid(row.id), list=row.list_key, shared=row.unit_id is not None, owner=User.ref(row.owner_id)
        )


@strawberry.input
class SaveViewInput:
    list: str = strawberry.field(description="The list the view belongs to: accounts.")
    name: str
    filter: JSON = strawberry.field(default_factory=dict)
    order_by: str | None = None
    shared: bool = strawberry.field(default=False, description="Show the view to everyone in the caller's unit.")
    id: strawberry.ID | None = strawberry.field(default=None, description="Replace this view of the caller's.")


@strawberry.type
class SavedViewQuery:
    @strawberry.field(description="The caller's saved views of a list and those shared with their unit.")
    async def saved_views(self, info: Info, list: str) -> list[SavedView]:
        async with info.context.uow() as uow:
            return [SavedView.of(v) for v in await views.listed(uow, info.context.principal, list)]


@strawberry.type
class SavedViewMutation:
    @strawberry.mutation(description="Save a view of a list (or replace one of the caller's by id).")
    async def save_view(self, info: Info, input: SaveViewInput) -> SavedView:
        data = views.ViewInput(
            input.list,
            input.name,
            json_object(input.filter, "filter") or {},
            input.order_by,
            input.shared,
            uid(input.id),
        )
        async with info.context.uow() as uow:
            return SavedView.of(await views.save(uow, info.context.principal, data))

    @strawberry.mutation(description="Delete one of the caller's saved views.")
    async def delete_view(self, info: Info, id: strawberry.ID) -> bool:
        async with info.context.uow() as uow:
            await views.delete(uow, info.context.principal, uuid.UUID(str(id)))
        return True
