"""Outbox relay throughput next to a raw aiokafka producer, and commit-to-handler latency."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import uuid

from bench.stats import percentiles, row
from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.events import EventConsumer, OutboxRelay, new_event
from crm_shared.events.kafka import ensure_topics, producer

PAYLOAD = {"name": "华为技术有限公司", "industry": "通信设备", "city": "深圳", "level": "A"}


async def relay_throughput(db: Database, platform: PlatformSettings, n: int) -> None:
    topic = f"bench.relay.{uuid.uuid4().hex[:6]}"
    await ensure_topics(platform.kafka_bootstrap_servers, [topic])
    for start in range(0, n, 1000):
        async with db.unit_of_work() as uow:
            for i in range(start, min(start + 1000, n)):
                await uow.emit(topic, new_event("/crm/bench", "account.created", uuid.uuid4(), {**PAYLOAD, "i": i}))
    relay = OutboxRelay(db, platform, batch_size=1000)
    began = time.perf_counter()
    while await relay.publish_batch():
        pass
    await relay.close()
    relay_rate = n / (time.perf_counter() - began)

    raw = producer(platform)
    await raw.start()
    body = json.dumps(
        new_event("/crm/bench", "account.created", uuid.uuid4(), PAYLOAD).model_dump(mode="json")
    ).encode()
    began = time.perf_counter()
    for start in range(0, n, 1000):
        sends = [await raw.send(topic, body, key=str(i).encode()) for i in range(start, min(start + 1000, n))]
        await asyncio.gather(*sends)
    raw_rate = n / (time.perf_counter() - began)
    await raw.stop()
    row(f"outbox relay ({n} events, batches of 1000)", f"{relay_rate:,.0f} events/s")
    row("raw aiokafka producer, same broker, acks=all", f"{raw_rate:,.0f} events/s")


async def end_to_end_latency(db: Database, platform: PlatformSettings, n: int) -> None:
    topic = f"bench.latency.{uuid.uuid4().hex[:6]}"
    await ensure_topics(platform.kafka_bootstrap_servers, [topic])
    latencies: list[float] = []
    done = asyncio.Event()

    async def handler(uow: object, event: object) -> None:
        committed = dt.datetime.fromisoformat(event.data["committed"])  # type: ignore[attr-defined]
        latencies.append((dt.datetime.now(dt.UTC) - committed).total_seconds() * 1000)
        if len(latencies) >= n:
            done.set()

    consumer = EventConsumer(db, platform, "bench-latency", {topic: {"ping": handler}})
    relay = OutboxRelay(db, platform)
    tasks = [asyncio.create_task(consumer.run()), asyncio.create_task(relay.run())]
    await consumer.ready.wait()
    await asyncio.sleep(2)  # let the group settle before measuring
    for _ in range(n):
        async with db.unit_of_work() as uow:
            stamp = dt.datetime.now(dt.UTC).isoformat()
            await uow.emit(topic, new_event("/crm/bench", "ping", uuid.uuid4(), {"committed": stamp}))
        await asyncio.sleep(0.005)
    try:
        await asyncio.wait_for(done.wait(), 60)
    finally:
        for task in tasks:
            task.cancel()
    row(f"commit -> consumer handler ({n} events)", percentiles(latencies))
