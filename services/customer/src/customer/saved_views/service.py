"""Saved views of a list (the accounts list today): private to their owner, optionally shown to the owner's unit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import items, optional_text, required_text
from customer.saved_views.models import SavedView

MAX_VIEWS = 50  # per person and list
ACCOUNT_ORDERS = ("UPDATED_DESC", "CREATED_DESC", "NAME_ASC")
TEXT_FILTERS = ("search", "industry", "level", "source", "province", "city", "size", "lifecycleStage")
# exact phone and email filters are left out: a view should not keep personal data in plain text
LISTS = {"accounts": "customer:account:read"}


@dataclass
class ViewInput:
    list_key: str
    name: str
    filter: dict[str, Any]
    order_by: str | None = None
    shared: bool = False
    id: uuid.UUID | None = None


def _permission(principal: Principal, list_key: str) -> None:
    if list_key not in LISTS:
        raise BadInput(field="list", reason=f"one of {', '.join(LISTS)}")
    principal.require(LISTS[list_key])


def account_filter(value: dict[str, Any]) -> dict[str, Any]:
    """The accounts list's filter as `accounts(filter:)` takes it, each value checked; empty values dropped."""
    known = {*TEXT_FILTERS, "tags", "ownerId", "inPool", "custom"}
    unknown = sorted(set(value) - known)
    if unknown:
        raise BadInput(field=f"filter.{unknown[0]}", reason=f"one of {', '.join(sorted(known))}")
    clean: dict[str, Any] = {}
    for key in TEXT_FILTERS:
        if not isinstance(value.get(key), str | None):
            raise BadInput(field=f"filter.{key}", reason="text")
        if text := optional_text(value.get(key), f"filter.{key}", 200):
            clean[key] = text
    tags = value.get("tags")
    if tags is not None:
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise BadInput(field="filter.tags", reason="a list of text")
        if cleaned := [t for t in (optional_text(t, "filter.tags", 50) for t in items(tags, "filter.tags", 50)) if t]:
            clean["tags"] = cleaned
    if (owner := value.get("ownerId")) is not None:
        try:
            clean["ownerId"] = str(uuid.UUID(str(owner)))
        except ValueError as exc:
            raise BadInput(field="filter.ownerId", reason="a UUID") from exc
    if (in_pool := value.get("inPool")) is not None:
        if not isinstance(in_pool, bool):
            raise BadInput(field="filter.inPool", reason="true or false")
        clean["inPool"] = in_pool
    if (custom := value.get("custom")) is not None:
        if not isinstance(custom, dict) or len(custom) > 20:
            raise BadInput(field="filter.custom", reason="an object of at most 20 values")
        for key, v in custom.items():
            if not isinstance(v, str | int | float | bool) or len(str(key)) > 50 or len(str(v)) > 200:
                raise BadInput(field="filter.custom", reason="short text, number or boolean values")
        if custom:
            clean["custom"] = custom
    return clean


async def listed(uow: UnitOfWork, principal: Principal, list_key: str) -> list[SavedView]:
    """The caller's own views of the list and those shared with their unit, by name."""
    _permission(principal, list_key)
    mine = col(SavedView.owner_id) == principal.user_id
    shared = col(SavedView.unit_id) == principal.unit_id if principal.unit_id else mine
    query = select(SavedView).where(col(SavedView.list_key) == list_key, or_(mine, shared))
    return list((await uow.session.scalars(query.order_by(col(SavedView.name), col(SavedView.id)))).all())


async def save(uow: UnitOfWork, principal: Principal, data: ViewInput) -> SavedView:
    """Create a view, or replace one of the caller's own when `id` is given; names are unique per person and list."""
    _permission(principal, data.list_key)
    name = required_text(data.name, "name", 100)
    order_by = data.order_by or None
    if order_by is not None and order_by not in ACCOUNT_ORDERS:
        raise BadInput(field="orderBy", reason=f"one of {', '.join(ACCOUNT_ORDERS)}")
    view = await _own(uow, principal, data.id) if data.id else None
    if view is None:
        view = SavedView(owner_id=principal.user_id, list_key=data.list_key, name=name)
        if await _count(uow, principal, data.list_key) >= MAX_VIEWS:
            raise BadInput("too_many_views", field="name", maximum=MAX_VIEWS)
    elif view.list_key != data.list_key:
        raise BadInput(field="list", reason=view.list_key)
    taken = await uow.session.scalar(
        select(col(SavedView.id)).where(
            col(SavedView.owner_id) == principal.user_id,
            col(SavedView.list_key) == data.list_key,
            col(SavedView.name) == name,
            col(SavedView.id) != view.id,
        )
    )
    if taken:
        raise Conflict("view_name_taken", field="name")
    view.name, view.order_by = name, order_by
    view.filter = account_filter(data.filter)
    view.unit_id = principal.unit_id if data.shared else None
    view.updated_at = utcnow()
    uow.session.add(view)
    await uow.flush()
    return view


async def delete(uow: UnitOfWork, principal: Principal, view_id: uuid.UUID) -> None:
    view = await _own(uow, principal, view_id)
    _permission(principal, view.list_key)
    await uow.session.delete(view)
    await uow.flush()


async def _own(uow: UnitOfWork, principal: Principal, view_id: uuid.UUID) -> SavedView:
    """One of the caller's views; anyone else's answers NOT_FOUND, shared or not."""
    view = await uow.session.get(SavedView, view_id, with_for_update=True)
    if view is None or view.owner_id != principal.user_id:
        raise NotFound(entity="SavedView")
    return view


async def _count(uow: UnitOfWork, principal: Principal, list_key: str) -> int:
    query = select(func.count()).where(
        col(SavedView.owner_id) == principal.user_id, col(SavedView.list_key) == list_key
    )
    return int(await uow.session.scalar(query) or 0)
