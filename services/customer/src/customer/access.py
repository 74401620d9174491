"""Who sees which accounts: the owner's data scope, plus the public pool for those allowed to browse it."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared.auth import Principal
from crm_shared.auth.directory import scope_filter, unit_of
from crm_shared.db import UnitOfWork
from crm_shared.errors import NotFound
from customer.accounts.models import Account

RESOURCE = "customer:account"


async def visible_accounts(session: AsyncSession, principal: Principal) -> ColumnElement[bool]:
    """WHERE clause: live accounts within the caller's scope, and pool accounts for pool readers."""
    owned = await scope_filter(session, principal, RESOURCE, Account.owner_id)  # pool accounts have no owner
    if principal.can("customer:pool:read"):
        visible = or_(owned, Account.in_pool)  # indexable on both sides, unlike a nested AND
    else:
        visible = and_(owned, Account.in_pool.is_(False))  # type: ignore[attr-defined]
    return and_(Account.deleted_at.is_(None), visible)  # type: ignore[union-attr]


async def may_access(uow: UnitOfWork, principal: Principal, account: Account) -> bool:
    if account.in_pool:
        return principal.can("customer:pool:read")
    return principal.may_access(RESOURCE, account.owner_id, await unit_of(uow, account.owner_id))


async def load_account(
    uow: UnitOfWork,
    principal: Principal,
    account_id: uuid.UUID,
    permission: str,
    deleted: bool = False,
    lock: bool = False,
) -> Account:
    """The account if the caller holds `permission` and reaches it; NOT_FOUND otherwise (never the object)."""
    principal.require(permission)
    account = await uow.session.get(Account, account_id, with_for_update=lock)
    if account is None or (account.deleted_at is not None) != deleted or account.merged_into_id:
        raise NotFound(entity="Account")
    if not await may_access(uow, principal, account):
        raise NotFound(entity="Account")
    return account
