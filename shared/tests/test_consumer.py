"""A consumer applies each event once, dead-letters what keeps failing, and moves on."""

import asyncio
import json
import time

from aiokafka import AIOKafkaProducer
from opentelemetry import trace
from sqlalchemy import text

from crm_shared.events import CloudEvent, EventConsumer, OutboxRelay, new_event
from crm_shared.events.kafka import ensure_topics
from crm_shared.telemetry import current_trace_id, setup_tracing
from crm_shared.testing import read_topic


async def send(bootstrap, topic, event: CloudEvent):
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            topic,
            json.dumps(event.model_dump(mode="json")).encode(),
            key=event.subject.encode(),
            headers=event.headers(),
        )
    finally:
        await producer.stop()


async def applied(db):
    async with db.read() as session:
        return (await session.execute(text("SELECT event_id, n FROM applied ORDER BY n"))).all()


async def wait_until(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(0.1)
    return False


async def record(uow, event):
    await uow.session.execute(text("INSERT INTO applied VALUES (:id, :n)"), {"id": event.id, "n": event.data["n"]})


async def test_same_event_twice_is_applied_once(db, topic, platform_settings):
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])
    consumer = EventConsumer(db, platform_settings, "test-once", {topic: {"thing.happened": record}})
    task = asyncio.create_task(consumer.run())
    event = new_event("/crm/test", "thing.happened", "a1", {"n": 1})
    await send(bootstrap, topic, event)
    await send(bootstrap, topic, event)
    await send(bootstrap, topic, new_event("/crm/test", "thing.happened", "a1", {"n": 2}))
    try:
        assert await wait_until(lambda: _count(db, 2))
        await asyncio.sleep(0.5)
        assert [(r.event_id, r.n) for r in await applied(db)][0] == (event.id, 1)
        assert len(await applied(db)) == 2
    finally:
        task.cancel()


async def _count(db, n):
    return len(await applied(db)) >= n


async def test_handler_that_keeps_failing_goes_to_dead_letter_and_consumer_moves_on(db, topic, platform_settings):
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])
    attempts = []

    async def flaky(uow, event):
        if event.data["n"] == 13:
            attempts.append(event.id)
            raise ValueError("客户编号无效 / invalid customer number")
        await record(uow, event)

    consumer = EventConsumer(db, platform_settings, "test-dlq", {topic: {"thing.happened": flaky}}, retry_delay=0.01)
    task = asyncio.create_task(consumer.run())
    bad = new_event("/crm/test", "thing.happened", "b1", {"n": 13})
    await send(bootstrap, topic, bad)
    await send(bootstrap, topic, new_event("/crm/test", "thing.happened", "b1", {"n": 14}))
    try:
        dead = await read_topic(bootstrap, f"{topic}.dlq", 1)
        assert await wait_until(lambda: _count(db, 1))
    finally:
        task.cancel()
    headers = dict(dead[0].headers)
    assert json.loads(dead[0].value)["id"] == bad.id
    assert "invalid customer number" in headers["dlq.error"].decode()
    assert headers["dlq.attempts"] == str(platform_settings.consumer_max_attempts).encode()
    assert len(attempts) == platform_settings.consumer_max_attempts
    assert [r.n for r in await applied(db)] == [14]  # the failed event left nothing half-applied


async def test_trace_continues_from_producer_to_consumer_handler(db, topic, platform_settings):
    setup_tracing("test")
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])
    seen = []

    async def handler(uow, event):
        seen.append(current_trace_id())

    with trace.get_tracer("test").start_as_current_span("request"):
        origin = current_trace_id()
        async with db.unit_of_work() as uow:
            await uow.emit(topic, new_event("/crm/test", "thing.happened", "c1", {"n": 1}))
    await OutboxRelay(db, platform_settings).publish_batch()
    task = asyncio.create_task(
        EventConsumer(db, platform_settings, "test-trace", {topic: {"thing.happened": handler}}).run()
    )
    try:
        assert await wait_until(lambda: _truthy(seen))
    finally:
        task.cancel()
    assert seen == [origin]


async def _truthy(items):
    return bool(items)
