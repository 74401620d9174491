"""Ownership: transfers between representatives and the public pool (公海) with a claim limit."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.auth.directory import DirectoryUser
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, Conflict, NotFound
from customer.access import RESOURCE, load_account
from customer.accounts.models import Account, OwnershipChange
from customer.events import ACCOUNT_TOPIC, event
from customer.settings import CustomerSettings

MAX_BATCH = 500


async def change_owner(
    uow: UnitOfWork,
    account: Account,
    to_owner: uuid.UUID | None,
    kind: str,
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
            reason=reason[:500],
            actor_id=actor,
        )
    )
    data = {
        "id": str(account.id),
        "fromOwnerId": str(before) if before else None,
        "toOwnerId": str(to_owner) if to_owner else None,
        "kind": kind,
        "reason": reason,
    }
    await uow.emit(ACCOUNT_TOPIC, event("account.owner_changed", account.id, data))
    await audit.record(
        uow,
        f"account.{kind}",
        "Account",
        account.id,
        {"ownerId": before},
        {"ownerId": to_owner},
        detail={"reason": reason},
    )


class OwnershipService:
    def __init__(self, db: Database, settings: CustomerSettings) -> None:
        self.db = db
        self.settings = settings

    async def transfer(
        self, principal: Principal, account_ids: list[uuid.UUID], to_user: uuid.UUID, reason: str = ""
    ) -> list[Account]:
        """Hand accounts to another representative (客户移交); all or none."""
        if not account_ids or len(account_ids) > MAX_BATCH:
            raise BadInput(field="accountIds", reason=f"1-{MAX_BATCH} accounts")
        async with self.db.unit_of_work() as uow:
            target = await uow.session.get(DirectoryUser, to_user)
            if target is None or not target.is_active:
                raise BadInput("unknown_user", field="toUserId")
            moved = []
            for account_id in dict.fromkeys(account_ids):
                account = await load_account(uow, principal, account_id, f"{RESOURCE}:transfer", lock=True)
                if account.owner_id != to_user:
                    await change_owner(uow, account, to_user, "transfer", reason, principal.user_id)
                moved.append(account)
        return moved

    async def release(self, principal: Principal, account_id: uuid.UUID, reason: str) -> Account:
        """Give an account up to the public pool."""
        if not reason.strip():
            raise BadInput("required_field", field="reason")
        async with self.db.unit_of_work() as uow:
            principal.require("customer:pool:release")
            account = await load_account(uow, principal, account_id, f"{RESOURCE}:update", lock=True)
            if account.in_pool:
                raise Conflict("account_in_pool")
            await change_owner(uow, account, None, "release", reason, principal.user_id)
        return account

    async def claim(self, principal: Principal, account_id: uuid.UUID) -> Account:
        """Take an account from the pool, within the per-representative limit."""
        principal.require("customer:pool:claim")
        async with self.db.unit_of_work() as uow:
            account = await uow.session.get(Account, account_id, with_for_update=True)
            if account is None or account.deleted_at is not None or not principal.can("customer:pool:read"):
                raise NotFound(entity="Account")
            if not account.in_pool:
                raise Conflict("account_not_in_pool")
            claimed = await uow.session.scalar(
                select(func.count())
                .select_from(OwnershipChange)
                .where(
                    OwnershipChange.kind == "claim",
                    OwnershipChange.to_owner_id == principal.user_id,
                    OwnershipChange.account_id.in_(select(Account.id).where(Account.owner_id == principal.user_id)),  # type: ignore[attr-defined]
                )
            )
            if (claimed or 0) >= self.settings.pool_claim_limit:
                raise Conflict("claim_limit", limit=self.settings.pool_claim_limit)
            await change_owner(uow, account, principal.user_id, "claim", "", principal.user_id)
        return account

    async def return_idle(self) -> int:
        """Accounts nobody followed up for `pool_return_days` go back to the pool (scheduler)."""
        cutoff = utcnow().timestamp() - self.settings.pool_return_days * 86400
        async with self.db.unit_of_work() as uow:
            idle = (
                await uow.session.scalars(
                    select(Account)
                    .where(
                        Account.in_pool.is_(False),
                        Account.deleted_at.is_(None),  # type: ignore[attr-defined,union-attr]
                        func.extract("epoch", func.coalesce(Account.last_followup_at, Account.created_at)) < cutoff,
                    )
                    .limit(MAX_BATCH)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for account in idle:
                await change_owner(
                    uow, account, None, "auto_return", f"no follow-up for {self.settings.pool_return_days} days", None
                )
            return len(idle)
