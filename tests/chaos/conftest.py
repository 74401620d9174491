"""The chaos suite: one private stack (demo data) under write load, faults one at a time.

`make chaos` runs it (not part of `make test`). Each drill takes the `stack` and the helpers here:
`wait_recovered` says how long the suite took to answer, be ready and deliver again, and
`accounting.Books` counts what was lost or applied twice.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import asyncpg
import httpx
import pytest

from crm_shared.devstack.run import Ports, Stack

from .accounting import Books
from .load import Load

ROOT = Path(__file__).resolve().parents[2]
RECOVERY_LIMIT = 90.0  # seconds a drill waits for recovery before it reports what is still missing
UNAVAILABLE = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, httpx.HTTPError)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(ROOT, tmp_path_factory.mktemp("chaos"), Ports.free())
    try:
        running.start()
        yield running
    finally:
        running.stop()


async def answers(stack: Stack, token: str) -> bool:
    """The gateway answers a signed-in query."""
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(
            stack.gateway_url, json={"query": "{ me { id } }"}, headers={"Authorization": f"Bearer {token}"}
        )
    return response.status_code == 200 and "errors" not in response.json()


async def ready(stack: Stack) -> bool:
    """Every service process, replicas included, says it is ready (database, broker, consumer)."""
    async with httpx.AsyncClient(timeout=5) as client:
        answers = await asyncio.gather(*(client.get(f"{url}/readyz") for url in stack.service_urls().values()))
    return all(a.status_code == 200 for a in answers)


async def wait_recovered(
    stack: Stack, books: Books, token: str, load: Load | None = None
) -> tuple[float, Mapping[str, int] | None, str, bool]:
    """Seconds until the gateway answers, every `/readyz` is ok, clients' writes are acknowledged
    again (with `load`) and every event written until now has reached its consumers; with the
    outbox watermarks that defined "until now" (None when the databases never answered), what was
    awaited last, and whether the suite recovered within RECOVERY_LIMIT.

    Without `load` "until now" moves on: the suite has settled only when the events that consumers
    wrote in answer to others (a segment's membership after an account changed) are delivered too,
    and no new one appeared meanwhile."""
    began = time.monotonic()
    acks = load.acks if load is not None else 0
    marks: Mapping[str, int] | None = None
    awaited = ""
    while (elapsed := time.monotonic() - began) < RECOVERY_LIMIT:
        try:
            marks = await books.watermarks() if load is None or marks is None else marks
            undelivered = await books.undelivered(marks)
            if not await answers(stack, token):
                awaited = "the gateway"
            elif not await ready(stack):
                awaited = "readiness"
            elif load is not None and load.acks <= acks:
                awaited = "an acknowledged write"
            elif undelivered.total_lost:
                awaited = ", ".join(f"{k}: {v}" for k, v in undelivered.lost.items() if v)
            elif load is None and await books.watermarks() != marks:
                awaited = "events written in answer to others"
            else:
                return elapsed, marks, awaited, True
        except UNAVAILABLE as exc:
            awaited = f"{type(exc).__name__}: {exc}"
        await asyncio.sleep(0.25)
    return elapsed, marks, awaited, False
