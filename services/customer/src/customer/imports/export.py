"""Exporting any filtered account list to CSV or XLSX, page by page.

Everything that can refuse an export (the permissions, the filter) runs while the first page is
read, before a response starts; a streamed file never breaks off with an error midway.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from customer.accounts import service as accounts
from customer.accounts.models import DETAILS
from customer.accounts.service import AccountFilter
from customer.accounts.views import AccountView, account_view
from customer.custom_fields.service import as_cell, definitions

COLUMNS = (
    "id",
    "name",
    *DETAILS,
    "tags",
    "lifecycle_stage",
    "owner_id",
    "in_pool",
    "phone",
    "email",
    "created_at",
    "updated_at",
)
PAGE = 200  # the largest page the service serves


@dataclass
class AccountExport:
    """An export that has passed every check: its header, its first page, and where the rest begins."""

    principal: Principal
    filter: AccountFilter
    custom_keys: list[str]
    first: list[list[str]]
    cursor: str | None

    async def rows(self, uow: UnitOfWork) -> AsyncIterator[list[str]]:
        """The header, then every matching account the caller may see; later pages are read in `uow`."""
        yield [*COLUMNS, *(f"custom.{k}" for k in self.custom_keys)]
        for row in self.first:
            yield row
        cursor = self.cursor
        while cursor is not None:
            page = await accounts.page(uow, self.principal, self.filter, "NAME_ASC", PAGE, cursor)
            for account in page.items:
                yield _row(account_view(self.principal, account), self.custom_keys)
            cursor = page.next_cursor if page.has_next else None


async def account_export(uow: UnitOfWork, principal: Principal, filter: AccountFilter) -> AccountExport:
    """Check the caller and the filter by reading the first page; refusals come from here."""
    principal.require("customer:account:export")
    custom_keys = sorted(await definitions(uow, "account"))
    page = await accounts.page(uow, principal, filter, "NAME_ASC", PAGE, None)
    first = [_row(account_view(principal, account), custom_keys) for account in page.items]
    return AccountExport(principal, filter, custom_keys, first, page.next_cursor if page.has_next else None)


def _row(view: AccountView, custom_keys: list[str]) -> list[str]:
    account = view.row
    values = {
        **{c: getattr(account, c, None) for c in COLUMNS},
        "tags": ",".join(account.tags),
        "phone": view.phone or "",
        "email": view.email or "",
    }
    base = ["" if values[c] is None else str(values[c]) for c in COLUMNS]
    return base + [as_cell(account.custom.get(k)) for k in custom_keys]
