"""Exporting any filtered account list to CSV or XLSX, streamed page by page."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from crm_shared.auth import Principal
from crm_shared.crypto import decrypt
from crm_shared.errors import BadInput
from crm_shared.graphql import encode_cursor
from crm_shared.masking import mask_email, mask_phone
from customer.accounts.models import Account
from customer.accounts.service import AccountFilter, AccountService

COLUMNS = (
    "id",
    "name",
    "industry",
    "size",
    "province",
    "city",
    "address",
    "website",
    "level",
    "source",
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


def _row(account: Account, principal: Principal, custom_keys: list[str]) -> list[str]:
    phone, email = decrypt(account.phone_enc) or "", decrypt(account.email_enc) or ""
    if phone and principal.masks("customer:account.phone"):
        phone = mask_phone(phone)
    if email and principal.masks("customer:account.email"):
        email = mask_email(email)
    values = {
        **{c: getattr(account, c, None) for c in COLUMNS},
        "tags": ",".join(account.tags),
        "phone": phone,
        "email": email,
    }
    base = ["" if values[c] is None else str(values[c]) for c in COLUMNS]
    return base + [str(account.custom.get(k, "")) for k in custom_keys]


async def account_rows(
    accounts: AccountService, principal: Principal, filter: AccountFilter, custom_keys: list[str]
) -> AsyncIterator[list[str]]:
    """The header, then every matching account the caller may see, in pages."""
    principal.require("customer:account:export")
    yield [*COLUMNS, *(f"custom.{k}" for k in custom_keys)]
    cursor = None
    while True:
        page, _ = await accounts.page(principal, filter, "NAME_ASC", PAGE, cursor)
        for account in page[:PAGE]:
            yield _row(account, principal, custom_keys)
        if len(page) <= PAGE:
            return
        cursor = encode_cursor([page[PAGE - 1].name, str(page[PAGE - 1].id)])


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
