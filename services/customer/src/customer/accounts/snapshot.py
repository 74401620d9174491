"""What an account looks like in events and audit records: no personal data, only that it exists."""

from __future__ import annotations

from typing import Any, TypeVar

from crm_contracts.customer import AccountSnapshot, AccountUpdated
from crm_shared.rows import from_row
from customer.accounts.models import Account
from customer.contacts.models import Contact

S = TypeVar("S", bound=AccountSnapshot)


def snapshot_event(kind: type[S], account: Account) -> S:
    return from_row(kind, account, **contact_details(account))


def contact_details(row: Account | Contact) -> dict[str, bool]:
    """Whether an account or contact has a phone and an email: events carry that, never the values."""
    return {"has_phone": row.phone_enc is not None, "has_email": row.email_enc is not None}


def account_snapshot(account: Account) -> dict[str, Any]:
    """The same fields as the events carry, for audit records."""
    return snapshot_event(AccountUpdated, account).data()
