"""aiokafka clients configured once: producer settings, topic creation, start with retries, reading a topic."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaTimeoutError, TopicAlreadyExistsError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_exponential

from crm_shared.config import PlatformSettings

log = logging.getLogger(__name__)
# the longest wait between attempts to reach a broker or database that is away: what is back is used
# again within this (an attempt every two seconds costs nothing, a long backoff is lost recovery time)
MAX_BACKOFF_SECONDS = 2.0


def producer(settings: PlatformSettings) -> AIOKafkaProducer:
    """acks=all so an event is stored by every in-sync replica before the outbox row is marked sent."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=settings.kafka_idempotence,
        linger_ms=5,
        request_timeout_ms=15000,
    )


async def start_with_retry(client: AIOKafkaProducer | AIOKafkaConsumer, seconds: float = 60) -> None:
    """Start a client, waiting for a broker that is still coming up."""
    await with_retry(client.start, seconds)


async def with_retry(call: Callable[[], Awaitable[None]], seconds: float = 60) -> None:
    """Run `call` until it succeeds, waiting for a broker that is still coming up."""
    async for attempt in AsyncRetrying(
        stop=stop_after_delay(seconds),
        wait=wait_exponential(multiplier=0.2, max=MAX_BACKOFF_SECONDS),
        retry=retry_if_exception_type(Exception),
        reraise=True,
    ):
        with attempt:
            await call()


# as many partitions as the embedded broker gives a topic it creates on demand (a client asking for a
# topic it lost in a restart), so a topic has one partition count whoever creates it first
PARTITIONS = 4


async def ensure_topics(bootstrap: str, topics: Iterable[str], partitions: int = PARTITIONS) -> None:
    """Create each topic and its dead-letter sibling `<topic>.dlq` when missing."""
    names = sorted({name for topic in topics for name in (topic, f"{topic}.dlq")})
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(n, partitions, 1) for n in names if n not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                log.debug("topics created concurrently")
            await _wait_for_leaders(admin, names)
    finally:
        await admin.close()


async def _wait_for_leaders(admin: AIOKafkaAdminClient, names: list[str], seconds: float = 15) -> None:
    """New topics accept writes only once every partition has a leader."""
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        described = await admin.describe_topics(names)
        if all(t["partitions"] and all(p["leader"] >= 0 for p in t["partitions"]) for t in described):
            return
        await asyncio.sleep(0.1)


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


async def held(bootstrap: str, topics: Iterable[str], timeout: float = 10) -> list[ConsumerRecord]:
    """Every record the existing ones among `topics` hold now; a topic that does not exist holds nothing.

    For answering a request: one consumer reads every topic, and a broker out of reach fails at once
    (a transient error) instead of being waited for.
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await admin.start()
        wanted = sorted(set(topics) & set(await admin.list_topics()))
        described = await admin.describe_topics(wanted) if wanted else []
    finally:
        await admin.close()
    partitions = [TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"] or ()]
    if not partitions:
        return []
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, fetch_max_wait_ms=100
    )
    try:
        await consumer.start()
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        return await _read_to(consumer, await consumer.end_offsets(partitions), time.monotonic() + timeout)
    finally:
        await consumer.stop()


async def _read_to(
    consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int], deadline: float
) -> list[ConsumerRecord]:
    found: list[ConsumerRecord] = []
    pending = set(ends)
    while pending := {p for p in pending if await consumer.position(p) < ends[p]}:
        left = deadline - time.monotonic()
        if left <= 0:
            raise KafkaTimeoutError(f"{len(pending)} partition(s) not read to their end in time")
        batches = await consumer.getmany(*pending, timeout_ms=max(1, int(min(left, 0.5) * 1000)))
        found += [r for partition, records in batches.items() for r in records if r.offset < ends[partition]]
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
