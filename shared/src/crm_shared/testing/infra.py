"""Helpers tests use against the real database and broker."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord

from crm_shared.db.engine import Database
from crm_shared.db.migrate import upgrade
from crm_shared.devstack.postgres import PostgresServer


async def migrated_database(server: PostgresServer, service: str) -> Database:
    """A fresh database for `service` with its migrations applied."""
    name = f"{service}_{uuid.uuid4().hex[:8]}"
    url = await server.ensure_database(name, f"{name}-pw")
    await asyncio.to_thread(upgrade, service, url)
    return Database(url, source=f"/crm/{service}")


async def read_topic(
    bootstrap: str, topic: str, count: int, timeout: float = 20, match: Any = None
) -> list[ConsumerRecord]:
    """Read records from the start of `topic` with a plain consumer until `count` match."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=f"test-{uuid.uuid4().hex}", auto_offset_reset="earliest"
    )
    await consumer.start()
    found: list[ConsumerRecord] = []
    deadline = time.monotonic() + timeout
    try:
        while len(found) < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                found += [r for r in records if match is None or match(json.loads(r.value or b"null"))]
    finally:
        await consumer.stop()
    return found
