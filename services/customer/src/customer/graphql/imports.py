"""Import and export through GraphQL (REST takes large files as multipart uploads and streams exports)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import uuid
from collections.abc import AsyncIterator

import strawberry
from strawberry.scalars import JSON

from crm_shared.errors import BadInput
from crm_shared.graphql import Info, gid
from crm_shared.rows import from_row
from crm_shared.spreadsheets import CONTENT_TYPES, check_format, check_size, csv_chunks, xlsx_bytes
from customer.graphql.inputs import AccountFilter
from customer.imports import service as imports
from customer.imports.export import account_export
from customer.imports.models import ImportJob as JobRow
from customer.imports.rejection import report
from customer.imports.runner import ImportRunner


@strawberry.type(description="An import's progress and its per-row error report.")
class ImportJob:
    id: strawberry.ID
    status: str
    processed_rows: int
    created_rows: int
    updated_rows: int
    skipped_rows: int
    failed_rows: int
    errors: JSON = strawberry.field(description="[{row, field, message}] for rejected rows (first 1000).")
    message: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @classmethod
    def of(cls, row: JobRow) -> ImportJob:
        return from_row(cls, row, id=gid(row.id), **report(row))


@strawberry.input
class ColumnMapping:
    column: str
    field: str = strawberry.field(description="An account field, or custom.<key>.")


@strawberry.input
class ImportAccountsInput:
    content: str = strawberry.field(description="CSV text, or an XLSX file in base64.")
    format: str = "csv"
    file_name: str = ""
    mapping: list[ColumnMapping] | None = None
    duplicate_policy: str = strawberry.field(default="skip", description="skip, update or create")
    batch_size: int = 1000


@strawberry.type
class ExportFile:
    file_name: str
    content_type: str
    content_base64: str
    row_count: int


@strawberry.type
class ImportQuery:
    @strawberry.field
    async def import_job(self, info: Info, id: strawberry.ID) -> ImportJob:
        async with info.context.uow() as uow:
            return ImportJob.of(await imports.job(uow, info.context.principal, uuid.UUID(str(id))))


@strawberry.type
class ImportMutation:
    @strawberry.mutation(description="Start importing accounts; poll importJob for progress and errors.")
    async def import_accounts(self, info: Info, input: ImportAccountsInput) -> ImportJob:
        return await _start(info, input, "account")

    @strawberry.mutation(description="Start importing contacts; each row names its account (客户名称).")
    async def import_contacts(self, info: Info, input: ImportAccountsInput) -> ImportJob:
        return await _start(info, input, "contact")

    @strawberry.mutation(description="The filtered account list as a CSV or XLSX file (REST streams large ones).")
    async def export_accounts(self, info: Info, filter: AccountFilter | None = None, format: str = "csv") -> ExportFile:
        check_format(format)
        command = (filter or AccountFilter()).command()
        async with info.context.uow() as uow:
            export = await account_export(uow, info.context.principal, command)
            counted = _Counter(export.rows(uow))
            if format == "csv":
                content = b"".join([chunk async for chunk in csv_chunks(counted)])
            else:
                content = await xlsx_bytes(counted, "accounts")
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        return ExportFile(
            file_name=f"accounts-{stamp}.{format}",
            content_type=CONTENT_TYPES[format],
            content_base64=base64.b64encode(content).decode(),
            row_count=counted.count - 1,
        )


async def _start(info: Info, input: ImportAccountsInput, entity: str) -> ImportJob:
    runner: ImportRunner = info.context.state.imports
    imports.authorise(info.context.principal, entity)
    check_format(input.format)
    try:
        data = input.content.encode() if input.format == "csv" else base64.b64decode(input.content, validate=True)
    except ValueError as exc:
        raise BadInput("file_not_base64", field="content") from exc
    check_size(len(data), runner.limits.upload_bytes)
    path = runner.upload_path(input.format)
    await asyncio.to_thread(path.write_bytes, data)
    mapping = {m.column: m.field for m in input.mapping} if input.mapping else None
    job = await runner.start(
        info.context.principal,
        path,
        input.format,
        input.file_name,
        mapping,
        input.duplicate_policy,
        input.batch_size,
        entity,
    )
    return ImportJob.of(job)


class _Counter:
    """Counts the rows passing through an async iterator."""

    def __init__(self, rows: AsyncIterator[list[str]]) -> None:
        self.rows = rows
        self.count = 0

    def __aiter__(self) -> _Counter:
        return self

    async def __anext__(self) -> list[str]:
        row = await anext(self.rows)
        self.count += 1
        return row
