"""Backup and restore of a service database, and the reconciliation that follows, against the real services.

Customer's database is backed up, changed, and restored; its manifest says what the restore must
bring back. Then sales' account projection, kept by a real consumer on the real broker, is brought
back into agreement with the restored customer by a reconciliation run.
"""

import asyncio
import uuid

import asyncpg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from crm_contracts.customer import ACCOUNT_TOPIC
from crm_contracts.identity import USER_TOPIC
from crm_shared.accounts import AccountRef
from crm_shared.devstack.backup import BackupError, RestoreRefused, backup, restore, row_counts, sha256
from crm_shared.events import EventConsumer
from crm_shared.events.outbox import OutboxMessage
from crm_shared.events.reconcile import ReconciliationRun, reconcile
from crm_shared.service import named
from crm_shared.testing import GraphQLClient, ensure_service_topics, persona_map, service_app
from crm_shared.testing.tokens import Persona
from customer.accounts import service as accounts
from customer.app import create_app as create_customer
from customer.settings import CustomerSettings
from sales.app import create_app as create_sales
from sales.settings import SalesSettings

TEAM = uuid.uuid4()
PERSONAS = persona_map(Persona("rep", ("customer:account:*",), {"customer:account": "own"}, TEAM))
CREATE = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
RENAME = "mutation($id: ID!, $i: UpdateAccountInput!) { updateAccount(id: $id, input: $i) { id } }"
DELETE = "mutation($id: ID!) { deleteAccount(id: $id) { id } }"
NAMES = "{ accounts(first: 50) { totalCount edges { node { name } } } }"


@pytest.fixture
async def customer(fresh_db, platform_settings, tokens):
    await ensure_service_topics(platform_settings, [ACCOUNT_TOPIC, USER_TOPIC])
    db = await fresh_db("customer")
    app = await service_app(create_customer, CustomerSettings(), platform_settings, tokens, PERSONAS, db)
    async with GraphQLClient(app, tokens, PERSONAS, base_url="http://customer") as gql:
        yield app, db, gql


async def create(gql, name):
    return (await gql.ok(CREATE, {"i": {"name": name}}, "rep"))["createAccount"]["id"]


async def names(gql):
    found = (await gql.ok(NAMES, as_="rep"))["accounts"]
    assert found["totalCount"] == len(found["edges"])
    return sorted(edge["node"]["name"] for edge in found["edges"])


async def counts(postgres, db):
    conn = await asyncpg.connect(
        make_url(postgres.admin_dsn).set(database=make_url(db.url).database).render_as_string(False)
    )
    try:
        return await row_counts(conn)
    finally:
        await conn.close()


async def test_a_restore_brings_back_what_the_manifest_describes(customer, postgres, tmp_path):
    _, db, gql = customer
    for name in ("备份甲有限公司", "备份乙有限公司", "备份丙有限公司"):
        await create(gql, name)
    first = await create(gql, "备份丁有限公司")
    database = make_url(db.url).database
    before = await counts(postgres, db)
    async with db.read() as session:
        newest = await session.scalar(select(func.max(OutboxMessage.created_at)))

    manifest = await backup(postgres, {"customer": database}, tmp_path / "backup")

    [dump] = manifest.databases
    file = tmp_path / "backup" / dump.file
    assert (dump.service, dump.database, dump.file) == ("customer", database, "customer.dump")
    assert (dump.size, dump.sha256) == (file.stat().st_size, sha256(file))
    assert dump.tables == before and dump.tables["accounts"] == 4
    assert dump.outbox_newest_event_at == newest
    assert dump.postgres_version.split(".")[0] == (await _server_version(postgres)).split(".")[0]
    assert (tmp_path / "backup" / "manifest.json").is_file()

    await gql.ok(RENAME, {"id": first, "i": {"name": "改名后的丁有限公司"}}, "rep")
    await gql.ok(DELETE, {"id": await create(gql, "备份后才有的戊有限公司")}, "rep")
    changed = await counts(postgres, db)
    assert changed["accounts"] == 5

    # the app holds connections: a restore refuses, naming them, and leaves the database as it is
    with pytest.raises(RestoreRefused, match="connections"):
        await restore(postgres, tmp_path / "backup")
    # a damaged dump is refused before anything is touched, forced or not
    good = file.read_bytes()
    file.write_bytes(good[:-1] + bytes([good[-1] ^ 0xFF]))
    with pytest.raises(BackupError, match="sha256"):
        await restore(postgres, tmp_path / "backup", ["customer"], force=True)
    assert await counts(postgres, db) == changed
    file.write_bytes(good)

    [restored] = await restore(postgres, tmp_path / "backup", ["customer"], force=True)

    assert restored == dump
    assert await counts(postgres, db) == dump.tables
    # the app was cut off and reconnects to the restored database
    assert await names(gql) == ["备份丁有限公司", "备份丙有限公司", "备份乙有限公司", "备份甲有限公司"]


async def test_a_restore_names_a_service_the_backup_does_not_hold(customer, postgres, tmp_path):
    _, db, _ = customer
    await backup(postgres, {"customer": make_url(db.url).database}, tmp_path / "backup")
    with pytest.raises(BackupError, match="no sales"):
        await restore(postgres, tmp_path / "backup", ["sales"])
    with pytest.raises(BackupError, match="already holds a backup"):
        await backup(postgres, {"customer": make_url(db.url).database}, tmp_path / "backup")


async def _server_version(postgres):
    conn = await asyncpg.connect(postgres.admin_dsn)
    try:
        return await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()


async def until(condition, what, seconds=30):
    """Wait for the consumer to get there; fail naming what did not happen."""
    for _ in range(int(seconds / 0.1)):
        if found := await condition():
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} did not happen")


async def test_after_customer_is_restored_reconciliation_brings_sales_projection_back_in_line(
    customer, fresh_db, platform_settings, tokens, postgres, tmp_path
):
    app, customer_db, gql = customer
    sales_db = await fresh_db("sales")
    sales = await service_app(create_sales, SalesSettings(), platform_settings, tokens, PERSONAS, sales_db)
    group = f"sales-{uuid.uuid4().hex[:8]}"
    consumer = EventConsumer(sales.state.db, platform_settings, group, sales.state.consumer.handlers)
    consuming = asyncio.create_task(consumer.run())

    async def publish():
        while await app.state.relay.publish_batch():
            pass

    async def projected(*ids):
        async with sales_db.read() as session:
            rows = (await session.scalars(select(AccountRef).where(AccountRef.id.in_(ids)))).all()
        return {str(row.id): (row.name, row.deleted) for row in rows}

    try:
        kept = await create(gql, "恢复前就有的甲有限公司")
        renamed = await create(gql, "原来的名字有限公司")
        await publish()
        await until(lambda: _has(projected, kept, renamed, count=2), "the first two accounts reaching sales")

        await backup(postgres, {"customer": make_url(customer_db.url).database}, tmp_path / "backup")

        await gql.ok(RENAME, {"id": renamed, "i": {"name": "备份之后改的名字有限公司"}}, "rep")
        later = await create(gql, "备份之后才建的有限公司")
        await publish()
        expected_now = {
            kept: ("恢复前就有的甲有限公司", False),
            renamed: ("备份之后改的名字有限公司", False),
            later: ("备份之后才建的有限公司", False),
        }
        await until(lambda: _equals(projected, expected_now), "the changes after the backup reaching sales")

        await restore(postgres, tmp_path / "backup", ["customer"], force=True)
        async with customer_db.unit_of_work() as uow:
            run_id, sent = await reconcile(uow, named("customer"))
        assert sent == {"account.reconciled": 2}
        await publish()

        expected_after = {
            kept: ("恢复前就有的甲有限公司", False),
            renamed: ("原来的名字有限公司", False),  # the restored name again
            later: ("备份之后才建的有限公司", True),  # gone with the restore
        }
        await until(lambda: _equals(projected, expected_after), "sales agreeing with the restored customer")
        async with sales_db.read() as session:
            run = await session.scalar(select(ReconciliationRun).where(ReconciliationRun.run_id == run_id))
            assert (run.kind, run.applied, run.expected) == ("account.reconciled", 2, 2)
            assert run.pruned_at is not None
            # rows of accounts other tests published to the shared topic are not this test's to count
            assert await session.scalar(text("SELECT count(*) FROM reconciliation_runs")) == 1
    finally:
        consuming.cancel()
        await asyncio.gather(consuming, return_exceptions=True)
        await app.state.relay.close()


async def test_a_change_committed_while_a_run_takes_its_snapshot_is_not_undone_by_it(
    customer, fresh_db, platform_settings, tokens
):
    app, customer_db, gql = customer
    sales_db = await fresh_db("sales")
    sales = await service_app(create_sales, SalesSettings(), platform_settings, tokens, PERSONAS, sales_db)
    consumer = EventConsumer(
        sales.state.db, platform_settings, f"sales-{uuid.uuid4().hex[:8]}", sales.state.consumer.handlers
    )
    consuming = asyncio.create_task(consumer.run())
    rep = await tokens.verifier().verify(tokens.token(PERSONAS["rep"]))
    try:
        account = await create(gql, "改名之前的有限公司")
        # the rename's transaction began, and wrote its event, before the run took its snapshot, and
        # commits after it: the run re-publishes the old name, and sales applies the rename first (same key)
        async with customer_db.unit_of_work() as rename:
            await accounts.update(
                rename, rep, uuid.UUID(account), accounts.AccountInput(name="运行期间改的名字有限公司")
            )
            await rename.flush()  # its event is in the outbox, ahead of the run's
            async with customer_db.unit_of_work() as uow:
                run_id, _ = await reconcile(uow, named("customer"))
        while await app.state.relay.publish_batch():
            pass

        async def projected():
            async with sales_db.read() as session:
                return (await session.get(AccountRef, uuid.UUID(account))).name

        async def snapshot_applied():
            async with sales_db.read() as session:
                run = await session.get(ReconciliationRun, (run_id, "account.reconciled"))
                return run is not None and run.pruned_at is not None

        await until(snapshot_applied, "the run's snapshot reaching sales")
        assert await projected() == "运行期间改的名字有限公司"
    finally:
        consuming.cancel()
        await asyncio.gather(consuming, return_exceptions=True)
        await app.state.relay.close()


async def _has(projected, *ids, count):
    return len(await projected(*ids)) == count


async def _equals(projected, expected):
    return await projected(*expected) == expected
