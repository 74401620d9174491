"""A consumer applies each event once, dead-letters what can never be applied, and lives through the faults
that pass: a database that refuses connections, a broker that restarts."""

import asyncio
import json
import time
import uuid
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from opentelemetry import trace
from sqlalchemy import text

from crm_shared.devstack.broker import Broker, free_port
from crm_shared.events import CloudEvent, EventConsumer, OutboxRelay, new_event
from crm_shared.events.faults import is_transient
from crm_shared.events.kafka import ensure_topics
from crm_shared.telemetry import current_trace_id, setup_tracing
from crm_shared.testing import read_topic
from crm_shared.testing.faults import database_outage


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
    assert headers["dlq.error"] == b"ValueError"  # the handler's own message may quote what it was given
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


async def test_events_wait_out_a_database_outage_and_none_is_dead_lettered(db, topic, postgres, platform_settings):
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])
    consumer = EventConsumer(
        db, platform_settings, "test-outage", {topic: {"thing.happened": record}}, retry_delay=0.05
    )
    task = asyncio.create_task(consumer.run())
    await consumer.ready.wait()
    try:
        async with database_outage(postgres, db):
            for n in (1, 2):
                await send(bootstrap, topic, new_event("/crm/test", "thing.happened", "o1", {"n": n}))
            await asyncio.sleep(2)  # longer than every bounded retry together: these would have been dead-lettered
        assert await wait_until(lambda: _has(db, 2))
    finally:
        task.cancel()
    assert [r.n for r in await applied(db)] == [1, 2]
    assert await read_topic(bootstrap, f"{topic}.dlq", None, timeout=3) == []


async def test_the_consumer_rejoins_after_the_broker_restarts(db, tmp_path: Path, platform_settings):
    broker = Broker(free_port(), tmp_path / "broker.log")
    broker.start()
    settings = platform_settings.model_copy(update={"kafka_bootstrap_servers": broker.bootstrap})
    topic = f"crm.test.{uuid.uuid4().hex[:8]}"
    await ensure_topics(broker.bootstrap, [topic])
    consumer = EventConsumer(db, settings, "test-restart", {topic: {"thing.happened": record}}, retry_delay=0.05)
    task = asyncio.create_task(consumer.run())
    try:
        await send(broker.bootstrap, topic, new_event("/crm/test", "thing.happened", "r1", {"n": 1}))
        assert await wait_until(lambda: _has(db, 1))

        broker.stop()  # the embedded broker keeps nothing: topics and group offsets are gone
        broker.start()
        await ensure_topics(broker.bootstrap, [topic])
        await send(broker.bootstrap, topic, new_event("/crm/test", "thing.happened", "r1", {"n": 2}))

        assert await wait_until(lambda: _has(db, 2), timeout=60)
        assert consumer.consuming is True
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        broker.stop()
    assert [r.n for r in await applied(db)] == [1, 2]


async def test_a_dead_letter_names_the_violation_without_the_values(db, topic, platform_settings):
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])

    async def store_widget(uow, event):  # no id: this event can never be applied
        await uow.session.execute(
            text("INSERT INTO widgets VALUES (:id, :name)"), {"id": None, "name": event.data["phone"]}
        )

    consumer = EventConsumer(db, platform_settings, "test-poison", {topic: {"widget.added": store_widget}}, 0.01)
    task = asyncio.create_task(consumer.run())
    try:
        await send(bootstrap, topic, new_event("/crm/test", "widget.added", "p1", {"phone": "13800138000"}))
        dead = await read_topic(bootstrap, f"{topic}.dlq", 1)
    finally:
        task.cancel()
    headers = dict(dead[0].headers)
    assert headers["dlq.error"] == b"NotNullViolationError (SQLSTATE 23502)"
    assert not any(b"13800138000" in value or b"violates" in value for value in headers.values())


async def test_a_unique_violation_quoting_a_secret_reaches_neither_the_logs_nor_the_dead_letter(
    db, topic, platform_settings, caplog
):
    """PostgreSQL names the duplicate key's value in the error's detail; none of it may leave the service."""
    secret = "$argon2id$v=19$m=65536,t=3,p=4$c2VjcmV0LXNhbHQ$SECRET-HASH"
    async with db.unit_of_work() as uow:
        await uow.session.execute(text("CREATE UNIQUE INDEX widgets_name ON widgets (name)"))
        await uow.session.execute(text("INSERT INTO widgets VALUES (:id, :name)"), {"id": uuid.uuid4(), "name": secret})
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])

    async def store_widget(uow, event):
        await uow.session.execute(
            text("INSERT INTO widgets VALUES (:id, :name)"), {"id": uuid.uuid4(), "name": event.data["hash"]}
        )

    consumer = EventConsumer(db, platform_settings, "test-secret", {topic: {"widget.added": store_widget}}, 0.01)
    task = asyncio.create_task(consumer.run())
    try:
        await send(bootstrap, topic, new_event("/crm/test", "widget.added", "s1", {"hash": secret}))
        dead = await read_topic(bootstrap, f"{topic}.dlq", 1)
    finally:
        task.cancel()
    headers = dict(dead[0].headers)
    assert headers["dlq.error"] == b"UniqueViolationError (SQLSTATE 23505, constraint widgets_name)"
    assert not any(b"SECRET-HASH" in value for name, value in headers.items() if name.startswith("dlq."))
    assert "dead-lettered: UniqueViolationError (SQLSTATE 23505, constraint widgets_name)" in caplog.text
    assert "SECRET-HASH" not in caplog.text


def test_infrastructure_faults_are_transient_and_bad_data_is_not():
    refused = asyncpg.exceptions.CannotConnectNowError("the database system is starting up")
    wrapped = RuntimeError("while applying")
    wrapped.__cause__ = ConnectionRefusedError()

    swapped = asyncpg.exceptions.InvalidCatalogNameError('database "customer" does not exist')
    assert [is_transient(e) for e in (refused, wrapped, TimeoutError(), swapped)] == [True, True, True, True]
    assert [is_transient(e) for e in (ValueError("bad"), KeyError("id"))] == [False, False]
    assert is_transient(asyncpg.exceptions.NotNullViolationError("null value")) is False


async def _has(db, n):
    return len(await applied(db)) == n


def widget_handlers(widget):
    """A widget is created, then renamed; a rename that comes first waits for it."""
    from crm_shared.errors import NotYetApplicable

    async def created(uow, event):
        await uow.session.execute(text("INSERT INTO widgets VALUES (:id, :name)"), {"id": widget, "name": "华为"})

    async def renamed(uow, event):
        result = await uow.session.execute(
            text("UPDATE widgets SET name = :name WHERE id = :id"), {"id": widget, "name": event.data["name"]}
        )
        if result.rowcount == 0:
            raise NotYetApplicable("no such widget yet")

    return {"widget.created": created, "widget.renamed": renamed}


async def test_an_event_that_comes_before_the_one_it_needs_is_kept_and_applied_after_it(db, topic, platform_settings):
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])
    widget = uuid.uuid4()

    handlers = {topic: widget_handlers(widget)}
    consumer = EventConsumer(db, platform_settings, "test-order", handlers, retry_delay=0.01)
    task = asyncio.create_task(consumer.run())
    try:
        await send(bootstrap, topic, new_event("/crm/test", "widget.renamed", widget, {"name": "华为技术有限公司"}))
        assert await wait_until(lambda: _parked(db, 1))
        await send(bootstrap, topic, new_event("/crm/test", "widget.created", widget, {}))
        assert await wait_until(lambda: _parked(db, 0))
    finally:
        task.cancel()
    async with db.read() as session:
        assert (await session.execute(text("SELECT name FROM widgets"))).scalars().all() == ["华为技术有限公司"]


async def test_an_event_kept_early_in_a_fetched_batch_is_applied_after_the_one_it_needs_in_that_batch(
    db, topic, platform_settings
):
    """Both arrive in one fetch: what the consumer asked of the batch at its start (nothing kept) must not hide
    the event it keeps on the way."""
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])
    widget = uuid.uuid4()

    await send(bootstrap, topic, new_event("/crm/test", "widget.renamed", widget, {"name": "华为技术有限公司"}))
    await send(bootstrap, topic, new_event("/crm/test", "widget.created", widget, {}))
    handlers = {topic: widget_handlers(widget)}
    consumer = EventConsumer(db, platform_settings, "test-order-one-fetch", handlers, retry_delay=0.01)
    task = asyncio.create_task(consumer.run())
    try:
        assert await wait_until(lambda: _names(db, ["华为技术有限公司"]))
        assert await _parked(db, 0)
    finally:
        task.cancel()


async def _names(db, names):
    async with db.read() as session:
        return (await session.execute(text("SELECT name FROM widgets"))).scalars().all() == names


async def _parked(db, n):
    async with db.read() as session:
        return await session.scalar(text("SELECT count(*) FROM parked_events")) == n


async def test_a_dead_letter_is_listed_and_replayed_once_the_fault_is_fixed(db, topic, platform_settings):
    from crm_shared.events.deadletters import dead_letters, replay

    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])
    fixed = False

    async def picky(uow, event):
        if not fixed:
            raise ValueError("unknown product code")
        await record(uow, event)

    consumer = EventConsumer(db, platform_settings, "test-replay", {topic: {"thing.happened": picky}}, retry_delay=0.01)
    task = asyncio.create_task(consumer.run())
    event = new_event("/crm/test", "thing.happened", "d1", {"n": 7})
    try:
        await send(bootstrap, topic, event)
        await read_topic(bootstrap, f"{topic}.dlq", 1)
        [letter] = await dead_letters(platform_settings, [topic])
        fixed = True
        replayed = await replay(platform_settings, [letter])
        assert await wait_until(lambda: _has(db, 1))
        again = await replay(platform_settings, await dead_letters(platform_settings, [topic]))
        assert again == 1  # a second replay is a repeat the inbox absorbs
        await asyncio.sleep(1)
    finally:
        task.cancel()
    assert (letter.event_id, letter.type, letter.consumer, letter.attempts) == (
        event.id,
        "thing.happened",
        "test-replay",
        3,
    )
    assert letter.error == "ValueError"  # the message may quote values; the stack trace shows the raising line
    assert replayed == 1
    assert [r.n for r in await applied(db)] == [7]


async def test_replicas_joining_and_leaving_share_the_topic_and_apply_every_event_once(db, topic, platform_settings):
    """What every rolling deploy does: a second and a third replica join the group while events
    flow, then two leave; each event is applied exactly once and the survivor keeps consuming."""
    bootstrap = platform_settings.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    sent = 0

    async def publish(count):
        nonlocal sent
        for _ in range(count):
            sent += 1
            event = new_event("/crm/test", "thing.happened", f"k{sent % 17}", {"n": sent})
            await producer.send_and_wait(
                topic, json.dumps(event.model_dump(mode="json")).encode(), key=event.subject.encode()
            )

    def replica():
        consumer = EventConsumer(db, platform_settings, "test-replicas", {topic: {"thing.happened": record}}, 0.05)
        return consumer, asyncio.create_task(consumer.run())

    replicas = [replica()]
    try:
        await publish(50)
        replicas += [replica(), replica()]
        await publish(50)
        await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c, _ in replicas)), 60)
        await publish(50)
        for _, task in replicas[:2]:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await publish(50)
        assert await wait_until(lambda: _has(db, 200), timeout=90)
        await asyncio.sleep(1)  # a late repeat would show now
        survivor, _ = replicas[2]
        assert survivor.consuming is True
    finally:
        await producer.stop()
        for _, task in replicas:
            task.cancel()
        await asyncio.gather(*(task for _, task in replicas), return_exceptions=True)
    assert sorted(r.n for r in await applied(db)) == list(range(1, 201))


async def test_a_partition_that_ends_before_the_groups_offset_is_read_again_from_its_start(
    db, topic, platform_settings
):
    """A broker that lost its records numbers the re-fed ones from 0 again, below the offsets the group had
    reached (and may have committed to it since): the consumer reads such a partition from its start."""
    bootstrap = platform_settings.kafka_bootstrap_servers
    settings = platform_settings.model_copy(update={"refeed_check_seconds": 0.5})
    await ensure_topics(bootstrap, [topic], partitions=1)
    ahead = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id="test-lost", enable_auto_commit=False)
    await ahead.start()
    try:
        ahead.assign([TopicPartition(topic, 0)])
        await ahead.commit({TopicPartition(topic, 0): 100})
    finally:
        await ahead.stop()
    for n in (1, 2):
        await send(bootstrap, topic, new_event("/crm/test", "thing.happened", "l1", {"n": n}))

    consumer = EventConsumer(db, settings, "test-lost", {topic: {"thing.happened": record}}, retry_delay=0.05)
    task = asyncio.create_task(consumer.run())
    try:
        assert await wait_until(lambda: _has(db, 2))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [r.n for r in await applied(db)] == [1, 2]


async def test_a_batch_read_before_the_broker_came_back_empty_is_never_committed_to_the_new_one(
    db, tmp_path: Path, platform_settings
):
    """The broker restarts empty while an event of a fetched batch is being applied; the group rejoins the new
    broker. The rest of that batch numbers the old broker's log: committed there, it would put the group past
    the re-fed records at its next rebalance. (The check for a position past a partition's end is off here, so
    the commits alone are tested.)"""
    broker = Broker(free_port(), tmp_path / "broker.log")
    broker.start()
    settings = platform_settings.model_copy(
        update={"kafka_bootstrap_servers": broker.bootstrap, "refeed_check_seconds": 3600}
    )
    topic, other = f"crm.test.{uuid.uuid4().hex[:8]}", f"crm.test.{uuid.uuid4().hex[:8]}"
    await ensure_topics(broker.bootstrap, [topic, other], partitions=1)
    for n in (1, 2, 3, 4, 5):
        await send(broker.bootstrap, topic, new_event("/crm/test", "thing.happened", "z1", {"n": n}))
    held, released = asyncio.Event(), asyncio.Event()

    async def slow(uow, event):
        if event.data["n"] == 1 and not released.is_set():
            held.set()
            await released.wait()
        await record(uow, event)

    consumer = EventConsumer(db, settings, "test-renumbered", {topic: {"thing.happened": slow}}, retry_delay=0.05)
    task = asyncio.create_task(consumer.run())
    try:
        await asyncio.wait_for(held.wait(), 30)
        broker.stop()
        broker.start()
        await ensure_topics(broker.bootstrap, [topic, other], partitions=1)
        assert await wait_until(lambda: _joined(broker.bootstrap, "test-renumbered"), timeout=60)
        released.set()
        assert await wait_until(lambda: _has(db, 1))
        # another member joins and leaves: the group rebalances, positions start from the committed offsets
        await _join_and_leave(broker.bootstrap, "test-renumbered", other)
        for n in (2, 3, 4, 5, 6):  # re-fed, numbered from 0 on the new broker
            await send(broker.bootstrap, topic, new_event("/crm/test", "thing.happened", "z1", {"n": n}))
        assert await wait_until(lambda: _has(db, 6), timeout=60)
    finally:
        released.set()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        broker.stop()
    assert [r.n for r in await applied(db)] == [1, 2, 3, 4, 5, 6]


async def _joined(bootstrap, group):
    """Whether `group` has a member with an assignment on the broker."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [described] = await admin.describe_consumer_groups([group])
    finally:
        await admin.close()
    return any(g[2] == "Stable" and g[5] for g in described.groups)  # state, members


async def _join_and_leave(bootstrap, group, topic):
    member = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await member.start()
    try:
        await member.getmany(timeout_ms=1000)
        assert await wait_until(lambda: _truthy(member.assignment()), timeout=60)
    finally:
        await member.stop()
