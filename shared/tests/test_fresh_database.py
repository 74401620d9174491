"""Fresh databases are clones of one migrated template per service: isolated, complete, quick, dropped."""

import asyncio
import time
import uuid

import asyncpg
from alembic.script import ScriptDirectory
from sqlalchemy import text

from crm_shared.db.engine import Database, asyncpg_dsn
from crm_shared.db.migrate import alembic_config
from crm_shared.devstack.postgres import PostgresServer
from crm_shared.testing import discard_database, fresh_database
from crm_shared.testing.infra import attach
from crm_shared.testing.templates import template

INSERT_USER = """INSERT INTO users (id, email, display_name, password_hash, roles, is_active,
    password_changed_at, created_at, updated_at) VALUES (:id, :email, '张伟', 'x', '{}', true, now(), now(), now())"""


async def emails(db):
    async with db.read() as session:
        return (await session.scalars(text("SELECT email FROM users ORDER BY email"))).all()


async def revisions(db):
    async with db.read() as session:
        return set((await session.scalars(text("SELECT version_num FROM alembic_version"))).all())


async def test_two_fresh_databases_share_the_schema_but_not_the_rows(fresh_db):
    first, second = await fresh_db("identity"), await fresh_db("identity")
    assert first.url != second.url
    heads = set(ScriptDirectory.from_config(alembic_config("identity", first.url)).get_heads())
    assert await revisions(first) == heads
    assert await revisions(second) == heads
    async with first.unit_of_work() as uow:
        await uow.session.execute(text(INSERT_USER), {"id": uuid.uuid4(), "email": "zhang.wei@example.com"})
    assert await emails(first) == ["zhang.wei@example.com"]
    assert await emails(second) == []


class SameServer(PostgresServer):
    """Another handle on the running server: templates are kept per handle, so it starts with none."""

    def __init__(self, server: PostgresServer) -> None:
        self.data_dir, self.port, self.password, self.bin = server.data_dir, server.port, server.password, server.bin


async def identity_templates(conn):
    rows = await conn.fetch("SELECT datname FROM pg_database WHERE datname LIKE 'identity\\_tpl\\_%' ORDER BY 1")
    return [r["datname"] for r in rows]


async def test_concurrent_first_callers_build_one_template_under_the_lock(postgres):
    conn = await asyncpg.connect(postgres.admin_dsn)
    try:
        before = await identity_templates(conn)
        handle = SameServer(postgres)
        racing = await asyncio.gather(*(template(handle, "identity") for _ in range(5)))
        after = await identity_templates(conn)
        allowed = await conn.fetchval("SELECT datallowconn FROM pg_database WHERE datname = $1", racing[0].name)
        await conn.execute(f'ALTER DATABASE "{racing[0].name}" WITH IS_TEMPLATE false')
        await conn.execute(f'DROP DATABASE "{racing[0].name}"')
    finally:
        await conn.close()
    assert len(set(racing)) == 1
    assert sorted(after) == sorted([*before, racing[0].name])
    assert allowed is False  # a connected template could not be cloned


async def test_a_clone_is_quick_and_discarding_drops_it_with_attached_engines(postgres):
    await template(postgres, "identity")
    started = time.monotonic()
    db = await fresh_database(postgres, "identity")
    elapsed = time.monotonic() - started
    app_engine = Database(db.url, source="/crm/identity")
    attach(db, app_engine)
    assert await emails(app_engine) == []
    await discard_database(postgres, db)
    assert app_engine.engine.pool.checkedin() == 0
    conn = await asyncpg.connect(postgres.admin_dsn)
    try:
        name = asyncpg_dsn(db.url).rsplit("/", 1)[1]
        assert await conn.fetchval("SELECT count(*) FROM pg_database WHERE datname = $1", name) == 0
    finally:
        await conn.close()
    assert elapsed < 2, f"cloning took {elapsed:.2f}s"


async def test_names_repeated_before_a_unique_index_are_numbered_and_kept(db):
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from crm_shared.db.platform_tables import number_repeated_names

    rows = [("客服", 1), ("客服", 2), ("Sales", 3), ("客服", 4), ("", 5), ("", 6)]
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE named (id uuid PRIMARY KEY, name varchar(100), made int)"))
        for name, made in rows:
            await conn.execute(text("INSERT INTO named VALUES (gen_random_uuid(), :n, :m)"), {"n": name, "m": made})

        def migrate(sync) -> None:
            with Operations.context(MigrationContext.configure(sync)):
                number_repeated_names("named", "name", "made", "name <> ''")

        await conn.run_sync(migrate)
        kept = (await conn.execute(text("SELECT name FROM named ORDER BY made"))).scalars().all()
    assert kept == ["客服", "客服 (2)", "Sales", "客服 (3)", "", ""]
