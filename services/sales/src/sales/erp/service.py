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
from typing import Any, TypeVar

from sqlalchemy import select
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import choice, items, required_text
from sales.erp.models import ErpDocument
from sales.money import MAX_QUANTITY, QUANTITY_PLACES, parse
from sales.orders import service as orders
from sales.orders.billing import BillingService, PaymentInput
from sales.orders.models import Invoice
from sales.orders.models import Order as OrderRow
from sales.products.models import Product
from sales.products.service import ProductInput, ProductService
from sales.repositories import Invoices, Orders, Owned

DELIVERY_STATUSES = ("shipped", "delivered")  # shipped is noted; delivered fulfils the order
MAX_LEVELS = 500
M = TypeVar("M")


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


async def _numbered(repository: Owned[M], matches: Any, field: str, action: str = "read") -> M:
    """The record the ERP names by its number, checked against the caller's scope before the document number is
    looked at: one outside it is NOT_FOUND at `field` whatever was applied under that number, which tells nothing
    of other scopes' documents."""
    row = await repository.session.scalar((await repository.select(matches)).limit(1))
    try:
        return await repository.check(row, action)
    except NotFound as exc:
        raise NotFound(entity=repository.entity, field=field) from exc


def _keep(uow: UnitOfWork, kind: str, document: Any, entity_id: uuid.UUID | None) -> Applied:
    number = document.document_number.strip()
    uow.session.add(ErpDocument(kind=kind, number=number, digest=digest(document), entity_id=entity_id))
    return Applied(kind, number, False, entity_id)


async def record_payment(
    uow: UnitOfWork, principal: Principal, billing: BillingService, document: PaymentDocument
) -> Applied:
    """A payment the ERP booked against one of our invoices, by the invoice's number."""
    principal.require("sales:payment:create")
    number = required_text(document.invoice_number, "invoiceNumber", 30)
    invoice = await _numbered(Invoices(uow, principal), col(Invoice.number) == number, "invoiceNumber")
    if (seen := await _seen(uow, "payment", document)) is not None:
        return seen
    data = PaymentInput(
        invoice.id, document.amount, document.received_on, document.method, document.document_number.strip()
    )
    payment, _ = await billing.record_payment(uow, principal, data)
    return _keep(uow, "payment", document, payment.id)


async def record_delivery(uow: UnitOfWork, principal: Principal, document: DeliveryDocument) -> Applied:
    """The ERP's delivery of an order: `delivered` fulfils it (its products leave stock)."""
    principal.require("sales:order:update")
    status = choice(document.status, "status", DELIVERY_STATUSES)
    number = required_text(document.order_number, "orderNumber", 30)
    order = await _numbered(Orders(uow, principal), col(OrderRow.number) == number, "orderNumber", "update")
    if (seen := await _seen(uow, "delivery", document)) is not None:
        return seen
    if status == "delivered":
        await orders.fulfil(uow, principal, order.id)
    return _keep(uow, "delivery", document, order.id)


async def record_stock(
    uow: UnitOfWork, principal: Principal, products: ProductService, document: StockDocument
) -> Applied:
    """Stock levels counted in the ERP's warehouses replace ours, product by product code."""
    principal.require_governs("sales:product:update", None)  # stock levels hold company-wide, as products.update
    if (seen := await _seen(uow, "stock", document)) is not None:
        return seen
    levels = items(document.levels, "levels", MAX_LEVELS)
    if not levels:
        raise BadInput("required_field", field="levels")
    codes = [required_text(level.product_code, f"levels[{i}].productCode", 50) for i, level in enumerate(levels)]
    counted = [
        parse(level.quantity, f"levels[{i}].quantity", maximum=MAX_QUANTITY, places=QUANTITY_PLACES)
        for i, level in enumerate(levels)
    ]
    found = dict(
        (
            await uow.session.execute(select(col(Product.code), col(Product.id)).where(col(Product.code).in_(codes)))
        ).all()
    )
    for index, (code, quantity) in enumerate(zip(codes, counted, strict=True)):
        if code not in found:
            raise NotFound(entity="Product", field=f"levels[{index}].productCode")
        await products.update(uow, principal, found[code], ProductInput(stock=f"{quantity:f}"))
    return _keep(uow, "stock", document, None)
