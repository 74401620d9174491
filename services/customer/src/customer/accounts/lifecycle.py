"""Lifecycle stages (潜在 → 新 → 活跃 → 忠诚 → 流失): manual changes with a reason and the automatic rules."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlmodel import col

from crm_contracts.customer import LifecycleStage
from crm_contracts.sales import OrderCreated
from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.errors import BadInput
from crm_shared.validate import note
from customer.accounts.models import Account, LifecycleChange, stage_of
from customer.accounts.repository import Accounts
from customer.events import AccountLifecycleChanged
from customer.settings import CustomerSettings

LIVE = (LifecycleStage.NEW, LifecycleStage.ACTIVE, LifecycleStage.LOYAL)
LAPSED = (LifecycleStage.PROSPECT, LifecycleStage.AT_RISK, LifecycleStage.CHURNED)


def after_order(stage: str) -> LifecycleStage | None:
    """An order makes a prospect a new customer and wins back one at risk or churned."""
    if stage not in LAPSED:
        return None
    return LifecycleStage.NEW if stage == LifecycleStage.PROSPECT else LifecycleStage.ACTIVE


async def move(uow: UnitOfWork, account: Account, to: LifecycleStage, reason: str, actor: uuid.UUID | None) -> bool:
    """The one place a stage changes: history, event and audit record together."""
    if account.lifecycle_stage == to:
        return False
    before = account.lifecycle_stage
    account.lifecycle_stage = to
    account.updated_at = utcnow()
    automatic = actor is None
    uow.session.add(
        LifecycleChange(
            account_id=account.id,
            from_stage=before,
            to_stage=to,
            reason=note(reason, "reason", 500),
            automatic=automatic,
            actor_id=actor,
        )
    )
    await uow.publish(
        AccountLifecycleChanged(id=account.id, from_stage=before, to=to, reason=reason, automatic=automatic)
    )
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


async def change(uow: UnitOfWork, principal: Principal, account_id: uuid.UUID, stage: str, reason: str) -> Account:
    to = stage_of(stage, "stage")
    if not reason.strip():
        raise BadInput("required_field", field="reason")
    account = await Accounts(uow, principal).get(account_id, "update", lock=True)
    await move(uow, account, to, reason.strip(), principal.user_id)
    return account


async def history(uow: UnitOfWork, account: Account) -> list[LifecycleChange]:
    """The stages an account the caller has read (an `Account` resolved for them) went through, newest first."""
    rows = await uow.session.scalars(
        select(LifecycleChange)
        .where(col(LifecycleChange.account_id) == account.id)
        .order_by(col(LifecycleChange.at).desc())
    )
    return list(rows.all())


async def on_order(uow: UnitOfWork, order: OrderCreated) -> None:
    """The first order makes a prospect a new customer; an order revives one at risk or churned."""
    account = await uow.session.get(Account, order.account_id, with_for_update=True)
    if account is None:
        return
    account.last_order_at = order.time
    target = after_order(account.lifecycle_stage)
    if target is not None:
        await move(uow, account, target, "order placed", None)


async def apply_inactivity_rules(uow: UnitOfWork, settings: CustomerSettings) -> int:
    """Live accounts with no activity or order for a while become at risk, then churned (scheduled)."""
    now = utcnow()
    changed = 0
    last_touch = func.greatest(Account.last_followup_at, Account.last_order_at, Account.created_at)  # as indexed
    for stages, days, target in (
        (LIVE, settings.at_risk_days, LifecycleStage.AT_RISK),
        ((*LIVE, LifecycleStage.AT_RISK), settings.churn_days, LifecycleStage.CHURNED),
    ):
        rows = await uow.session.scalars(
            select(Account)
            .where(
                col(Account.lifecycle_stage).in_(stages),
                col(Account.deleted_at).is_(None),
                last_touch < now - dt.timedelta(days=days),
            )
            .limit(1000)
            .with_for_update(skip_locked=True)
        )
        for account in rows.all():
            changed += await move(uow, account, target, f"no activity or order for {days} days", None)
    return changed
