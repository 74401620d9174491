"""The outbox as the durable log: re-publish what the broker lost, or a time range an operator names.

Published rows stay in the outbox for the retention window. A broker that lost its data (an
embedded broker restarted, a cluster rebuilt) is recognised by the marker each service leaves on it,
an empty topic `_crm.refeed.<service>`: when the marker is gone, every topic the outbox published
into goes out again, even one that already holds new records (a topic other services write too, or
one a producer created again before the check). A topic that is gone or empty while the marker stays
(an operator deleted it) goes out again too. The consumers' inboxes absorb the repeats. (Offsets are
not compared with row counts: a broker may number a batch of records differently, and a topic's
retention may keep more than the outbox.)

    python -m crm_shared.events.refeed <service> [--topic T] [--since ISO-TIME] [--until ISO-TIME]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
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


def marker(owner: str) -> str:
    """The empty topic that says this broker holds what `owner`'s outbox published."""
    return f"_crm.refeed.{owner}"


async def lost_topics(uow: UnitOfWork, bootstrap: str, topics: Iterable[str], owner: str) -> list[str]:
    """The topics this outbox published into that the broker no longer holds (all of them on a
    broker without `owner`'s marker)."""
    published = dict(
        (
            await uow.session.execute(
                select(col(OutboxMessage.topic), func.count())
                .where(col(OutboxMessage.published_at).is_not(None), col(OutboxMessage.topic).in_(list(topics)))
                .group_by(col(OutboxMessage.topic))
            )
        ).all()
    )
    if not published:
        return []
    existing, held = await _held(bootstrap, [*published, marker(owner)])
    if marker(owner) not in existing:
        return sorted(published)
    return sorted(topic for topic in published if held.get(topic, 0) == 0)


async def refeed(
    uow: UnitOfWork,
    platform: PlatformSettings,
    topics: Iterable[str],
    owner: str,
    on_broker_lost: Callable[[], None] | None = None,
) -> int:
    """Recreate the topics the broker lost, re-publish what the outbox retains of them, and mark the
    broker as holding `owner`'s events. `on_broker_lost` hears of a broker without the marker (one that
    lost everything, or a new one): the service's consumer reads its topics again from their start."""
    lost = await lost_topics(uow, platform.kafka_bootstrap_servers, topics, owner)
    refed = 0
    if lost:
        await ensure_topics(platform.kafka_bootstrap_servers, lost)
        refed = await republish(uow, lost)
    if await _mark(platform.kafka_bootstrap_servers, marker(owner)) and on_broker_lost is not None:
        on_broker_lost()
    return refed


async def _mark(bootstrap: str, name: str) -> bool:
    """Leave the marker on the broker; whether it was missing."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        if name in await admin.list_topics():
            return False
        with contextlib.suppress(TopicAlreadyExistsError):  # another replica marked it first
            await admin.create_topics([NewTopic(name, 1, 1)])
        return True
    finally:
        await admin.close()


async def _held(bootstrap: str, topics: list[str]) -> tuple[set[str], dict[str, int]]:
    """Which of `topics` exist, and the sum of each one's partitions' end offsets (zero for a topic
    that is gone or empty)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        # listed first: describing a missing topic makes a broker that creates topics on demand create it
        existing = set(topics) & set(await admin.list_topics())
        described = await admin.describe_topics(sorted(existing)) if existing else []
    finally:
        await admin.close()
    partitions = [TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"] or ()]
    if not partitions:
        return existing, {}
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
    held: dict[str, int] = {}
    for partition, end in ends.items():
        held[partition.topic] = held.get(partition.topic, 0) + end
    return existing, held


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
