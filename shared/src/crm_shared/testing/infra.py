"""Helpers tests use against the real database and broker."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.engine import make_url

from crm_shared.db.engine import Database
from crm_shared.db.migrate import upgrade
from crm_shared.devstack.postgres import PostgresServer
from crm_shared.events.kafka import read_topic
from crm_shared.testing.templates import clone, template

__all__ = ["attach", "discard_database", "fresh_database", "migrated_database", "read_topic"]

# engines that apps opened on a fresh database, disposed when that database is discarded
_attached: dict[str, list[Database]] = {}


async def migrated_database(server: PostgresServer, service: str) -> Database:
    """A fresh database for `service` with its migrations applied."""
    name = f"{service}_{uuid.uuid4().hex[:8]}"
    url = await server.ensure_database(name, f"{name}-pw")
    await asyncio.to_thread(upgrade, service, url)
    return Database(url, source=f"/crm/{service}")


async def fresh_database(server: PostgresServer, service: str) -> Database:
    """A new database for `service`, cloned from its migrated template (built once per server)."""
    url = await clone(server, await template(server, service), f"{service}_{uuid.uuid4().hex[:12]}")
    return Database(url, source=f"/crm/{service}")


def attach(database: Database, other: Database) -> None:
    """Dispose `other` (an app's own engine on the same database) when `database` is discarded."""
    _attached.setdefault(database.url, []).append(other)


async def discard_database(server: PostgresServer, database: Database) -> None:
    """Dispose `database` and the engines attached to it, then drop it (closing what still connects)."""
    for engine in (*_attached.pop(database.url, []), database):
        await engine.dispose()
    name = make_url(database.url).database
    assert name, f"no database named in {database.url}"
    await server.drop_database(name)
