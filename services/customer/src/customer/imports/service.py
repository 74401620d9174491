"""Importing accounts from CSV or XLSX: mapped columns, a duplicate policy, progress, all-or-nothing batches."""

from __future__ import annotations

import asyncio
import itertools
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert

from crm_shared import audit
from crm_shared.auth import Principal
from crm_shared.db import Database, UnitOfWork, utcnow
from crm_shared.errors import BadInput, DomainError, NotFound
from customer.access import RESOURCE, may_access
from customer.accounts.models import Account
from customer.accounts.service import AccountInput, apply_input
from customer.accounts.snapshot import account_snapshot
from customer.custom_fields.service import CustomFieldService, clean
from customer.events import ACCOUNT_TOPIC, event
from customer.imports import mapping as columns
from customer.imports.models import ImportJob
from customer.imports.reader import FORMATS, headers, rows

log = logging.getLogger(__name__)
POLICIES = ("skip", "update", "create")
MAX_ERRORS = 1000


COLUMNS = ("id", "name", "name_key", "industry", "size", "province", "city", "address", "website", "level", "source",
           "tags", "lifecycle_stage", "owner_id", "in_pool", "phone_enc", "phone_hash", "email_enc", "email_hash",
           "custom", "search", "created_by", "created_at", "updated_at")  # fmt: skip


def new_row(owner: uuid.UUID) -> Any:
    """A plain record with an account's attributes: building thousands of ORM objects is what makes imports slow."""
    now = utcnow()
    values: dict[str, Any] = dict.fromkeys(COLUMNS)
    values.update(id=uuid.uuid4(), name="", name_key="", tags=[], custom={}, lifecycle_stage="prospect",
                  owner_id=owner, in_pool=False, created_by=owner, created_at=now, updated_at=now)  # fmt: skip
    return SimpleNamespace(**values)


def row_input(row: dict[str, str], mapping: dict[str, str]) -> AccountInput:
    data = AccountInput(custom={})
    for column, field in mapping.items():
        value = row.get(column, "")
        if field == "tags":
            data.tags = [
                t for t in value.replace("；", ",").replace(";", ",").replace("，", ",").split(",") if t
            ]
        elif field.startswith("custom."):
            if value:
                data.custom[field.removeprefix("custom.")] = value  # type: ignore[index]
        elif value:
            setattr(data, field, value)
    return data


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
        self, principal: Principal, path: Path, file_format: str, file_name: str = "",
        mapping: dict[str, str] | None = None, duplicate_policy: str = "skip", batch_size: int = 1000,
    ) -> ImportJob:  # fmt: skip
        """Validate the request, record the job and process the file in the background."""
        try:
            principal.require(f"{RESOURCE}:import")
            principal.require(f"{RESOURCE}:create")
            if duplicate_policy not in POLICIES:
                raise BadInput(field="duplicatePolicy", reason=", ".join(POLICIES))
            if not 1 <= batch_size <= 5000:
                raise BadInput(field="batchSize", reason="1-5000")
            resolved = columns.resolve(await asyncio.to_thread(headers, path, file_format), mapping)
        except Exception:
            path.unlink(missing_ok=True)
            raise
        job = ImportJob(file_format=file_format, file_name=file_name[:200], mapping=resolved,
                        duplicate_policy=duplicate_policy, batch_size=batch_size, created_by=principal.user_id)  # fmt: skip
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

    async def _batch(
        self, job: ImportJob, batch: list[tuple[int, dict[str, str]]], principal: Principal
    ) -> None:
        """One transaction: every row of the batch is written, or none is and each failure is reported."""
        prepared, errors = [], []
        definitions = await self.fields.definitions("account")
        for number, row in batch:
            account = new_row(principal.user_id)
            try:
                data = row_input(row, job.mapping)
                data.custom = clean(definitions, data.custom, creating=True)
                apply_input(account, data)
                prepared.append((number, account))
            except DomainError as exc:
                errors.append({"row": number, "field": exc.field, "message": exc.message()})
        if errors:
            await self._progress(job.id, failed=len(batch), errors=errors)
            return
        try:
            async with self.db.unit_of_work() as uow:
                counts = await self._write(uow, job, prepared, principal)
                await audit.record(uow, "account.imported", "ImportJob", job.id, actor=principal,
                                   detail={"rows": len(batch), **counts})  # fmt: skip
                await _add_progress(uow, job.id, len(batch), counts)
        except _BatchRejected as rejected:  # nothing of the batch was written
            await self._progress(job.id, failed=len(batch), errors=rejected.errors)

    async def _write(
        self, uow: UnitOfWork, job: ImportJob, prepared: list[tuple[int, Any]], principal: Principal
    ) -> dict[str, int]:
        existing = await _existing(uow, [a for _, a in prepared])
        counts = {"created": 0, "updated": 0, "skipped": 0}
        created: list[Any] = []
        errors: list[dict[str, Any]] = []
        for number, account in prepared:
            keys = [k for k in (account.name_key, account.phone_hash, account.email_hash) if k]
            match = next((existing[k] for k in keys if k in existing), None)
            if match is not None and job.duplicate_policy == "skip":
                counts["skipped"] += 1
            elif match is not None and job.duplicate_policy == "update":
                if not await may_access(uow, principal, match):
                    errors.append(
                        {"row": number, "field": "name", "message": "duplicate of an account you cannot edit"}
                    )
                    continue
                _copy(account, match)
                await uow.emit(ACCOUNT_TOPIC, event("account.updated", match.id, account_snapshot(match)))
                counts["updated"] += 1
            else:
                created.append(account)
                existing.update(dict.fromkeys(keys, account))
                counts["created"] += 1
        if errors:
            raise _BatchRejected(errors)
        if created:  # one INSERT for the batch: no ORM objects on the bulk path
            await uow.session.execute(insert(Account), [{f: getattr(a, f) for f in COLUMNS} for a in created])
            events = [event("account.created", a.id, account_snapshot(a)) for a in created]  # type: ignore[arg-type]
            await uow.emit_many(ACCOUNT_TOPIC, events)
        return counts

    async def _progress(self, job_id: uuid.UUID, failed: int = 0, errors: list[dict[str, Any]] | None = None,
                        **values: Any) -> None:  # fmt: skip
        async with self.db.unit_of_work() as uow:
            job = await uow.session.get(ImportJob, job_id, with_for_update=True)
            assert job is not None
            for key, value in values.items():
                setattr(job, key, value)
            if failed:
                job.processed_rows += failed
                job.failed_rows += failed
                job.errors = [*job.errors, *(errors or [])][:MAX_ERRORS]


class _BatchRejected(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors


async def _add_progress(uow: UnitOfWork, job_id: uuid.UUID, rows_done: int, counts: dict[str, int]) -> None:
    await uow.session.execute(
        update(ImportJob).where(ImportJob.id == job_id).values(
            processed_rows=ImportJob.processed_rows + rows_done,
            created_rows=ImportJob.created_rows + counts["created"],
            updated_rows=ImportJob.updated_rows + counts["updated"],
            skipped_rows=ImportJob.skipped_rows + counts["skipped"],
        )
    )  # fmt: skip


async def _existing(uow: UnitOfWork, accounts: list[Any]) -> dict[str, Any]:
    """Live accounts sharing a name key, phone or email with the batch, by each of those keys."""
    names = {a.name_key for a in accounts}
    phones = {a.phone_hash for a in accounts if a.phone_hash}
    emails = {a.email_hash for a in accounts if a.email_hash}
    query = select(Account).where(
        Account.deleted_at.is_(None),
        or_(  # type: ignore[union-attr]
            Account.name_key.in_(names), Account.phone_hash.in_(phones), Account.email_hash.in_(emails)
        ),
    )  # type: ignore[attr-defined,union-attr]
    found: dict[str, Account] = {}
    for account in (await uow.session.scalars(query)).all():
        for key in (account.name_key, account.phone_hash, account.email_hash):
            if key:
                found.setdefault(key, account)
    return found


def _copy(source: Any, target: Account) -> None:
    for name in ("industry", "size", "province", "city", "address", "website", "level", "source", "phone_enc",
                 "phone_hash", "email_enc", "email_hash", "search"):  # fmt: skip
        value = getattr(source, name)
        if value is not None:
            setattr(target, name, value)
    target.tags = sorted({*target.tags, *source.tags})
    target.custom = {**target.custom, **source.custom}
    target.updated_at = utcnow()


def _batches(
    items: Iterator[tuple[int, dict[str, str]]], size: int
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    while batch := list(itertools.islice(items, size)):
        yield batch
