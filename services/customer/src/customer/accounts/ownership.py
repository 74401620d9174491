"""Ownership: transfers between representatives and the public pool (公海) with a claim limit."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select, text
from sqlmodel import col

from crm_contracts.customer import AccountOwnerChanged
from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.auth.directory import assignable
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.validate import note
from customer.accounts.models import Account, OwnershipChange, OwnershipKind
from customer.accounts.repository import Accounts
from customer.settings import CustomerSettings

MAX_BATCH = 500


async def change_owner(
    uow: UnitOfWork,
    account: Account,
    to_owner: uuid.UUID | None,
    kind: OwnershipKind,
    reason: str,
    actor: uuid.UUID | None,
) -> None:
    """The one place ownership changes: history row, event and audit record together."""
    before = account.owner_id
    account.owner_id = to_owner
    account.in_pool = to_owner is None
    account.pool_since = utcnow() if to_owner is None else None
    account.updated_at = utcnow()
    if to_owner is not None:
        account.last_followup_at = utcnow()  # a fresh owner gets the full follow-up period
    uow.session.add(
        OwnershipChange(
            account_id=account.id,
            from_owner_id=before,
            to_owner_id=to_owner,
            kind=kind,
            reason=note(reason, "reason", 500),
            actor_id=actor,
        )
    )
    await uow.publish(
        AccountOwnerChanged(id=account.id, from_owner_id=before, to_owner_id=to_owner, kind=kind.value, reason=reason)
    )
    await audit.record(
        uow,
        f"account.{kind}",
        "Account",
        account.id,
        {"ownerId": before},
        {"ownerId": to_owner},
        detail={"reason": reason},
    )


async def transfer(
    uow: UnitOfWork, principal: Principal, account_ids: list[uuid.UUID], to_user: uuid.UUID, reason: str = ""
) -> list[Account]:
    """Hand accounts to another representative (客户移交); all or none."""
    if not account_ids:
        raise BadInput("too_few_items", field="accountIds", minimum=1)
    if len(account_ids) > MAX_BATCH:
        raise BadInput("too_many_items", field="accountIds", maximum=MAX_BATCH)
    accounts = Accounts(uow, principal)
    wanted = list(dict.fromkeys(account_ids))
    # locked in one order by every transfer: two naming the same accounts in other orders wait, never deadlock
    locked = {account_id: await accounts.get(account_id, "transfer", lock=True) for account_id in sorted(wanted)}
    moved = [locked[account_id] for account_id in wanted]
    await assignable(uow, principal, "customer:account", to_user, "toUserId")
    for account in moved:
        if account.owner_id != to_user:
            await change_owner(uow, account, to_user, OwnershipKind.TRANSFER, reason, principal.user_id)
    return moved


async def release(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID, reason: str) -> Account:
    """Give an account up to the public pool."""
    if not reason.strip():
        raise BadInput("required_field", field="reason")
    principal.require("customer:pool:release")
    account = await Accounts(uow, principal).get(account_id, "update", lock=True)
    if account.in_pool:
        raise Conflict("account_in_pool")
    await change_owner(uow, account, None, OwnershipKind.RELEASE, reason, principal.user_id)
    return account


async def claim(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID, limit: int) -> Account:
    """Take an account from the pool, within the per-representative limit."""
    principal.require("customer:pool:claim")
    account = await uow.session.get(Account, account_id, with_for_update=True)
    # one held by someone outside the caller's scope is not there for them, as it is for every other request
    if account is None or account.deleted_at is not None or not await Accounts(uow, principal).reaches(account):
        raise NotFound(entity="Account")
    if not account.in_pool:
        raise Conflict("account_not_in_pool")
    # one claim of a representative at a time: claims sent together must not all count the same holdings
    await uow.session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"claim:{principal.user_id}"}
    )
    claimed = await uow.session.scalar(
        select(func.count())
        .select_from(OwnershipChange)
        .where(
            col(OwnershipChange.kind) == OwnershipKind.CLAIM,
            col(OwnershipChange.to_owner_id) == principal.user_id,
            col(OwnershipChange.account_id).in_(
                select(col(Account.id)).where(col(Account.owner_id) == principal.user_id)
            ),
        )
    )
    if (claimed or 0) >= limit:
        raise Conflict("claim_limit", limit=limit)
    await change_owner(uow, account, principal.user_id, OwnershipKind.CLAIM, "", principal.user_id)
    return account


async def return_idle(uow: UnitOfWork, settings: CustomerSettings) -> int:
    """Accounts nobody followed up for `pool_return_days` go back to the pool (scheduled)."""
    cutoff = utcnow() - dt.timedelta(days=settings.pool_return_days)
    idle = (
        await uow.session.scalars(
            select(Account)
            .where(
                col(Account.in_pool).is_(False),
                col(Account.deleted_at).is_(None),
                func.coalesce(Account.last_followup_at, Account.created_at) < cutoff,  # ix_accounts_idle_since
            )
            .limit(MAX_BATCH)
            .with_for_update(skip_locked=True)
        )
    ).all()
    reason = f"no follow-up for {settings.pool_return_days} days"
    for account in idle:
        await change_owner(uow, account, None, OwnershipKind.AUTO_RETURN, reason, None)
    return len(idle)
