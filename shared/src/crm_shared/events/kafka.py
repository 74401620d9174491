"""aiokafka clients configured once: producer settings, topic creation, start with retries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_exponential

from crm_shared.config import PlatformSettings

log = logging.getLogger(__name__)


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
        wait=wait_exponential(multiplier=0.2, max=5),
        retry=retry_if_exception_type(Exception),
        reraise=True,
    ):
        with attempt:
            await call()


async def ensure_topics(bootstrap: str, topics: Iterable[str], partitions: int = 3) -> None:
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
