"""Importing accounts or contacts from CSV or XLSX: mapped columns, a duplicate policy, progress,
all-or-nothing batches."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import UnitOfWork
from crm_shared.errors import BadInput, DomainError, NotFound
from crm_shared.spreadsheets import Limits, check, check_format
from crm_shared.validate import whole
from customer.custom_fields.service import definitions
from customer.imports import mapping as columns
from customer.imports.accounts import AccountRows
from customer.imports.contacts import ContactRows
from customer.imports.models import ImportJob
from customer.imports.rejection import BatchRejected, row_error

RESOURCE = "customer:account"
POLICIES = ("skip", "update", "create")
WRITERS: dict[str, Any] = {"account": AccountRows(), "contact": ContactRows()}
MAX_ERRORS = 1000


def authorise(principal: Principal, entity: str) -> None:
    """Who may import `entity`: asked before an uploaded file is read."""
    if entity not in WRITERS:
        raise BadInput("one_of", field="entity", choices=", ".join(WRITERS))
    principal.require(f"{RESOURCE}:import")
    principal.require(f"customer:{entity}:create")


def upload_path(directory: Path, file_format: str) -> Path:
    check_format(file_format)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{uuid.uuid4().hex}.{file_format}"


async def start(
    uow: UnitOfWork,
    principal: Principal,
    path: Path,
    file_format: str,
    limits: Limits,
    file_name: str = "",
    mapping: dict[str, str] | None = None,
    duplicate_policy: str = "skip",
    batch_size: int = 1000,
    entity: str = "account",
) -> ImportJob:
    """Validate the request and record the job; the file is processed once the job is committed."""
    try:
        authorise(principal, entity)
        if duplicate_policy not in POLICIES:
            raise BadInput("one_of", field="duplicatePolicy", choices=", ".join(POLICIES))
        whole(batch_size, "batchSize", 1, 5000)
        headers = await asyncio.to_thread(check, path, file_format, limits)  # the whole file, before a job exists
        resolved = columns.resolve(headers, mapping, WRITERS[entity])
    except Exception:
        path.unlink(missing_ok=True)
        raise
    job = ImportJob(
        entity=entity,
        file_format=file_format,
        file_name=file_name[:200],
        mapping=resolved,
        duplicate_policy=duplicate_policy,
        batch_size=batch_size,
        created_by=principal.user_id,
    )
    uow.session.add(job)
    await uow.flush()
    return job


async def job(uow: UnitOfWork, principal: Principal, job_id: uuid.UUID) -> ImportJob:
    principal.require(f"{RESOURCE}:import")
    found = await uow.session.get(ImportJob, job_id)
    if found is None or (found.created_by != principal.user_id and principal.scope(RESOURCE) != "all"):
        raise NotFound(entity="ImportJob")
    return found


@dataclass
class CheckedBatch:
    """A batch's rows made ready to write, or the reasons some of them cannot be."""

    rows: int
    prepared: list[tuple[int, Any]]
    errors: list[dict[str, Any]]


def check_batch(
    job: ImportJob, batch: list[tuple[int, dict[str, str]]], known: Any, principal: Principal
) -> CheckedBatch:
    """Each row validated and turned into what is stored: pure work, with no database."""
    writer = WRITERS[job.entity]
    prepared, errors = [], []
    for number, row in batch:
        try:
            prepared.append((number, writer.prepare(row, job.mapping, known, principal)))
        except DomainError as exc:
            errors.append(row_error(number, exc.field, exc.key, **exc.params))
    return CheckedBatch(len(batch), prepared, errors)


async def known_fields(uow: UnitOfWork, job: ImportJob) -> Any:
    """The custom fields the rows of `job` are checked against."""
    return await definitions(uow, WRITERS[job.entity].entity)


async def write_batch(uow: UnitOfWork, job: ImportJob, batch: CheckedBatch, principal: Principal) -> None:
    """Every row of the batch is written, or none is and each failure is reported."""
    writer = WRITERS[job.entity]
    if batch.errors:
        await progress(uow, job.id, failed=batch.rows, errors=batch.errors)
        return
    try:
        async with uow.savepoint():
            counts = await writer.write(uow, job.duplicate_policy, batch.prepared, principal)
            detail = {"rows": batch.rows, **counts}
            await audit.record(uow, f"{writer.entity}.imported", "ImportJob", job.id, actor=principal, detail=detail)
            await _add_progress(uow, job.id, batch.rows, counts)
    except BatchRejected as rejected:  # nothing of the batch was written
        await progress(uow, job.id, failed=batch.rows, errors=rejected.errors)


async def progress(
    uow: UnitOfWork, job_id: uuid.UUID, failed: int = 0, errors: list[dict[str, Any]] | None = None, **values: Any
) -> None:
    found = await uow.session.get(ImportJob, job_id, with_for_update=True)
    if found is None:
        raise NotFound(entity="ImportJob")
    for key, value in values.items():
        setattr(found, key, value)
    if failed:
        found.processed_rows += failed
        found.failed_rows += failed
        found.errors = [*found.errors, *(errors or [])][:MAX_ERRORS]


async def _add_progress(uow: UnitOfWork, job_id: uuid.UUID, rows_done: int, counts: dict[str, int]) -> None:
    await uow.session.execute(
        update(ImportJob)
        .where(col(ImportJob.id) == job_id)
        .values(
            processed_rows=ImportJob.processed_rows + rows_done,
            created_rows=ImportJob.created_rows + counts["created"],
            updated_rows=ImportJob.updated_rows + counts["updated"],
            skipped_rows=ImportJob.skipped_rows + counts["skipped"],
        )
    )
