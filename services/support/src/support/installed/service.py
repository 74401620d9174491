"""The installed base, filled from sales' delivered orders, and the service history of each product."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_contracts.sales import OrderFulfilled
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput
from crm_shared.events.handlers import Handlers
from support.installed.models import InstalledProduct
from support.tickets.models import Ticket
from support.tickets.repository import Tickets


def plus_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day (31 January + 1 month: 28 or 29 February)."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def handlers(warranty_months: int) -> Handlers:
    """Sales' `order.fulfilled`: each line becomes an installed product, once however often it arrives."""
    registry = Handlers()

    @registry.on(OrderFulfilled)
    async def delivered(uow: UnitOfWork, order: OrderFulfilled) -> None:
        await record(uow, order, order.delivered_on or order.time.date(), warranty_months, order.time)

    return registry


async def record(uow: UnitOfWork, order: OrderFulfilled, day: dt.date, warranty_months: int, at: dt.datetime) -> None:
    """Each line of a delivered order, once."""
    for i, line in enumerate(order.lines):
        row: dict[str, Any] = {
            "order_id": order.id,
            "line": i,
            "account_id": order.account_id,
            "order_number": order.number[:30],
            "product_id": line.product_id,
            "product_code": line.product_code,
            "name": line.name[:200],
            "quantity": line.quantity,
            "delivered_on": day,
            "warranty_until": plus_months(day, warranty_months),
            "created_at": at,
        }
        await uow.session.execute(insert(InstalledProduct).values(**row).on_conflict_do_nothing())


async def installed_base(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID) -> list[InstalledProduct]:
    """Newest delivery first; empty for an account the caller does not reach."""
    if not await Tickets(uow, principal).reaches_account(account_id):
        return []
    rows = await uow.session.scalars(
        select(InstalledProduct)
        .where(col(InstalledProduct.account_id) == account_id)
        .order_by(
            col(InstalledProduct.delivered_on).desc(), col(InstalledProduct.order_number), col(InstalledProduct.line)
        )
    )
    return list(rows.all())


async def product_ids(uow: UnitOfWork, account_id: uuid.UUID) -> set[uuid.UUID]:
    rows = await uow.session.scalars(
        select(col(InstalledProduct.product_id)).where(
            col(InstalledProduct.account_id) == account_id, col(InstalledProduct.product_id).is_not(None)
        )
    )
    return {p for p in rows.all() if p is not None}


async def require_installed(uow: UnitOfWork, account_id: uuid.UUID, product_id: uuid.UUID) -> None:
    if product_id not in await product_ids(uow, account_id):
        raise BadInput("installed_unknown_product", field="productId")


async def history(
    uow: UnitOfWork, principal: Principal, account_id: uuid.UUID, product_id: uuid.UUID, limit: int = 50
) -> list[Ticket]:
    """The account's tickets about the product that the caller may see, newest first."""
    repo = Tickets(uow, principal)
    query = await repo.select(col(Ticket.account_id) == account_id, col(Ticket.product_id) == product_id)
    rows = await uow.session.scalars(query.order_by(col(Ticket.created_at).desc()).limit(limit))
    return list(rows.all())


def in_warranty(row: InstalledProduct, today: dt.date) -> bool:
    return today <= row.warranty_until
