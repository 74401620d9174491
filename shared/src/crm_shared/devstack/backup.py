"""`make backup` and `make restore`: one custom-format dump per service database, with a manifest.

Each database is dumped from one exported snapshot, so its dump, its row counts and its outbox's
newest event time in `manifest.json` describe the same instant, even while the suite is writing.
A restore first checks every chosen dump against its sha256, loads each into a database beside the
live one, checks the row counts against the manifest, and only then swaps it in (connections are
refused during the swap). While a service is connected to its database the restore refuses, naming
the connections, unless the operator forces it: then those connections are cut and the service
reconnects to the restored database. Afterwards the restored service's migrations run and a
reconciliation makes the other services' projections agree with it (`crm_shared.events.reconcile`).

    python -m crm_shared.devstack.backup backup [--into FOLDER]
    python -m crm_shared.devstack.backup restore FOLDER [--service NAME] [--force]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import os
import sys
import uuid
from collections.abc import Mapping
from pathlib import Path

import asyncpg
from pydantic import BaseModel
from sqlalchemy.engine import make_url

from crm_shared.devstack.postgres import PostgresServer, bin_dir

MANIFEST = "manifest.json"


class DatabaseDump(BaseModel):
    service: str
    database: str
    owner: str
    postgres_version: str
    file: str
    size: int
    sha256: str
    tables: dict[str, int]  # rows per table at the snapshot
    outbox_newest_event_at: dt.datetime | None  # the newest event the service had written


class BackupManifest(BaseModel):
    taken_at: dt.datetime
    databases: list[DatabaseDump]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


class RestoreRefused(BackupError):
    pass


# ---------------------------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------------------------


async def backup(server: PostgresServer, databases: Mapping[str, str], into: Path) -> BackupManifest:
    """Dump each service's database (service → database name) into `into`, with its manifest."""
    if (into / MANIFEST).exists():
        raise BackupError(f"{into} already holds a backup; choose another folder")
    await _require(server, databases)
    into.mkdir(parents=True, exist_ok=True)
    taken_at = dt.datetime.now(dt.UTC)
    dumps = [await _dump(server, service, database, into) for service, database in databases.items()]
    manifest = BackupManifest(taken_at=taken_at, databases=dumps)
    (into / MANIFEST).write_text(manifest.model_dump_json(indent=2) + "\n")
    return manifest


async def _require(server: PostgresServer, databases: Mapping[str, str]) -> None:
    admin = await asyncpg.connect(server.admin_dsn)
    try:
        found = {row[0] for row in await admin.fetch("SELECT datname FROM pg_database")}
    finally:
        await admin.close()
    missing = sorted(f"{service} ({name})" for service, name in databases.items() if name not in found)
    if missing:
        raise BackupError(f"no database for {', '.join(missing)}: `make run` creates them")


async def _dump(server: PostgresServer, service: str, database: str, into: Path) -> DatabaseDump:
    file = into / f"{service}.dump"
    conn = await asyncpg.connect(_dsn(server, database))
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval("SELECT pg_export_snapshot()")  # pg_dump reads this very snapshot
            tables = await row_counts(conn)
            newest = None
            if await conn.fetchval("SELECT to_regclass('public.outbox') IS NOT NULL"):
                newest = await conn.fetchval("SELECT max(created_at) FROM outbox")
            await _tool(server, "pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={file}", database)
            owner = await conn.fetchval(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
            )
            version = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
    return DatabaseDump(
        service=service,
        database=database,
        owner=owner,
        postgres_version=version,
        file=file.name,
        size=file.stat().st_size,
        sha256=sha256(file),
        tables=tables,
        outbox_newest_event_at=newest,
    )


async def row_counts(conn: asyncpg.Connection) -> dict[str, int]:
    """Rows per table of the database (`schema.table` outside `public`), as the connection sees them."""
    tables = await conn.fetch(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname, tablename"
    )
    counts = {}
    for schema, table in tables:
        name = table if schema == "public" else f"{schema}.{table}"
        counts[name] = await conn.fetchval(f'SELECT count(*) FROM "{schema}"."{table}"')
    return counts


def sha256(file: Path) -> str:
    with file.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


# ---------------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------------


def read_manifest(folder: Path) -> BackupManifest:
    if not (folder / MANIFEST).is_file():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a backup folder")
    return BackupManifest.model_validate_json((folder / MANIFEST).read_text())


def chosen(manifest: BackupManifest, services: list[str] | None) -> list[DatabaseDump]:
    known = {dump.service: dump for dump in manifest.databases}
    missing = sorted(set(services or ()) - set(known))
    if missing:
        raise BackupError(f"the backup holds no {', '.join(missing)} (it has {', '.join(sorted(known))})")
    return [dump for dump in manifest.databases if services is None or dump.service in services]


def verify(folder: Path, dump: DatabaseDump) -> None:
    """The dump is the one the manifest describes, byte for byte."""
    file = folder / dump.file
    if not file.is_file():
        raise BackupError(f"{dump.service}: {file} is missing")
    if sha256(file) != dump.sha256:
        raise BackupError(f"{dump.service}: {file} does not match its sha256 in {MANIFEST}; it is damaged")


async def restore(
    server: PostgresServer, folder: Path, services: list[str] | None = None, force: bool = False
) -> list[DatabaseDump]:
    """Restore the chosen services' databases (all by default) from `folder`; nothing is touched
    unless every chosen dump is intact, and a database in use is replaced only when `force`d."""
    dumps = chosen(read_manifest(folder), services)
    for dump in dumps:
        verify(folder, dump)
    admin = await asyncpg.connect(server.admin_dsn)
    try:
        if not force:
            for dump in dumps:
                await _refuse_if_used(admin, dump.database)
        for dump in dumps:
            await _restore(server, admin, folder / dump.file, dump, force)
    finally:
        await admin.close()
    return dumps


async def load(
    server: PostgresServer, admin: asyncpg.Connection, file: Path, dump: DatabaseDump, database: str
) -> dict[str, int]:
    """Load `file` into a new database `database` (one by that name is replaced), as the dump's owner;
    returns its rows per table, to compare with the manifest. A restore stages here; a drill checks."""
    await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{database}" OWNER "{dump.owner}"')
    await _tool(server, "pg_restore", "--exit-on-error", "--single-transaction", f"--dbname={database}", str(file))
    conn = await asyncpg.connect(_dsn(server, database))
    try:
        return await row_counts(conn)
    finally:
        await conn.close()


async def _restore(
    server: PostgresServer, admin: asyncpg.Connection, file: Path, dump: DatabaseDump, force: bool
) -> None:
    name, staging = dump.database, f"{dump.database}_restoring"
    try:
        restored = await load(server, admin, file, dump, staging)
        if restored != dump.tables:
            differ = sorted(t for t in {*restored, *dump.tables} if restored.get(t) != dump.tables.get(t))
            raise BackupError(f"{dump.service}: the restored rows differ from the manifest in {', '.join(differ)}")
        await _swap(admin, staging, name, force)
    except BaseException:
        await admin.execute(f'DROP DATABASE IF EXISTS "{staging}" WITH (FORCE)')
        raise


async def _swap(admin: asyncpg.Connection, staging: str, name: str, force: bool) -> None:
    """Put `staging` in the place of `name`; no connection can slip in between."""
    if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
        await admin.execute(f'ALTER DATABASE "{staging}" RENAME TO "{name}"')
        return
    replaced = f"{name}_replaced"
    await admin.execute(f'DROP DATABASE IF EXISTS "{replaced}" WITH (FORCE)')
    await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        if force:
            await _cut(admin, name)
        await admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{replaced}"')
    except asyncpg.ObjectInUseError as error:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await _refuse_if_used(admin, name)
        raise RestoreRefused(f"the database {name} was in use; try again") from error
    await admin.execute(f'ALTER DATABASE "{staging}" RENAME TO "{name}"')
    await admin.execute(f'DROP DATABASE "{replaced}" WITH (FORCE)')


_SESSIONS = (
    "SELECT count(*), coalesce(string_agg(DISTINCT nullif(application_name, ''), ', '), '') "
    "FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"
)


async def _refuse_if_used(admin: asyncpg.Connection, name: str) -> None:
    count, applications = await admin.fetchrow(_SESSIONS, name)
    if count:
        by = f" ({applications})" if applications else ""
        raise RestoreRefused(
            f"{count} connections{by} use the database {name}: stop the suite (Ctrl-C in `make run`) first, "
            "or force the restore (FORCE=1, --force) to cut them; the services then reconnect to the restored data"
        )


async def _cut(admin: asyncpg.Connection, name: str, seconds: float = 10) -> None:
    """End every session on `name` (new ones are refused already) and wait until they are gone."""
    deadline = asyncio.get_running_loop().time() + seconds
    while (await admin.fetchrow(_SESSIONS, name))[0]:
        if asyncio.get_running_loop().time() > deadline:
            raise BackupError(f"the sessions on {name} did not end within {seconds:.0f}s")
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        await asyncio.sleep(0.05)


# ---------------------------------------------------------------------------------------------
# PostgreSQL's own tools, as the superuser over TCP
# ---------------------------------------------------------------------------------------------


def _dsn(server: PostgresServer, database: str) -> str:
    return make_url(server.admin_dsn).set(database=database).render_as_string(hide_password=False)


async def _tool(server: PostgresServer, tool: str, *args: str) -> None:
    url = make_url(server.admin_dsn)
    env = dict(
        os.environ,
        PGHOST=url.host or "127.0.0.1",
        PGPORT=str(url.port or 5432),
        PGUSER=url.username or "postgres",
        PGPASSWORD=url.password or "",
    )
    process = await asyncio.create_subprocess_exec(
        str(bin_dir() / tool), *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, errors = await process.communicate()
    if process.returncode != 0:
        raise BackupError(f"{tool} failed: {errors.decode(errors='replace').strip()}")


# ---------------------------------------------------------------------------------------------
# `make backup`, `make restore`: the local suite's server in .data/postgres
# ---------------------------------------------------------------------------------------------


class LocalServer:
    """The server of `make run`: the running one (on its port), else started for the command's duration."""

    def __init__(self, data: Path) -> None:
        if not (data / "PG_VERSION").exists():
            raise BackupError(f"no local suite data in {data}: `make run` creates it")
        self.server = PostgresServer(data, int(os.environ.get("CRM_PG_PORT", "55432")))
        self.started = not self.server.running()
        if self.started:
            self.server.start()
        else:  # the port it was started on, which the environment may no longer say
            self.server.port = int((data / "postmaster.pid").read_text().splitlines()[3])

    def close(self) -> None:
        if self.started:
            self.server.stop()


def dev_url(server: PostgresServer, service: str) -> str:
    """The service's own URL, as `make run` creates its login role."""
    return server.url(service, service, f"{service}-dev")


def _cli_backup(server: PostgresServer, into: Path | None) -> None:
    from crm_shared.service import discover

    folder = into or Path(".data/backups") / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    manifest = asyncio.run(backup(server, {s.name: s.name for s in discover()}, folder))
    for dump in manifest.databases:
        print(f"  {dump.service:<10} {dump.size:>12,} bytes  {sum(dump.tables.values()):>10,} rows  {dump.file}")
    print(f"backup in {folder}")


async def restore_and_reconcile(
    server: PostgresServer, folder: Path, services: list[str] | None = None, force: bool = False
) -> list[tuple[DatabaseDump, uuid.UUID, dict[str, int]]]:
    """What `make restore` does: restore the chosen databases, migrate each, then reconcile each
    restored service; with each dump, its reconciliation run and the snapshots it sent per kind."""
    from crm_shared.db.engine import Database
    from crm_shared.db.migrate import upgrade
    from crm_shared.events.reconcile import reconcile
    from crm_shared.service import named

    dumps = await restore(server, folder, services, force)
    for dump in dumps:
        await asyncio.to_thread(upgrade, dump.service, dev_url(server, dump.service))
    runs = []
    for dump in dumps:
        manifest = named(dump.service)
        db = Database(dev_url(server, dump.service), source=manifest.source)
        try:
            async with db.unit_of_work() as uow:
                runs.append((dump, *await reconcile(uow, manifest)))
        finally:
            await db.dispose()
    return runs


def _cli_restore(server: PostgresServer, folder: Path, service: str | None, force: bool) -> None:
    from crm_shared.events.reconcile import describe

    for dump, run_id, counts in asyncio.run(
        restore_and_reconcile(server, folder, [service] if service else None, force)
    ):
        print(
            f"  {dump.service:<10} restored from {folder} ({sum(dump.tables.values()):,} rows, as the backup counted)"
        )
        print("  " + describe(dump.service, run_id, counts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("backup", help="dump every service database")
    take.add_argument("--into", type=Path, help="the folder (default .data/backups/<UTC time>)")
    back = commands.add_parser("restore", help="restore all or one service database from a backup folder")
    back.add_argument("folder", type=Path)
    back.add_argument("--service", help="only this service's database")
    back.add_argument("--force", action="store_true", help="cut the connections of a running suite")
    args = parser.parse_args()
    local = None
    try:
        local = LocalServer(Path(".data/postgres").resolve())
        if args.command == "backup":
            _cli_backup(local.server, args.into)
        else:
            _cli_restore(local.server, args.folder, args.service, args.force)
    except BackupError as error:
        sys.exit(f"{args.command}: {error}")
    finally:
        if local is not None:
            local.close()


if __name__ == "__main__":
    main()
