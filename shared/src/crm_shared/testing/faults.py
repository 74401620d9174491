"""Real faults for tests: a database that refuses connections and drops the ones it has."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.engine import make_url

from crm_shared.db.engine import Database
from crm_shared.devstack.postgres import PostgresServer


@asynccontextmanager
async def database_outage(server: PostgresServer, database: Database) -> AsyncIterator[None]:
    """Until the block ends, `database` is closed to connections and its open ones are cut (a restart, a failover)."""
    await _allow(server, database, False)
    try:
        yield
    finally:
        await _allow(server, database, True)


async def _allow(server: PostgresServer, database: Database, allowed: bool) -> None:
    name = make_url(database.url).database
    conn = await asyncpg.connect(server.admin_dsn)
    try:
        await conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            await conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
    finally:
        await conn.close()
