"""Human document numbers (SO-2026-000123) from PostgreSQL sequences: unique, gap-tolerant, no locking."""

from __future__ import annotations

from sqlalchemy import text

from crm_shared.db import UnitOfWork, utcnow

SEQUENCES = {"SO": "order_number_seq", "INV": "invoice_number_seq", "CT": "contract_number_seq"}


async def next_number(uow: UnitOfWork, prefix: str) -> str:
    value = await uow.session.scalar(text(f"SELECT nextval('{SEQUENCES[prefix]}')"))
    return f"{prefix}-{utcnow().year}-{int(value or 0):06d}"
