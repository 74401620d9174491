"""Shared-library tests run against a throwaway database holding the platform's tables and test tables."""

import uuid

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from crm_shared.db import Database
from crm_shared.db.platform_tables import platform_tables


@pytest.fixture
async def db(postgres):
    name = f"shared_{uuid.uuid4().hex[:8]}"
    url = await postgres.ensure_database(name, "shared-pw")
    database = Database(url, source="/crm/test")
    async with database.engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all, tables=[m.__table__ for m in platform_tables()])
        await conn.execute(text("CREATE TABLE widgets (id uuid PRIMARY KEY, name text NOT NULL)"))
        await conn.execute(text("CREATE TABLE applied (event_id text, n int)"))
    yield database
    await database.dispose()
    await postgres.drop_database(name)


@pytest.fixture
def topic():
    return f"crm.test.{uuid.uuid4().hex[:8]}"
