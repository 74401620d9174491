"""Row ids as GraphQL IDs."""

from __future__ import annotations

import uuid

import strawberry


def gid(value: object | None) -> strawberry.ID | None:
    """The GraphQL ID of a row's id or reference; an empty reference stays None."""
    return strawberry.ID(str(value)) if value else None


def uid(value: strawberry.ID) -> uuid.UUID:
    """A GraphQL ID as the row id it names (the input policy has checked its form)."""
    return uuid.UUID(str(value))


def optional_uid(value: strawberry.ID | None) -> uuid.UUID | None:
    return uid(value) if value is not None else None
