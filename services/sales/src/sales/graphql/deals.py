"""Pipeline, opportunity, product, quote and contract operations: thin, each one call into the service layer."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry

from crm_shared.graphql import Connection, Info
from sales.commands import command, uid
from sales.contracts.models import ContractStatus
from sales.graphql.inputs import (
    CreateContractInput,
    CreateOpportunityInput,
    CreatePipelineInput,
    CreatePriceBookInput,
    CreateQuoteInput,
    LineItemInput,
    OpportunityFilter,
    ProductInputFields,
    StageFields,
    UpdateOpportunityInput,
)
from sales.graphql.types import (
    Contract,
    Opportunity,
    Order,
    Pipeline,
    PriceBook,
    Product,
    Quote,
    Stage,
    StageTotal,
    from_row,
    listed,
    services,
)
from sales.pipeline import service as pipelines
from sales.pipeline.service import StageInput
from sales.products.models import PriceBook as PriceBookRow


def _id(value: strawberry.ID) -> uuid.UUID:
    return uuid.UUID(str(value))


def price_book(r: PriceBookRow) -> PriceBook:
    return from_row(PriceBook, r)


@strawberry.type
class AcceptedQuote:
    quote: Quote
    order: Order


@strawberry.type
class Query:
    @strawberry.field
    async def pipelines(self, info: Info) -> list[Pipeline]:
        async with info.context.uow() as uow:
            return [
                Pipeline(
                    id=strawberry.ID(str(p.id)),
                    name=p.name,
                    is_default=p.is_default,
                    stages=[Stage.of(s) for s in stages],
                    unit_id=strawberry.ID(str(p.unit_id)) if p.unit_id else None,
                )
                for p, stages in await pipelines.listed(uow, info.context.principal)
            ]

    @strawberry.field(
        description="The open opportunities the caller may see, one person's or all, counted and summed per stage."
    )
    async def open_pipeline(self, info: Info, owner_id: strawberry.ID | None = None) -> list[StageTotal]:
        async with info.context.uow() as uow:
            totals = await services(info).opportunities.open_by_stage(uow, info.context.principal, uid(owner_id))
        return [StageTotal(stage=Stage.of(t.stage), count=t.count, amount_base=str(t.amount_base)) for t in totals]

    @strawberry.field(description="Opportunities the caller may see, newest first.")
    async def opportunities(
        self, info: Info, filter: OpportunityFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Opportunity]:
        return await listed(
            info,
            services(info).opportunities.page,
            Opportunity.of,
            (filter or OpportunityFilter()).command(),
            first,
            after,
        )

    @strawberry.field
    async def opportunity(self, info: Info, id: strawberry.ID) -> Opportunity:
        async with info.context.uow() as uow:
            return Opportunity.of(await services(info).opportunities.get(uow, info.context.principal, _id(id)))

    @strawberry.field
    async def products(
        self,
        info: Info,
        search: str | None = None,
        active: bool | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Product]:
        return await listed(info, services(info).products.page, Product.of, search, active, first, after)

    @strawberry.field
    async def product(self, info: Info, id: strawberry.ID) -> Product:
        async with info.context.uow() as uow:
            return Product.of(await services(info).products.get(uow, info.context.principal, _id(id)))

    @strawberry.field
    async def price_books(self, info: Info) -> list[PriceBook]:
        async with info.context.uow() as uow:
            return [price_book(b) for b in await services(info).products.price_books(uow, info.context.principal)]

    @strawberry.field
    async def quotes(
        self,
        info: Info,
        opportunity_id: strawberry.ID | None = None,
        status: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Quote]:
        return await listed(info, services(info).quotes.page, Quote.of, uid(opportunity_id), status, first, after)

    @strawberry.field
    async def quote(self, info: Info, id: strawberry.ID) -> Quote:
        async with info.context.uow() as uow:
            return Quote.of(await services(info).quotes.get(uow, info.context.principal, _id(id)))

    @strawberry.field
    async def contracts(
        self,
        info: Info,
        account_id: strawberry.ID | None = None,
        status: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Contract]:
        return await listed(info, services(info).contracts.page, Contract.of, uid(account_id), status, first, after)

    @strawberry.field
    async def contract(self, info: Info, id: strawberry.ID) -> Contract:
        async with info.context.uow() as uow:
            return Contract.of(await services(info).contracts.get(uow, info.context.principal, _id(id)))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="A pipeline with ordered stages, default probabilities and required fields.")
    async def create_pipeline(self, info: Info, input: CreatePipelineInput) -> Pipeline:
        async with info.context.uow() as uow:
            unit = _id(input.unit_id) if input.unit_id else None
            principal = info.context.principal
            p, stages = await pipelines.create(
                uow, principal, input.name, input.stage_commands(), input.is_default, unit
            )
            return Pipeline(
                id=strawberry.ID(str(p.id)),
                name=p.name,
                is_default=p.is_default,
                stages=[Stage.of(s) for s in stages],
                unit_id=input.unit_id,
            )

    @strawberry.mutation(description="Rename a stage, or change its default probability or required fields.")
    async def update_stage(self, info: Info, id: strawberry.ID, input: StageFields) -> Stage:
        async with info.context.uow() as uow:
            row = await pipelines.update_stage(uow, info.context.principal, _id(id), command(input, StageInput))
            return Stage.of(row)

    @strawberry.mutation
    async def create_opportunity(self, info: Info, input: CreateOpportunityInput) -> Opportunity:
        async with info.context.uow() as uow:
            return Opportunity.of(
                await services(info).opportunities.create(uow, info.context.principal, input.command())
            )

    @strawberry.mutation
    async def update_opportunity(self, info: Info, id: strawberry.ID, input: UpdateOpportunityInput) -> Opportunity:
        async with info.context.uow() as uow:
            return Opportunity.of(
                await services(info).opportunities.update(uow, info.context.principal, _id(id), input.command())
            )

    @strawberry.mutation(
        description="Move to a stage of its pipeline; the stage's required fields must be set, "
        "or given here (`input`, `lines`) to be saved with the move."
    )
    async def move_opportunity(
        self,
        info: Info,
        id: strawberry.ID,
        stage_id: strawberry.ID,
        input: UpdateOpportunityInput | None = None,
        lines: list[LineItemInput] | None = None,
    ) -> Opportunity:
        async with info.context.uow() as uow:
            row = await services(info).opportunities.move(
                uow,
                info.context.principal,
                _id(id),
                _id(stage_id),
                input.command() if input else None,
                [line.command() for line in lines] if lines is not None else None,
            )
            return Opportunity.of(row)

    @strawberry.mutation
    async def close_opportunity(
        self, info: Info, id: strawberry.ID, won: bool, reason: str, competitor: str | None = None
    ) -> Opportunity:
        async with info.context.uow() as uow:
            row = await services(info).opportunities.close(
                uow, info.context.principal, _id(id), won, reason, competitor
            )
            return Opportunity.of(row)

    @strawberry.mutation(description="Reopen a won or lost opportunity, at the given stage or the last one.")
    async def reopen_opportunity(
        self, info: Info, id: strawberry.ID, stage_id: strawberry.ID | None = None
    ) -> Opportunity:
        async with info.context.uow() as uow:
            return Opportunity.of(
                await services(info).opportunities.reopen(uow, info.context.principal, _id(id), uid(stage_id))
            )

    @strawberry.mutation(description="Replace the products; the amount becomes their total.")
    async def set_opportunity_lines(self, info: Info, id: strawberry.ID, lines: list[LineItemInput]) -> Opportunity:
        async with info.context.uow() as uow:
            row = await services(info).opportunities.set_lines(
                uow, info.context.principal, _id(id), [line.command() for line in lines]
            )
            return Opportunity.of(row)

    @strawberry.mutation
    async def create_product(self, info: Info, input: ProductInputFields) -> Product:
        async with info.context.uow() as uow:
            return Product.of(await services(info).products.create(uow, info.context.principal, input.command()))

    @strawberry.mutation
    async def update_product(self, info: Info, id: strawberry.ID, input: ProductInputFields) -> Product:
        async with info.context.uow() as uow:
            return Product.of(
                await services(info).products.update(uow, info.context.principal, _id(id), input.command())
            )

    @strawberry.mutation
    async def create_price_book(self, info: Info, input: CreatePriceBookInput) -> PriceBook:
        async with info.context.uow() as uow:
            return price_book(
                await services(info).products.create_price_book(uow, info.context.principal, input.command())
            )

    @strawberry.mutation(description="A new quote version; earlier open versions are superseded.")
    async def create_quote(self, info: Info, input: CreateQuoteInput) -> Quote:
        async with info.context.uow() as uow:
            return Quote.of(await services(info).quotes.create(uow, info.context.principal, input.command()))

    @strawberry.mutation(
        description="Approved at once within the discount threshold; otherwise its approval chain decides."
    )
    async def submit_quote(self, info: Info, id: strawberry.ID) -> Quote:
        async with info.context.uow() as uow:
            return Quote.of(await services(info).quotes.submit(uow, info.context.principal, _id(id)))

    @strawberry.mutation(description="The customer accepted: an order is created and the opportunity won.")
    async def accept_quote(self, info: Info, id: strawberry.ID) -> AcceptedQuote:
        async with info.context.uow() as uow:
            quote, order = await services(info).quotes.accept(uow, info.context.principal, _id(id))
            return AcceptedQuote(quote=Quote.of(quote), order=Order.of(order))

    @strawberry.mutation
    async def create_contract(self, info: Info, input: CreateContractInput) -> Contract:
        async with info.context.uow() as uow:
            return Contract.of(await services(info).contracts.create(uow, info.context.principal, input.command()))

    @strawberry.mutation
    async def submit_contract(self, info: Info, id: strawberry.ID) -> Contract:
        async with info.context.uow() as uow:
            return Contract.of(
                await services(info).contracts.transition(
                    uow, info.context.principal, _id(id), ContractStatus.PENDING_APPROVAL
                )
            )

    @strawberry.mutation(description="Signed; active from its start date.")
    async def sign_contract(self, info: Info, id: strawberry.ID, signed_on: dt.date | None = None) -> Contract:
        async with info.context.uow() as uow:
            row = await services(info).contracts.transition(
                uow, info.context.principal, _id(id), ContractStatus.SIGNED, signed_on=signed_on
            )
            return Contract.of(row)

    @strawberry.mutation
    async def terminate_contract(self, info: Info, id: strawberry.ID, reason: str) -> Contract:
        async with info.context.uow() as uow:
            return Contract.of(
                await services(info).contracts.transition(
                    uow, info.context.principal, _id(id), ContractStatus.TERMINATED, reason
                )
            )
