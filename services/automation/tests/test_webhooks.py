"""Outgoing webhooks against a real local receiver: subscriptions to event types with filters, Standard
Webhooks signatures, retries with exponential backoff, the delivery log, switching off a subscription that
keeps failing (its owner is told), and replay."""

import asyncio
import base64
import contextlib
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import uuid
from pathlib import Path

from sqlalchemy import func, select

from automation.settings import TRIGGER_TOPICS
from automation.webhooks.models import WebhookDelivery, WebhookSubscription
from crm_shared.schedule import ScheduleRunner

from .conftest import eventually

EVENT_SCHEMAS = Path(__file__).parents[3] / "tests/contract/events"

SAVE = """mutation($i: WebhookSubscriptionInput!, $id: ID) { saveWebhookSubscription(input: $i, id: $id) {
    id name url secret eventTypes filters enabled failuresInRow disabledAt } }"""
DELIVERIES = """query($s: ID, $st: WebhookDeliveryStatus) { webhookDeliveries(subscriptionId: $s, status: $st) {
    totalCount edges { node { id messageId eventType status attempts lastStatusCode lastError replayOf } } } }"""
LEAD_TOPIC = "crm.sales.lead"


async def subscribe(gql, receiver, **fields):
    data = {"name": "ERP", "url": f"{receiver.url}/hooks", "eventTypes": ["lead.assigned"], **fields}
    return (await gql.ok(SAVE, {"i": data}, "automator"))["saveWebhookSubscription"]


async def deliveries(gql, subscription, status=None):
    found = await gql.ok(DELIVERIES, {"s": subscription, "st": status}, "automator")
    return [e["node"] for e in found["webhookDeliveries"]["edges"]]


async def dispatch(app):
    """One run of the delivery job, as the schedule runner makes it."""
    async with app.state.db.unit_of_work() as uow:
        return await app.state.schedules.schedules[0].job(uow)


def verify(secret, received):
    """What a receiver does with the Standard Webhooks headers."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    h = received.headers
    signed = f"{h['webhook-id']}.{h['webhook-timestamp']}.".encode() + received.body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, h["webhook-signature"])


async def test_matching_events_are_posted_signed_and_logged(gql, app, receiver):
    filters = [{"field": "event.ownerId", "op": "eq", "value": gql.user("user1")}]
    subscription = await subscribe(gql, receiver, filters=filters)
    assert subscription["secret"].startswith("whsec_")
    listed = await gql.ok("{ webhookSubscriptions { id secret } }", None, "automator")
    assert {"id": subscription["id"], "secret": None} in listed["webhookSubscriptions"]  # shown once, when made
    assert subscription["filters"] == [{"field": "event.ownerId", "op": "eq", "value": gql.user("user1")}]
    wanted = await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user2"))  # filtered out
    await gql.deliver(LEAD_TOPIC, "lead.status_changed", {"id": wanted.data["id"], "to": "CONTACTED"})  # not subscribed
    await gql.deliver(LEAD_TOPIC, "lead.assigned", wanted.data, event_id=wanted.id)  # delivered again by the broker
    assert await dispatch(app) == 1
    [received] = receiver.received
    assert received.path == "/hooks"
    assert received.headers["webhook-id"] == f"msg_{wanted.id}"
    assert verify(subscription["secret"], received)
    body = received.json()
    assert (body["type"], body["subject"], body["data"]) == ("lead.assigned", wanted.data["id"], wanted.data)
    [logged] = await deliveries(gql, subscription["id"])
    assert (logged["status"], logged["attempts"], logged["lastStatusCode"], logged["messageId"]) == (
        "SUCCEEDED",
        1,
        204,
        f"msg_{wanted.id}",
    )


async def test_a_queued_delivery_is_sent_at_once_not_at_the_next_check(gql, app, receiver):
    """The transaction that queues a delivery wakes the dispatcher: with its checks an hour apart, each delivery
    still arrives, the second one queued after the run that sent the first."""
    subscription = await subscribe(gql, receiver)
    hourly = dataclasses.replace(app.state.schedules.schedules[0], every=3600)
    runner = asyncio.create_task(ScheduleRunner(app.state.db, [hourly]).run())

    async def sent(count):  # the receiver took them and the dispatcher's run committed
        logged = await deliveries(gql, subscription["id"], "SUCCEEDED")
        return len(logged) == count

    try:
        for count in (1, 2):
            await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
            await eventually(lambda count=count: sent(count))
    finally:
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner
    logged = await deliveries(gql, subscription["id"])
    assert [(d["status"], d["attempts"]) for d in logged] == [("SUCCEEDED", 1), ("SUCCEEDED", 1)]
    assert len(receiver.received) == 2


async def test_failures_are_retried_with_growing_waits_then_the_subscription_is_switched_off_and_its_owner_told(
    gql, app, receiver, clock
):
    subscription = await subscribe(gql, receiver)
    receiver.fail(3)
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    start = clock.now()
    waits = []
    for _ in range(2):
        assert await dispatch(app) == 1
        assert await dispatch(app) == 0  # the next attempt waits for its time
        [logged] = await deliveries(gql, subscription["id"])
        waits.append(logged)
        clock.advance(seconds=60 * 2 ** (logged["attempts"] - 1))
    assert [(d["status"], d["attempts"], d["lastStatusCode"]) for d in waits] == [
        ("PENDING", 1, 503),
        ("PENDING", 2, 503),
    ]
    assert clock.now() - start == dt.timedelta(seconds=180)  # 60 s, then 120 s
    assert await dispatch(app) == 1  # the third failure in a row switches the subscription off
    [switched] = (await gql.ok("{ webhookSubscriptions { enabled failuresInRow disabledAt } }", as_="automator"))[
        "webhookSubscriptions"
    ]
    assert (switched["enabled"], switched["failuresInRow"], switched["disabledAt"] is not None) == (False, 3, True)
    clock.advance(hours=1)
    assert await dispatch(app) == 0  # nothing goes to a switched-off subscription
    owner = (await gql.inbox("automator"))["notifications"]["edges"]
    assert [e["node"]["kind"] for e in owner] == ["WEBHOOK"]
    again = {"name": "ERP", "url": f"{receiver.url}/hooks", "eventTypes": ["lead.assigned"], "enabled": True}
    await gql.ok(SAVE, {"i": again, "id": subscription["id"]}, "automator")
    assert await dispatch(app) == 1
    [logged] = await deliveries(gql, subscription["id"])
    assert (logged["status"], logged["attempts"]) == ("SUCCEEDED", 4)
    assert len(receiver.received) == 1


async def test_a_delivery_given_up_is_replayed_with_the_same_message_id(gql, app, receiver, clock, automation_settings):
    subscription = await subscribe(gql, receiver)
    receiver.fail(automation_settings.webhook_max_attempts)
    await gql.ok(  # a subscription that stays on, however often it fails
        SAVE,
        {
            "i": {"name": "ERP", "url": f"{receiver.url}/hooks", "eventTypes": ["lead.assigned"]},
            "id": subscription["id"],
        },
        "automator",
    )
    app.state.settings.webhook_disable_after = 100
    event = await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    for _ in range(automation_settings.webhook_max_attempts):
        await dispatch(app)
        clock.advance(hours=1)
    [failed] = await deliveries(gql, subscription["id"])
    assert (failed["status"], failed["attempts"]) == ("FAILED", automation_settings.webhook_max_attempts)
    replay = "mutation($id: ID!) { replayWebhookDelivery(id: $id) { id messageId status replayOf } }"
    replayed = (await gql.ok(replay, {"id": failed["id"]}, "automator"))["replayWebhookDelivery"]
    assert (replayed["messageId"], replayed["status"], replayed["replayOf"]) == (
        f"msg_{event.id}",
        "PENDING",
        failed["id"],
    )
    assert await dispatch(app) == 1
    [received] = receiver.received
    assert received.headers["webhook-id"] == f"msg_{event.id}"
    assert [d["status"] for d in await deliveries(gql, subscription["id"])] == ["SUCCEEDED", "FAILED"]
    await gql.error(replay, {"id": failed["id"]}, "user1", code="FORBIDDEN")


async def test_a_subscription_is_checked_field_by_field(gql, receiver):
    cases = [
        ({"url": "ftp://example.com/x"}, "url"),
        ({"eventTypes": []}, "eventTypes"),
        ({"secret": "whsec_c2hvcnQ="}, "secret"),
        ({"filters": [{"op": "eq"}]}, "filters[0].field"),
    ]
    for fields, field in cases:
        data = {"name": "坏订阅", "url": f"{receiver.url}/x", "eventTypes": ["lead.assigned"], **fields}
        error = await gql.error(SAVE, {"i": data}, "automator", code="BAD_USER_INPUT")
        assert error["extensions"]["field"] == field
    zh = await gql(
        SAVE, {"i": {"name": "坏", "url": "x", "eventTypes": ["a"], "secret": "no"}}, "automator", lang="zh-CN"
    )
    assert zh["errors"][0]["message"] == "字段“url”须为 http 或 https 地址"
    assert (await gql.ok("{ webhookSubscriptions { id } }", as_="automator"))["webhookSubscriptions"] == []


async def test_a_webhook_reaches_public_addresses_and_the_networks_allowed_only(
    gql, app, receiver, automation_settings
):
    """Outside production loopback is allowed (the demo's receiver); a cloud's metadata address never is: named
    literally it is refused when saved, and a subscription that reaches it anyway (saved before that check) is
    never called."""
    named = {"name": "元数据", "url": "http://169.254.169.254/latest/meta-data", "eventTypes": ["lead.assigned"]}
    error = await gql.error(SAVE, {"i": named}, "automator", code="BAD_USER_INPUT")
    assert (error["extensions"]["field"], error["message"]) == (
        "url",
        "Field 'url' names an address webhooks may not reach: 169.254.169.254",
    )
    metadata = await subscribe(gql, receiver, name="元数据")
    async with app.state.db.unit_of_work() as uow:
        row = await uow.session.get(WebhookSubscription, uuid.UUID(metadata["id"]))
        row.url = named["url"]
    local = await subscribe(gql, receiver, name="本机", url=receiver.url.replace("127.0.0.1", "localhost") + "/hooks")
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    assert await dispatch(app) == 2
    [refused] = await deliveries(gql, metadata["id"])
    assert (refused["status"], refused["attempts"], refused["lastStatusCode"], refused["lastError"]) == (
        "PENDING",
        1,
        None,
        "DestinationRefused: 169.254.169.254 is not a public address",
    )
    [sent] = await deliveries(gql, local["id"])
    assert (sent["status"], len(receiver.received)) == ("SUCCEEDED", 1)
    # as in production, where no private network is reached unless an operator names it
    dispatcher = app.state.schedules.schedules[0].job.__self__
    dispatcher.settings = automation_settings.model_copy(update={"webhook_private_networks": ""})
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    await dispatch(app)
    [waiting] = await deliveries(gql, local["id"], "PENDING")
    assert waiting["lastError"].startswith("DestinationRefused: localhost (")
    assert waiting["lastError"].endswith(") is not a public address")
    assert len(receiver.received) == 1


async def test_a_filter_that_cannot_compare_is_refused_and_one_stored_costs_no_event(gql, app, receiver):
    """`contains` 5 would raise for every event of the type: the consumer would retry, then dead-letter the
    event, and every rule, webhook and approval would lose it."""
    odd = [{"field": "event.ownerId", "op": "contains", "value": 5}]
    error = await gql.error(
        SAVE,
        {"i": {"name": "坏过滤", "url": f"{receiver.url}/x", "eventTypes": ["lead.assigned"], "filters": odd}},
        "automator",
        code="BAD_USER_INPUT",
        lang="zh-CN",
    )
    assert (error["extensions"]["field"], error["message"]) == (
        "filters[0].value",
        "字段“filters[0].value”须为文本，才能使用 contains 比较",
    )
    cases = [
        ({"op": "in", "value": "a"}, "须为值的列表"),
        ({"op": "gt", "value": [1]}, "须为数字或文本"),
    ]
    for condition, words in cases:
        data = {"name": "坏过滤", "url": f"{receiver.url}/x", "eventTypes": ["lead.assigned"]}
        data["filters"] = [{"field": "event.ownerId", **condition}]
        error = await gql.error(SAVE, {"i": data}, "automator", code="BAD_USER_INPUT", lang="zh-CN")
        assert (error["extensions"]["field"], words in error["message"]) == ("filters[0].value", True), error
    kept = await subscribe(gql, receiver, name="已存")  # stored before values were checked: as the probe found it
    async with app.state.db.unit_of_work() as uow:
        (await uow.session.get(WebhookSubscription, uuid.UUID(kept["id"]))).filters = odd
    other = await subscribe(gql, receiver, name="其他")
    event = await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    async with app.state.db.read() as session:
        queued = await session.scalar(select(func.count()).select_from(WebhookDelivery))
    assert (await deliveries(gql, kept["id"]), queued) == ([], 1)
    assert [d["messageId"] for d in await deliveries(gql, other["id"])] == [f"msg_{event.id}"]


async def test_subscriptions_saved_at_once_under_one_name_make_one_and_the_others_are_told(gql, receiver):
    good = {"name": "同时", "url": f"{receiver.url}/x", "eventTypes": ["lead.assigned"]}
    answers = await asyncio.gather(*(gql(SAVE, {"i": good}, "automator") for _ in range(4)))
    assert sorted("errors" in a for a in answers) == [False, True, True, True]
    assert {a["errors"][0]["extensions"]["code"] for a in answers if "errors" in a} == {"CONFLICT"}
    listed = (await gql.ok("{ webhookSubscriptions { name } }", as_="automator"))["webhookSubscriptions"]
    assert listed == [{"name": "同时"}]


async def test_a_subscription_names_a_real_address_known_event_types_once_and_a_name_of_its_own(gql, receiver):
    good = {"name": "订阅", "url": f"{receiver.url}/x", "eventTypes": ["lead.assigned"]}
    cases = [
        ({"url": "https://"}, "url"),
        ({"url": "http:// spaces here"}, "url"),
        ({"url": "https://exa mple.com/h"}, "url"),
        ({"eventTypes": ["no such event"]}, "eventTypes[0]"),
        ({"eventTypes": ["lead.assigned", "no.such.event"]}, "eventTypes[1]"),
        ({"eventTypes": ["lead.renamed"]}, "eventTypes[0]"),  # shaped like one, published by no service
        ({"eventTypes": ["user.created"]}, "eventTypes[0]"),  # identity's directory does not reach webhooks
        ({"filters": [{"field": "event.ownerId", "op": "exists"}] * 51}, "filters"),
    ]
    for change, field in cases:
        error = await gql.error(SAVE, {"i": {**good, **change}}, "automator", code="BAD_USER_INPUT")
        assert error["extensions"]["field"] == field, (change, error)
    twice = {**good, "eventTypes": ["lead.assigned", "ticket.created", "lead.assigned"]}
    saved = (await gql.ok(SAVE, {"i": twice}, "automator"))["saveWebhookSubscription"]
    assert saved["eventTypes"] == ["lead.assigned", "ticket.created"]
    taken = await gql.error(SAVE, {"i": good}, "automator", code="CONFLICT", lang="zh-CN")
    assert (taken["extensions"]["field"], taken["message"]) == ("name", "已存在同名的 Webhook 订阅")
    renamed = await gql.ok(SAVE, {"i": {**good, "name": "订阅"}, "id": saved["id"]}, "automator")
    assert renamed["saveWebhookSubscription"]["eventTypes"] == ["lead.assigned"]
    listed = (await gql.ok("{ webhookSubscriptions { name } }", as_="automator"))["webhookSubscriptions"]
    assert listed == [{"name": "订阅"}]


async def test_the_event_types_offered_are_those_that_reach_the_webhooks(gql):
    """Read from the published events' schemas: those on the topics rules react to, and ERP orders."""
    topics = {*TRIGGER_TOPICS, "crm.automation.erp"}
    schemas = (json.loads(path.read_text()) for path in EVENT_SCHEMAS.glob("*.schema.json"))
    published = sorted(s["properties"]["type"]["const"] for s in schemas if s["$id"].split("/")[0] in topics)
    offered = (await gql.ok("{ webhookEventTypes }", as_="automator"))["webhookEventTypes"]
    assert offered == published
    assert ("erp_order.exported" in offered, "user.created" in offered) == (True, False)
    await gql.error("{ webhookEventTypes }", as_="rep", code="FORBIDDEN")


async def test_an_address_the_http_client_cannot_read_is_refused_at_its_url(gql, receiver):
    """Each of these was saved, then failed every delivery of every subscription: the client raised an error of
    its own (not a connection error) and the whole batch of deliveries failed with it."""
    hosts = ["0251.0376.0251.0376", "1.2.3.256", "xn--", "a" * 64 + ".example.com"]
    for host in hosts:
        data = {"name": "坏地址", "url": f"http://{host}/hooks", "eventTypes": ["lead.assigned"]}
        error = await gql.error(SAVE, {"i": data}, "automator", "BAD_USER_INPUT", "zh-CN")
        assert (error["extensions"]["field"], error["message"]) == (
            "url",
            f"字段“url”中的主机既不是有效的域名，也不是有效的 IP 地址：{host}",
        )
    assert (await gql.ok("{ webhookSubscriptions { id } }", as_="automator"))["webhookSubscriptions"] == []


async def test_a_stored_address_the_client_cannot_read_fails_its_own_delivery_and_the_others_go_once(
    gql, app, receiver
):
    bad = await subscribe(gql, receiver, name="坏地址")
    async with app.state.db.unit_of_work() as uow:  # as saved before addresses were read as the client reads them
        (await uow.session.get(WebhookSubscription, uuid.UUID(bad["id"]))).url = "http://0251.0376.0251.0376/"
    good = await subscribe(gql, receiver, name="好地址")
    await gql.deliver(LEAD_TOPIC, "lead.assigned", gql.assigned("user1"))
    assert await dispatch(app) == 2
    [failed] = await deliveries(gql, bad["id"])
    assert (failed["status"], failed["attempts"], failed["lastStatusCode"], failed["lastError"]) == (
        "PENDING",
        1,
        None,
        "InvalidURL: Invalid IPv4 address: '0251.0376.0251.0376'",
    )
    [sent] = await deliveries(gql, good["id"])
    assert (sent["status"], sent["attempts"]) == ("SUCCEEDED", 1)
    assert await dispatch(app) == 0  # the failed one waits for its retry; the sent one is not sent again
    assert len(receiver.received) == 1


async def test_a_secret_longer_than_its_column_is_refused_saying_the_maximum(gql, receiver):
    data = {
        "name": "长密钥",
        "url": f"{receiver.url}/x",
        "eventTypes": ["lead.assigned"],
        "secret": "whsec_" + "A" * 10**6,
    }
    error = await gql.error(SAVE, {"i": data}, "automator", "BAD_USER_INPUT", "zh-CN")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "secret", "maximum": 200}
    assert error["message"] == "字段“secret”过长：最多 200 个字符"


async def test_too_many_event_types_are_refused_saying_the_subscriptions_own_maximum(gql, receiver):
    for count in (101, 10_000):  # past the subscription's 100, and past the 1000 any list argument may hold
        data = {"name": "多类型", "url": f"{receiver.url}/x", "eventTypes": ["lead.assigned"] * count}
        error = await gql.error(SAVE, {"i": data}, "automator", "BAD_USER_INPUT", "zh-CN")
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "eventTypes", "maximum": 100}
        assert error["message"] == "字段“eventTypes”的条目过多：最多 100 个"
