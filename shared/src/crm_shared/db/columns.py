"""Column helpers for the services' tables: exact amounts, arrays, JSON and enums stored as text."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Date, Dialect, Numeric, String, TypeDecorator
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field


def money(nullable: bool = False, index: bool = False) -> Any:
    """Exact amounts: numeric(18, 2), never floats."""
    return Field(
        default=None if nullable else Decimal(0), sa_column=Column(Numeric(18, 2), nullable=nullable, index=index)
    )


def unbounded() -> Any:
    """Numeric without a fixed precision, for what amounts make together: a sum of many (a rollup, a forecast)
    that no amount's numeric(18, 2) holds (two of 9999999999999999.99 overflow it), a ratio of two."""
    return Field(default=Decimal(0), sa_column=Column(Numeric(), nullable=False))


def quantity() -> Any:
    return Field(default=Decimal(1), sa_column=Column(Numeric(14, 4), nullable=False))


def rate() -> Any:
    """Percentages and probabilities: numeric(5, 2)."""
    return Field(default=Decimal(0), sa_column=Column(Numeric(5, 2), nullable=False))


def strings(length: int = 100) -> Any:
    return Field(default_factory=list, sa_column=Column(ARRAY(String(length)), nullable=False))


def dates() -> Any:
    return Field(default_factory=list, sa_column=Column(ARRAY(Date()), nullable=False))


def json_value(default: Any = list) -> Any:
    return Field(default_factory=default, sa_column=Column(JSONB, nullable=False))


class _Enum(TypeDecorator[StrEnum]):
    """A varchar on disk, the enum in Python (a filter on an unknown value matches nothing)."""

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
    """Nullable only without a default."""
    return Field(default=default, sa_column=Column(_Enum(enum, length), nullable=default is None, index=index))
