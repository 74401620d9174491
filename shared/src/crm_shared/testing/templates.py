"""One migrated template database per service and server, built once under a lock, cloned per test.

Cloning (`CREATE DATABASE ... TEMPLATE`) copies the migrated schema in tens of milliseconds where
running the migrations again takes seconds. The template refuses connections once built: a
connected template cannot be cloned.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
import weakref
from dataclasses import dataclass, field

import asyncpg

from crm_shared.db.migrate import upgrade
from crm_shared.devstack.postgres import PostgresServer


@dataclass(frozen=True)
class Template:
    """A migrated database that only serves as the source of clones; its role owns every clone."""

    name: str
    password: str


@dataclass
class _ServerTemplates:
    built: dict[str, Template] = field(default_factory=dict)
    locks: dict[tuple[int, str], asyncio.Lock] = field(default_factory=dict)


_servers: weakref.WeakKeyDictionary[PostgresServer, _ServerTemplates] = weakref.WeakKeyDictionary()


async def template(server: PostgresServer, service: str) -> Template:
    """The migrated template of `service` on `server`, built on first use; concurrent callers wait for it."""
    known = _servers.setdefault(server, _ServerTemplates())
    if (found := known.built.get(service)) is not None:
        return found
    # keyed by loop as well: an asyncio.Lock serves the loop it was first used on only
    lock = known.locks.setdefault((id(asyncio.get_running_loop()), service), asyncio.Lock())
    async with lock:
        if (found := known.built.get(service)) is None:
            found = known.built[service] = await _build(server, service)
    return found


async def clone(server: PostgresServer, source: Template, name: str) -> str:
    """Create database `name` as a copy of `source`, owned by its role; returns the URL to reach it."""
    conn = await asyncpg.connect(server.admin_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source.name}" OWNER "{source.name}"')
    finally:
        await conn.close()
    return server.url(name, source.name, source.password)


async def _build(server: PostgresServer, service: str) -> Template:
    built = Template(f"{service}_tpl_{uuid.uuid4().hex[:8]}", secrets.token_hex(16))
    url = await server.ensure_database(built.name, built.password)
    await asyncio.to_thread(upgrade, service, url)
    conn = await asyncpg.connect(server.admin_dsn)
    try:
        await conn.execute(f'ALTER DATABASE "{built.name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
    finally:
        await conn.close()
    return built
