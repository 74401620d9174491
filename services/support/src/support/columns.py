"""Column helpers shared by the support tables."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Date, Dialect, String, TypeDecorator
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field


def strings(length: int = 100) -> Any:
    return Field(default_factory=list, sa_column=Column(ARRAY(String(length)), nullable=False))


def dates() -> Any:
    return Field(default_factory=list, sa_column=Column(ARRAY(Date()), nullable=False))


def json_value(default: Any = list) -> Any:
    return Field(default_factory=default, sa_column=Column(JSONB, nullable=False))


class _Enum(TypeDecorator[StrEnum]):
    """A varchar on disk, the enum in Python."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)


def enum_column(enum: type[StrEnum], default: StrEnum | None, length: int = 20, index: bool = False) -> Any:
    return Field(default=default, sa_column=Column(_Enum(enum, length), nullable=default is None, index=index))
