"""What an account looks like in events and audit records: no personal data, only that it exists."""

from __future__ import annotations

from typing import Any, TypeVar

from crm_contracts.customer import AccountSnapshot, AccountUpdated
from customer.accounts.models import Account

S = TypeVar("S", bound=AccountSnapshot)


def snapshot_event(kind: type[S], account: Account) -> S:
    return kind(
        id=account.id,
        name=account.name,
        industry=account.industry,
        size=account.size,
        province=account.province,
        city=account.city,
        level=account.level,
        source=account.source,
        tags=list(account.tags),
        lifecycle_stage=account.lifecycle_stage,
        owner_id=account.owner_id,
        in_pool=account.in_pool,
        has_phone=account.phone_enc is not None,
        has_email=account.email_enc is not None,
        custom=dict(account.custom),
    )


def account_snapshot(account: Account) -> dict[str, Any]:
    """The same fields as the events carry, for audit records."""
    return snapshot_event(AccountUpdated, account).data()
