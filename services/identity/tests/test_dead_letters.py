"""Dead letters for administrators: an event the audit consumer can never apply is listed, replayed to its
topic after a fix, shown as replayed (by whom, when) and the replay audited; nobody else may do either."""

import asyncio
import datetime as dt
import json
import uuid

import pytest
from aiokafka import AIOKafkaProducer

from crm_shared.devstack.broker import free_port
from crm_shared.events import CloudEvent, new_event
from crm_shared.testing import discard_database, read_topic

AUDIT, DLQ = "crm.audit", "crm.audit.dlq"
LETTERS = """query($topic: String, $first: Int!, $after: String) {
  deadLetters(topic: $topic, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      eventId type topic consumerGroup error attempts time subject replayedAt replayedBy { email }
    } }
  }
}"""
REPLAY = "mutation($topic: String!, $ids: [String!]) { replayDeadLetters(topic: $topic, eventIds: $ids) }"
AUDITED = """query($f: AuditFilterInput) {
  auditLog(filter: $f) { edges { node { action entityType entityId detail actor { email } } } }
}"""


@pytest.fixture(scope="module")
async def app(new_app, postgres):
    """One app for the module: its audit consumer joins the group once."""
    application, db = await new_app()
    yield application
    await discard_database(postgres, db)


@pytest.fixture(scope="module")
async def workers(app):
    """The relay and the audit consumer, as the running service has them."""
    tasks = [asyncio.create_task(app.state.relay.run()), asyncio.create_task(app.state.consumer.run())]
    yield
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def send(bootstrap: str, topic: str, event: CloudEvent) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        value = json.dumps(event.model_dump(mode="json")).encode()
        await producer.send_and_wait(topic, value, key=event.subject.encode(), headers=event.headers())
    finally:
        await producer.stop()


def poisoned() -> tuple[str, CloudEvent]:
    """An audit record like any other, but for an id longer than the audit log keeps: it can never be applied."""
    subject = f"{uuid.uuid4()}-{'x' * 200}"
    data = {
        "actorId": None,
        "onBehalfOf": None,
        "action": "account.updated",
        "entityType": "Account",
        "entityId": subject,
        "changes": {},
        "detail": {},
        "at": dt.datetime.now(dt.UTC).isoformat(),
        "requestId": None,
        "traceId": None,
        "service": "customer",
    }
    return subject, new_event("/crm/customer", "audit.recorded", subject, data)


async def copies(bootstrap: str, topic: str, event_id: str, count: int):
    """The records of `topic` carrying the event, once `count` of them are there."""
    found = await read_topic(bootstrap, topic, count, timeout=60, match=lambda e: e.get("id") == event_id)
    assert len(found) == count, f"{len(found)} of {count} copies of {event_id} on {topic}"
    return found


async def letters(gql, token, topic=AUDIT, first=200):
    body = await gql(LETTERS, {"topic": topic, "first": first}, token=token)
    assert "errors" not in body, body
    return body["data"]["deadLetters"]


def nodes_of(listing, event_id):
    return [e["node"] for e in listing["edges"] if e["node"]["eventId"] == event_id]


def code(body):
    return [(e["extensions"]["code"], e["extensions"].get("field")) for e in body["errors"]]


async def test_a_poison_event_is_listed_replayed_and_shown_replayed(gql, app, workers, platform_settings):
    bootstrap = platform_settings.kafka_bootstrap_servers
    admin = (await gql.login("admin@example.com"))["accessToken"]
    subject, poison = poisoned()
    await send(bootstrap, AUDIT, poison)
    await copies(bootstrap, DLQ, poison.id, 1)

    [node] = nodes_of(await letters(gql, admin), poison.id)
    assert node == {
        "eventId": poison.id,
        "type": "audit.recorded",
        "topic": AUDIT,
        "consumerGroup": "identity",
        "error": "StringDataRightTruncationError (SQLSTATE 22001)",
        "attempts": platform_settings.consumer_max_attempts,
        "time": poison.time.isoformat(),
        "subject": subject,
        "replayedAt": None,
        "replayedBy": None,
    }
    everything = await letters(gql, admin, topic=None)
    assert nodes_of(everything, poison.id) == [node]
    paged, after = [], None
    while True:
        body = await gql(LETTERS, {"first": 1, "after": after}, token=admin)
        page = body["data"]["deadLetters"]
        paged += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert paged == [e["node"] for e in everything["edges"]]
    assert page["totalCount"] == everything["totalCount"] == len(paged)

    assert await gql(REPLAY, {"topic": AUDIT, "ids": [poison.id]}, token=admin) == {"data": {"replayDeadLetters": 1}}
    original, replayed = await copies(bootstrap, AUDIT, poison.id, 2)
    assert (replayed.key, replayed.value, replayed.headers) == (original.key, original.value, original.headers)

    await copies(bootstrap, DLQ, poison.id, 2)  # not fixed: it fails again, and that failure is a new letter
    first, again = nodes_of(await letters(gql, admin), poison.id)
    assert first["replayedBy"] == {"email": "admin@example.com"} and first["replayedAt"] is not None
    assert again == node

    audited = await wait_for_audit(gql, admin, poison.id)
    assert audited == {
        "action": "dead_letters.replayed",
        "entityType": "DeadLetter",
        "entityId": AUDIT,
        "detail": {"eventIds": [poison.id], "sent": 1},
        "actor": {"email": "admin@example.com"},
    }

    pending = [n for n in (await letters(gql, admin))["edges"] if n["node"]["replayedAt"] is None]
    sent = await gql(REPLAY, {"topic": AUDIT}, token=admin)
    assert sent == {"data": {"replayDeadLetters": len(pending)}}
    assert all(n["replayedAt"] for n in nodes_of(await letters(gql, admin), poison.id)[:2])
    await copies(bootstrap, AUDIT, poison.id, 3)


async def wait_for_audit(gql, token, event_id):
    for _ in range(150):
        body = await gql(AUDITED, {"f": {"action": "dead_letters.replayed", "entityId": AUDIT}}, token=token)
        mine = [e["node"] for e in body["data"]["auditLog"]["edges"] if e["node"]["detail"]["eventIds"] == [event_id]]
        if mine:
            return mine[0]
        await asyncio.sleep(0.2)
    raise AssertionError("the replay was not audited")


async def test_only_administrators_see_and_replay_dead_letters(gql):
    rep = (await gql.login("rep1@example.com"))["accessToken"]
    listed = await gql(LETTERS, {"topic": AUDIT, "first": 10}, token=rep)
    replayed = await gql(REPLAY, {"topic": AUDIT}, token=rep)
    assert code(listed) == code(replayed) == [("FORBIDDEN", None)]


async def test_a_topic_outside_the_suite_or_an_unknown_event_names_the_field(gql):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    for topic in ("crm.nowhere", DLQ):
        assert code(await gql(LETTERS, {"topic": topic, "first": 10}, token=admin)) == [("BAD_USER_INPUT", "topic")]
        assert code(await gql(REPLAY, {"topic": topic}, token=admin)) == [("BAD_USER_INPUT", "topic")]
    unknown = await gql(REPLAY, {"topic": AUDIT, "ids": [str(uuid.uuid4())]}, token=admin, lang="zh-CN")
    assert code(unknown) == [("BAD_USER_INPUT", "eventIds")]
    assert unknown["errors"][0]["message"].startswith("字段“eventIds”：该主题没有编号为")


async def test_a_broker_out_of_reach_answers_service_unavailable(gql, app):
    admin = (await gql.login("admin@example.com"))["accessToken"]
    reachable = app.state.platform
    app.state.platform = reachable.model_copy(update={"kafka_bootstrap_servers": f"127.0.0.1:{free_port()}"})
    try:
        listed = await gql(LETTERS, {"topic": AUDIT, "first": 10}, token=admin)
        replayed = await gql(REPLAY, {"topic": AUDIT}, token=admin)
    finally:
        app.state.platform = reachable
    assert code(listed) == code(replayed) == [("SERVICE_UNAVAILABLE", None)]
