"""Customer REST API: thin routes over the service layer."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from crm_shared.crypto import decrypt
from crm_shared.errors import BadInput
from crm_shared.graphql import encode_cursor
from crm_shared.http import ERRORS, CurrentPrincipal
from crm_shared.masking import mask_email, mask_phone
from customer.accounts.models import Account
from customer.accounts.service import AccountFilter, AccountInput
from customer.imports.export import CONTENT_TYPES, account_rows, check_format, csv_chunks, xlsx_bytes
from customer.services import Customer

router = APIRouter(prefix="/api/v1", tags=["customer"])


def _customer(request: Request) -> Customer:
    customer: Customer = request.app.state.customer
    return customer


Services = Annotated[Customer, Depends(_customer)]


class AccountIn(BaseModel):
    name: str | None = Field(default=None, max_length=200)
    industry: str | None = None
    size: str | None = None
    province: str | None = None
    city: str | None = None
    address: str | None = None
    website: str | None = None
    level: str | None = None
    source: str | None = None
    tags: list[str] | None = None
    phone: str | None = None
    email: str | None = None
    custom: dict[str, Any] | None = None

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
    next_cursor: str | None


def _out(account: Account, masks: set[str] | frozenset[str]) -> AccountOut:
    phone, email = decrypt(account.phone_enc), decrypt(account.email_enc)
    if phone and "customer:account.phone" in masks:
        phone = mask_phone(phone)
    if email and "customer:account.email" in masks:
        email = mask_email(email)
    return AccountOut(
        id=account.id,
        name=account.name,
        industry=account.industry,
        size=account.size,
        province=account.province,
        city=account.city,
        level=account.level,
        source=account.source,
        tags=account.tags,
        lifecycle_stage=account.lifecycle_stage,
        owner_id=account.owner_id,
        in_pool=account.in_pool,
        phone=phone,
        email=email,
        custom=account.custom,
        created_at=account.created_at,
        updated_at=account.updated_at,
    )


@router.get("/accounts", responses=ERRORS)
async def list_accounts(
    principal: CurrentPrincipal,
    customer: Services,
    search: str | None = None,
    industry: str | None = None,
    level: str | None = None,
    lifecycle_stage: str | None = None,
    in_pool: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    cursor: str | None = None,
) -> AccountPage:
    """Accounts the caller may see, most recently updated first."""
    filter = AccountFilter(
        search=search, industry=industry, level=level, lifecycle_stage=lifecycle_stage, in_pool=in_pool
    )
    rows, total = await customer.accounts.page(principal, filter, "UPDATED_DESC", limit, cursor)
    page = rows[:limit]
    next_cursor = encode_cursor([page[-1].updated_at.isoformat(), str(page[-1].id)]) if len(rows) > limit else None
    return AccountPage(
        items=[_out(a, principal.masked_fields) for a in page], total_count=await total(), next_cursor=next_cursor
    )


@router.post("/accounts", status_code=201, responses=ERRORS)
async def create_account(body: AccountIn, principal: CurrentPrincipal, customer: Services) -> AccountOut:
    """Create an account (duplicates answer 409)."""
    return _out(await customer.accounts.create(principal, body.command()), principal.masked_fields)


@router.get("/accounts/{account_id}", responses=ERRORS)
async def get_account(account_id: uuid.UUID, principal: CurrentPrincipal, customer: Services) -> AccountOut:
    """One account within the caller's scope."""
    return _out(await customer.accounts.get(principal, account_id), principal.masked_fields)


@router.patch("/accounts/{account_id}", responses=ERRORS)
async def update_account(
    account_id: uuid.UUID, body: AccountIn, principal: CurrentPrincipal, customer: Services
) -> AccountOut:
    """Change the given fields."""
    return _out(await customer.accounts.update(principal, account_id, body.command()), principal.masked_fields)


@router.delete("/accounts/{account_id}", status_code=204, responses=ERRORS)
async def delete_account(account_id: uuid.UUID, principal: CurrentPrincipal, customer: Services) -> None:
    """Soft-delete an account."""
    await customer.accounts.delete(principal, account_id)


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


def _job(job: Any) -> ImportOut:
    return ImportOut.model_validate(job, from_attributes=True)


@router.post("/imports/{entity}", status_code=202, responses=ERRORS)
async def import_file(
    entity: Literal["accounts", "contacts"],
    principal: CurrentPrincipal,
    customer: Services,
    file: UploadFile,
    duplicate_policy: Annotated[str, Form()] = "skip",
    batch_size: Annotated[int, Form()] = 1000,
    mapping: Annotated[str | None, Form(description='JSON object {"column": "field"}')] = None,
) -> ImportOut:
    """Upload a CSV or XLSX file of accounts or contacts; the import runs in the background (GET /imports/{id})."""
    file_format = (file.filename or "").rsplit(".", 1)[-1].lower()
    path = customer.imports.upload_path(file_format)
    with path.open("wb") as out:  # streamed to disk: memory stays flat whatever the file's size
        while chunk := await file.read(1 << 20):
            out.write(chunk)
    try:
        columns = json.loads(mapping) if mapping else None
    except json.JSONDecodeError as exc:
        path.unlink(missing_ok=True)
        raise BadInput(field="mapping", reason="JSON object") from exc
    job = await customer.imports.start(
        principal, path, file_format, file.filename or "", columns, duplicate_policy, batch_size, entity[:-1]
    )
    return _job(job)


@router.get("/imports/{job_id}", responses=ERRORS)
async def import_status(job_id: uuid.UUID, principal: CurrentPrincipal, customer: Services) -> ImportOut:
    """An import's progress and per-row errors."""
    return _job(await customer.imports.job(principal, job_id))


@router.get("/accounts-export", responses=ERRORS)
async def export_accounts(
    principal: CurrentPrincipal,
    customer: Services,
    format: str = "csv",
    search: str | None = None,
    industry: str | None = None,
    level: str | None = None,
    lifecycle_stage: str | None = None,
) -> Response:
    """Every account matching the filter that the caller may see, as CSV (streamed) or XLSX."""
    check_format(format)
    filter = AccountFilter(search=search, industry=industry, level=level, lifecycle_stage=lifecycle_stage)
    rows = account_rows(customer.accounts, principal, filter, sorted(await customer.fields.definitions("account")))
    if format == "csv":
        disposition = {"Content-Disposition": 'attachment; filename="accounts.csv"'}
        return StreamingResponse(csv_chunks(rows), media_type="text/csv; charset=utf-8", headers=disposition)
    return Response(
        await xlsx_bytes(rows),
        media_type=CONTENT_TYPES["xlsx"],
        headers={"Content-Disposition": 'attachment; filename="accounts.xlsx"'},
    )
