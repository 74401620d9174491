"""A consumer with `batches` applies a fetched batch in one transaction with the same guarantees as one by one:
each event once and in order, all or none, and what cannot be applied still retried, parked or dead-lettered."""

import asyncio
import datetime as dt
import json
import uuid
from types import SimpleNamespace

from aiokafka import AIOKafkaProducer, ConsumerRecord
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Uuid, select, text

from crm_shared.db.snapshots import keep_newer
from crm_shared.errors import NotYetApplicable
from crm_shared.events import CloudEvent, EventConsumer, new_event
from crm_shared.events.handlers import Handlers
from crm_shared.events.kafka import ensure_topics
from crm_shared.events.model import Event
from crm_shared.events.outbox import remember
from crm_shared.testing import read_topic


def received(topic: str, event: CloudEvent, offset: int = 0) -> ConsumerRecord:
    value = json.dumps(event.model_dump(mode="json")).encode()
    return ConsumerRecord(topic, 0, offset, 0, 0, event.subject.encode(), value, None, len(value), 0, event.headers())


async def record(uow, event):
    await uow.session.execute(text("INSERT INTO applied VALUES (:id, :n)"), {"id": event.id, "n": event.data["n"]})


async def applied(db):
    async with db.read() as session:
        return [n for (n,) in (await session.execute(text("SELECT n FROM applied"))).all()]


async def inbox(db, consumer):
    async with db.read() as session:
        found = await session.execute(text("SELECT event_id FROM inbox WHERE consumer = :c"), {"c": consumer})
        return {str(event_id) for (event_id,) in found.all()}


async def test_a_batch_applies_each_new_event_once_in_order_with_its_inbox_rows(db, topic, platform_settings):
    consumer = EventConsumer(db, platform_settings, "test-batch", {topic: {"thing.happened": record}}, batches=True)
    first, seen, last = (new_event("/crm/test", "thing.happened", "b1", {"n": n}) for n in (1, 2, 3))
    async with db.unit_of_work() as uow:
        await remember(uow.session, "test-batch", seen)  # applied before, in an earlier batch
    batch = [received(topic, e, i) for i, e in enumerate([first, seen, first, last])]

    assert await consumer._apply_together(batch) is True
    assert await applied(db) == [1, 3]
    assert await inbox(db, "test-batch") == {first.id, seen.id, last.id}
    assert await consumer._apply_together(batch) is True  # the whole batch again (a crash before the commit)
    assert await applied(db) == [1, 3]


async def test_a_batch_with_an_event_that_fails_leaves_nothing_and_goes_one_by_one(db, topic, platform_settings):
    async def picky(uow, event):
        if event.data["n"] == 13:
            raise ValueError("客户编号无效 / invalid customer number")
        await record(uow, event)

    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])
    handlers = {topic: {"thing.happened": picky}}
    consumer = EventConsumer(db, platform_settings, "test-batch-dlq", handlers, retry_delay=0.01, batches=True)
    events = [new_event("/crm/test", "thing.happened", "b2", {"n": n}) for n in (12, 13, 14)]
    assert await consumer._apply_together([received(topic, e, i) for i, e in enumerate(events)]) is False
    assert (await applied(db), await inbox(db, "test-batch-dlq")) == ([], set())

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:  # sent before the consumer starts, so that they are fetched together
        for event in events:
            await producer.send_and_wait(topic, received(topic, event).value, key=b"b2", headers=event.headers())
    finally:
        await producer.stop()
    task = asyncio.create_task(consumer.run())
    try:
        [dead] = await read_topic(bootstrap, f"{topic}.dlq", 1)
        for _ in range(100):  # the event after the dead letter is applied next (seen here once committed)
            if len(await applied(db)) == 2:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert json.loads(dead.value)["id"] == events[1].id
    assert await applied(db) == [12, 14]


async def test_an_event_kept_for_its_aggregate_is_applied_in_the_batch_that_brings_what_it_needs(
    db, topic, platform_settings
):
    async def after_the_first(uow, event):
        if event.data["n"] > 1 and not await uow.session.scalar(text("SELECT count(*) FROM applied")):
            raise NotYetApplicable("the first has not come yet")
        await record(uow, event)

    handlers = {topic: {"thing.happened": after_the_first}}
    consumer = EventConsumer(db, platform_settings, "test-batch-order", handlers, batches=True)
    early = new_event("/crm/test", "thing.happened", "b3", {"n": 2})
    await consumer.parking.park(topic, early, NotYetApplicable("the first has not come yet"))
    batch = [
        received(topic, new_event("/crm/test", "thing.happened", "b4", {"n": 0}), 0),
        received(topic, new_event("/crm/test", "thing.happened", "b3", {"n": 1}), 1),
    ]

    assert await consumer._apply_together(batch) is True
    assert await applied(db) == [0, 1, 2]
    async with db.read() as session:
        assert await session.scalar(text("SELECT count(*) FROM parked_events")) == 0
    assert early.id in await inbox(db, "test-batch-order")


async def test_a_batched_route_takes_consecutive_new_events_at_once_and_kept_ones_right_after_their_aggregate(
    db, topic, platform_settings
):
    taken = []

    async def many(uow, events):
        taken.append([event.data["n"] for event in events])
        for event in events:
            await record(uow, event)

    handlers = Handlers()
    handlers.add_many(topic, many)
    consumer = EventConsumer(db, platform_settings, "test-batch-many", handlers.routes, batches=True)
    early = new_event("/crm/test", "thing.happened", "b6", {"n": 3})
    await consumer.parking.park(topic, early, NotYetApplicable("the first has not come yet"))
    seen = new_event("/crm/test", "thing.happened", "b5", {"n": 0})
    async with db.unit_of_work() as uow:
        await remember(uow.session, "test-batch-many", seen)
    events = [
        new_event("/crm/test", "thing.happened", "b5", {"n": 1}),
        seen,
        new_event("/crm/test", "thing.happened", "b6", {"n": 2}),
        new_event("/crm/test", "other.thing", "b5", {"n": 4}),
        new_event("/crm/test", "thing.happened", "b5", {"n": 5}),
    ]

    assert await consumer._apply_together([received(topic, e, i) for i, e in enumerate(events)]) is True
    assert taken == [[1, 2], [3], [4, 5]]
    assert await applied(db) == [1, 2, 3, 4, 5]
    assert await consumer._apply_together([received(topic, events[0])]) is True  # one again: applied before
    assert taken == [[1, 2], [3], [4, 5]]


class Measured(Event):
    topic, type = "crm.test.gauges", "gauge.measured"

    id: uuid.UUID
    n: int


class Corrected(Measured):
    type = "gauge.corrected"


class Removed(Measured):
    type = "gauge.removed"


GAUGES = Table(
    "gauges",
    MetaData(),
    Column("id", Uuid, primary_key=True),
    Column("n", Integer),
    Column("updated_at", DateTime(timezone=True)),
)


async def test_a_projection_of_many_takes_a_run_of_its_types_typed_and_keeps_each_rows_newer_snapshot(
    db, platform_settings
):
    """An import's burst of snapshots, one late: the projection writes each run of its event types in one
    statement, and a snapshot older than the one stored changes nothing."""
    async with db.engine.begin() as conn:
        await conn.run_sync(GAUGES.metadata.create_all)
    taken = []
    handlers = Handlers()

    @handlers.on_many(Measured, Corrected)
    async def keep(uow, gauges):
        taken.append([(type(g).__name__, g.n) for g in gauges])
        await keep_newer(
            uow, SimpleNamespace(__table__=GAUGES), [{"id": g.id, "n": g.n, "updated_at": g.time} for g in gauges]
        )

    @handlers.on(Removed)
    async def remove(uow, gauge):
        await uow.session.execute(GAUGES.delete().where(GAUGES.c.id == gauge.id))

    consumer = EventConsumer(db, platform_settings, "test-batch-typed", handlers.routes, batches=True)
    a, b = uuid.uuid4(), uuid.uuid4()
    older = Corrected(id=a, n=0).envelope("/crm/test")  # committed first, delivered last
    events = [
        Measured(id=a, n=1).envelope("/crm/test"),
        Measured(id=b, n=2).envelope("/crm/test"),
        Corrected(id=a, n=3).envelope("/crm/test"),
        Removed(id=b, n=0).envelope("/crm/test"),
        Measured(id=b, n=4).envelope("/crm/test"),
    ]
    older = older.model_copy(update={"time": events[0].time - dt.timedelta(seconds=1)})
    records = [received(Measured.topic, e, i) for i, e in enumerate([*events, older])]

    assert await consumer._apply_together(records) is True
    assert taken == [[("Measured", 1), ("Measured", 2), ("Corrected", 3)], [("Measured", 4), ("Corrected", 0)]]
    async with db.read() as session:
        rows = dict((await session.execute(select(GAUGES.c.id, GAUGES.c.n))).all())
    assert rows == {a: 3, b: 4}


async def test_batched_routes_joined_with_then_take_a_run_together_the_second_once_the_first_applied_it(
    db, platform_settings
):
    """A projection built from another's rows (`then`): both batched, a run of events reaches the first, then the
    second; an event only the second takes is a run of its own."""
    order = []
    first, second = Handlers(), Handlers()

    @first.on_many(Measured)
    async def project(uow, gauges):
        order.append(("project", [g.n for g in gauges]))

    @second.on_many(Measured, Corrected)
    async def follow(uow, gauges):
        order.append(("follow", [g.n for g in gauges]))

    consumer = EventConsumer(db, platform_settings, "test-batch-then", first.then(second).routes, batches=True)
    gauge = uuid.uuid4()
    events = [Measured(id=gauge, n=1), Measured(id=gauge, n=2), Corrected(id=gauge, n=3), Measured(id=gauge, n=4)]
    records = [received(Measured.topic, e.envelope("/crm/test"), i) for i, e in enumerate(events)]

    assert await consumer._apply_together(records) is True
    assert order == [("project", [1, 2]), ("follow", [1, 2]), ("follow", [3]), ("project", [4]), ("follow", [4])]
