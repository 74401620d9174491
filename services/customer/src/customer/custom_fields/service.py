"""Defining custom fields, and checking the values records carry for them."""

from __future__ import annotations

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
    """The value in its stored form, or BAD_USER_INPUT naming `custom.<key>`."""
    name = f"custom.{definition.key}"
    kind = definition.type
    if kind == "text":
        text = str(value).strip()
        if len(text) > 1000:
            raise BadInput("too_long", field=name, maximum=1000)
        return text
    if kind == "number":
        return _number(value, name)
    if kind == "date":
        return date_of(value, name).isoformat()
    choices = ", ".join(definition.options)
    if kind == "single_choice":
        if value not in definition.options:
            raise BadInput("one_of", field=name, choices=choices)
        return value
    values = value if isinstance(value, list) else [v.strip() for v in str(value).split(",") if v.strip()]
    if any(v not in definition.options for v in values):
        raise BadInput("only_from", field=name, choices=choices)
    return sorted(set(values))


def _number(value: Any, name: str) -> float:
    try:
        if not isinstance(value, bool):
            return float(value)
    except (TypeError, ValueError):
        pass
    raise BadInput("not_a_number", field=name)


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
    if data.type.endswith("choice") and not data.options:
        raise BadInput("required_field", field="options")
    if not data.label.strip():
        raise BadInput("required_field", field="label")
    definition = CustomFieldDefinition(
        entity=data.entity,
        key=data.key,
        label=required_text(data.label, "label", 100),
        label_zh=optional_text(data.label_zh, "labelZh", 100) or "",
        type=data.type,
        options=[o for o in (optional_text(o, "options", 100) for o in items(data.options, "options", 200)) if o],
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
    """Values checked against the definitions; unknown keys and missing required ones are refused."""
    if values is None and not creating:
        return None
    cleaned = {}
    for key, value in (values or {}).items():
        if key not in definitions:
            raise BadInput("unknown_custom_field", field=f"custom.{key}")
        if value is not None and value != "":
            cleaned[key] = check_value(definitions[key], value)
    if creating:
        for key, definition in definitions.items():
            if definition.required and key not in cleaned:
                raise BadInput("required_field", field=f"custom.{key}")
    return cleaned
