"""Relay-style cursor connections (`edges { node cursor }`, `pageInfo`, `totalCount`)."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from crm_shared.errors import BadInput

T = TypeVar("T")
N = TypeVar("N")


@strawberry.federation.type(shareable=True, description="Shared by every subgraph's connections.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


Count = int | Callable[[], Awaitable[int]]


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Count]

    @strawberry.field(description="How many records match in all; counted only when asked for.")
    async def total_count(self) -> int:
        return self.count if isinstance(self.count, int) else await self.count()

    @classmethod
    def build(
        cls,
        rows: Sequence[Any],
        first: int,
        total_count: Count,
        cursor_of: Callable[[Any], list[Any]],
        node_of: Callable[[Any], T],
    ) -> Connection[T]:
        """`rows` holds up to first+1 rows; the extra one only says whether a next page exists."""
        page = rows[:first]
        edges = [Edge(node=node_of(row), cursor=encode_cursor(cursor_of(row))) for row in page]
        return cls(
            edges=edges,
            page_info=PageInfo(has_next_page=len(rows) > first, end_cursor=edges[-1].cursor if edges else None),
            count=total_count,
        )


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, json.JSONDecodeError) as exc:
        raise BadInput(field="after", reason="malformed cursor") from exc
    if not isinstance(values, list) or len(values) != size:
        raise BadInput(field="after", reason="malformed cursor")
    return values


def check_page_size(first: int, maximum: int = 200) -> int:
    if first < 1 or first > maximum:
        raise BadInput(field="first", reason=f"1..{maximum}")
    return first
