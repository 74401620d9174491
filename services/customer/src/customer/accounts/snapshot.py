"""What an account looks like in events and audit records: no personal data, only that it exists."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from sqlmodel import col, select

from crm_contracts.customer import AccountReconciled, AccountSnapshot, AccountUpdated
from crm_shared.db.engine import UnitOfWork
from crm_shared.rows import from_row
from customer.accounts.models import Account
from customer.channels import contact_details

S = TypeVar("S", bound=AccountSnapshot)


def snapshot_event(kind: type[S], account: Account, **extra: Any) -> S:
    return from_row(kind, account, **contact_details(account), **extra)


def account_snapshot(account: Account) -> dict[str, Any]:
    """The same fields as the events carry, for audit records."""
    return snapshot_event(AccountUpdated, account).data()


async def reconciliation_snapshots(uow: UnitOfWork, run_id: uuid.UUID) -> AsyncIterator[AccountReconciled]:
    """Every live account (not deleted, not merged away), for a reconciliation run after a restore."""
    live = (
        select(Account)
        .where(col(Account.deleted_at).is_(None), col(Account.merged_into_id).is_(None))
        .order_by(col(Account.id))
        .execution_options(yield_per=1000)
    )
    async for account in await uow.session.stream_scalars(live):
        yield snapshot_event(AccountReconciled, account, run_id=run_id)
