"""Saved views of a list (the accounts list today): private to their owner, optionally shown to the owner's unit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_type_hints

from pydantic.alias_generators import to_camel

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import items, optional_text, required_text, uuid_of
from customer.accounts.service import ORDERS, AccountFilter, check_filter
from customer.saved_views.models import SavedView
from customer.saved_views.repository import SavedViews

MAX_VIEWS = 50  # per person and list
LISTS = {"accounts": "customer:account:read"}
PERSONAL = {"phone", "email"}  # exact phone and email filters: a view should not keep personal data in plain text


def _text(value: Any, field: str) -> str | None:
    if not isinstance(value, str | None):
        raise BadInput("expected_type", field=field, type="String")
    return optional_text(value, field, 200)


def _texts(value: Any, field: str) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise BadInput("expected_type", field=field, type="[String]")
    return [t for t in (optional_text(t, field, 50) for t in items(value, field, 50)) if t] or None


def _id(value: Any, field: str) -> str:
    return str(uuid_of(value, field))


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise BadInput("expected_type", field=field, type="Boolean")
    return value


def _values(value: Any, field: str) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        raise BadInput("json_object", field=field)
    if len(value) > 20:
        raise BadInput("too_many_items", field=field, maximum=20)
    for key, v in value.items():
        if not isinstance(v, str | int | float | bool) or len(str(key)) > 50 or len(str(v)) > 200:
            raise BadInput("view_filter_values", field=field)
    return value or None


# how each kind of the accounts list's filter is checked; a filter of a new kind fails here at start-up
CHECKS: dict[Any, Callable[[Any, str], Any]] = {
    str | None: _text,
    list[str]: _texts,
    uuid.UUID | None: _id,
    bool | None: _flag,
    dict[str, Any]: _values,
}
# what a view of the accounts list keeps: the list's own filter (`accounts(filter:)`) as the API spells it, with
# the filter's own name for each
ACCOUNT_FILTERS = {
    to_camel(name): (name, CHECKS[kind]) for name, kind in get_type_hints(AccountFilter).items() if name not in PERSONAL
}


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
        raise BadInput("one_of", field="list", choices=", ".join(LISTS))
    principal.require(LISTS[list_key])


def account_filter(value: dict[str, Any]) -> dict[str, Any]:
    """The accounts list's filter as `accounts(filter:)` takes it, each value checked, then the whole by the list's
    own rule (a view the list would refuse is refused when saved, not when opened); empty values dropped."""
    unknown = sorted(set(value) - set(ACCOUNT_FILTERS))
    if unknown:
        raise BadInput("unknown_field", field=f"filter.{unknown[0]}")
    checked = {
        key: check(value[key], f"filter.{key}")
        for key, (_, check) in ACCOUNT_FILTERS.items()
        if value.get(key) is not None
    }
    kept = {key: v for key, v in checked.items() if v is not None}
    check_filter(AccountFilter(**{ACCOUNT_FILTERS[key][0]: v for key, v in kept.items()}), "filter.")
    return kept


async def listed(uow: UnitOfWork, principal: Principal, list_key: str) -> list[SavedView]:
    """The caller's own views of the list and those shared with their unit, by name."""
    _permission(principal, list_key)
    return await SavedViews(uow, principal).of_list(list_key)


async def save(uow: UnitOfWork, principal: Principal, data: ViewInput) -> SavedView:
    """Create a view, or replace one of the caller's own when `id` is given; names are unique per person and list."""
    _permission(principal, data.list_key)
    name = required_text(data.name, "name", 100)
    order_by = data.order_by or None
    if order_by is not None and order_by not in ORDERS:
        raise BadInput("one_of", field="orderBy", choices=", ".join(ORDERS))
    repository = SavedViews(uow, principal)
    view = await repository.get(data.id, lock=True) if data.id else None
    if view is None:
        view = SavedView(owner_id=principal.user_id, list_key=data.list_key, name=name)
        if await repository.count_own(data.list_key) >= MAX_VIEWS:
            raise BadInput("too_many_views", field="name", maximum=MAX_VIEWS)
    elif view.list_key != data.list_key:
        raise BadInput("one_of", field="list", choices=view.list_key)
    if await repository.name_taken(data.list_key, name, view.id):
        raise Conflict("view_name_taken", field="name")
    view.name, view.order_by = name, order_by
    view.filter = account_filter(data.filter)
    view.unit_id = principal.unit_id if data.shared else None
    view.updated_at = utcnow()
    uow.session.add(view)
    await uow.flush()
    return view


async def delete(uow: UnitOfWork, principal: Principal, view_id: uuid.UUID) -> None:
    view = await SavedViews(uow, principal).get(view_id, "delete", lock=True)
    _permission(principal, view.list_key)
    await uow.session.delete(view)
    await uow.flush()
