"""Shared-library tests run against a throwaway database holding the outbox, inbox and a test table."""

import uuid

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from crm_shared.db import Database
from crm_shared.events import InboxRecord, OutboxMessage
from crm_shared.events.outbox import ParkedEvent


@pytest.fixture
async def db(postgres):
    name = f"shared_{uuid.uuid4().hex[:8]}"
    url = await postgres.ensure_database(name, "shared-pw")
    database = Database(url, source="/crm/test")
    async with database.engine.begin() as conn:
        await conn.run_sync(
            SQLModel.metadata.create_all, tables=[OutboxMessage.__table__, InboxRecord.__table__, ParkedEvent.__table__]
        )
        await conn.execute(text("CREATE TABLE widgets (id uuid PRIMARY KEY, name text NOT NULL)"))
        await conn.execute(text("CREATE TABLE applied (event_id text, n int)"))
    yield database
    await database.dispose()
    await postgres.drop_database(name)


@pytest.fixture
def topic():
    return f"crm.test.{uuid.uuid4().hex[:8]}"
