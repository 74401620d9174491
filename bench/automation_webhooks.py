"""Automation figures: webhooks out to a local receiver, and their retries through the receiver's outage.

A subscription to `ticket.escalated` goes to a receiver of the bench's own (`WebhookReceiver`, which notes when
each delivery came). Escalations are put on `crm.support.ticket` as support publishes them, and each delivery's
delay is the event's time against its arrival. Then the receiver is stopped, a few more escalations come, and the
attempts the delivery log shows (read every 100 ms) make the retry schedule; once the receiver is back every
delivery must arrive, each once.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer

from bench.automation import TICKET_TOPIC, produce, spread
from bench.sales import _post
from bench.stats import row
from crm_shared.db import asyncpg_dsn
from crm_shared.devstack.broker import free_port
from crm_shared.devstack.run import Stack
from crm_shared.devstack.webhooks import WebhookReceiver
from crm_shared.events.envelope import CloudEvent, new_event

SUBSCRIBE = "mutation($i: WebhookSubscriptionInput!) { saveWebhookSubscription(input: $i) { id } }"
QUEUED = "SELECT message_id, min(created_at) FROM webhook_deliveries WHERE message_id = ANY($1) GROUP BY message_id"
ATTEMPTS = (
    "SELECT message_id, attempts, status FROM webhook_deliveries WHERE subscription_id = $1 AND message_id = ANY($2)"
)


def escalated(i: int) -> CloudEvent:
    ticket = uuid.uuid4()
    data = {"id": str(ticket), "number": f"ES{i:06d}", "title": f"客户投诉升级 {i}", "priority": "urgent", "level": 1}
    return new_event("/crm/support", "ticket.escalated", ticket, data)


def arrived(receiver: WebhookReceiver, ids: set[str]) -> dict[str, list[float]]:
    """Each message's arrivals (Unix seconds), by `webhook-id`."""
    found: dict[str, list[float]] = {}
    for delivery in list(receiver.received):
        message = delivery.headers.get("webhook-id", "")
        if message in ids:
            found.setdefault(message, []).append(delivery.at)
    return found


async def delivered(receiver: WebhookReceiver, ids: set[str], seconds: float) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for _ in range(int(seconds * 10)):
        found = arrived(receiver, ids)
        if len(found) == len(ids):
            break
        await asyncio.sleep(0.1)
    return found


async def latency(stack: Stack, receiver: WebhookReceiver, n: int, gap: float = 0.02) -> None:
    """`n` escalations, one every `gap` seconds: event time → arrival at the receiver."""
    sent: dict[str, float] = {}
    producer = AIOKafkaProducer(bootstrap_servers=stack.broker.bootstrap, acks="all")
    await producer.start()
    try:
        for i in range(n):
            event = escalated(i)
            body, key = event.model_dump_json().encode(), str(event.subject).encode()
            await producer.send_and_wait(TICKET_TOPIC, body, key=key, headers=event.headers())
            sent[f"msg_{event.id}"] = event.time.timestamp()
            await asyncio.sleep(gap)
    finally:
        await producer.stop()
    found = await delivered(receiver, set(sent), 60)
    samples = [(min(at) - sent[message]) * 1000 for message, at in found.items()]
    missing = f", {n - len(found)} not arrived" if len(found) < n else ""
    row(f"webhook: event → received ({n} deliveries)", spread(samples) + missing)
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["AUTOMATION_DATABASE_URL"]))
    try:  # the dispatcher's part: the delivery's row written by the consumer → its arrival
        queued = dict(await conn.fetch(QUEUED, list(found)))
    finally:
        await conn.close()
    waited = [(min(at) - queued[message].timestamp()) * 1000 for message, at in found.items() if message in queued]
    row("webhook: delivery queued → received", spread(waited) + " [goal p95 well under 300 ms]")


async def outage(
    stack: Stack, receiver: WebhookReceiver, subscription: uuid.UUID, n: int = 5, down: float = 25
) -> None:
    """`n` escalations while the receiver is down for `down` seconds: when each was attempted, and that all came."""
    receiver.stop()
    events = [escalated(1000 + i) for i in range(n)]
    began = time.time()
    await produce(stack.broker.bootstrap, TICKET_TOPIC, events)
    messages = [f"msg_{e.id}" for e in events]
    attempts: dict[str, list[float]] = {m: [] for m in messages}
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["AUTOMATION_DATABASE_URL"]))
    try:
        while time.time() - began < down + 120:
            if not receiver.listening and time.time() - began >= down:
                receiver.start()  # back, on the same port
            if await _all_succeeded(conn, subscription, attempts):
                break
            await asyncio.sleep(0.1)
    finally:
        await conn.close()
    found = arrived(receiver, set(messages))
    schedule = ", ".join(f"+{at - began:.1f}" for at in attempts[messages[0]])
    row(f"webhook retries, receiver down {down:.0f} s", f"the first delivery attempted at {schedule} s after its event")
    twice = sum(len(at) - 1 for at in found.values())
    row("delivered once the receiver was back / twice", f"{len(found)} of {n} / {twice} [goal {n} of {n} / 0]")


async def _all_succeeded(conn: asyncpg.Connection, subscription: uuid.UUID, attempts: dict[str, list[float]]) -> bool:
    """Whether every delivery succeeded; an attempt is noted when the log's count of them grows."""
    rows = await conn.fetch(ATTEMPTS, subscription, list(attempts))
    for message, count, _ in rows:
        attempts[message].extend([time.time()] * (count - len(attempts[message])))
    return len(rows) == len(attempts) and all(status == "succeeded" for _, _, status in rows)


async def webhooks(stack: Stack, token: str, n: int) -> None:
    receiver = WebhookReceiver(free_port())
    receiver.start()
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            subscription = {
                "name": "升级工单 bench",
                "url": f"{receiver.url}/escalations",
                "eventTypes": ["ticket.escalated"],
            }
            saved = await _post(client, stack.gateway_url, token, SUBSCRIBE, {"i": subscription})
        await latency(stack, receiver, n)
        await outage(stack, receiver, uuid.UUID(saved["saveWebhookSubscription"]["id"]))
    finally:
        receiver.stop()
