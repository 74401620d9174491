"""Data scope for sales records: each has an owner; a rep reaches their own, a manager their unit's."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser, scope_filter, unit_of
from crm_shared.db import UnitOfWork
from crm_shared.db.pages import Order, Page, page
from crm_shared.errors import BadInput, NotFound

T = TypeVar("T")


async def visible(session: AsyncSession, principal: Principal, resource: str, model: Any) -> ColumnElement[bool]:
    """WHERE clause: rows whose owner is within the caller's data scope for `resource`."""
    return await scope_filter(session, principal, resource, model.owner_id)


async def may_access(uow: UnitOfWork, principal: Principal, resource: str, owner_id: uuid.UUID | None) -> bool:
    return principal.may_access(resource, owner_id, await unit_of(uow, owner_id))


async def require_active_user(uow: UnitOfWork, user_id: uuid.UUID, field: str = "ownerId") -> None:
    user = await uow.session.get(DirectoryUser, user_id)
    if user is None or not user.is_active:
        raise BadInput("unknown_user", field=field)


async def load(
    uow: UnitOfWork, principal: Principal, model: type[T], row_id: uuid.UUID, permission: str, lock: bool = False
) -> T:
    """The row if the caller holds `permission` and reaches its owner; NOT_FOUND otherwise, never the row."""
    principal.require(permission)
    resource = permission.rsplit(":", 1)[0]
    row = await uow.session.get(model, row_id, with_for_update=lock)
    if row is None or not await may_access(uow, principal, resource, row.owner_id):  # type: ignore[attr-defined]
        raise NotFound(entity=model.__name__)
    return row


async def listing(uow: UnitOfWork, model: Any, where: list[Any], first: int, after: str | None) -> Page[Any]:
    """One page of `model` rows matching `where`, newest first; its count runs only when a client asks for it."""
    query = select(model).where(and_(true(), *where))
    return await page(uow, query, Order.by(model.created_at, model.id, descending=True), first, after)
