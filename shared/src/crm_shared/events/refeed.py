"""The outbox as the durable log: re-publish what the broker lost, or a time range an operator names.

Published rows stay in the outbox for the retention window. A broker that holds nothing of a topic
the outbox published into within that window (the topic is gone or empty) has lost its data: an
embedded broker restarted, a cluster rebuilt. The rows go out again, and the consumers' inboxes
absorb the repeats. (Offsets are not compared with row counts: a broker may number a batch of
records differently, and a topic's retention may keep more than the outbox.)

    python -m crm_shared.events.refeed <service> [--topic T] [--since ISO-TIME] [--until ISO-TIME]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import func, select, update
from sqlmodel import col

from crm_shared.config import PlatformSettings
from crm_shared.db.engine import Database, UnitOfWork
from crm_shared.events.kafka import ensure_topics
from crm_shared.events.outbox import OutboxMessage


async def republish(
    uow: UnitOfWork,
    topics: Iterable[str] | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> int:
    """Send retained, published rows again (of `topics`, created within the range); returns how many."""
    statement = update(OutboxMessage).where(col(OutboxMessage.published_at).is_not(None))
    if topics is not None:
        statement = statement.where(col(OutboxMessage.topic).in_(list(topics)))
    if since is not None:
        statement = statement.where(col(OutboxMessage.created_at) >= since)
    if until is not None:
        statement = statement.where(col(OutboxMessage.created_at) < until)
    result = await uow.session.execute(statement.values(published_at=None).returning(col(OutboxMessage.id)))
    return len(result.all())


async def lost_topics(uow: UnitOfWork, bootstrap: str, topics: Iterable[str]) -> list[str]:
    """The topics this outbox published into that the broker no longer holds anything of."""
    published = dict(
        (
            await uow.session.execute(
                select(col(OutboxMessage.topic), func.count())
                .where(col(OutboxMessage.published_at).is_not(None), col(OutboxMessage.topic).in_(list(topics)))
                .group_by(col(OutboxMessage.topic))
            )
        )
        .tuples()
        .all()
    )
    if not published:
        return []
    held = await _held(bootstrap, list(published))
    return sorted(topic for topic in published if held.get(topic, 0) == 0)


async def refeed(uow: UnitOfWork, platform: PlatformSettings, topics: Iterable[str]) -> int:
    """Recreate the topics the broker lost and re-publish what the outbox retains of them."""
    lost = await lost_topics(uow, platform.kafka_bootstrap_servers, topics)
    if not lost:
        return 0
    await ensure_topics(platform.kafka_bootstrap_servers, lost)
    return await republish(uow, lost)


async def _held(bootstrap: str, topics: list[str]) -> dict[str, int]:
    """The sum of each topic's partitions' end offsets: zero for a topic that is gone or empty."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    partitions = [TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"] or ()]
    if not partitions:
        return {}
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
    held: dict[str, int] = {}
    for partition, end in ends.items():
        held[partition.topic] = held.get(partition.topic, 0) + end
    return held


async def _main(service: str, topic: str | None, since: dt.datetime | None, until: dt.datetime | None) -> int:
    db = Database(os.environ[f"{service.upper()}_DATABASE_URL"], source=f"/crm/{service}")
    try:
        async with db.unit_of_work() as uow:
            return await republish(uow, [topic] if topic else None, since, until)
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("service")
    parser.add_argument("--topic")
    parser.add_argument("--since", type=dt.datetime.fromisoformat)
    parser.add_argument("--until", type=dt.datetime.fromisoformat)
    args = parser.parse_args()
    count = asyncio.run(_main(args.service, args.topic, args.since, args.until))
    print(f"{count} events will be published again by {args.service}'s relay")


if __name__ == "__main__":
    main()
