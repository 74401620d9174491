"""read_topic reads every partition by assignment: fast, filtered, and patient with late records."""

import asyncio
import json
import time
import uuid

from aiokafka import AIOKafkaProducer

from crm_shared.events.kafka import ensure_topics
from crm_shared.testing import read_topic


async def produce(bootstrap, topic, numbers, partitions=3):
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for n in numbers:
            await producer.send_and_wait(topic, json.dumps({"n": n}).encode(), partition=n % partitions)
    finally:
        await producer.stop()


async def test_reads_all_three_partitions_in_well_under_a_group_join(platform_settings, topic):
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic], partitions=3)
    await produce(bootstrap, topic, range(30))
    started = time.monotonic()
    records = await read_topic(bootstrap, topic, 30)
    elapsed = time.monotonic() - started
    assert sorted(json.loads(r.value)["n"] for r in records) == list(range(30))
    assert {r.partition for r in records} == {0, 1, 2}
    for partition in (0, 1, 2):  # each partition is read from its start, in order
        assert [r.offset for r in records if r.partition == partition] == list(range(10))
    assert elapsed < 1.5, f"read_topic took {elapsed:.2f}s; a consumer-group join takes about 5s"


async def test_match_keeps_only_the_records_asked_for(platform_settings, topic):
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic], partitions=3)
    await produce(bootstrap, topic, range(12))
    one = await read_topic(bootstrap, topic, 1, match=lambda e: e["n"] == 7)
    assert [json.loads(r.value) for r in one] == [{"n": 7}]
    odd = await read_topic(bootstrap, topic, 6, match=lambda e: e["n"] % 2 == 1)
    assert sorted(json.loads(r.value)["n"] for r in odd) == [1, 3, 5, 7, 9, 11]


async def test_waits_for_records_that_arrive_after_the_read_began(platform_settings, topic):
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic], partitions=3)
    await produce(bootstrap, topic, [0, 1])
    reading = asyncio.create_task(read_topic(bootstrap, topic, 6, timeout=10))
    await asyncio.sleep(0.3)
    assert not reading.done()
    await produce(bootstrap, topic, [2, 3, 4, 5])
    records = await reading
    assert sorted(json.loads(r.value)["n"] for r in records) == [0, 1, 2, 3, 4, 5]


async def test_returns_what_it_found_when_the_timeout_passes(platform_settings, topic):
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic], partitions=3)
    await produce(bootstrap, topic, range(4))
    records = await read_topic(bootstrap, topic, 5, timeout=0.5)
    assert sorted(json.loads(r.value)["n"] for r in records) == [0, 1, 2, 3]


async def test_a_topic_nobody_wrote_to_yields_nothing(platform_settings):
    records = await read_topic(platform_settings.kafka_bootstrap_servers, f"crm.none.{uuid.uuid4().hex[:8]}", 1, 0.5)
    assert records == []
