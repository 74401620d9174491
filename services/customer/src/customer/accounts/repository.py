"""Who sees which accounts: the owner's data scope, plus the public pool for those allowed to browse it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlmodel import col

from crm_shared.auth.principal import DataScope
from crm_shared.db.repository import Repository
from crm_shared.errors import Conflict, NotFound
from customer.accounts.models import Account

POOL_ACTIONS = ("read", "transfer")  # what may be done to an account in the public pool by anyone who sees it


class Accounts(Repository[Account]):
    model = Account
    resource = "customer:account"

    def alive(self, row: Account) -> bool:
        """Deleted and merged-away accounts do not exist for readers."""
        return row.deleted_at is None and row.merged_into_id is None

    async def check(self, row: Account | None, action: str = "read") -> Account:
        """As any record; a pool account is only read, claimed or assigned (`transfer`) until someone holds it, except
        by those whose scope is every account: no representative deletes, merges away or changes one nobody holds."""
        found = await super().check(row, action)
        if found.in_pool and action not in POOL_ACTIONS and not self._over_all():
            raise Conflict("account_in_pool")
        return found

    def _over_all(self) -> bool:
        return self.principal is None or self.principal.scope(self.resource) is DataScope.ALL

    async def reaches(self, row: Account) -> bool:
        if row.in_pool:
            return self.principal is None or self.principal.can("customer:pool:read")
        return await super().reaches(row)

    async def visible(self) -> ColumnElement[bool]:
        """Live accounts within the caller's scope, and pool accounts for pool readers."""
        owned = await super().visible()  # pool accounts have no owner
        if self.principal is None or self.principal.can("customer:pool:read"):
            visible = or_(owned, col(Account.in_pool))  # indexable on both sides, unlike a nested AND
        else:
            visible = and_(owned, col(Account.in_pool).is_(False))
        return and_(col(Account.deleted_at).is_(None), visible)

    async def in_scope(self) -> ColumnElement[bool]:
        """Live accounts the caller's data scope covers, without the public pool."""
        return and_(await super().visible(), col(Account.deleted_at).is_(None), col(Account.in_pool).is_(False))

    async def deleted(self, account_id: uuid.UUID) -> Account:
        """A soft-deleted account the caller may restore; NOT_FOUND for any other."""
        if self.principal is not None:
            self.principal.require(f"{self.resource}:delete")
        row = await self.session.get(Account, account_id, with_for_update=True)
        if row is None or row.deleted_at is None or row.merged_into_id or not await self.reaches(row):
            raise NotFound(entity=self.entity)
        return row

    async def matching(self, *keys: Any, limit: int | None = None) -> list[Account]:
        """Live accounts matching any of `keys`, whoever owns them (duplicate detection)."""
        query = select(Account).where(or_(*keys), col(Account.deleted_at).is_(None))
        return list((await self.session.scalars(query.limit(limit))).all())
