"""Models built from a row by field name, so a type's fields are listed once, in its declaration."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


@functools.cache
def field_names(cls: type) -> tuple[str, ...]:
    """The names a dataclass (and so a strawberry type) or a pydantic model is constructed with; asked for each row
    of a page, answered once per type."""
    if issubclass(cls, BaseModel):
        return tuple(cls.model_fields)
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls) if f.init)
    raise TypeError(f"{cls.__name__} is neither a pydantic model nor a dataclass")


def row_values(cls: type, row: object, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The values of `cls`'s fields read from the same-named attributes of `row`; what the row lacks is left out."""
    skipped = set(skip)
    return {name: getattr(row, name) for name in field_names(cls) if name not in skipped and hasattr(row, name)}


def from_row(cls: type[T], row: object, /, **overrides: Any) -> T:
    """`cls` with each field read from the same-named attribute of `row`, but for those `overrides` set."""
    return cls(**row_values(cls, row, overrides), **overrides)
