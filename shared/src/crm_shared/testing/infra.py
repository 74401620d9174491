"""Helpers tests use against the real database and broker."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy.engine import make_url

from crm_shared.db.engine import Database
from crm_shared.db.migrate import upgrade
from crm_shared.devstack.postgres import PostgresServer
from crm_shared.testing.templates import clone, template

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


async def read_topic(
    bootstrap: str,
    topic: str,
    count: int | None,
    timeout: float = 20,
    match: Callable[[Any], Any] | None = None,
) -> list[ConsumerRecord]:
    """Records from the start of every partition of `topic` until `count` match (or `timeout` passes);
    with `count=None`, every record the topic holds now.

    The consumer is assigned the partitions directly, without a group, so no group join is awaited.
    """
    deadline = time.monotonic() + timeout
    partitions = await _partitions(bootstrap, topic, deadline)
    found: list[ConsumerRecord] = []
    if not partitions:
        return found
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, fetch_max_wait_ms=100
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions) if count is None else {}
        while (left := deadline - time.monotonic()) > 0:
            if count is None:
                positions = [await consumer.position(p) for p in ends]
                if all(position >= end for position, end in zip(positions, ends.values(), strict=True)):
                    break
            if count is not None and len(found) >= count:
                break
            batches = await consumer.getmany(timeout_ms=max(1, int(min(left, 0.5) * 1000)))
            for records in batches.values():
                found += [r for r in records if match is None or match(json.loads(r.value or b"null"))]
    finally:
        await consumer.stop()
    return found


async def _partitions(bootstrap: str, topic: str, deadline: float) -> list[TopicPartition]:
    """Every partition of `topic`, waiting (until `deadline`) for a topic that is still being created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        while True:
            described = await admin.describe_topics([topic])
            ids = sorted(p["partition"] for t in described if t["topic"] == topic for p in t["partitions"] or ())
            if ids or time.monotonic() >= deadline:
                return [TopicPartition(topic, i) for i in ids]
            await asyncio.sleep(0.1)
    finally:
        await admin.close()
