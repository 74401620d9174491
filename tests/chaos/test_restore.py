"""The backup-and-restore drill, after the faults: every database backed up while clients write,
customer restored to that backup with its connections cut and the load still going, and sales'
account projection reconciled with the restored customer."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from crm_shared.devstack.backup import BackupManifest, backup, load, restore_and_reconcile, sha256
from crm_shared.devstack.run import SERVICES, Stack

from .accounting import WRITTEN, Books, Restore
from .conftest import wait_recovered
from .load import Load
from .report import Row, table

WARM_UP = 2.0  # seconds of load before the backup, so clients are writing while it runs
AHEAD = 3.0  # seconds of load after the backup, so customer moves ahead of it
# what a client is told when its contact's or opportunity's account went with the restore
REFUSED = {"contact": "NOT_FOUND", "opportunity": "BAD_USER_INPUT"}
# recovery includes sales applying a snapshot of every account, one transaction each (~900 after the faults)
RESTORE_GOAL = 60.0


async def checked(stack: Stack, folder: Path, manifest: BackupManifest) -> dict[str, set[str]]:
    """Each dump loaded into a scratch database: its sha256 and its rows per table are the manifest's.
    Returns the names the backup holds, for each kind of client write."""
    held: dict[str, set[str]] = {}
    admin = await asyncpg.connect(stack.postgres.admin_dsn)
    try:
        for dump in manifest.databases:
            scratch = f"{dump.database}_drill"
            try:
                assert (dump.service, sha256(folder / dump.file)) == (dump.service, dump.sha256)
                rows = await load(stack.postgres, admin, folder / dump.file, dump, scratch)
                assert (dump.service, rows) == (dump.service, dump.tables)
                conn = await asyncpg.connect(
                    make_url(stack.postgres.admin_dsn).set(database=scratch).render_as_string(False)
                )
                try:
                    for kind, (service, table, column) in WRITTEN.items():
                        if service == dump.service:
                            held[kind] = {r["name"] for r in await conn.fetch(f"SELECT {column} AS name FROM {table}")}
                finally:
                    await conn.close()
            finally:
                await admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    finally:
        await admin.close()
    return held


@pytest.mark.timeout(300)
async def test_customer_restored_to_a_backup_under_load_and_sales_reconciled_with_it(
    stack: Stack, tmp_path: Path, capsys
) -> None:
    books, folder = Books(stack), tmp_path / "backup"
    load = Load(stack.gateway_url)
    token = await load.login("admin@example.com")
    await load.start()
    try:
        await asyncio.sleep(WARM_UP)
        manifest = await backup(stack.postgres, {s.name: s.name for s in SERVICES}, folder)
        held = await checked(stack, folder, manifest)
        await asyncio.sleep(AHEAD)
        began = time.monotonic()
        [(dump, run_id, sent)] = await restore_and_reconcile(stack.postgres, folder, ["customer"], force=True)
        restore = Restore("customer", held, time.monotonic())
        seconds, marks, awaited, recovered = await wait_recovered(stack, books, token, load)
        restored = Row(
            "restore customer (FORCE)",
            seconds,
            await books.effects(load.ledger, marks, restore),
            awaited,
            recovered,
            RESTORE_GOAL,
        )
    finally:
        await load.stop()
    seconds, _, awaited, recovered = await wait_recovered(stack, books, token)
    settled = Row(
        "load stopped, all settled", seconds, await books.effects(load.ledger, None, restore), awaited, recovered
    )

    accounts = {
        str(r["id"]): r
        for r in await books.fetch("customer", "SELECT id, name, deleted_at, merged_into_id FROM accounts")
    }
    live = {i: r["name"] for i, r in accounts.items() if r["deleted_at"] is None and r["merged_into_id"] is None}
    projected = {
        str(r["id"]): (r["name"], r["deleted"])
        for r in await books.fetch("sales", "SELECT id, name, deleted FROM account_refs")
    }
    pruned = {i: p for i, p in projected.items() if i not in accounts}
    [run] = await books.fetch(
        "sales", "SELECT applied, expected, pruned FROM reconciliation_runs WHERE run_id = $1", run_id
    )
    undone = {w.id for w in settled.count.gone if w.kind == "account"}
    with capsys.disabled():
        print(table([restored, settled], load), flush=True)
        print(
            f"restore {restore.over - began:.1f} s: {sum(dump.tables.values())} rows restored, "
            f"{sent['account.reconciled']} accounts reconciled, {run['pruned']} pruned, "
            f"{len(settled.count.gone)} acknowledged writes undone",
            flush=True,
        )

    assert [r.outcome() for r in (restored, settled)] == [(r.fault, True, {}, {}) for r in (restored, settled)]
    # only writes on an account that went with the restore may be refused, and only as such
    refused = [w for w in load.ledger.failed() if REFUSED.get(w.kind) == w.code and w.account in undone]
    assert [(w.kind, w.error) for w in load.ledger.failed() if w not in refused] == []
    # customer moved ahead of its backup, and the restore took it back
    assert undone
    # every live account of customer is in sales' projection, with the same name, not deleted
    assert {i: projected.get(i) for i in live} == {i: (name, False) for i, name in live.items()}
    # accounts customer no longer has are deleted there, and they are those made after the backup
    assert pruned == {i: (name, True) for i, (name, _) in pruned.items()}
    assert set(pruned) == undone & set(projected)
    assert (run["applied"], run["expected"], run["pruned"]) == (
        sent["account.reconciled"],
        sent["account.reconciled"],
        len(pruned),
    )
