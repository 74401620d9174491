"""Lifecycle stages (潜在 → 新 → 活跃 → 忠诚 → 流失): manual changes with a reason and the automatic rules."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput
from crm_shared.events import CloudEvent
from customer.access import RESOURCE, load_account
from customer.accounts.models import STAGES, Account, LifecycleChange
from customer.events import ACCOUNT_TOPIC, event
from customer.settings import CustomerSettings

LIVE = ("new", "active", "loyal")


async def move(uow: UnitOfWork, account: Account, to: str, reason: str, actor: uuid.UUID | None) -> bool:
    """The one place a stage changes: history, event and audit record together."""
    if account.lifecycle_stage == to:
        return False
    before = account.lifecycle_stage
    account.lifecycle_stage = to
    account.updated_at = utcnow()
    uow.session.add(
        LifecycleChange(
            account_id=account.id,
            from_stage=before,
            to_stage=to,
            reason=reason[:500],
            automatic=actor is None,
            actor_id=actor,
        )
    )
    data = {"id": str(account.id), "from": before, "to": to, "reason": reason, "automatic": actor is None}
    await uow.emit(ACCOUNT_TOPIC, event("account.lifecycle_changed", account.id, data))
    await audit.record(
        uow,
        "account.lifecycle_changed",
        "Account",
        account.id,
        {"lifecycleStage": before},
        {"lifecycleStage": to},
        detail={"reason": reason},
    )
    return True


class LifecycleService:
    def __init__(self, db: Database, settings: CustomerSettings) -> None:
        self.db = db
        self.settings = settings

    async def change(self, principal: Principal, account_id: uuid.UUID, stage: str, reason: str) -> Account:
        if stage not in STAGES:
            raise BadInput(field="stage", reason=", ".join(STAGES))
        if not reason.strip():
            raise BadInput("required_field", field="reason")
        async with self.db.unit_of_work() as uow:
            account = await load_account(uow, principal, account_id, f"{RESOURCE}:update", lock=True)
            await move(uow, account, stage, reason.strip(), principal.user_id)
        return account

    async def history(self, principal: Principal, account_id: uuid.UUID) -> list[LifecycleChange]:
        async with self.db.unit_of_work() as uow:
            await load_account(uow, principal, account_id, f"{RESOURCE}:read")
            rows = await uow.session.scalars(
                select(LifecycleChange)
                .where(LifecycleChange.account_id == account_id)
                .order_by(LifecycleChange.at.desc())  # type: ignore[attr-defined]
            )
            return list(rows.all())

    async def on_order(self, uow: UnitOfWork, order: CloudEvent) -> None:
        """crm.sales.order `order.created`: the first order makes a prospect a new customer."""
        account_id = order.data.get("accountId")
        account = await uow.session.get(Account, uuid.UUID(account_id), with_for_update=True) if account_id else None
        if account is None:
            return
        account.last_order_at = order.time
        if account.lifecycle_stage in ("prospect", "at_risk", "churned"):
            target = "new" if account.lifecycle_stage == "prospect" else "active"
            await move(uow, account, target, "order placed", None)

    async def apply_inactivity_rules(self) -> int:
        """Live accounts with no activity or order for a while become at risk, then churned (scheduler)."""
        now = utcnow()
        changed = 0
        async with self.db.unit_of_work() as uow:
            last_touch = func.greatest(Account.last_followup_at, Account.last_order_at, Account.created_at)
            for stages, days, target in (
                (LIVE, self.settings.at_risk_days, "at_risk"),
                ((*LIVE, "at_risk"), self.settings.churn_days, "churned"),
            ):
                rows = await uow.session.scalars(
                    select(Account)
                    .where(
                        Account.lifecycle_stage.in_(stages),
                        Account.deleted_at.is_(None),  # type: ignore[attr-defined,union-attr]
                        last_touch < now - dt.timedelta(days=days),
                    )
                    .limit(1000)
                    .with_for_update(skip_locked=True)
                )
                for account in rows.all():
                    changed += await move(uow, account, target, f"no activity or order for {days} days", None)
        return changed
