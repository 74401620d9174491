"""Exporting any filtered account list to CSV or XLSX, streamed page by page."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput
from customer.accounts import service as accounts
from customer.accounts.models import DETAILS
from customer.accounts.service import AccountFilter
from customer.accounts.views import AccountView, account_view
from customer.custom_fields.service import definitions

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
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _row(view: AccountView, custom_keys: list[str]) -> list[str]:
    account = view.row
    values = {
        **{c: getattr(account, c, None) for c in COLUMNS},
        "tags": ",".join(account.tags),
        "phone": view.phone or "",
        "email": view.email or "",
    }
    base = ["" if values[c] is None else str(values[c]) for c in COLUMNS]
    return base + [str(account.custom.get(k, "")) for k in custom_keys]


async def account_rows(uow: UnitOfWork, principal: Principal, filter: AccountFilter) -> AsyncIterator[list[str]]:
    """The header, then every matching account the caller may see, in pages; refused before the first row."""
    principal.require("customer:account:export")
    custom_keys = sorted(await definitions(uow, "account"))

    async def rows() -> AsyncIterator[list[str]]:
        yield [*COLUMNS, *(f"custom.{k}" for k in custom_keys)]
        cursor = None
        while True:
            page = await accounts.page(uow, principal, filter, "NAME_ASC", PAGE, cursor)
            for account in page.items:
                yield _row(account_view(principal, account), custom_keys)
            if not page.has_next:
                return
            cursor = page.next_cursor

    return rows()


async def csv_chunks(rows: AsyncIterator[list[str]]) -> AsyncIterator[bytes]:
    yield "\ufeff".encode()  # Excel opens UTF-8 Chinese text correctly with a BOM
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    async for row in rows:
        writer.writerow(row)
        if buffer.tell() > 64_000:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


async def xlsx_bytes(rows: AsyncIterator[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("accounts")
    async for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def check_format(file_format: str) -> str:
    if file_format not in ("csv", "xlsx"):
        raise BadInput(field="format", reason="csv, xlsx")
    return file_format
