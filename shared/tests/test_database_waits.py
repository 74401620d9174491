"""Every wait on the database is bounded: a server that stops answering is a transient error, not a hang."""

import asyncio

from sqlalchemy import text

from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.events.faults import is_transient
from crm_shared.testing.faults import StallingProxy

LIMIT_MS = 500  # the statement timeout: the driver gives up 2 s after it


async def through(proxy: StallingProxy, postgres, db: Database) -> Database:
    port = await proxy.start()
    url = db.url.replace(f"127.0.0.1:{postgres.port}/", f"127.0.0.1:{port}/")
    return Database(url, source="/crm/test", platform=PlatformSettings(db_statement_timeout_ms=LIMIT_MS))


async def test_a_server_gone_without_a_word_fails_the_unit_of_work_as_transient_and_the_next_one_works(db, postgres):
    proxy = StallingProxy("127.0.0.1", postgres.port)
    remote = await through(proxy, postgres, db)

    async def one_statement() -> int:
        async with remote.unit_of_work() as uow:
            return int(await uow.session.scalar(text("SELECT 1")) or 0)

    try:
        assert await one_statement() == 1  # a pooled connection, used again without a ping
        proxy.stall()
        attempt = asyncio.create_task(one_statement())
        done, _ = await asyncio.wait({attempt}, timeout=20)
        assert done, "still waiting for a server that stopped answering"
        error = attempt.exception()
        assert error is not None and is_transient(error)

        assert await asyncio.wait_for(one_statement(), 20) == 1  # on a new connection
    finally:
        await remote.dispose()
        await proxy.stop()
