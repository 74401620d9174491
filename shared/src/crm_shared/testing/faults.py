"""Real faults for tests: a database that refuses connections and drops the ones it has, and a server that
stops answering without closing anything."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

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


class StallingProxy:
    """A TCP hop to a server that can leave the connections open through it hanging: no byte passes either
    way and nothing is closed, while connections made afterwards reach the server. That is what clients
    see of a node gone without a word (a failover, a partition): what they sent on the old connections
    is never answered, a new connection finds the server again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self._open: list[asyncio.Event] = []  # one per connection: set while it passes bytes
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        """Listen on a free local port, which it returns."""
        self._server = await asyncio.start_server(self._connect, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    def stall(self) -> None:
        """The connections open now hang from here on."""
        for flowing in self._open:
            flowing.clear()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for flowing in self._open:
            flowing.set()

    async def _connect(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection(*self.target)
        flowing = asyncio.Event()
        flowing.set()
        self._open.append(flowing)
        await asyncio.gather(
            self._pipe(client_reader, server_writer, flowing), self._pipe(server_reader, client_writer, flowing)
        )

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, flowing: asyncio.Event) -> None:
        with suppress(OSError):
            while data := await reader.read(65536):
                await flowing.wait()
                writer.write(data)
                await writer.drain()
            await flowing.wait()  # a close hangs like any byte
        writer.close()
