"""Import jobs: progress and the per-row error report, queryable while the job runs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class ImportJob(SQLModel, table=True):
    __tablename__ = "import_jobs"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entity: str = Field(default="account", max_length=10)  # account, contact
    status: str = Field(default="pending", max_length=10)  # pending, running, done, failed
    file_format: str = Field(max_length=4)  # csv, xlsx
    file_name: str = Field(default="", max_length=200)
    mapping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    duplicate_policy: str = Field(default="skip", max_length=6)  # skip, update, create
    batch_size: int = 1000
    processed_rows: int = 0
    created_rows: int = 0
    updated_rows: int = 0
    skipped_rows: int = 0
    failed_rows: int = 0
    # rows' errors as message keys: {row, field, key, params}, put in words when read (see `rejection`)
    errors: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    failure: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))  # why a failed job stopped
    created_by: uuid.UUID
    created_at: dt.datetime = timestamp()
    finished_at: dt.datetime | None = timestamp(nullable=True)
