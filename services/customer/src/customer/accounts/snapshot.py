"""What an account looks like in events and audit records: no personal data, only that it exists."""

from __future__ import annotations

from typing import Any

from customer.accounts.models import Account


def account_snapshot(account: Account) -> dict[str, Any]:
    return {
        "id": str(account.id),
        "name": account.name,
        "industry": account.industry,
        "size": account.size,
        "province": account.province,
        "city": account.city,
        "level": account.level,
        "source": account.source,
        "tags": list(account.tags),
        "lifecycleStage": account.lifecycle_stage,
        "ownerId": str(account.owner_id) if account.owner_id else None,
        "inPool": account.in_pool,
        "hasPhone": account.phone_enc is not None,
        "hasEmail": account.email_enc is not None,
        "custom": dict(account.custom),
    }
