"""Orders, invoices, payments, receivables, targets, forecast and funnel: thin, one call each into the service layer."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import strawberry

from crm_shared.graphql import Connection, Info
from sales.commands import uid
from sales.graphql.inputs import FunnelFilter, PaymentFilter, RecordPaymentInput
from sales.graphql.types import Invoice, Order, Payment, User, from_row, listed, money, services
from sales.orders import service as orders
from sales.performance import targets
from sales.performance.analytics import Forecast as ForecastResult
from sales.performance.analytics import Funnel as FunnelResult
from sales.performance.targets import Attainment


def _id(value: strawberry.ID) -> uuid.UUID:
    return uuid.UUID(str(value))


@strawberry.type
class AgingBucket:
    label: str = strawberry.field(description="0-30, 31-60, 61-90 or 90+ days past due")
    amount: str
    count: int


@strawberry.type(description="Receivables by days past due (应收账龄), in the base currency.")
class AgingReport:
    as_of: dt.date
    currency: str
    buckets: list[AgingBucket]
    total: str


@strawberry.type
class RecordedPayment:
    payment: Payment
    invoice: Invoice


@strawberry.type(description="A target with what was achieved against it.")
class Target:
    id: strawberry.ID
    period: str
    metric: str
    user: User | None
    unit_id: strawberry.ID | None
    amount: str
    actual: str
    attainment: float | None
    rank: int | None = strawberry.field(description="Place among the unit's reps by attainment.")

    @classmethod
    def of(cls, r: Attainment) -> Target:
        return from_row(
            cls, r.target, user=User.ref(r.target.user_id), actual=money(r.actual), attainment=r.attainment, rank=r.rank
        )


@strawberry.type
class PeriodAmount:
    period: str
    amount: str


@strawberry.type
class ForecastAccuracy:
    period: str
    forecast: str
    actual: str
    accuracy: float | None


@strawberry.type(description="Expected revenue of a period: closed won plus the open pipeline, in the base currency.")
class Forecast:
    period: str
    currency: str
    weighted: str = strawberry.field(description="Closed won + open amounts × stage probability.")
    commit: str = strawberry.field(description="Closed won + open deals forecast as commit.")
    best_case: str = strawberry.field(description="Commit + open deals forecast as best case.")
    pipeline: str = strawberry.field(description="All open amounts closing in the period.")
    closed_won: str
    open_count: int
    trend: str = strawberry.field(description="Won amounts of past periods projected into this one.")
    history: list[PeriodAmount]
    accuracy: list[ForecastAccuracy]

    @classmethod
    def of(cls, f: ForecastResult) -> Forecast:
        return from_row(
            cls,
            f,
            history=[PeriodAmount(period=k, amount=money(v)) for k, v in f.history],
            accuracy=[from_row(ForecastAccuracy, a) for a in f.accuracy],
        )


@strawberry.type
class FunnelStage:
    id: strawberry.ID | None
    name: str
    count: int = strawberry.field(description="Opportunities that reached this stage or went past it.")
    conversion_rate: float | None = strawberry.field(description="Share that went on to the next stage.")
    average_days_in_stage: float | None


@strawberry.type
class Funnel:
    stages: list[FunnelStage]
    total: int
    open: int
    won: int
    lost: int
    win_rate: float | None
    average_deal_size: str
    average_cycle_days: float | None
    sales_velocity: str = strawberry.field(description="Open deals × win rate × average deal size ÷ cycle days.")
    currency: str

    @classmethod
    def of(cls, f: FunnelResult) -> Funnel:
        return from_row(cls, f, stages=[from_row(FunnelStage, s) for s in f.stages])


@strawberry.type
class Query:
    @strawberry.field
    async def orders(
        self,
        info: Info,
        account_id: strawberry.ID | None = None,
        status: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Order]:
        return await listed(info, orders.page, Order.of, uid(account_id), status, first, after)

    @strawberry.field
    async def order(self, info: Info, id: strawberry.ID) -> Order:
        async with info.context.uow() as uow:
            return Order.of(await orders.get(uow, info.context.principal, _id(id)))

    @strawberry.field
    async def invoices(
        self,
        info: Info,
        account_id: strawberry.ID | None = None,
        order_id: strawberry.ID | None = None,
        status: str | None = None,
        first: int = 20,
        after: str | None = None,
        aging_bucket: Annotated[
            str | None,
            strawberry.argument(description="Outstanding invoices in this receivables-aging bucket today (0-30, ...)."),
        ] = None,
    ) -> Connection[Invoice]:
        return await listed(
            info,
            services(info).billing.page,
            Invoice.of,
            uid(account_id),
            uid(order_id),
            status,
            first,
            after,
            aging_bucket,
        )

    @strawberry.field(description="Payments across invoices the caller may see, newest recorded first.")
    async def payments(
        self, info: Info, filter: PaymentFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Payment]:
        return await listed(
            info, services(info).billing.payment_page, Payment.view, (filter or PaymentFilter()).command(), first, after
        )

    @strawberry.field
    async def invoice(self, info: Info, id: strawberry.ID) -> Invoice:
        async with info.context.uow() as uow:
            return Invoice.of(await services(info).billing.get(uow, info.context.principal, _id(id)))

    @strawberry.field
    async def receivables_aging(
        self, info: Info, as_of: dt.date | None = None, account_id: strawberry.ID | None = None
    ) -> AgingReport:
        async with info.context.uow() as uow:
            a = await services(info).billing.aging(uow, info.context.principal, as_of, uid(account_id))
            return AgingReport(
                as_of=a.as_of,
                currency=a.currency,
                total=money(a.total),
                buckets=[AgingBucket(label=b.label, amount=money(b.amount), count=b.count) for b in a.buckets],
            )

    @strawberry.field(description='Targets of a month ("2026-11") or quarter ("2026-Q4") with attainment.')
    async def targets(
        self, info: Info, period: str, user_id: strawberry.ID | None = None, unit_id: strawberry.ID | None = None
    ) -> list[Target]:
        async with info.context.uow() as uow:
            rows = await targets.overview(uow, info.context.principal, period, uid(user_id), uid(unit_id))
            return [Target.of(r) for r in rows]

    @strawberry.field(description='Forecast of a period: "2026-Q4", "2026-11" or "2026".')
    async def forecast(
        self, info: Info, period: str, owner_id: strawberry.ID | None = None, unit_id: strawberry.ID | None = None
    ) -> Forecast:
        async with info.context.uow() as uow:
            return Forecast.of(
                await services(info).analytics.forecast(
                    uow, info.context.principal, period, uid(owner_id), uid(unit_id)
                )
            )

    @strawberry.field(
        description="Stage conversion, time in stage, win rate and velocity, by rep, unit, period, source or campaign."
    )
    async def funnel(self, info: Info, filter: FunnelFilter | None = None) -> Funnel:
        async with info.context.uow() as uow:
            return Funnel.of(
                await services(info).analytics.funnel(uow, info.context.principal, (filter or FunnelFilter()).command())
            )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="An order for a signed or active contract's value.")
    async def create_order_from_contract(self, info: Info, contract_id: strawberry.ID) -> Order:
        async with info.context.uow() as uow:
            return Order.of(await orders.from_contract(uow, info.context.principal, _id(contract_id)))

    @strawberry.mutation(description="Mark delivered; the products leave stock.")
    async def fulfill_order(self, info: Info, id: strawberry.ID) -> Order:
        async with info.context.uow() as uow:
            return Order.of(await orders.fulfil(uow, info.context.principal, _id(id)))

    @strawberry.mutation
    async def cancel_order(self, info: Info, id: strawberry.ID, reason: str) -> Order:
        async with info.context.uow() as uow:
            return Order.of(await orders.cancel(uow, info.context.principal, _id(id), reason))

    @strawberry.mutation(description="Invoice the order's remaining amount, or the given part of it.")
    async def issue_invoice(
        self, info: Info, order_id: strawberry.ID, amount: str | None = None, due_on: dt.date | None = None
    ) -> Invoice:
        async with info.context.uow() as uow:
            return Invoice.of(
                await services(info).billing.issue(uow, info.context.principal, _id(order_id), amount, due_on)
            )

    @strawberry.mutation(description="A payment against an invoice; partial payments are allowed.")
    async def record_payment(self, info: Info, input: RecordPaymentInput) -> RecordedPayment:
        async with info.context.uow() as uow:
            payment, invoice = await services(info).billing.record_payment(uow, info.context.principal, input.command())
            return RecordedPayment(payment=Payment.of(payment, invoice.number), invoice=Invoice.of(invoice))

    @strawberry.mutation(description="Set (or replace) a rep's or a unit's target.")
    async def set_target(
        self,
        info: Info,
        period: str,
        metric: str,
        amount: str,
        user_id: strawberry.ID | None = None,
        unit_id: strawberry.ID | None = None,
    ) -> Target:
        async with info.context.uow() as uow:
            t = await targets.set_target(
                uow, info.context.principal, period, metric, amount, uid(user_id), uid(unit_id)
            )
            rows = await targets.overview(uow, info.context.principal, t.period)
            r = next(r for r in rows if r.target.id == t.id)
            return Target.of(r)
