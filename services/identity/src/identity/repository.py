"""Identity's repositories: users are scoped by their unit; the rest is guarded by permission alone."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, true

from crm_shared.db.repository import Repository

M = TypeVar("M")


class Unscoped(Repository[M]):
    """Rows with no owner (units, roles, keys, the audit log): whoever holds the permission sees them all."""

    async def reaches(self, row: M) -> bool:
        return True

    async def visible(self) -> ColumnElement[bool]:
        return true()
