"""Saved views as their owner sees them: their own, and for reading those shared with their unit."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, func, or_, select
from sqlmodel import col

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from crm_shared.db.repository import Repository
from crm_shared.errors import NotFound
from customer.saved_views.models import SavedView


class SavedViews(Repository[SavedView]):
    model = SavedView
    resource = "customer:saved_view"  # checked per list (see the service), not as a permission of its own

    def __init__(self, uow: UnitOfWork, principal: Principal) -> None:
        super().__init__(uow, principal)
        self.me = principal

    async def get(self, row_id: uuid.UUID, action: str = "update", *, lock: bool = False) -> SavedView:
        """One of the caller's views; anyone else's answers NOT_FOUND, shared or not."""
        view = await self.session.get(SavedView, row_id, with_for_update=lock)
        if view is None or view.owner_id != self.me.user_id:
            raise NotFound(entity=self.entity)
        return view

    async def visible(self) -> ColumnElement[bool]:
        mine = col(SavedView.owner_id) == self.me.user_id
        return or_(mine, col(SavedView.unit_id) == self.me.unit_id) if self.me.unit_id else mine

    async def of_list(self, list_key: str) -> list[SavedView]:
        query = await self.select(col(SavedView.list_key) == list_key)
        return list((await self.session.scalars(query.order_by(col(SavedView.name), col(SavedView.id)))).all())

    async def count_own(self, list_key: str) -> int:
        query = select(func.count()).where(*self._own(list_key))
        return int(await self.session.scalar(query) or 0)

    async def name_taken(self, list_key: str, name: str, except_id: uuid.UUID) -> bool:
        query = select(col(SavedView.id)).where(
            *self._own(list_key), col(SavedView.name) == name, col(SavedView.id) != except_id
        )
        return await self.session.scalar(query) is not None

    def _own(self, list_key: str) -> tuple[ColumnElement[bool], ...]:
        return col(SavedView.owner_id) == self.me.user_id, col(SavedView.list_key) == list_key
