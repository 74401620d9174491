"""What the ERP pushes (through automation's ERP connector): payments, deliveries and stock, by document number."""

from __future__ import annotations

import datetime as dt

import strawberry

from crm_shared.graphql import Info
from crm_shared.graphql.ids import gid
from sales.erp import service as erp
from sales.graphql.types import services


@strawberry.input
class ErpPaymentInput:
    document_number: str = strawberry.field(description="The ERP's receipt number: the same one twice is applied once.")
    invoice_number: str
    amount: str
    received_on: dt.date | None = None
    method: str = "bank_transfer"


@strawberry.input
class ErpDeliveryInput:
    document_number: str
    order_number: str
    status: str = strawberry.field(description="shipped, or delivered (the order is fulfilled)")


@strawberry.input
class ErpStockLevelInput:
    product_code: str
    quantity: str


@strawberry.input
class ErpStockInput:
    document_number: str
    levels: list[ErpStockLevelInput]


@strawberry.type(description="An ERP document as applied; `duplicate` when it was applied before and nothing changed.")
class ErpDocumentResult:
    kind: str
    document_number: str
    duplicate: bool
    entity_id: strawberry.ID | None

    @classmethod
    def of(cls, applied: erp.Applied) -> ErpDocumentResult:
        return cls(
            kind=applied.kind,
            document_number=applied.document_number,
            duplicate=applied.duplicate,
            entity_id=gid(applied.entity_id),
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="A payment booked in the ERP against one of our invoices, by its number.")
    async def record_erp_payment(self, info: Info, input: ErpPaymentInput) -> ErpDocumentResult:
        document = erp.PaymentDocument(
            input.document_number, input.invoice_number, input.amount, input.received_on, input.method
        )
        async with info.context.uow() as uow:
            billing = services(info).billing
            return ErpDocumentResult.of(await erp.record_payment(uow, info.context.principal, billing, document))

    @strawberry.mutation(description="An order's delivery in the ERP; delivered fulfils the order.")
    async def record_erp_delivery(self, info: Info, input: ErpDeliveryInput) -> ErpDocumentResult:
        document = erp.DeliveryDocument(input.document_number, input.order_number, input.status)
        async with info.context.uow() as uow:
            return ErpDocumentResult.of(await erp.record_delivery(uow, info.context.principal, document))

    @strawberry.mutation(description="Stock levels counted in the ERP replace ours, by product code.")
    async def record_erp_stock(self, info: Info, input: ErpStockInput) -> ErpDocumentResult:
        levels = [erp.StockLevel(level.product_code, level.quantity) for level in input.levels]
        document = erp.StockDocument(input.document_number, levels)
        async with info.context.uow() as uow:
            products = services(info).products
            return ErpDocumentResult.of(await erp.record_stock(uow, info.context.principal, products, document))
