"""Sales GraphQL types. Amounts are decimal strings ("12800.50"), never floats.

`Opportunity` and `Order` are entities marketing and support may reference; `Account` (owned by
customer) gains `opportunities`, `orders` and `receivables` here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, overload

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from crm_shared import rows
from crm_shared.db import utcnow
from crm_shared.db.pages import Page
from crm_shared.graphql import Connection, Info
from crm_shared.graphql.accounts import NAME, SECTION, account_name
from crm_shared.graphql.context import RequestContext
from crm_shared.graphql.people import User
from sales.contracts.models import Contract as ContractRow
from sales.leads.models import Lead as LeadRow
from sales.leads.service import LeadView
from sales.opportunities.models import Opportunity as OpportunityRow
from sales.opportunities.models import OpportunityLine as OpportunityLineRow
from sales.orders import service as orders
from sales.orders.billing import PaymentView
from sales.orders.models import Invoice as InvoiceRow
from sales.orders.models import Order as OrderRow
from sales.orders.models import Payment as PaymentRow
from sales.pipeline import service as pipelines
from sales.pipeline.models import Stage as StageRow
from sales.products.models import Product as ProductRow
from sales.quotes.models import Quote as QuoteRow
from sales.services import Sales

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
N = TypeVar("N")


def services(info: Info) -> Sales:
    return info.context.state.sales


async def listed(
    info: Info, page: Callable[..., Awaitable[Page[Any]]], node: Callable[[Any], N], *args: Any
) -> Connection[N]:
    """One page of a service's list as a connection, so every list query reads its page the same way."""
    async with info.context.uow() as uow:
        return Connection.of(await page(uow, info.context.principal, *args), node)


@overload
def money(value: Decimal) -> str: ...
@overload
def money(value: Decimal | None) -> str | None: ...
def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def shown(value: object) -> object:
    """A row's value as the API shows it: IDs as strings, decimals to the cent, lists copied off the row."""
    if isinstance(value, uuid.UUID):
        return strawberry.ID(str(value))
    if isinstance(value, Decimal):
        return money(value)
    return list(value) if isinstance(value, list) else value


def from_row(cls: type[T], source: object, /, **overrides: Any) -> T:
    """The type filled by name from the row's same-named fields, ids and amounts as clients see them."""
    values = rows.row_values(cls, source, overrides)
    return cls(**{name: shown(value) for name, value in values.items()}, **overrides)


def parties(r: Any) -> dict[str, Any]:
    """The account and owner a deal document always has, as references the other services resolve."""
    return {"account": Account(id=strawberry.ID(str(r.account_id))), "owner": User(id=strawberry.ID(str(r.owner_id)))}


def amount(value: Decimal) -> str:
    """A quantity without trailing zeros, as entered ("2", "1.5")."""
    return f"{value.normalize():f}"


STUB = Key(fields=FieldSet("id"), resolvable=False)


@strawberry.federation.type(keys=[STUB], description="A marketing campaign, resolved by marketing.")
class Campaign:
    id: strawberry.ID


@strawberry.type(description="What an account owes: open invoices in the base currency.")
class Receivables:
    outstanding: str
    overdue: str
    currency: str
    open_invoices: int


@strawberry.federation.type(keys=["id"], description="A customer company; sales adds its deals and money.")
class Account:
    id: strawberry.ID
    referenced: strawberry.Private[bool] = False  # asked for by id (`_entities`), not reached through a record

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Account:
        return cls(id=id, referenced=True)

    @classmethod
    def ref(cls, account_id: uuid.UUID | None) -> Account | None:
        return cls(id=strawberry.ID(str(account_id))) if account_id else None

    @strawberry.federation.field(shareable=True, description=NAME)
    async def name(self, info: Info) -> str:
        return await account_name(info, self.id, referenced=self.referenced)

    @strawberry.field(description="The account's opportunities the caller may see, newest first." + SECTION)
    async def opportunities(
        self, info: Info, status: str | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Opportunity] | None:
        from sales.opportunities.service import OpportunityFilter

        where = OpportunityFilter(status=status, account_id=uuid.UUID(self.id))
        return await listed(info, services(info).opportunities.page, Opportunity.of, where, first, after)

    @strawberry.field(description="The account's orders the caller may see, newest first." + SECTION)
    async def orders(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Order] | None:
        return await listed(info, orders.page, Order.of, uuid.UUID(self.id), None, first, after)

    @strawberry.field(description="What the account owes." + SECTION)
    async def receivables(self, info: Info) -> Receivables | None:
        async with info.context.uow() as uow:
            r = await services(info).billing.receivables(uow, info.context.principal, uuid.UUID(self.id))
            return from_row(Receivables, r)


@strawberry.type(description="A sales lead (线索).")
class Lead:
    id: strawberry.ID
    company: str
    contact_name: str
    title: str | None
    industry: str | None
    province: str | None
    city: str | None
    source: str
    campaign_id: strawberry.ID | None
    notes: str
    status: str
    disqualify_reason: str | None
    score: int
    activity_count: int
    owner: User | None
    assigned_at: dt.datetime | None
    conversion_status: str
    conversion_error: str | None
    account: Account | None
    contact_id: strawberry.ID | None
    converted_at: dt.datetime | None
    created_at: dt.datetime
    row: strawberry.Private[LeadRow]
    phone: str | None = strawberry.field(description="Masked for roles that may not see it.")
    email: str | None = strawberry.field(description="Masked for roles that may not see it.")

    @classmethod
    def of(cls, v: LeadView) -> Lead:
        r = v.row
        return from_row(
            cls, r, owner=User.ref(r.owner_id), account=Account.ref(r.account_id), row=r, phone=v.phone, email=v.email
        )

    @strawberry.field
    async def opportunity(self, info: Info) -> Opportunity | None:
        if self.row.opportunity_id is None:
            return None
        async with info.context.uow() as uow:
            return Opportunity.of(
                await services(info).opportunities.get(uow, info.context.principal, self.row.opportunity_id)
            )


@strawberry.type
class Stage:
    id: strawberry.ID
    name: str
    position: int
    probability: str
    required_fields: list[str]

    @classmethod
    def of(cls, r: StageRow) -> Stage:
        return from_row(cls, r)


@strawberry.type(description="Open opportunities at one stage: how many, and their amount in the base currency.")
class StageTotal:
    stage: Stage
    count: int
    amount_base: str


@strawberry.type
class Pipeline:
    id: strawberry.ID
    name: str
    is_default: bool
    stages: list[Stage]
    unit_id: strawberry.ID | None = strawberry.field(description="Whose pipeline it is; null: company-wide")


@strawberry.type(description="A product on an opportunity.")
class OpportunityLine:
    product_id: strawberry.ID
    quantity: str
    unit_price: str
    discount_percent: str
    total: str


@strawberry.type(description="One stay in a stage; days is the time spent there (so far).")
class StageVisit:
    stage_id: strawberry.ID
    stage_name: str
    entered_at: dt.datetime
    left_at: dt.datetime | None
    days: float
    actor: User | None


@strawberry.federation.type(keys=["id"], description="A sales opportunity (商机).")
class Opportunity:
    id: strawberry.ID
    name: str
    description: str
    amount: str | None
    currency: str
    amount_base: str
    probability: str
    expected_close_date: dt.date | None
    forecast_category: str
    status: str
    close_reason: str | None
    competitor: str | None
    closed_at: dt.datetime | None
    source: str | None
    campaign_id: strawberry.ID | None
    lead_id: strawberry.ID | None
    contact_id: strawberry.ID | None
    account: Account
    owner: User
    stage_entered_at: dt.datetime
    created_at: dt.datetime
    updated_at: dt.datetime
    row: strawberry.Private[OpportunityRow]

    @classmethod
    def of(cls, r: OpportunityRow) -> Opportunity:
        return from_row(cls, r, **parties(r), row=r)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Opportunity:
        async with info.context.uow() as uow:
            return cls.of(await services(info).opportunities.get(uow, info.context.principal, uuid.UUID(id)))

    @strawberry.field(description="The campaign the opportunity came from (marketing's `Campaign`).")
    def campaign(self) -> Campaign | None:
        return Campaign(id=strawberry.ID(str(self.row.campaign_id))) if self.row.campaign_id else None

    @strawberry.field
    async def stage(self, info: Info) -> Stage:
        return Stage.of(await info.context.batch(_stages, "Stage").load(self.row.stage_id))

    @strawberry.field
    async def lines(self, info: Info) -> list[OpportunityLine]:
        lines = await info.context.batch(_opportunity_lines, "Opportunity").load(self.row.id)
        return [from_row(OpportunityLine, line, quantity=amount(line.quantity)) for line in lines]

    @strawberry.field(description="Stage history, oldest first, with the time spent in each stage.")
    async def stage_history(self, info: Info) -> list[StageVisit]:
        async with info.context.uow() as uow:
            now = utcnow()
            return [
                StageVisit(
                    stage_id=strawberry.ID(str(v.stage_id)),
                    stage_name=name,
                    entered_at=v.entered_at,
                    left_at=v.left_at,
                    days=round(((v.left_at or now) - v.entered_at).total_seconds() / 86400, 3),
                    actor=User.ref(v.actor_id),
                )
                for v, name in await services(info).opportunities.history(uow, self.row.id)
            ]

    @strawberry.field
    async def quotes(self, info: Info) -> list[Quote]:
        async with info.context.uow() as uow:
            page = await services(info).quotes.page(uow, info.context.principal, self.row.id, None, 100, None)
            return [Quote.of(q) for q in page.items]


async def _stages(context: RequestContext, stage_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, StageRow]:
    """The stages of every opportunity a response shows, read together (a board asks for 200)."""
    async with context.uow() as uow:
        return await pipelines.stages(uow, stage_ids)


async def _opportunity_lines(
    context: RequestContext, opportunity_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[OpportunityLineRow]]:
    """The product lines of every opportunity a response shows, read together."""
    async with context.uow() as uow:
        return await context.state.sales.opportunities.lines(uow, opportunity_ids)


@strawberry.type(description="A product (产品).")
class Product:
    id: strawberry.ID
    code: str
    name: str
    unit: str
    description: str
    list_price: str
    currency: str
    stock: str
    active: bool

    @classmethod
    def of(cls, r: ProductRow) -> Product:
        return from_row(cls, r, stock=amount(r.stock))


@strawberry.type
class PriceBookEntry:
    product_id: strawberry.ID
    price: str


@strawberry.type(description="Prices for a customer level or region; the discount covers products without an entry.")
class PriceBook:
    id: strawberry.ID
    name: str
    currency: str
    customer_level: str | None
    region: str | None
    discount_percent: str
    active: bool

    @strawberry.field
    async def entries(self, info: Info) -> list[PriceBookEntry]:
        async with info.context.uow() as uow:
            return [
                PriceBookEntry(product_id=strawberry.ID(str(e.product_id)), price=money(e.price))
                for e in await services(info).products.entries(uow, uuid.UUID(self.id))
            ]


@strawberry.type
class QuoteLine:
    position: int
    product_id: strawberry.ID
    name: str
    quantity: str
    list_price: str
    unit_price: str
    discount_percent: str
    total: str


@strawberry.federation.type(keys=["id"], description="A quote (报价) version.")
class Quote:
    id: strawberry.ID
    opportunity_id: strawberry.ID
    account: Account
    version: int
    status: str
    currency: str
    discount_percent: str
    tax_rate: str
    subtotal: str
    discount_amount: str
    tax_amount: str
    total: str
    effective_discount: str
    valid_until: dt.date | None
    owner: User
    approver: User | None
    decision_comment: str | None
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    order_id: strawberry.ID | None
    price_book_id: strawberry.ID | None = strawberry.field(description="The book its lines were priced by.")
    created_at: dt.datetime

    @classmethod
    def of(cls, r: QuoteRow) -> Quote:
        return from_row(cls, r, **parties(r), approver=User.ref(r.approver_id))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Quote:
        async with info.context.uow() as uow:
            return cls.of(await services(info).quotes.get(uow, info.context.principal, uuid.UUID(id)))

    @strawberry.field
    async def lines(self, info: Info) -> list[QuoteLine]:
        async with info.context.uow() as uow:
            return [
                from_row(QuoteLine, q, quantity=amount(q.quantity))
                for q in await services(info).quotes.lines(uow, uuid.UUID(self.id))
            ]


@strawberry.federation.type(keys=["id"], description="A contract (合同).")
class Contract:
    id: strawberry.ID
    number: str
    title: str
    account: Account
    opportunity_id: strawberry.ID | None
    value: str
    currency: str
    start_date: dt.date
    end_date: dt.date
    status: str
    owner: User
    approver: User | None
    decision_comment: str | None
    signed_on: dt.date | None
    termination_reason: str | None
    created_at: dt.datetime

    @classmethod
    def of(cls, r: ContractRow) -> Contract:
        return from_row(cls, r, **parties(r), approver=User.ref(r.approver_id))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Contract:
        async with info.context.uow() as uow:
            return cls.of(await services(info).contracts.get(uow, info.context.principal, uuid.UUID(id)))


@strawberry.type
class OrderLine:
    product_id: strawberry.ID | None
    name: str
    quantity: str
    unit_price: str
    discount_percent: str
    total: str


@strawberry.federation.type(keys=["id"], description="An order (订单).")
class Order:
    id: strawberry.ID
    number: str
    account: Account
    opportunity_id: strawberry.ID | None
    quote_id: strawberry.ID | None
    contract_id: strawberry.ID | None
    status: str
    currency: str
    total: str
    invoiced: str
    owner: User
    cancel_reason: str | None
    created_at: dt.datetime

    @classmethod
    def of(cls, r: OrderRow) -> Order:
        return from_row(cls, r, **parties(r))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Order:
        async with info.context.uow() as uow:
            return cls.of(await orders.get(uow, info.context.principal, uuid.UUID(id)))

    @strawberry.field
    async def lines(self, info: Info) -> list[OrderLine]:
        async with info.context.uow() as uow:
            return [
                from_row(OrderLine, line, quantity=amount(line.quantity))
                for line in await orders.lines(uow, uuid.UUID(self.id))
            ]


@strawberry.type
class Payment:
    id: strawberry.ID
    invoice_id: strawberry.ID
    invoice_number: str
    account: Account
    amount: str
    currency: str
    received_on: dt.date
    method: str
    reference: str
    created_at: dt.datetime

    @classmethod
    def of(cls, r: PaymentRow, invoice_number: str) -> Payment:
        account = Account(id=strawberry.ID(str(r.account_id)))
        return from_row(cls, r, invoice_number=invoice_number, account=account)

    @classmethod
    def view(cls, v: PaymentView) -> Payment:
        return cls.of(v.row, v.invoice_number)


@strawberry.type(description="An invoice (发票).")
class Invoice:
    id: strawberry.ID
    number: str
    order_id: strawberry.ID
    account: Account
    currency: str
    amount: str
    paid: str
    outstanding: str
    status: str
    issued_on: dt.date
    due_on: dt.date
    owner: User

    @classmethod
    def of(cls, r: InvoiceRow) -> Invoice:
        return from_row(cls, r, **parties(r), outstanding=money(r.amount - r.paid))

    @strawberry.field
    async def payments(self, info: Info) -> list[Payment]:
        async with info.context.uow() as uow:
            return [Payment.of(p, self.number) for p in await services(info).billing.payments(uow, uuid.UUID(self.id))]
