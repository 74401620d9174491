"""The base repository: every object read through it is checked against the caller's data scope.

A repository is bound to one unit of work and one caller. `get` answers NOT_FOUND for an object
outside the caller's scope exactly as for a missing one, so nobody learns that it exists;
`visible()` is the same rule as a WHERE clause for lists and counts. With no caller (an event
handler, a scheduled job) the service acts for itself and sees everything.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, literal, or_, select, true

from crm_shared.auth.directory import scope_filter, unit_of
from crm_shared.auth.principal import Principal
from crm_shared.db.engine import UnitOfWork
from crm_shared.db.pages import Order, Page, page
from crm_shared.errors import NotFound
from crm_shared.validate import like_pattern

M = TypeVar("M")


class Repository(Generic[M]):
    """Subclasses name their `model` and `resource` (`sales:opportunity`); rows have an owner."""

    model: ClassVar[type[Any]]
    resource: ClassVar[str]
    owner_field: ClassVar[str] = "owner_id"

    def __init__(self, uow: UnitOfWork, principal: Principal | None = None) -> None:
        self.uow = uow
        self.session = uow.session
        self.principal = principal

    @property
    def entity(self) -> str:
        return str(self.model.__name__)

    async def get(self, row_id: uuid.UUID, action: str = "read", *, lock: bool = False) -> M:
        """The row if the caller holds `<resource>:<action>` and reaches it; NOT_FOUND otherwise. Every action
        also needs `read`: the row comes back to the caller (an updated record, a deleted one's last state)."""
        return await self.check(await self.session.get(self.model, row_id, with_for_update=lock), action)

    async def check(self, row: M | None, action: str = "read") -> M:
        """`get`'s rule for a row already read, so a batch read in one statement (an import's) obeys it too."""
        if self.principal is not None:
            self.principal.require(f"{self.resource}:{action}")
            if action != "read":
                self.principal.require(f"{self.resource}:read")
        if row is None or not self.alive(row) or not await self.reaches(row):
            raise NotFound(entity=self.entity)
        return row

    async def get_many(self, row_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, M]:
        """`get` for many rows in one statement (the records a page names): those the caller may read, by
        `visible`, the same rule as `reaches`. A repository whose `get` checks more does not offer it."""
        if self.principal is not None:
            self.principal.require(f"{self.resource}:read")
        wanted = set(row_ids)
        if not wanted:
            return {}
        rows = await self.session.scalars(await self.select(self.model.id.in_(wanted)))
        return {row.id: row for row in rows.all() if self.alive(row)}

    def alive(self, row: M) -> bool:
        """Soft-deleted rows do not exist for readers."""
        return getattr(row, "deleted_at", None) is None

    async def reaches(self, row: M) -> bool:
        """Object-level scope: the owner is the caller, in the caller's unit or below, or scope is all."""
        if self.principal is None:
            return True
        owner = getattr(row, self.owner_field)
        # once per owner in the unit of work: a batch (an import's rows) shares a handful of owners
        unit = await self.uow.read_once(("unit_of", owner), lambda: unit_of(self.uow, owner))
        return self.principal.may_access(self.resource, owner, unit)

    async def visible(self) -> ColumnElement[bool]:
        """The same rule as `reaches`, as a WHERE clause."""
        if self.principal is None:
            return true()
        return await scope_filter(self.session, self.principal, self.resource, getattr(self.model, self.owner_field))

    async def select(self, *where: Any) -> Select[Any]:
        """Visible rows of the model matching `where`."""
        return select(self.model).where(await self.visible(), *where)

    async def page(self, query: Select[Any], order: Order, first: int, after: str | None) -> Page[M]:
        return await page(self.uow, query, order, first, after)


def contains_text(text: str, *columns: Any, inline: bool = False) -> ColumnElement[bool]:
    """Rows where any of `columns` contains `text` literally, case-insensitively: `%` and `_` are no wildcards.

    `inline` writes the pattern into the statement (quoted), so each search is planned for its own pattern: a
    trigram index then serves a rare one, where a cached plan for any pattern may walk the sort order instead.
    """
    pattern = like_pattern(text.strip())
    if inline:
        return or_(*(column.ilike(literal(pattern, literal_execute=True), escape="\\") for column in columns))
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))
