"""Async PostgreSQL access: engine, unit of work, naming conventions, Alembic helpers."""

from crm_shared.db.engine import Database, UnitOfWork, asyncpg_dsn, timestamp, utcnow

__all__ = ["Database", "UnitOfWork", "asyncpg_dsn", "timestamp", "utcnow"]
