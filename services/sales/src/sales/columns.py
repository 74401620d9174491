"""Column helpers shared by the sales tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Numeric, String
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field


def money(nullable: bool = False, index: bool = False) -> Any:
    """Exact amounts: numeric(18, 2), never floats."""
    return Field(
        default=None if nullable else Decimal(0), sa_column=Column(Numeric(18, 2), nullable=nullable, index=index)
    )


def quantity() -> Any:
    return Field(default=Decimal(1), sa_column=Column(Numeric(14, 4), nullable=False))


def rate() -> Any:
    """Percentages and probabilities: numeric(5, 2)."""
    return Field(default=Decimal(0), sa_column=Column(Numeric(5, 2), nullable=False))


def strings(length: int = 100) -> Any:
    return Field(default_factory=list, sa_column=Column(ARRAY(String(length)), nullable=False))


def json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
