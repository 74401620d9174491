"""What a crash leaves behind, made on purpose, for tests of what comes after it."""

from __future__ import annotations

from sqlalchemy import text

from crm_shared.db import Database


async def answer_lost(db: Database, key: str) -> None:
    """A `kill -9` between a request's commit and its stored answer: the `Idempotency-Key` claimed,
    unanswered, its lease over (the next request with it runs again)."""
    async with db.unit_of_work() as uow:
        await uow.session.execute(
            text(
                "UPDATE idempotency_keys SET status = NULL, headers = NULL, body = NULL,"
                " created_at = now() - interval '31 seconds' WHERE key = :key"
            ),
            {"key": key},
        )
