"""The event consumer: inbox de-duplication, bounded retries, then the dead-letter topic."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import traceback
import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from opentelemetry import trace
from sqlalchemy import select
from sqlmodel import col

from crm_shared.config import PlatformSettings
from crm_shared.db.engine import Database
from crm_shared.errors import NotYetApplicable
from crm_shared.events import kafka
from crm_shared.events.envelope import CloudEvent
from crm_shared.events.faults import describe, is_transient
from crm_shared.events.handlers import ANY_TYPE, Batched
from crm_shared.events.outbox import InboxRecord, remember, remember_many
from crm_shared.events.parking import Handler, Parking
from crm_shared.telemetry import context_from_headers

log = logging.getLogger(__name__)
tracer = trace.get_tracer("crm_shared.events")
LINKS = 128  # a span keeps at most so many links (OpenTelemetry's default limit): the others are not read


class EventConsumer:
    """Applies each event once: the inbox row and the handler's effects share one transaction.

    A partition's offset is committed once its fetched batch was applied or dead-lettered, and only
    for records fetched under the current assignment, so a crash or a rebalance replays them (and the
    inbox makes the replay harmless). The consumer is supervised: any error in its loop (a broker restart, a
    rebalance that took its partitions) is logged, backed off, and the consumer rejoins its group
    at the committed offsets. A transient failure of a handler (the database or network away) is
    retried for as long as it lasts, holding the partition; a handler failing otherwise
    `max_attempts` times sends the event to `<topic>.dlq` with the error in its headers. With `batches`, a
    fetched batch is first tried in one transaction (its events still applied once, and all or none), a batched
    route (`Handlers.add_many`) taking its consecutive events at once.
    """

    def __init__(
        self,
        db: Database,
        settings: PlatformSettings,
        group_id: str,
        handlers: Mapping[str, Mapping[str, Handler]],
        retry_delay: float = 0.2,
        max_backoff: float = kafka.MAX_BACKOFF_SECONDS,
        batches: bool = False,
    ) -> None:
        self.db = db
        self.settings = settings
        self.group_id = group_id
        self.handlers = handlers
        self.retry_delay = retry_delay
        self.max_backoff = max_backoff
        self.parking = Parking(db, group_id, handlers)
        self.batches = batches  # a fetched batch's new events in one transaction (see `_apply_together`)
        # records a fetch brings at most: taken one by one, a few; in batches, many (a transaction's statements
        # are a batch's, whatever its size)
        self.fetch_records = 1000 if batches else 200
        self.ready = asyncio.Event()
        self.consuming = False  # what /readyz reports: joined and reading, not failed or restarting
        self._lost = False  # the broker lost its records: read every partition again from its start
        self._fetched = False

    def broker_lost(self) -> None:
        """The broker lost what it held (the service's re-feed found its marker gone): the records it is
        re-fed are numbered from 0 again, below the positions and offsets this group had reached, which
        must not skip them. Every partition is read again from its start; the inbox absorbs the repeats."""
        self._lost = True

    async def run(self) -> None:
        """Consume until cancelled, restarting after any failure with a capped backoff."""
        failures = 0
        while True:
            self._fetched = False
            try:
                await self._consume()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures = 1 if self._fetched else failures + 1  # a consumer that worked starts over gently
                delay = min(self.max_backoff, self.retry_delay * 2**failures)
                log.warning("%s: consumer stopped (%s); rejoining in %.1fs", self.group_id, describe(exc), delay)
                await asyncio.sleep(delay)

    async def _consume(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap_servers,
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self.settings.consumer_fetch_wait_ms,
            metadata_max_age_ms=self.settings.consumer_metadata_max_age_ms,
            session_timeout_ms=self.settings.consumer_session_timeout_ms,
            heartbeat_interval_ms=self.settings.consumer_session_timeout_ms // 3,
        )
        rebalances = _Rebalances()
        consumer.subscribe(list(self.handlers), listener=rebalances)
        dlq = kafka.producer(self.settings)
        try:
            await kafka.start_with_retry(consumer)
            await kafka.start_with_retry(dlq)
            self.consuming = True
            self.ready.set()
            checked = time.monotonic()
            while True:
                if self._lost and consumer.assignment():
                    log.warning("%s: the broker lost its records: reading every partition again", self.group_id)
                    assigned = consumer.assignment()
                    await consumer.seek_to_beginning(*assigned)
                    await consumer.commit({partition: 0 for partition in assigned})
                    self._lost = False  # only now: a failed commit leaves it to the rejoined consumer
                batches = await consumer.getmany(timeout_ms=1000, max_records=self.fetch_records)
                fetched_in = rebalances.count  # getmany returns records of the current assignment only
                self._fetched = True
                if time.monotonic() - checked >= self.settings.refeed_check_seconds:
                    await self._rewind_lost(consumer)
                    checked = time.monotonic()
                offsets: dict[TopicPartition, int] = {}
                for partition, records in batches.items():
                    done = await self._process_batch(records, dlq, rebalances, fetched_in)
                    if done is None:
                        offsets = {}  # the group rebalanced: positions start again from the committed offsets
                        break
                    offsets[partition] = done + 1
                if offsets:  # the whole fetch's in one request
                    await consumer.commit(offsets)
        finally:
            self.consuming = False
            for client in (consumer, dlq):
                with contextlib.suppress(Exception):
                    await client.stop()

    async def _rewind_lost(self, consumer: AIOKafkaConsumer) -> None:
        """Read again from its start a partition whose end is before our position: the broker lost its
        records (an embedded broker restarted, a cluster rebuilt) and numbers the re-fed ones from 0
        again. Not every broker answers OFFSET_OUT_OF_RANGE there (the embedded one waits for the offset
        to be reached), so the consumer compares its position with the end the last fetch reported (a
        ListOffsets answer can lag behind concurrent producers, a fetch's high watermark does not). The
        start is committed too, so a rebalance cannot bring the old position back; the inbox absorbs the
        repeats."""
        for partition in consumer.assignment():
            end = consumer.highwater(partition)
            if end is None or partition not in consumer.assignment():
                continue
            if await consumer.position(partition) > end:
                log.warning("%s: %s ends at %s, before our position: reading it again", self.group_id, partition, end)
                await consumer.seek_to_beginning(partition)
                await consumer.commit({partition: 0})

    async def _process_batch(
        self, records: list[ConsumerRecord], dlq: AIOKafkaProducer, rebalances: _Rebalances, fetched_in: int
    ) -> int | None:
        """Process one partition's fetched records in order; the offset of the last, or None when the
        group rebalanced meanwhile (the offsets may then number another broker's log: never commit
        them). The batch's offset is committed once, and events the inbox already holds are passed
        over after one query, so a re-read of thousands (a broker re-fed after losing its records)
        costs a query per batch rather than a transaction and a commit per event. A lone event skips that read:
        its transaction's inbox insert finds a repeat as well, and asks for kept events after it."""
        if self.batches and len(records) > 1 and await self._apply_together(records):
            return None if rebalances.count != fetched_in else records[-1].offset
        if len(records) == 1:  # the usual case under steady traffic: its own transaction's inbox insert tells a repeat
            await self.process(records[0], dlq)
            return None if rebalances.count != fetched_in else records[0].offset
        applied, kept = await self._inbox_and_kept(records)
        for record in records:
            if rebalances.count != fetched_in:
                return None
            if _event_id(record) not in applied:
                await self.process(record, dlq, kept)
        return None if rebalances.count != fetched_in else records[-1].offset

    async def _apply_together(self, records: list[ConsumerRecord]) -> bool:
        """A partition's fetched events in one transaction: the inbox rows in one statement, then the new events in
        order, each starting from an empty identity map as in a transaction of its own, except that consecutive
        events of a batched route (`Handlers.add_many`) go to it at once. The inbox rows and every effect still
        commit together; any failure rolls all of it back and returns False, and the events go one by one
        (`process`: retries, parking, dead letters) as without batches. A rebalance meanwhile changes nothing here:
        another consumer's inbox insert waits for this commit."""
        routed = []
        for record in records:
            try:
                event = CloudEvent.model_validate_json(record.value or b"null")
            except Exception:
                return False  # `process` dead-letters it
            routes = self.handlers.get(record.topic, {})
            handler = routes.get(event.type) or routes.get(ANY_TYPE)
            if handler is not None:
                routed.append((record, event, handler))
        try:
            async with self.db.unit_of_work() as uow:
                new = await remember_many(uow.session, self.group_id, [event for _, event, _ in routed])
                kept = await self.parking.waiting(uow, {(r.topic, e.subject or "") for r, e, _ in routed})
                fresh = []
                for record, event, handler in routed:
                    if uuid.UUID(event.id) in new:
                        new.remove(uuid.UUID(event.id))  # the same event twice in a batch applies once
                        fresh.append((record, event, handler))
                for taken, events, handler in _steps(fresh, kept):
                    with self._span(taken):
                        if isinstance(handler, Batched):
                            await handler.many(uow, events)
                        else:
                            await handler(uow, events[0])
                        if (taken[-1].topic, events[-1].subject or "") in kept:
                            await self.parking.unpark(uow, taken[-1].topic, events[-1].subject)
                    await uow.flush()
                    uow.session.expunge_all()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.info("%s: a batch of %s events goes one by one: %s", self.group_id, len(records), describe(exc))
            return False
        return True

    async def _inbox_and_kept(
        self, records: list[ConsumerRecord]
    ) -> tuple[set[uuid.UUID], set[tuple[str, str]] | None]:
        """Which of the records' events the inbox holds, and which of their aggregates have events kept (None:
        not known, the database being away), in one read for the batch rather than a statement an event."""
        envelopes = {e for e in map(_envelope_ids, records) if e is not None}
        if not envelopes:
            return set(), None
        try:
            async with self.db.unit_of_work(reads_only=True) as uow:
                known = await uow.session.scalars(
                    select(col(InboxRecord.event_id)).where(
                        col(InboxRecord.consumer) == self.group_id,
                        col(InboxRecord.event_id).in_({event_id for event_id, _, _ in envelopes}),
                    )
                )
                kept = await self.parking.waiting(uow, {(topic, subject) for _, topic, subject in envelopes})
                return set(known.all()), kept
        except Exception as exc:
            if not is_transient(exc):
                raise
            return set(), None  # the database is away: each event waits for it in `process`, inbox first

    async def process(
        self, record: ConsumerRecord, dlq: AIOKafkaProducer, kept: set[tuple[str, str]] | None = None
    ) -> None:
        """Apply one event, retrying while the database is away; `kept`: the (topic, subject) pairs that have
        events waiting for their aggregate (None: ask after the event, as for any)."""
        try:
            event = CloudEvent.model_validate_json(record.value or b"null")
        except Exception as exc:
            await self._dead_letter(record, dlq, exc, attempts=0)
            return
        routes = self.handlers.get(record.topic, {})
        handler = routes.get(event.type) or routes.get(ANY_TYPE)
        if handler is None:
            return
        attempts = waits = 0
        while True:
            try:
                await self._apply(record, event, handler, kept)
                return
            except asyncio.CancelledError:
                raise
            except NotYetApplicable as exc:
                await self.parking.park(record.topic, event, exc)
                if kept is not None:
                    kept.add((record.topic, event.subject or ""))
                return
            except Exception as exc:
                if is_transient(exc):
                    waits += 1
                    delay = min(self.max_backoff, self.retry_delay * 2**waits)
                    log.warning(
                        "%s: %s waits for %s; retrying in %.1fs", self.group_id, event.type, describe(exc), delay
                    )
                    await asyncio.sleep(delay)
                    continue
                attempts += 1
                log.warning("%s: %s failed (attempt %s): %s", self.group_id, event.type, attempts, describe(exc))
                if attempts >= self.settings.consumer_max_attempts:
                    await self._dead_letter(record, dlq, exc, attempts=attempts)
                    return
                await asyncio.sleep(self.retry_delay * attempts)

    async def _apply(
        self, record: ConsumerRecord, event: CloudEvent, handler: Handler, kept: set[tuple[str, str]] | None
    ) -> None:
        with self._span([record]):
            async with self.db.unit_of_work() as uow:
                if await remember(uow.session, self.group_id, event):
                    await handler(uow, event)
                    if kept is None or (record.topic, event.subject or "") in kept:
                        await self.parking.unpark(uow, record.topic, event.subject)

    def _span(self, records: list[ConsumerRecord]) -> AbstractContextManager[trace.Span]:
        """The handling of events applied together, in the trace the first one's producer began, linked to the
        others' traces."""
        first, *others = records
        links = [
            trace.Link(trace.get_current_span(context_from_headers(r.headers)).get_span_context())
            for r in others[:LINKS]
        ]
        return tracer.start_as_current_span(
            f"{first.topic} process",
            context=context_from_headers(first.headers),
            kind=trace.SpanKind.CONSUMER,
            links=links,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": first.topic,
                "messaging.batch.message_count": len(records),
            },
        )

    async def _dead_letter(
        self, record: ConsumerRecord, dlq: AIOKafkaProducer, error: BaseException, attempts: int
    ) -> None:
        headers = [
            *list(record.headers or ()),
            ("dlq.error", describe(error).encode()[:4000]),
            ("dlq.error_type", type(error).__name__.encode()),
            ("dlq.stacktrace", "".join(traceback.format_tb(error.__traceback__)).encode()[-8000:]),
            ("dlq.original_topic", record.topic.encode()),
            ("dlq.original_partition", str(record.partition).encode()),
            ("dlq.original_offset", str(record.offset).encode()),
            ("dlq.consumer_group", self.group_id.encode()),
            ("dlq.attempts", str(attempts).encode()),
        ]
        await dlq.send_and_wait(f"{record.topic}.dlq", value=record.value, key=record.key, headers=headers)
        log.error(
            "%s: event at %s offset %s dead-lettered: %s", self.group_id, record.topic, record.offset, describe(error)
        )


def _steps(
    routed: list[tuple[ConsumerRecord, CloudEvent, Handler]], kept: set[tuple[str, str]]
) -> list[tuple[list[ConsumerRecord], list[CloudEvent], Handler]]:
    """The events as their handlers take them: consecutive events of one batched route together, any other alone. A
    run of them ends at an event whose aggregate has events kept, so that those are applied right after it."""
    steps: list[tuple[list[ConsumerRecord], list[CloudEvent], Handler]] = []
    joins = False
    for record, event, handler in routed:
        if joins and isinstance(handler, Batched) and steps[-1][2] is handler:
            steps[-1][0].append(record)
            steps[-1][1].append(event)
        else:
            steps.append(([record], [event], handler))
        joins = (record.topic, event.subject or "") not in kept
    return steps


def _event_id(record: ConsumerRecord) -> uuid.UUID | None:
    """The event's id as its envelope names it; None for a record that is not one (`process` judges it)."""
    envelope = _envelope_ids(record)
    return envelope[0] if envelope else None


def _envelope_ids(record: ConsumerRecord) -> tuple[uuid.UUID, str, str] | None:
    """The event's id, topic and subject (its aggregate); None for a record that is not an event."""
    try:
        envelope = json.loads(record.value or b"null")
        return uuid.UUID(envelope["id"]), record.topic, str(envelope.get("subject") or "")
    except Exception:
        return None


class _Rebalances(ConsumerRebalanceListener):  # type: ignore[misc]
    """Counts the group's rebalances. A rebalance resets every position to the group's committed offset,
    so what was fetched before it is neither processed further nor committed: after a broker that came
    back empty, those offsets number the old broker's log and would skip the re-fed records."""

    def __init__(self) -> None:
        self.count = 0

    def on_partitions_revoked(self, revoked: object) -> None:
        self.count += 1  # before the old assignment's records stop and the new one's arrive

    def on_partitions_assigned(self, assigned: object) -> None:
        pass


__all__ = ["EventConsumer", "Handler", "TopicPartition"]
