"""Where imports run: each job in the background, each batch in a unit of work of its own."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from crm_shared.auth import Principal
from crm_shared.db import Database, utcnow
from crm_shared.errors import DomainError
from crm_shared.spreadsheets import Limits, rows
from customer.imports import service
from customer.imports.models import ImportJob
from customer.imports.rejection import kept

log = logging.getLogger(__name__)


class ImportRunner:
    """The boundary of an import, as a request is of a change: it opens the units of work."""

    def __init__(self, db: Database, directory: Path, limits: Limits) -> None:
        self.db = db
        self.directory = directory
        self.limits = limits
        self._running: set[asyncio.Task[None]] = set()

    def upload_path(self, file_format: str) -> Path:
        return service.upload_path(self.directory, file_format)

    async def start(
        self,
        principal: Principal,
        path: Path,
        file_format: str,
        file_name: str,
        mapping: dict[str, str] | None,
        duplicate_policy: str,
        batch_size: int,
        entity: str,
    ) -> ImportJob:
        """Record the job and, once it is committed, process the file in the background."""
        async with self.db.unit_of_work() as uow:
            job = await service.start(
                uow, principal, path, file_format, self.limits, file_name, mapping, duplicate_policy, batch_size, entity
            )
        task = asyncio.create_task(self._run(job, path, principal))
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return job

    async def wait(self) -> None:
        """Until every running import has finished (tests, shutdown)."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    async def _run(self, job: ImportJob, path: Path, principal: Principal) -> None:
        await self._progress(job, status="running")
        try:
            numbered = enumerate(rows(path, job.file_format, self.limits), start=2)  # row 1 holds the headers
            async for batch in self._checked(job, _batches(numbered, job.batch_size), principal):
                async with self.db.unit_of_work() as uow:
                    await service.write_batch(uow, job, batch, principal)
            await self._progress(job, status="done", finished_at=utcnow())
        except Exception as exc:
            log.exception("import %s failed", job.id)
            await self._progress(job, status="failed", finished_at=utcnow(), failure=failure(exc))
        finally:
            path.unlink(missing_ok=True)

    async def _checked(
        self, job: ImportJob, batches: Iterator[list[tuple[int, dict[str, str]]]], principal: Principal
    ) -> AsyncIterator[service.CheckedBatch]:
        """Each batch read and checked in a thread, the next one while the database writes the one before:
        the rows' checks (validation, encryption, search text) are most of an import's own work."""
        upcoming = asyncio.create_task(self._check(job, batches, principal))
        try:
            while (checked := await upcoming) is not None:
                upcoming = asyncio.create_task(self._check(job, batches, principal))
                yield checked
        finally:
            upcoming.cancel()

    async def _check(
        self, job: ImportJob, batches: Iterator[list[tuple[int, dict[str, str]]]], principal: Principal
    ) -> service.CheckedBatch | None:
        batch = await asyncio.to_thread(next, batches, None)
        if batch is None:
            return None
        async with self.db.unit_of_work() as uow:
            known = await service.known_fields(uow, job)
        return await asyncio.to_thread(service.check_batch, job, batch, known, principal)

    async def _progress(self, job: ImportJob, **values: Any) -> None:
        async with self.db.unit_of_work() as uow:
            await service.progress(uow, job.id, **values)


def failure(exc: Exception) -> dict[str, Any]:
    """What readers of the job are told, kept by key: a refusal's own message, never a fault's internals (SQL)."""
    return kept(exc.key, exc.field, **exc.params) if isinstance(exc, DomainError) else kept("import_failed")


def _batches(items: Iterator[tuple[int, dict[str, str]]], size: int) -> Iterator[list[tuple[int, dict[str, str]]]]:
    while batch := list(itertools.islice(items, size)):
        yield batch
