"""Orders from accepted quotes or signed contracts; the first order of an account makes it a customer."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from crm_contracts.sales import DeliveredLine, OrderStatus
from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Page
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import note
from sales.contracts.models import ContractStatus
from sales.events import OrderCancelled, OrderCreated, OrderFulfilled, OrderSnapshot, fields_of
from sales.numbering import next_number
from sales.orders.models import Invoice, InvoiceStatus, Order, OrderLine
from sales.products.models import Product
from sales.repositories import Contracts, Orders

RESOURCE = "sales:order"
# what an order shares with the quote or contract it comes from
PARTIES = ("account_id", "opportunity_id", "currency", "owner_id")


def snapshot(order: Order) -> dict[str, Any]:
    """The order as its events and audit records show it."""
    return OrderFulfilled(**fields_of(order, OrderSnapshot)).data()


async def _place(uow: UnitOfWork, order: Order, lines: list[OrderLine]) -> Order:
    first = not await uow.session.scalar(
        select(col(Order.id)).where(col(Order.account_id) == order.account_id).limit(1)
    )
    order.number = await next_number(uow, "SO")
    uow.session.add(order)
    await uow.flush()
    for line in lines:
        line.order_id = order.id
    uow.session.add_all(lines)
    await uow.publish(OrderCreated(**fields_of(order, OrderSnapshot), first_order=first))
    await audit.record(uow, "order.created", "Order", order.id, None, snapshot(order))
    return order


def carried(source: Any, *names: str) -> dict[str, Any]:
    """The fields an order takes over unchanged from the quote or contract it comes from."""
    return {name: getattr(source, name) for name in names}


async def require_no_live_order(uow: UnitOfWork, opportunity_id: uuid.UUID) -> None:
    """An opportunity is sold once: while an order of it is live (not cancelled) it is neither reopened (to be
    lost, or sold again) nor given a second order."""
    number = await uow.session.scalar(
        select(col(Order.number))
        .where(col(Order.opportunity_id) == opportunity_id, col(Order.status) != OrderStatus.CANCELLED)
        .limit(1)
    )
    if number is not None:
        raise Conflict("opportunity_ordered", order=number)


async def from_quote(uow: UnitOfWork, quote: Any, quote_lines: list[Any]) -> Order:
    order = Order(number="", quote_id=quote.id, **carried(quote, *PARTIES, "total"))
    names = ("product_id", "name", "quantity", "unit_price", "discount_percent", "total")
    return await _place(uow, order, [OrderLine(order_id=uuid.uuid4(), **carried(q, *names)) for q in quote_lines])


async def from_contract(uow: UnitOfWork, principal: Principal, contract_id: uuid.UUID) -> Order:
    principal.require(f"{RESOURCE}:create")
    contract = await Contracts(uow, principal).get(contract_id, lock=True)
    await Orders(uow, principal).require_for("create", contract.owner_id)
    if contract.status not in (ContractStatus.SIGNED, ContractStatus.ACTIVE):
        raise Conflict("contract_not_signed")
    if await uow.session.scalar(
        select(col(Order.id)).where(col(Order.contract_id) == contract.id, col(Order.status) != OrderStatus.CANCELLED)
    ):
        raise Conflict("contract_ordered")
    order = Order(number="", contract_id=contract.id, total=contract.value, **carried(contract, *PARTIES))
    line = OrderLine(order_id=uuid.uuid4(), name=contract.title, unit_price=contract.value, total=contract.value)
    return await _place(uow, order, [line])


async def cancel(uow: UnitOfWork, principal: Principal, order_id: uuid.UUID, reason: str) -> Order:
    if not reason.strip():
        raise BadInput("required_field", field="reason")
    order = await Orders(uow, principal).get(order_id, "update", lock=True)
    if order.status == OrderStatus.CANCELLED:
        return order
    if await uow.session.scalar(
        select(col(Invoice.id)).where(col(Invoice.order_id) == order.id, col(Invoice.status) != InvoiceStatus.VOID)
    ):
        raise Conflict("order_invoiced")
    order.move(OrderStatus.CANCELLED)
    order.cancel_reason = note(reason, "reason", 500)
    await uow.publish(OrderCancelled(**fields_of(order, OrderSnapshot), reason=order.cancel_reason))
    await audit.record(uow, "order.cancelled", "Order", order.id, {"status": "confirmed"}, {"status": "cancelled"})
    return order


async def fulfil(uow: UnitOfWork, principal: Principal, order_id: uuid.UUID) -> Order:
    """Delivered: the products leave stock, all or none (a short product answers CONFLICT naming it)."""
    order = await Orders(uow, principal).get(order_id, "update", lock=True)
    if order.status != OrderStatus.CONFIRMED:
        raise Conflict("order_not_confirmed")
    lines = (await uow.session.scalars(select(OrderLine).where(col(OrderLine.order_id) == order.id))).all()
    delivered = []
    for line in lines:
        product = await uow.session.get(Product, line.product_id, with_for_update=True) if line.product_id else None
        delivered.append(
            DeliveredLine(
                product_id=line.product_id,
                product_code=product.code if product else None,
                name=line.name,
                quantity=line.quantity,
            )
        )
        if product is None:
            continue
        if product.stock < line.quantity:
            raise Conflict("out_of_stock", field="stock", product=product.code, available=str(product.stock))
        product.stock -= line.quantity
        product.updated_at = utcnow()
    order.move(OrderStatus.FULFILLED)
    fulfilled = OrderFulfilled(**fields_of(order, OrderSnapshot), delivered_on=utcnow().date(), lines=delivered)
    await uow.publish(fulfilled)
    await audit.record(uow, "order.fulfilled", "Order", order.id, {"status": "confirmed"}, {"status": "fulfilled"})
    return order


async def get(uow: UnitOfWork, principal: Principal, order_id: uuid.UUID) -> Order:
    return await Orders(uow, principal).get(order_id)


async def page(
    uow: UnitOfWork,
    principal: Principal,
    account_id: uuid.UUID | None,
    status: str | None,
    first: int,
    after: str | None,
) -> Page[Order]:
    principal.require(f"{RESOURCE}:read")
    return await Orders(uow, principal).newest([], first, after, account_id=account_id, status=status)


async def lines(uow: UnitOfWork, order_id: uuid.UUID) -> list[OrderLine]:
    return list((await uow.session.scalars(select(OrderLine).where(col(OrderLine.order_id) == order_id))).all())
