"""Importing accounts or contacts from CSV or XLSX: mapped columns, a duplicate policy, progress,
all-or-nothing batches."""

from __future__ import annotations

import asyncio
import itertools
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import update

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, DomainError, NotFound
from customer.access import RESOURCE
from customer.custom_fields.service import CustomFieldService
from customer.imports import mapping as columns
from customer.imports.accounts import AccountRows
from customer.imports.contacts import ContactRows
from customer.imports.models import ImportJob
from customer.imports.reader import FORMATS, headers, rows
from customer.imports.rejection import BatchRejected

log = logging.getLogger(__name__)
POLICIES = ("skip", "update", "create")
WRITERS: dict[str, Any] = {"account": AccountRows(), "contact": ContactRows()}
MAX_ERRORS = 1000


class ImportService:
    def __init__(self, db: Database, directory: Path, fields: CustomFieldService) -> None:
        self.db = db
        self.fields = fields
        self.directory = directory
        self._running: set[asyncio.Task[None]] = set()

    def upload_path(self, file_format: str) -> Path:
        if file_format not in FORMATS:
            raise BadInput(field="format", reason=", ".join(FORMATS))
        self.directory.mkdir(parents=True, exist_ok=True)
        return self.directory / f"{uuid.uuid4().hex}.{file_format}"

    async def start(
        self,
        principal: Principal,
        path: Path,
        file_format: str,
        file_name: str = "",
        mapping: dict[str, str] | None = None,
        duplicate_policy: str = "skip",
        batch_size: int = 1000,
        entity: str = "account",
    ) -> ImportJob:
        """Validate the request, record the job and process the file in the background."""
        try:
            principal.require(f"{RESOURCE}:import")
            principal.require(f"customer:{entity}:create")
            if entity not in WRITERS:
                raise BadInput(field="entity", reason=", ".join(WRITERS))
            if duplicate_policy not in POLICIES:
                raise BadInput(field="duplicatePolicy", reason=", ".join(POLICIES))
            if not 1 <= batch_size <= 5000:
                raise BadInput(field="batchSize", reason="1-5000")
            resolved = columns.resolve(await asyncio.to_thread(headers, path, file_format), mapping, WRITERS[entity])
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
        async with self.db.unit_of_work() as uow:
            uow.session.add(job)
        task = asyncio.create_task(self.run(job, path, principal))
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return job

    async def wait(self) -> None:
        """Until every running import has finished (tests, shutdown)."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    async def job(self, principal: Principal, job_id: uuid.UUID) -> ImportJob:
        principal.require(f"{RESOURCE}:import")
        async with self.db.read() as session:
            job = await session.get(ImportJob, job_id)
        if job is None or (job.created_by != principal.user_id and principal.scope(RESOURCE) != "all"):
            raise NotFound(entity="ImportJob")
        return job

    async def run(self, job: ImportJob, path: Path, principal: Principal) -> None:
        await self._progress(job.id, status="running")
        try:
            numbered = enumerate(rows(path, job.file_format), start=2)  # row 1 holds the headers
            for batch in _batches(numbered, job.batch_size):
                await self._batch(job, batch, principal)
            await self._progress(job.id, status="done", finished_at=utcnow())
        except Exception as exc:
            log.exception("import %s failed", job.id)
            await self._progress(job.id, status="failed", finished_at=utcnow(), message=str(exc)[:500])
        finally:
            path.unlink(missing_ok=True)

    async def _batch(self, job: ImportJob, batch: list[tuple[int, dict[str, str]]], principal: Principal) -> None:
        """One transaction: every row of the batch is written, or none is and each failure is reported."""
        writer = WRITERS[job.entity]
        prepared, errors = [], []
        definitions = await self.fields.definitions(writer.entity)
        for number, row in batch:
            try:
                prepared.append((number, writer.prepare(row, job.mapping, definitions, principal)))
            except DomainError as exc:
                errors.append({"row": number, "field": exc.field, "message": exc.message()})
        if errors:
            await self._progress(job.id, failed=len(batch), errors=errors)
            return
        try:
            async with self.db.unit_of_work() as uow:
                counts = await writer.write(uow, job.duplicate_policy, prepared, principal)
                await audit.record(
                    uow,
                    f"{writer.entity}.imported",
                    "ImportJob",
                    job.id,
                    actor=principal,
                    detail={"rows": len(batch), **counts},
                )
                await _add_progress(uow, job.id, len(batch), counts)
        except BatchRejected as rejected:  # nothing of the batch was written
            await self._progress(job.id, failed=len(batch), errors=rejected.errors)

    async def _progress(
        self, job_id: uuid.UUID, failed: int = 0, errors: list[dict[str, Any]] | None = None, **values: Any
    ) -> None:
        async with self.db.unit_of_work() as uow:
            job = await uow.session.get(ImportJob, job_id, with_for_update=True)
            assert job is not None
            for key, value in values.items():
                setattr(job, key, value)
            if failed:
                job.processed_rows += failed
                job.failed_rows += failed
                job.errors = [*job.errors, *(errors or [])][:MAX_ERRORS]


async def _add_progress(uow: UnitOfWork, job_id: uuid.UUID, rows_done: int, counts: dict[str, int]) -> None:
    await uow.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(
            processed_rows=ImportJob.processed_rows + rows_done,
            created_rows=ImportJob.created_rows + counts["created"],
            updated_rows=ImportJob.updated_rows + counts["updated"],
            skipped_rows=ImportJob.skipped_rows + counts["skipped"],
        )
    )


def _batches(items: Iterator[tuple[int, dict[str, str]]], size: int) -> Iterator[list[tuple[int, dict[str, str]]]]:
    while batch := list(itertools.islice(items, size)):
        yield batch
