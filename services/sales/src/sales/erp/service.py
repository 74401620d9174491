"""What the ERP pushes: invoice payments, deliveries and stock levels, each an ERP document applied once.

The ERP names invoices, orders and products by their numbers and codes, as its own documents do; each
document is keyed by its number, so the ERP sending it again (a retry, a resend after an outage)
changes nothing, and a document that comes back changed under the same number is refused, not applied
twice or silently taken.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import choice, items, required_text
from sales.erp.models import ErpDocument
from sales.orders import service as orders
from sales.orders.billing import BillingService, PaymentInput
from sales.orders.models import Invoice
from sales.orders.models import Order as OrderRow
from sales.products.models import Product
from sales.products.service import ProductInput, ProductService
from sales.repositories import Invoices, Orders

DELIVERY_STATUSES = ("shipped", "delivered")  # shipped is noted; delivered fulfils the order
MAX_LEVELS = 500


@dataclass(frozen=True)
class PaymentDocument:
    document_number: str
    invoice_number: str
    amount: str
    received_on: dt.date | None = None
    method: str = "bank_transfer"


@dataclass(frozen=True)
class DeliveryDocument:
    document_number: str
    order_number: str
    status: str


@dataclass(frozen=True)
class StockLevel:
    product_code: str
    quantity: str


@dataclass(frozen=True)
class StockDocument:
    document_number: str
    levels: list[StockLevel] = field(default_factory=list)


@dataclass(frozen=True)
class Applied:
    kind: str
    document_number: str
    duplicate: bool  # sent before: nothing changed this time
    entity_id: uuid.UUID | None


def digest(document: Any) -> str:
    return hashlib.sha256(json.dumps(asdict(document), sort_keys=True, default=str).encode()).hexdigest()


async def _seen(uow: UnitOfWork, kind: str, document: Any) -> Applied | None:
    """The earlier application of this document number, if any; a changed document is a CONFLICT."""
    number = required_text(document.document_number, "documentNumber", 100)
    found = await uow.session.get(ErpDocument, (kind, number), with_for_update=True)
    if found is None:
        return None
    if found.digest != digest(document):
        raise Conflict("erp_document_changed", field="documentNumber", number=number)
    return Applied(kind, number, True, found.entity_id)


def _keep(uow: UnitOfWork, kind: str, document: Any, entity_id: uuid.UUID | None) -> Applied:
    number = document.document_number.strip()
    uow.session.add(ErpDocument(kind=kind, number=number, digest=digest(document), entity_id=entity_id))
    return Applied(kind, number, False, entity_id)


async def record_payment(
    uow: UnitOfWork, principal: Principal, billing: BillingService, document: PaymentDocument
) -> Applied:
    """A payment the ERP booked against one of our invoices, by the invoice's number."""
    principal.require("sales:payment:create")
    if (seen := await _seen(uow, "payment", document)) is not None:
        return seen
    number = required_text(document.invoice_number, "invoiceNumber", 30)
    invoice = await uow.session.scalar((await Invoices(uow, principal).select(col(Invoice.number) == number)).limit(1))
    if invoice is None:
        raise NotFound(entity="Invoice", field="invoiceNumber")
    data = PaymentInput(
        invoice.id, document.amount, document.received_on, document.method, document.document_number.strip()
    )
    payment, _ = await billing.record_payment(uow, principal, data)
    return _keep(uow, "payment", document, payment.id)


async def record_delivery(uow: UnitOfWork, principal: Principal, document: DeliveryDocument) -> Applied:
    """The ERP's delivery of an order: `delivered` fulfils it (its products leave stock)."""
    principal.require("sales:order:update")
    if (seen := await _seen(uow, "delivery", document)) is not None:
        return seen
    status = choice(document.status, "status", DELIVERY_STATUSES)
    number = required_text(document.order_number, "orderNumber", 30)
    order = await uow.session.scalar((await Orders(uow, principal).select(col(OrderRow.number) == number)).limit(1))
    if order is None:
        raise NotFound(entity="Order", field="orderNumber")
    if status == "delivered":
        await orders.fulfil(uow, principal, order.id)
    return _keep(uow, "delivery", document, order.id)


async def record_stock(
    uow: UnitOfWork, principal: Principal, products: ProductService, document: StockDocument
) -> Applied:
    """Stock levels counted in the ERP's warehouses replace ours, product by product code."""
    principal.require("sales:product:update")
    if (seen := await _seen(uow, "stock", document)) is not None:
        return seen
    levels = items(document.levels, "levels", MAX_LEVELS)
    if not levels:
        raise BadInput("required_field", field="levels")
    codes = [required_text(level.product_code, f"levels[{i}].productCode", 50) for i, level in enumerate(levels)]
    found = dict(
        (
            await uow.session.execute(select(col(Product.code), col(Product.id)).where(col(Product.code).in_(codes)))
        ).all()
    )
    for index, (code, level) in enumerate(zip(codes, levels, strict=True)):
        if code not in found:
            raise NotFound(entity="Product", field=f"levels[{index}].productCode")
        await products.update(uow, principal, found[code], ProductInput(stock=level.quantity))
    return _keep(uow, "stock", document, None)
