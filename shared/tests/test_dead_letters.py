"""Dead letters as the command line and identity read them: even a record that is no event is listed and
can be sent back; a topic that was never created holds none."""

import asyncio

from aiokafka import AIOKafkaProducer

from crm_shared.events import EventConsumer
from crm_shared.events.deadletters import dead_letters, replay
from crm_shared.events.kafka import ensure_topics
from crm_shared.testing import read_topic


async def ignore(uow, event):
    """Never called: the record below is no event."""


async def test_a_record_that_is_no_event_is_listed_and_replayed(db, topic, platform_settings):
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"not json", key=b"k1", headers=[("ce_type", b"thing.happened")])
    finally:
        await producer.stop()
    consumer = EventConsumer(db, platform_settings, "test-undecodable", {topic: {"thing.happened": ignore}})
    task = asyncio.create_task(consumer.run())
    try:
        await read_topic(bootstrap, f"{topic}.dlq", 1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    [letter] = await dead_letters(platform_settings, [topic, f"{topic}.never-created"])
    assert (letter.event_id, letter.type, letter.time, letter.topic) == (None, None, None, topic)
    assert (letter.consumer, letter.attempts) == ("test-undecodable", 0)
    assert letter.error == "ValidationError of CloudEvent: - (json_invalid)"  # what an operator reads
    assert letter.headers == [("ce_type", b"thing.happened")]

    assert await replay(platform_settings, [letter, letter]) == 1
    records = await read_topic(bootstrap, topic, None, timeout=5)
    assert [(r.key, r.value, r.headers) for r in records] == [
        (b"k1", b"not json", (("ce_type", b"thing.happened"),))
    ] * 2
