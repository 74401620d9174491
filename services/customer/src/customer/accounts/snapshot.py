"""What an account looks like in events and audit records: no personal data, only that it exists."""

from __future__ import annotations

from typing import Any, TypeVar

from crm_contracts.customer import AccountSnapshot, AccountUpdated
from crm_shared.rows import from_row
from customer.accounts.models import Account
from customer.channels import contact_details

S = TypeVar("S", bound=AccountSnapshot)


def snapshot_event(kind: type[S], account: Account) -> S:
    return from_row(kind, account, **contact_details(account))


def account_snapshot(account: Account) -> dict[str, Any]:
    """The same fields as the events carry, for audit records."""
    return snapshot_event(AccountUpdated, account).data()
