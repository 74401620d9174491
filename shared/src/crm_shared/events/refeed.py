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
import time
from collections.abc import Callable, Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
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


class Refeeder:
    """The check a service makes every few seconds (`check`), kept cheap as the outbox and the suite grow: one
    admin client and one consumer stay open across checks (both opened again after a failure), and the outbox
    is asked only about rows published since the last look (once an hour about all of them again, as the
    purge deletes old rows)."""

    def __init__(
        self,
        platform: PlatformSettings,
        topics: Iterable[str],
        owner: str,
        on_broker_lost: Callable[[], None] | None = None,
    ) -> None:
        self.bootstrap = platform.kafka_bootstrap_servers
        self.topics = list(topics)
        self.owner = owner
        self.on_broker_lost = on_broker_lost
        self.forget_after = platform.outbox_purge_seconds
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._published: set[str] = set()  # topics with published rows at or below `_upto`
        self._upto, self._since = 0, time.monotonic()

    async def check(self, uow: UnitOfWork) -> int:
        """Recreate the topics the broker lost, re-publish what the outbox retains of them, and mark the
        broker as holding the owner's events; returns how many rows go out again. `on_broker_lost` hears of a
        broker without the marker (one that lost everything, or a new one): the service's consumer reads its
        topics again from their start."""
        try:
            lost, marked = await self._lost(uow)
            refed = 0
            if lost:
                await ensure_topics(self.bootstrap, lost)
                refed = await republish(uow, lost)
            if not marked:
                admin = await self._admin_client()
                with contextlib.suppress(TopicAlreadyExistsError):  # another replica marked it first
                    await admin.create_topics([NewTopic(marker(self.owner), 1, 1)])
                if self.on_broker_lost is not None:
                    self.on_broker_lost()
            return refed
        except Exception:
            await self.close()
            raise

    async def close(self) -> None:
        admin, consumer, self._admin, self._consumer = self._admin, self._consumer, None, None
        if admin is not None:
            await admin.close()
        if consumer is not None:
            await consumer.stop()

    async def _lost(self, uow: UnitOfWork) -> tuple[list[str], bool]:
        """The topics this outbox published into that the broker no longer holds (all of them on a broker
        without the owner's marker), and whether the marker is there."""
        published = await self._published_topics(uow)
        existing, held = await self._held([*published, marker(self.owner)])
        if marker(self.owner) not in existing:
            return published, False
        return [topic for topic in published if held.get(topic, 0) == 0], True

    async def _published_topics(self, uow: UnitOfWork) -> list[str]:
        """Of the service's topics, those with published rows: rows below the first one still pending are
        all published, so each look reads the rows between there and the last look, through the key."""
        if time.monotonic() - self._since > self.forget_after:
            self._published, self._upto, self._since = set(), 0, time.monotonic()
        unknown = [topic for topic in self.topics if topic not in self._published]
        if unknown:
            pending = await uow.session.scalar(
                select(func.min(col(OutboxMessage.id))).where(col(OutboxMessage.published_at).is_(None))
            )
            last = select(func.max(col(OutboxMessage.id)))
            upto = pending - 1 if pending is not None else await uow.session.scalar(last)
            if upto is not None and upto > self._upto:
                found = await uow.session.scalars(
                    select(col(OutboxMessage.topic))
                    .where(
                        col(OutboxMessage.id) > self._upto,
                        col(OutboxMessage.id) <= upto,
                        col(OutboxMessage.published_at).is_not(None),
                        col(OutboxMessage.topic).in_(unknown),
                    )
                    .distinct()
                )
                self._published |= set(found.all())
                self._upto = upto
        return sorted(topic for topic in self.topics if topic in self._published)

    async def _held(self, topics: list[str]) -> tuple[set[str], dict[str, int]]:
        """Which of `topics` exist, and the sum of each one's partitions' end offsets (zero for a topic that
        is gone or empty)."""
        try:
            return await self._ask_held(topics)
        except KafkaError:  # a connection the broker closed (a restart): asked once more on new clients
            await self.close()
            return await self._ask_held(topics)

    async def _ask_held(self, topics: list[str]) -> tuple[set[str], dict[str, int]]:
        admin = await self._admin_client()
        # listed first: describing a missing topic makes a broker that creates topics on demand create it
        existing = set(topics) & set(await admin.list_topics())
        described = await admin.describe_topics(sorted(existing)) if existing else []
        partitions = [TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"] or ()]
        if not partitions:
            return existing, {}
        if self._consumer is None:
            self._consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None, enable_auto_commit=False)
            await self._consumer.start()
        held: dict[str, int] = {}
        for partition, end in (await self._consumer.end_offsets(partitions)).items():
            held[partition.topic] = held.get(partition.topic, 0) + end
        return existing, held

    async def _admin_client(self) -> AIOKafkaAdminClient:
        if self._admin is None:
            self._admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
            await self._admin.start()  # when it fails, `check` closes what was opened
        return self._admin


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
