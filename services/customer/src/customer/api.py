"""Customer REST API: thin routes over the service layer."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from crm_shared.db import Database
from crm_shared.errors import BadInput
from crm_shared.http import ERRORS, PROBLEM, CurrentPrincipal, Cursor, SearchText, Transaction
from crm_shared.http.inputs import text
from crm_shared.http.uploads import upload_route
from crm_shared.spreadsheets import CONTENT_TYPES, check_format, csv_chunks, xlsx_bytes
from customer.accounts import service as accounts
from customer.accounts.service import AccountFields, AccountFilter, AccountInput
from customer.accounts.views import AccountView, account_view
from customer.imports import service as imports
from customer.imports.export import account_export
from customer.imports.models import ImportJob
from customer.imports.rejection import report
from customer.imports.runner import ImportRunner
from customer.normalise import MAX_TAGS

router = APIRouter(prefix="/api/v1", tags=["customer"])
# uploads are authorised (token, import permission) and size-checked before their body is read
uploads = APIRouter(prefix="/api/v1", tags=["customer"], route_class=upload_route("customer:account:import"))


def _imports(request: Request) -> ImportRunner:
    runner: ImportRunner = request.app.state.imports
    return runner


def _database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


Imports = Annotated[ImportRunner, Depends(_imports)]
Db = Annotated[Database, Depends(_database)]


class AccountIn(AccountFields):
    """The account's fields with the limits the service applies, so the OpenAPI document shows them."""

    name: str | None = Field(default=None, max_length=200)
    industry: str | None = text(100, default=None)
    size: str | None = text(10, default=None)
    province: str | None = text(50, default=None)
    city: str | None = text(50, default=None)
    address: str | None = text(300, default=None)
    website: str | None = text(200, default=None)
    level: str | None = text(1, default=None)
    source: str | None = text(50, default=None)
    tags: list[str] | None = Field(default=None, max_length=MAX_TAGS)
    phone: str | None = text(40, default=None)
    email: str | None = text(320, default=None)

    def command(self) -> AccountInput:
        return AccountInput(**self.model_dump())


class AccountOut(BaseModel):
    id: uuid.UUID
    name: str
    industry: str | None
    size: str | None
    province: str | None
    city: str | None
    level: str | None
    source: str | None
    tags: list[str]
    lifecycle_stage: str
    owner_id: uuid.UUID | None
    in_pool: bool
    phone: str | None
    email: str | None
    custom: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


class AccountPage(BaseModel):
    items: list[AccountOut]
    total_count: int
    total_count_is_exact: bool
    next_cursor: str | None


def _out(view: AccountView) -> AccountOut:
    """The row's fields, with phone and email as the caller may see them (read as attributes: a row loaded from
    the database holds its stage as text, which dumping the row as a model would warn about)."""
    fields = {name: getattr(view.row, name) for name in AccountOut.model_fields.keys() - {"phone", "email"}}
    return AccountOut(**fields, phone=view.phone, email=view.email)


@router.get("/accounts", responses=ERRORS)
async def list_accounts(
    principal: CurrentPrincipal,
    uow: Transaction,
    search: SearchText = None,
    industry: str | None = None,
    level: str | None = None,
    lifecycle_stage: str | None = None,
    in_pool: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    cursor: Cursor = None,
) -> AccountPage:
    """Accounts the caller may see, most recently updated first."""
    filter = AccountFilter(
        search=search, industry=industry, level=level, lifecycle_stage=lifecycle_stage, in_pool=in_pool
    )
    page = await accounts.page(uow, principal, filter, "UPDATED_DESC", limit, cursor)
    count = await page.count()
    return AccountPage(
        items=[_out(account_view(principal, a)) for a in page.items],
        total_count=count.value,
        total_count_is_exact=count.exact,
        next_cursor=page.next_cursor,
    )


@router.post("/accounts", status_code=201, responses=ERRORS)
async def create_account(body: AccountIn, principal: CurrentPrincipal, uow: Transaction) -> AccountOut:
    """Create an account (duplicates answer 409)."""
    return _out(account_view(principal, await accounts.create(uow, principal, body.command())))


@router.get("/accounts/{account_id}", responses=ERRORS)
async def get_account(account_id: uuid.UUID, principal: CurrentPrincipal, uow: Transaction) -> AccountOut:
    """One account within the caller's scope."""
    return _out(account_view(principal, await accounts.get(uow, principal, account_id)))


@router.patch("/accounts/{account_id}", responses=ERRORS)
async def update_account(
    account_id: uuid.UUID, body: AccountIn, principal: CurrentPrincipal, uow: Transaction
) -> AccountOut:
    """Change the given fields."""
    return _out(account_view(principal, await accounts.update(uow, principal, account_id, body.command())))


@router.delete("/accounts/{account_id}", status_code=204, responses=ERRORS)
async def delete_account(account_id: uuid.UUID, principal: CurrentPrincipal, uow: Transaction) -> None:
    """Soft-delete an account."""
    await accounts.delete(uow, principal, account_id)


class ImportOut(BaseModel):
    id: uuid.UUID
    status: str
    processed_rows: int
    created_rows: int
    updated_rows: int
    skipped_rows: int
    failed_rows: int
    errors: list[dict[str, Any]]
    message: str | None


def _job(job: ImportJob) -> ImportOut:
    return ImportOut.model_validate({**job.model_dump(), **report(job)})


@uploads.post("/imports/{entity}", status_code=202, responses={**ERRORS, 413: PROBLEM})
async def import_file(
    entity: Literal["accounts", "contacts"],
    principal: CurrentPrincipal,
    runner: Imports,
    file: UploadFile,
    duplicate_policy: Annotated[str, Form()] = "skip",
    batch_size: Annotated[int, Form()] = 1000,
    mapping: Annotated[str | None, Form(description='JSON object {"column": "field"}')] = None,
) -> ImportOut:
    """Upload a CSV or XLSX file of accounts or contacts; the import runs in the background (GET /imports/{id})."""
    imports.authorise(principal, entity[:-1])
    file_format = check_format((file.filename or "").rsplit(".", 1)[-1].lower(), "file")
    path = runner.upload_path(file_format)
    with path.open("wb") as out:  # copied in chunks: memory stays flat whatever the file's size
        while chunk := await file.read(1 << 20):
            out.write(chunk)
    try:
        columns = json.loads(mapping) if mapping else None
    except json.JSONDecodeError as exc:
        path.unlink(missing_ok=True)
        raise BadInput("not_json", field="mapping") from exc
    job = await runner.start(
        principal, path, file_format, file.filename or "", columns, duplicate_policy, batch_size, entity[:-1]
    )
    return _job(job)


@router.get("/imports/{job_id}", responses=ERRORS)
async def import_status(job_id: uuid.UUID, principal: CurrentPrincipal, uow: Transaction) -> ImportOut:
    """An import's progress and per-row errors."""
    return _job(await imports.job(uow, principal, job_id))


@router.get("/accounts-export", responses=ERRORS)
async def export_accounts(
    principal: CurrentPrincipal,
    uow: Transaction,
    db: Db,
    format: str = "csv",
    search: SearchText = None,
    industry: str | None = None,
    level: str | None = None,
    lifecycle_stage: str | None = None,
) -> Response:
    """Every account matching the filter that the caller may see, as CSV (streamed) or XLSX."""
    check_format(format)
    filter = AccountFilter(search=search, industry=industry, level=level, lifecycle_stage=lifecycle_stage)
    export = await account_export(uow, principal, filter)  # refused, or the first page read, before a response
    if format == "xlsx":
        disposition = {"Content-Disposition": 'attachment; filename="accounts.xlsx"'}
        content = await xlsx_bytes(export.rows(uow), "accounts")
        return Response(content, media_type=CONTENT_TYPES["xlsx"], headers=disposition)

    async def streamed() -> AsyncIterator[bytes]:
        """The stream outlives the request's transaction, so it reads in a unit of work of its own."""
        async with db.unit_of_work() as own:
            async for chunk in csv_chunks(export.rows(own)):
                yield chunk

    disposition = {"Content-Disposition": 'attachment; filename="accounts.csv"'}
    return StreamingResponse(streamed(), media_type="text/csv; charset=utf-8", headers=disposition)
