"""Relay-style cursor connections (`edges { node cursor }`, `pageInfo`, `totalCount`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

from crm_shared.db.pages import EXACT_UP_TO, Count, Page

T = TypeVar("T")


@strawberry.federation.type(shareable=True, description="Shared by every subgraph's connections.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[Count]]]

    @strawberry.field(
        description=f"How many records match in all; counted only when asked for, exactly up to {EXACT_UP_TO:,} "
        "and estimated above (see totalCountIsExact)."
    )
    async def total_count(self) -> int:
        return (await self.count()).value

    @strawberry.field(
        description=f"False when totalCount is an estimate (more than {EXACT_UP_TO:,} matches): show it as about."
    )
    async def total_count_is_exact(self) -> bool:
        return (await self.count()).exact

    @classmethod
    def of(cls, page: Page[Any], node_of: Callable[[Any], T]) -> Connection[T]:
        """The connection of one keyset page; totalCount runs its count only when selected."""
        edges = [Edge(node=node_of(row), cursor=cursor) for row, cursor in zip(page.items, page.cursors, strict=True)]
        end = edges[-1].cursor if edges else None
        return cls(edges=edges, page_info=PageInfo(has_next_page=page.has_next, end_cursor=end), count=page.count)
