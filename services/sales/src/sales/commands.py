"""Service commands filled by name from what a caller sent: a GraphQL input or a REST body."""

from __future__ import annotations

import dataclasses
import uuid
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

C = TypeVar("C", bound="DataclassInstance")


def uid(value: str | uuid.UUID | None) -> uuid.UUID | None:
    """An optional ID as a UUID; an empty one is no ID."""
    return uuid.UUID(str(value)) if value else None


def _value(source: object, f: dataclasses.Field[Any]) -> Any:
    """An input's value as the command holds it: IDs as UUIDs, an empty one None only where the command allows it."""
    value = getattr(source, f.name)
    if f.name.endswith("_ids"):
        return [uuid.UUID(str(v)) for v in value]
    if not f.name.endswith("_id"):
        return value
    required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    return uuid.UUID(str(value)) if required else uid(value)


def command(source: object, cls: type[C], **overrides: Any) -> C:
    """The command filled by name from the input's fields, so no input lists its fields twice."""
    names = (f for f in dataclasses.fields(cls) if f.name not in overrides and hasattr(source, f.name))
    return cls(**{f.name: _value(source, f) for f in names}, **overrides)
