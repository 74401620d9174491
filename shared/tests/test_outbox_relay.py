"""A state change and its event are committed together or not at all, and the event always goes out."""

import asyncio
import datetime as dt
import json
import uuid

import pytest
from sqlalchemy import func, select, text

from crm_shared.config import PlatformSettings
from crm_shared.devstack.broker import free_port
from crm_shared.events import OutboxMessage, OutboxRelay, new_event
from crm_shared.events.kafka import ensure_topics, producer
from crm_shared.testing import read_topic


async def create_widget(db, topic, name="华为技术有限公司"):
    widget_id = uuid.uuid4()
    async with db.unit_of_work() as uow:
        await uow.session.execute(text("INSERT INTO widgets VALUES (:id, :name)"), {"id": widget_id, "name": name})
        await uow.emit(topic, new_event("/crm/test", "widget.created", widget_id, {"name": name}))
    return widget_id


async def pending(db):
    async with db.read() as session:
        return await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.published_at.is_(None))
        )


async def test_event_committed_while_relay_is_down_is_delivered_after_restart(db, topic, platform_settings):
    await ensure_topics(platform_settings.kafka_bootstrap_servers, [topic])
    widget_id = await create_widget(db, topic)
    assert await pending(db) == 1  # committed, not yet published: the relay was not running

    relay = OutboxRelay(db, platform_settings)
    task = asyncio.create_task(relay.run())
    try:
        records = await read_topic(platform_settings.kafka_bootstrap_servers, topic, 1)
        # the broker acknowledges before the relay records the row as published
        for _ in range(200):
            if not await pending(db):
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
    event = json.loads(records[0].value)
    assert event["type"] == "widget.created"
    assert event["subject"] == str(widget_id)
    assert event["data"] == {"name": "华为技术有限公司"}
    assert records[0].key == str(widget_id).encode()
    assert await pending(db) == 0


async def test_rolled_back_change_publishes_nothing(db, topic, platform_settings):
    with pytest.raises(RuntimeError):
        async with db.unit_of_work() as uow:
            await uow.emit(topic, new_event("/crm/test", "widget.created", uuid.uuid4(), {}))
            raise RuntimeError("business rule failed")
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_broker_down_at_commit_delays_the_event_but_never_loses_it(db, topic, platform_settings):
    await ensure_topics(platform_settings.kafka_bootstrap_servers, [topic])
    down = PlatformSettings(kafka_bootstrap_servers=f"127.0.0.1:{free_port()}", outbox_poll_seconds=0.1)
    await create_widget(db, topic, "腾讯")
    broken = OutboxRelay(db, down)
    with pytest.raises(Exception):
        await asyncio.wait_for(broken.publish_batch(), 30)
    assert await pending(db) == 1

    relay = OutboxRelay(db, platform_settings)
    assert await relay.publish_batch() == 1
    records = await read_topic(platform_settings.kafka_bootstrap_servers, topic, 1)
    assert json.loads(records[0].value)["data"] == {"name": "腾讯"}
    assert await pending(db) == 0


async def listeners(db) -> list[int]:
    async with db.read() as session:
        found = await session.scalars(
            text(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND query ILIKE 'LISTEN%crm_outbox%'"
            )
        )
        return list(found)


async def test_a_listen_connection_the_database_dropped_is_opened_again(db, topic, platform_settings):
    await ensure_topics(platform_settings.kafka_bootstrap_servers, [topic])
    relay = OutboxRelay(db, platform_settings.model_copy(update={"outbox_poll_seconds": 3600}))  # NOTIFY or nothing
    task = asyncio.create_task(relay.run())
    try:
        for _ in range(100):
            if dropped := await listeners(db):
                break
            await asyncio.sleep(0.1)
        async with db.read() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped[0]})
        await create_widget(db, topic, "比亚迪")
        records = await read_topic(platform_settings.kafka_bootstrap_servers, topic, 1)
        assert json.loads(records[0].value)["data"] == {"name": "比亚迪"}
        for _ in range(100):  # the relay listens again once the batch it was woken for is out
            if again := await listeners(db):
                break
            await asyncio.sleep(0.1)
        assert len(again) == 1 and again != dropped
    finally:
        task.cancel()


async def test_an_event_committed_while_a_pass_is_sending_goes_out_without_waiting_for_the_poll(
    db, topic, platform_settings
):
    await ensure_topics(platform_settings.kafka_bootstrap_servers, [topic])

    class CommitMeanwhile(OutboxRelay):
        """A writer commits (and announces it) after the pass read its rows, before the broker acked them."""

        async def _hand_over(self, rows):
            if len(rows) == 1 and json.loads(rows[0].value)["data"] == {"name": "美的"}:
                await create_widget(db, topic, "格力")
            return await super()._hand_over(rows)

    relay = CommitMeanwhile(db, platform_settings.model_copy(update={"outbox_poll_seconds": 3600}))
    task = asyncio.create_task(relay.run())
    try:
        for _ in range(100):  # asleep until a commit is announced
            if await listeners(db):
                break
            await asyncio.sleep(0.1)
        await create_widget(db, topic, "美的")
        records = await read_topic(platform_settings.kafka_bootstrap_servers, topic, 2, timeout=10)
    finally:
        task.cancel()
    assert sorted(json.loads(r.value)["data"]["name"] for r in records) == ["格力", "美的"]


async def test_a_pass_sends_its_batches_one_behind_the_other_in_commit_order_and_marks_them_together(
    db, topic, platform_settings
):
    await ensure_topics(platform_settings.kafka_bootstrap_servers, [topic])
    aggregate = uuid.uuid4()
    for n in range(20):
        async with db.unit_of_work() as uow:
            await uow.emit(topic, new_event("/crm/test", "widget.updated", aggregate, {"n": n}))
    relay = OutboxRelay(db, platform_settings, batch_size=7, rounds=2)

    sent = [await relay.publish_batch(), await relay.publish_batch(), await relay.publish_batch()]
    await relay.close()

    assert sent == [14, 6, 0]  # two batches of 7 in the first pass, what is left in the second
    assert await pending(db) == 0
    records = await read_topic(platform_settings.kafka_bootstrap_servers, topic, 20)
    assert [json.loads(r.value)["data"]["n"] for r in records] == list(range(20))


async def test_two_relays_on_one_database_send_each_event_once_and_in_commit_order(db, topic, platform_settings):
    """Replicas of a service each run a relay: one publishes at a time, so none sends a row another is sending."""
    await ensure_topics(platform_settings.kafka_bootstrap_servers, [topic])
    aggregate = uuid.uuid4()
    for n in range(60):
        async with db.unit_of_work() as uow:
            await uow.emit(topic, new_event("/crm/test", "widget.updated", aggregate, {"n": n}))
    relays = [OutboxRelay(db, platform_settings, batch_size=5, rounds=2) for _ in range(2)]

    async def drain(relay):
        while await pending(db):
            await relay.publish_batch()

    await asyncio.gather(*(drain(relay) for relay in relays))
    for relay in relays:
        await relay.close()

    assert sum(relay.published for relay in relays) == 60
    records = await read_topic(platform_settings.kafka_bootstrap_servers, topic, None)
    assert [json.loads(r.value)["data"]["n"] for r in records] == list(range(60))


async def test_the_relay_puts_each_key_in_the_partition_a_producers_own_send_would(db, platform_settings):
    """The relay builds its own batches: a key must still land where any Kafka client's default partitioner, and
    the relay before, put it, so that an aggregate's events stay in one partition, in order."""
    bootstrap = platform_settings.kafka_bootstrap_servers
    relayed, sent = (f"crm.test.{uuid.uuid4().hex[:8]}" for _ in range(2))
    await ensure_topics(bootstrap, [relayed, sent])
    subjects = [uuid.uuid4() for _ in range(40)]
    async with db.unit_of_work() as uow:
        for subject in subjects:
            await uow.emit(relayed, new_event("/crm/test", "widget.created", subject, {}))
    relay = OutboxRelay(db, platform_settings)
    await relay.publish_batch()
    await relay.close()
    plain = producer(platform_settings)
    await plain.start()
    try:
        for subject in subjects:
            await plain.send_and_wait(sent, b"{}", key=str(subject).encode())
    finally:
        await plain.stop()

    where = {}
    for topic in (relayed, sent):
        where[topic] = {r.key: r.partition for r in await read_topic(bootstrap, topic, len(subjects))}
    assert where[relayed] == where[sent]
    assert len(where[relayed]) == 40 and set(where[relayed].values()) == {0, 1, 2, 3}


async def test_a_broker_that_lost_its_events_is_refed_from_the_retained_outbox(db, tmp_path, platform_settings):
    from crm_shared.devstack.broker import Broker
    from crm_shared.events.refeed import Refeeder, republish

    broker = Broker(free_port(), tmp_path / "broker.log")
    broker.start()
    settings = platform_settings.model_copy(update={"kafka_bootstrap_servers": broker.bootstrap})
    topic = f"crm.test.{uuid.uuid4().hex[:8]}"
    refeeder = Refeeder(settings, [topic], "test")
    try:
        await ensure_topics(broker.bootstrap, [topic])
        ids = [await create_widget(db, topic, f"客户{n}") for n in range(3)]
        relay = OutboxRelay(db, settings)
        await relay.publish_batch()
        async with db.unit_of_work() as uow:  # a broker without the marker may not hold what was sent
            assert await refeeder.check(uow) == 3
        await relay.publish_batch()
        await relay.close()
        async with db.unit_of_work() as uow:
            assert await refeeder.check(uow) == 0  # marked: the broker holds everything

        broker.stop()  # the embedded broker keeps nothing across a restart
        broker.start()
        async with db.unit_of_work() as uow:
            refed = await refeeder.check(uow)  # its clients, kept open, find the broker back
        relay = OutboxRelay(db, settings)
        await relay.publish_batch()
        await relay.close()
        records = await read_topic(broker.bootstrap, topic, None, timeout=10)
        async with db.unit_of_work() as uow:
            later = await republish(uow, [topic], since=dt.datetime.now(dt.UTC))
    finally:
        await refeeder.close()
        broker.stop()
    assert refed == 3
    assert sorted(json.loads(r.value)["subject"] for r in records) == sorted(str(i) for i in ids)
    assert later == 0  # nothing was created after now


async def test_a_restarted_broker_is_refed_even_when_a_topic_got_new_records_before_the_check(
    db, tmp_path, platform_settings
):
    """A topic several services write (the audit topic), or one a producer created again, holds new
    records by the time the check runs: the missing marker still says the old ones are gone."""
    from crm_shared.devstack.broker import Broker
    from crm_shared.events.refeed import Refeeder

    broker = Broker(free_port(), tmp_path / "broker.log")
    broker.start()
    settings = platform_settings.model_copy(update={"kafka_bootstrap_servers": broker.bootstrap})
    topic = f"crm.test.{uuid.uuid4().hex[:8]}"
    refeeder = Refeeder(settings, [topic], "test")
    try:
        await ensure_topics(broker.bootstrap, [topic])
        before = [await create_widget(db, topic, f"客户{n}") for n in range(3)]
        relay = OutboxRelay(db, settings)
        await relay.publish_batch()
        async with db.unit_of_work() as uow:
            await refeeder.check(uow)
        await relay.publish_batch()
        await relay.close()

        broker.stop()
        broker.start()
        await ensure_topics(broker.bootstrap, [topic])
        after = await create_widget(db, topic, "新客户")
        relay = OutboxRelay(db, settings)
        await relay.publish_batch()  # the new event reaches the new broker before the check
        async with db.unit_of_work() as uow:
            refed = await refeeder.check(uow)
        await relay.publish_batch()
        await relay.close()
        records = await read_topic(broker.bootstrap, topic, None, timeout=10)
    finally:
        await refeeder.close()
        broker.stop()
    assert refed == 4
    assert sorted({json.loads(r.value)["subject"] for r in records}) == sorted(str(i) for i in [*before, after])


async def test_a_topic_first_published_after_a_check_is_found_by_the_next_one(db, tmp_path, platform_settings):
    """The check reads only the rows published since its last look: a topic it had found nothing of is
    found there once its first event goes out."""
    from crm_shared.devstack.broker import Broker
    from crm_shared.events.refeed import Refeeder

    broker = Broker(free_port(), tmp_path / "broker.log")
    broker.start()
    settings = platform_settings.model_copy(update={"kafka_bootstrap_servers": broker.bootstrap})
    early, late = (f"crm.test.{uuid.uuid4().hex[:8]}" for _ in range(2))
    refeeder = Refeeder(settings, [early, late], "test")
    relay = OutboxRelay(db, settings)
    try:
        await ensure_topics(broker.bootstrap, [early, late])
        await create_widget(db, early, "早客户")
        await relay.publish_batch()
        async with db.unit_of_work() as uow:
            assert await refeeder.check(uow) == 1  # no marker yet
        await relay.publish_batch()
        await create_widget(db, late, "晚客户")
        await relay.publish_batch()
        async with db.unit_of_work() as uow:
            assert await refeeder.check(uow) == 0

        broker.stop()
        broker.start()
        async with db.unit_of_work() as uow:
            refed = await refeeder.check(uow)
    finally:
        await relay.close()
        await refeeder.close()
        broker.stop()
    assert refed == 2
