"""Defining custom fields, and checking the values records carry for them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput, Conflict
from crm_shared.validate import date_of, items, optional_text, required_text
from customer.custom_fields.models import ENTITIES, TYPES, CustomFieldDefinition

MAX_KEY = 50
MAX_TEXT = 1000
MAX_OPTIONS = 200
KEY = re.compile(r"[a-z][a-z0-9_]*")


@dataclass
class FieldInput:
    entity: str
    key: str
    label: str
    type: str
    label_zh: str = ""
    options: list[str] = field(default_factory=list)
    required: bool = False


def check_value(definition: CustomFieldDefinition, value: Any) -> Any:
    """The value in its stored form, None for no value (null, empty text, no choice), or BAD_USER_INPUT naming
    `custom.<key>`: each type takes its own kind of value, never another's rendered as text."""
    name = f"custom.{definition.key}"
    if value is None or value == "" or value == []:
        return None
    kind = definition.type
    if kind == "text":
        if not isinstance(value, str):
            raise BadInput("expected_type", field=name, type="String")
        return optional_text(value, name, MAX_TEXT)  # one line, held to the rule of names
    if kind == "number":
        return _number(value, name)
    if kind == "date":
        return date_of(value, name).isoformat()
    choices = ", ".join(definition.options)
    if kind == "single_choice":
        if value not in definition.options:
            raise BadInput("one_of", field=name, choices=choices)
        return value
    values = _split(value) if isinstance(value, str) else value if isinstance(value, list) else [value]
    if any(v not in definition.options for v in values):
        raise BadInput("only_from", field=name, choices=choices)
    return sorted(set(values)) or None


def as_cell(value: Any) -> str:
    """A stored value as an exported cell, in the form `check_value` reads back: choices joined by commas."""
    if value is None:
        return ""
    return ",".join(value) if isinstance(value, list) else str(value)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _number(value: Any, name: str) -> float:
    """A finite number: JSON and PostgreSQL's jsonb hold no NaN or infinity, and `1e999` is infinity."""
    try:
        number = float(value) if isinstance(value, int | float | str) and not isinstance(value, bool) else math.nan
    except (ValueError, OverflowError):
        number = math.nan
    if not math.isfinite(number):
        raise BadInput("not_a_number", field=name)
    return number


def _options(values: list[str]) -> list[str]:
    """Distinct options without commas: a multiple-choice value is written as its options joined by commas."""
    options: list[str] = []
    for i, value in enumerate(items(values, "options", MAX_OPTIONS)):
        field = f"options[{i}]"
        option = optional_text(value, field, 100)
        if option is None:
            continue
        if "," in option:
            raise BadInput("option_comma", field=field)
        if option in options:
            raise BadInput("option_repeated", field=field)
        options.append(option)
    return options


async def define(uow: UnitOfWork, principal: Principal, data: FieldInput) -> CustomFieldDefinition:
    principal.require_governs("customer:custom_field:create", None)  # every account carries it: company-wide
    if data.entity not in ENTITIES:
        raise BadInput("one_of", field="entity", choices=", ".join(ENTITIES))
    if len(data.key) > MAX_KEY:
        raise BadInput("too_long", field="key", maximum=MAX_KEY)
    if not KEY.fullmatch(data.key):
        raise BadInput("identifier", field="key")
    if data.type not in TYPES:
        raise BadInput("one_of", field="type", choices=", ".join(TYPES))
    options = _options(data.options)
    if data.type.endswith("choice") and not options:
        raise BadInput("required_field", field="options")
    if not data.label.strip():
        raise BadInput("required_field", field="label")
    definition = CustomFieldDefinition(
        entity=data.entity,
        key=data.key,
        label=required_text(data.label, "label", 100),
        label_zh=optional_text(data.label_zh, "labelZh", 100) or "",
        type=data.type,
        options=options,
        required=data.required,
    )
    if data.key in await definitions(uow, data.entity):
        raise Conflict("custom_field_exists", field="key")
    uow.session.add(definition)
    detail = {"entity": data.entity, "key": data.key, "type": data.type}
    await audit.record(uow, "custom_field.defined", "CustomField", definition.id, None, detail)
    return definition


async def listed(uow: UnitOfWork, principal: Principal, entity: str) -> list[CustomFieldDefinition]:
    principal.require("customer:account:read")
    return sorted((await definitions(uow, entity)).values(), key=lambda d: d.key)


async def definitions(uow: UnitOfWork, entity: str) -> dict[str, CustomFieldDefinition]:
    rows = await uow.session.scalars(select(CustomFieldDefinition).where(col(CustomFieldDefinition.entity) == entity))
    return {d.key: d for d in rows.all()}


async def cleaned(uow: UnitOfWork, entity: str, values: dict[str, Any] | None, creating: bool) -> dict[str, Any] | None:
    return clean(await definitions(uow, entity), values, creating)


def clean(
    definitions: dict[str, CustomFieldDefinition], values: dict[str, Any] | None, creating: bool
) -> dict[str, Any] | None:
    """Values checked against the definitions, None where one is cleared (`merged` drops it); unknown keys, and
    required ones missing or cleared, are refused."""
    if values is None and not creating:
        return None
    cleaned = {}
    for key, value in (values or {}).items():
        if key not in definitions:
            raise BadInput("unknown_custom_field", field=f"custom.{key}")
        cleaned[key] = check_value(definitions[key], value)
    for key, definition in definitions.items():
        if definition.required and cleaned.get(key) is None and (creating or key in cleaned):
            raise BadInput("required_field", field=f"custom.{key}")
    return cleaned


def merged(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A record's values after a change: a value of None clears one."""
    return {key: value for key, value in {**current, **changes}.items() if value is not None}
