"""The ERP's documents applied here, by their number: the same document twice is applied once."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from crm_shared.db import timestamp


class ErpDocument(SQLModel, table=True):
    __tablename__ = "erp_documents"

    kind: str = Field(primary_key=True, max_length=20)  # payment, delivery, stock
    number: str = Field(primary_key=True, max_length=100)  # the ERP's document number
    digest: str = Field(max_length=64)  # of the document as first applied: a changed one is refused
    entity_id: uuid.UUID | None = None  # the payment or order it made or moved
    applied_at: dt.datetime = timestamp()
