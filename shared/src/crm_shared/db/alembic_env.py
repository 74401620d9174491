"""The body of every service's `migrations/env.py`: async online migrations, offline SQL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel


def _configure(connection: Connection | None = None) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if connection is None:
        context.configure(url=url, literal_binds=True, target_metadata=SQLModel.metadata, compare_type=True)
    else:
        context.configure(connection=connection, target_metadata=SQLModel.metadata, compare_type=True)


def _run_sync(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync)
    await engine.dispose()


def run() -> None:
    """Run migrations offline (SQL script) or online against the configured URL."""
    if context.is_offline_mode():
        _configure()
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(_run_online(url))
        return
    raise RuntimeError("call crm_shared.db.migrate from a thread without a running event loop")
