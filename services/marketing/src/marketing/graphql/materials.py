"""Marketing materials: the inventory and its issues to campaigns. Thin, calls the service layer."""

from __future__ import annotations

import datetime as dt

import strawberry

from crm_shared.graphql import Info
from marketing.graphql.types import User, optional_uid, uid
from marketing.materials import service as materials
from marketing.materials.models import Material as MaterialRow
from marketing.materials.models import MaterialIssue as IssueRow
from marketing.materials.models import MaterialKind

strawberry.enum(MaterialKind, name="MaterialKind")


@strawberry.type(description="Materials handed to a campaign, and the cost it bore.")
class MaterialIssue:
    id: strawberry.ID
    campaign_id: strawberry.ID
    quantity: int
    unit_cost: str
    cost: str
    note: str
    issued_by: User | None
    issued_at: dt.datetime

    @classmethod
    def of(cls, row: IssueRow) -> MaterialIssue:
        return cls(
            id=strawberry.ID(str(row.id)),
            campaign_id=strawberry.ID(str(row.campaign_id)),
            quantity=row.quantity,
            unit_cost=f"{row.unit_cost:.2f}",
            cost=f"{row.unit_cost * row.quantity:.2f}",
            note=row.note,
            issued_by=User.ref(row.issued_by),
            issued_at=row.issued_at,
        )


@strawberry.type(description="A brochure or gift (宣传品) in stock.")
class Material:
    id: strawberry.ID
    name: str
    kind: MaterialKind
    unit: str
    stock: int
    unit_cost: str
    currency: str
    description: str
    row: strawberry.Private[MaterialRow]

    @classmethod
    def of(cls, row: MaterialRow) -> Material:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            kind=row.kind,
            unit=row.unit,
            stock=row.stock,
            unit_cost=f"{row.unit_cost:.2f}",
            currency=row.currency,
            description=row.description,
            row=row,
        )

    @strawberry.field(description="The latest 50 issues, newest first.")
    async def issues(self, info: Info) -> list[MaterialIssue]:
        async with info.context.uow() as uow:
            return [MaterialIssue.of(r) for r in await materials.issues(uow, self.row.id)]


@strawberry.input
class MaterialInput:
    name: str
    kind: MaterialKind
    unit_cost: str = strawberry.field(description='A decimal string, e.g. "12.50".')
    unit: str = "件"
    description: str | None = None
    currency: str = "CNY"


@strawberry.type
class Query:
    @strawberry.field(description="The materials inventory, by name.")
    async def materials(self, info: Info) -> list[Material]:
        async with info.context.uow() as uow:
            return [Material.of(r) for r in await materials.listed(uow, info.context.principal)]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a material (with no stock), or with `id` change what it is and costs.")
    async def save_material(self, info: Info, input: MaterialInput, id: strawberry.ID | None = None) -> Material:
        data = materials.MaterialInput(
            input.name, input.kind, input.unit_cost, input.unit, input.description, input.currency
        )
        async with info.context.uow() as uow:
            return Material.of(await materials.save(uow, info.context.principal, optional_uid(id), data))

    @strawberry.mutation(description="Add received stock.")
    async def restock_material(self, info: Info, id: strawberry.ID, quantity: int) -> Material:
        async with info.context.uow() as uow:
            return Material.of(await materials.restock(uow, info.context.principal, uid(id), quantity))

    @strawberry.mutation(
        description="Issue materials to a campaign: the stock goes down and the campaign records their cost."
    )
    async def issue_material(
        self, info: Info, id: strawberry.ID, campaign_id: strawberry.ID, quantity: int, note: str | None = None
    ) -> Material:
        principal = info.context.principal
        async with info.context.uow() as uow:
            await materials.issue(uow, principal, uid(id), uid(campaign_id), quantity, note)
            return Material.of(await materials.get(uow, principal, uid(id)))
