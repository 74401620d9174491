"""Row ids as GraphQL IDs."""

from __future__ import annotations

import strawberry


def gid(value: object | None) -> strawberry.ID | None:
    """The GraphQL ID of a row's id or reference; an empty reference stays None."""
    return strawberry.ID(str(value)) if value else None
