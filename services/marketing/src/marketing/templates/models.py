"""Email templates, shared by the marketing organisation."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class EmailTemplate(SQLModel, table=True):
    """Subject, HTML and text in Chinese, and optionally in English (sent to campaigns in English)."""

    __tablename__ = "email_templates"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    subject_zh: str = Field(max_length=300)
    html_zh: str = Field(max_length=100_000)
    text_zh: str = Field(max_length=50_000)
    subject_en: str | None = Field(default=None, max_length=300)
    html_en: str | None = Field(default=None, max_length=100_000)
    text_en: str | None = Field(default=None, max_length=50_000)
    created_by: uuid.UUID | None = None
    created_at: dt.datetime = timestamp()
    updated_at: dt.datetime = timestamp()
