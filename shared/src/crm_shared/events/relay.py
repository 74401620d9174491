"""The outbox relay: publishes committed outbox rows to Kafka, in order, at least once."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.producer.message_accumulator import BatchBuilder
from sqlalchemy import Row, delete, text, update
from sqlmodel import col

from crm_shared.config import PlatformSettings
from crm_shared.db.engine import Database, UnitOfWork, utcnow
from crm_shared.db.listen import Listener
from crm_shared.events import kafka
from crm_shared.events.envelope import headers
from crm_shared.events.outbox import CHANNEL, OutboxMessage

log = logging.getLogger(__name__)
# the oldest pending rows as the broker gets them: the stored JSON as text (never decoded and encoded
# again in Python) and the CloudEvents attributes the headers carry. No row locks: the relay's advisory
# lock already keeps every other relay out, and a lock on each row cost a tenth of the relay's rate.
CLAIM = text(
    "SELECT id, topic, key, payload::text AS value, payload->>'id' AS ce_id, payload->>'type' AS ce_type, "
    "payload->>'source' AS ce_source, payload->>'traceparent' AS traceparent FROM outbox "
    "WHERE published_at IS NULL AND id > :after ORDER BY id LIMIT :limit"
)
# the batch marked sent once the broker acknowledged it, its ids bound as one array
MARK = text("UPDATE outbox SET published_at = :now, attempts = attempts + 1, last_error = NULL WHERE id = ANY(:ids)")
# where a key goes: the default of every Kafka client (murmur2), so an aggregate keeps its partition
PARTITIONER = DefaultPartitioner()


class OutboxRelay:
    """Moves outbox rows to the broker; a row is marked published only after the broker acked it.

    One relay per service database publishes at a time (a transaction-level advisory lock), so
    the events of one aggregate reach its partition in commit order even with several replicas.
    """

    def __init__(self, db: Database, settings: PlatformSettings, batch_size: int = 500, rounds: int = 8) -> None:
        self.db = db
        self.settings = settings
        self.batch_size = batch_size
        self.rounds = rounds
        self.retention = dt.timedelta(days=settings.outbox_retention_days)
        self._lock_id = zlib.crc32(f"outbox-relay:{db.source}".encode())
        self._wake = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._listener = Listener(db.url, {CHANNEL: self._wake.set}, "outbox relay")
        self.published = 0

    async def run(self) -> None:
        """Publish until cancelled; woken by NOTIFY crm_outbox, polling as a fallback."""
        failures = 0
        try:
            while True:
                self._wake.clear()  # before the read: a commit announced during the pass wakes the next one
                try:
                    sent = await self.publish_batch()
                    failures = 0
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    failures += 1
                    log.warning("outbox relay: publish failed (attempt %s): %s", failures, exc)
                    await self._reset_producer()
                    await asyncio.sleep(min(kafka.MAX_BACKOFF_SECONDS, 0.25 * 2**failures))
                    continue
                if sent < self.batch_size * self.rounds:
                    await self._listener.keep()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.settings.outbox_poll_seconds)
        finally:
            await self._reset_producer()
            await self._listener.close()

    async def publish_batch(self) -> int:
        """Publish up to `rounds` batches of pending rows in one transaction; returns how many were sent.

        A failed send rolls the transaction back and is written on its rows (`attempts`, `last_error`),
        so operators see which events wait and why.
        """
        try:
            return await self._publish_batch()
        except _SendFailed as failed:
            await self._record_failure(failed.ids, failed.error)
            raise failed.error from None

    async def _publish_batch(self) -> int:
        """Each batch is handed to the producer, then the next is read while its acknowledgements are
        awaited: the database and the broker work at once. The rows are marked once every batch is acked."""
        async with self.db.unit_of_work() as uow:
            session = uow.session
            locked = await session.scalar(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": self._lock_id})
            if not locked:
                return 0
            ids: list[int] = []
            acks: list[asyncio.Future[Any]] = []  # of the batches handed over and not yet awaited
            try:
                for _ in range(self.rounds):
                    after = ids[-1] if ids else 0
                    rows = (await session.execute(CLAIM, {"limit": self.batch_size, "after": after})).all()
                    if rows:
                        ids += [row.id for row in rows]
                        with _sending(ids):
                            acks.append(await self._hand_over(rows))
                    if len(acks) > 1:
                        with _sending(ids):
                            await acks.pop(0)
                    if len(rows) < self.batch_size:
                        break
                with _sending(ids):
                    while acks:
                        await acks.pop(0)
            except BaseException:
                for ack in acks:
                    ack.cancel()
                raise
            if ids:
                await session.execute(MARK, {"ids": ids, "now": utcnow()})
            self.published += len(ids)
            return len(ids)

    async def _hand_over(self, rows: Sequence[Row[Any]]) -> asyncio.Future[Any]:
        """The rows handed to the producer as batches, one partition's rows in order in each, in the partition
        the producer's own `send` would choose (the key's murmur2); the future of all their acknowledgements.
        Built here, a batch has one future where `send` makes one a row: a third of the relay's work."""
        producer = await self._ensure_producer()
        partitions: dict[str, list[int]] = {}
        filling: dict[tuple[str, int], BatchBuilder] = {}
        acks = []
        for row in rows:
            if row.topic not in partitions:
                partitions[row.topic] = sorted(await producer.partitions_for(row.topic))
            key = row.key.encode() if row.key else None
            partition = PARTITIONER(key, partitions[row.topic], partitions[row.topic])
            record = {
                "timestamp": None,
                "key": key,
                "value": row.value.encode(),
                "headers": headers(row.ce_id, row.ce_type, row.ce_source, row.traceparent),
            }
            batch = filling.get((row.topic, partition))
            if batch is None or batch.append(**record) is None:  # none yet, or this one is full
                if batch is not None:
                    acks.append(await producer.send_batch(batch, row.topic, partition=partition))
                batch = filling[(row.topic, partition)] = producer.create_batch()
                batch.append(**record)  # an empty batch takes a record of any size
        for (topic, partition), batch in filling.items():
            acks.append(await producer.send_batch(batch, topic, partition=partition))
        return asyncio.gather(*acks)

    async def _record_failure(self, ids: list[int], error: Exception) -> None:
        async with self.db.unit_of_work() as uow:
            await uow.session.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id).in_(ids))
                .values(attempts=OutboxMessage.attempts + 1, last_error=f"{type(error).__name__}: {error}"[:2000])
            )

    async def purge(self) -> int:
        """Delete published rows older than the retention window."""
        async with self.db.unit_of_work() as uow:
            return await self.purge_in(uow)

    async def purge_in(self, uow: UnitOfWork) -> int:
        """The scheduled purge: published rows past the retention window go; unpublished ones never do."""
        result = await uow.session.execute(
            delete(OutboxMessage).where(col(OutboxMessage.published_at) < utcnow() - self.retention)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def close(self) -> None:
        """Stop the producer a direct `publish_batch` caller started."""
        await self._reset_producer()

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = kafka.producer(self.settings)
            await producer.start()
            self._producer = producer
        return self._producer

    async def _reset_producer(self) -> None:
        if self._producer is not None:
            with contextlib.suppress(Exception):
                await self._producer.stop()
            self._producer = None


@contextlib.contextmanager
def _sending(ids: list[int]) -> Iterator[None]:
    """A failure to hand rows to the broker, or of its acknowledgement, is written on the transaction's rows; a
    database error is not theirs."""
    try:
        yield
    except Exception as exc:
        raise _SendFailed(ids, exc) from exc


class _SendFailed(Exception):
    def __init__(self, ids: list[int], error: Exception) -> None:
        super().__init__(str(error))
        self.ids, self.error = ids, error
