"""Automation figures: the rule engine's rate with 200 active rules, and a rule's action in another service.

The rules are saved and published through the gateway as the administrator, as an organisation would have them:
on a few topics, with conditions most events do not meet. The events they evaluate, status changes of a few
thousand tickets, are put on `crm.support.ticket` (which only automation consumes) by a plain producer as support
publishes them, and the rate is read from automation's own inbox. The action's delay is read from the services'
own records: the triggering event's time in the run against the task's row in customer's database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer

from bench.sales import _post
from bench.sending import cpu_seconds
from bench.stats import percentiles, row
from crm_shared.db import asyncpg_dsn
from crm_shared.devstack.run import Stack
from crm_shared.events.envelope import CloudEvent, new_event

TICKET_TOPIC = "crm.support.ticket"
SAVE = "mutation($i: WorkflowInput!) { saveWorkflow(input: $i) { id } }"
PUBLISH = "mutation($id: ID!) { publishWorkflow(id: $id) { version } }"
ME = "{ me { id } }"
CREATE_ACCOUNT = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
TRIGGERS = [  # an organisation's rules, a fifth of them on the bench's events
    (TICKET_TOPIC, "ticket.status_changed"),
    (TICKET_TOPIC, "ticket.created"),
    ("crm.sales.lead", "lead.assigned"),
    ("crm.sales.opportunity", "opportunity.stage_changed"),
    ("crm.customer.account", "account.updated"),
]
PRIORITIES, CHANNELS = ["low", "normal", "high", "urgent"], ["email", "phone", "web", "wechat"]
TYPES = ["inquiry", "fault", "complaint", "return", "maintenance"]
STATUSES = ["new", "open", "pending_customer", "on_hold", "resolved"]
APPLIED = """
SELECT count(*), min(processed_at), max(processed_at) FROM inbox WHERE consumer = 'automation' AND event_id = ANY($1)
"""
ACTED = """
SELECT (r.context->>'time')::timestamptz AS at, s.result->>'taskId' AS task
FROM workflow_runs r JOIN workflow_run_steps s ON s.run_id = r.id AND s.step_id = 'task' AND s.status = 'done'
WHERE r.workflow_id = $1
"""
TASKS = "SELECT id, created_at FROM tasks WHERE id = ANY($1::uuid[])"


def spread(samples: list[float]) -> str:
    return percentiles(samples) if len(samples) > 1 else f"{len(samples)} measured"


async def me(client: httpx.AsyncClient, stack: Stack, token: str) -> str:
    """The signed-in user's id: the administrator the bench's rules tell."""
    return str((await _post(client, stack.gateway_url, token, ME))["me"]["id"])


async def publish(client: httpx.AsyncClient, stack: Stack, token: str, name: str, definition: dict[str, Any]) -> str:
    """A rule saved and published through the gateway, as an administrator does; returns its id."""
    saved = await _post(client, stack.gateway_url, token, SAVE, {"i": {"name": name, "definition": definition}})
    workflow: str = saved["saveWorkflow"]["id"]
    await _post(client, stack.gateway_url, token, PUBLISH, {"id": workflow})
    return workflow


def rule(i: int, owner: str) -> dict[str, Any]:
    """The i-th of the organisation's rules: conditions on its trigger's fields that the bench's events never meet."""
    topic, type = TRIGGERS[i % len(TRIGGERS)]
    conditions = [
        {"field": "event.priority", "op": "in", "value": [PRIORITIES[i % 4], PRIORITIES[(i + 1) % 4]]},
        {"field": "event.channel", "op": "ne", "value": CHANNELS[i % 4]},
        {"field": "event.tags", "op": "contains", "value": f"客户组{i}"},
    ]
    if i % 3 == 0:
        conditions.append({"field": "event.status", "op": "changed", "to": "resolved"})
    steps: list[dict[str, Any]] = [{"id": "tell", "action": "notify", "user": owner, "title": f"规则 {i}"}]
    if i % 2:
        steps.insert(0, {"id": "task", "action": "create_task", "assignee": owner, "title": "跟进 {{ event.number }}"})
    return {"trigger": {"kind": "event", "topic": topic, "type": type, "conditions": conditions}, "steps": steps}


def escalated_complaints(owner: str) -> dict[str, Any]:
    """The rule the bench's events meet now and then (one in twenty): an urgent complaint changed status."""
    conditions = [
        {"field": "event.priority", "op": "eq", "value": "urgent"},
        {"field": "event.ticketType", "op": "eq", "value": "complaint"},
        {"field": "event.status", "op": "changed"},
    ]
    trigger = {"kind": "event", "topic": TICKET_TOPIC, "type": "ticket.status_changed", "conditions": conditions}
    steps = [{"id": "tell", "action": "notify", "user": owner, "title": "紧急投诉 {{ event.number }} 状态变更"}]
    return {"trigger": trigger, "steps": steps}


def status_changed(i: int, tickets: list[uuid.UUID]) -> CloudEvent:
    """The i-th status change: tickets in turn, each going through the statuses."""
    n, turn = i % len(tickets), i // len(tickets)
    data = {
        "id": str(tickets[n]),
        "number": f"TK{n:08d}",
        "title": f"打印机无法连接 {n}",
        "accountId": str(uuid.UUID(int=n + 1)),
        "contactId": None,
        "ticketType": TYPES[n % 5],
        "priority": PRIORITIES[(n // 5) % 4],
        "channel": CHANNELS[(n // 20) % 4],
        "tags": ["华东", "硬件"],
        "status": STATUSES[(turn + 1) % 5],
        "from": STATUSES[turn % 5],
        "reason": None,
        "teamId": None,
        "assigneeId": None,
        "policyId": None,
        "createdAt": dt.datetime.now(dt.UTC).isoformat(),
    }
    return new_event("/crm/support", "ticket.status_changed", tickets[n], data)


async def produce(bootstrap: str, topic: str, events: list[CloudEvent]) -> None:
    """As fast as the broker takes them, keyed by subject as the services publish."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        for start in range(0, len(events), 1000):
            sends = []
            for event in events[start : start + 1000]:
                body, key = event.model_dump_json().encode(), str(event.subject).encode()
                sends.append(await producer.send(topic, body, key=key, headers=event.headers()))
            await asyncio.gather(*sends)
    finally:
        await producer.stop()


async def rule_engine_rate(stack: Stack, token: str, n: int, rules: int = 200, tickets: int = 2000) -> None:
    """`rules` active rules; `n` status changes of `tickets` tickets → the rate automation's consumer applied them."""
    async with httpx.AsyncClient(timeout=60) as client:
        owner = await me(client, stack, token)
        for i in range(rules - 1):
            await publish(client, stack, token, f"基准规则 {i}", rule(i, owner))
        await publish(client, stack, token, "紧急投诉 bench", escalated_complaints(owner))
    pool = [uuid.uuid4() for _ in range(tickets)]
    events = [status_changed(i, pool) for i in range(n)]
    ids = [uuid.UUID(e.id) for e in events]
    automation = stack.process("automation").pid
    busy = cpu_seconds(automation)
    began = time.monotonic()
    await produce(stack.broker.bootstrap, TICKET_TOPIC, events)
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["AUTOMATION_DATABASE_URL"]))
    try:
        deadline, applied = time.monotonic() + n / 20 + 60, 0
        while time.monotonic() < deadline and applied < n:
            await asyncio.sleep(0.5)
            applied, first, last = await conn.fetchrow(APPLIED, ids)
    finally:
        await conn.close()
    wall = time.monotonic() - began
    per_event = (cpu_seconds(automation) - busy) * 1000 / max(applied, 1)
    rate = (applied - 1) / max((last - first).total_seconds(), 1e-9) if applied > 1 else 0.0
    row(
        f"rule engine: {n:,} ticket.status_changed, {rules} active rules",
        f"{rate:,.0f} events/s into the inbox ({applied:,} in {wall:.1f} s from the first sent) [goal ≥ 2,000/s]",
    )
    row("automation CPU per event (its runs and timers too)", f"{per_event:.2f} ms")


async def trigger_to_action(stack: Stack, token: str, n: int, gap: float = 0.2) -> None:
    """A rule "account created → a task for its owner"; `n` accounts created through the gateway, one every `gap`
    seconds; the event's time (customer's commit) against the task's row in customer's database."""
    step = {
        "id": "task",
        "action": "create_task",
        "title": "欢迎新客户 {{ event.name }}",
        "accountId": "{{ event.id }}",
    }
    trigger = {"kind": "event", "topic": "crm.customer.account", "type": "account.created"}
    async with httpx.AsyncClient(timeout=60) as client:
        workflow = uuid.UUID(
            await publish(client, stack, token, "新客户欢迎 bench", {"trigger": trigger, "steps": [step]})
        )
        for _ in range(n):
            account = {"name": f"基准新客户 {uuid.uuid4().hex[:8]}", "level": "B"}
            await _post(client, stack.gateway_url, token, CREATE_ACCOUNT, {"i": account})
            await asyncio.sleep(gap)
    automation = await asyncpg.connect(asyncpg_dsn(stack.env["AUTOMATION_DATABASE_URL"]))
    customer = await asyncpg.connect(asyncpg_dsn(stack.env["CUSTOMER_DATABASE_URL"]))
    try:
        acted: list[asyncpg.Record] = []
        for _ in range(600):  # what has not acted a minute after the last account is reported missing
            acted = await automation.fetch(ACTED, workflow)
            if len(acted) >= n:
                break
            await asyncio.sleep(0.1)
        created = {r["id"]: r["created_at"] for r in await customer.fetch(TASKS, [r["task"] for r in acted])}
    finally:
        await automation.close()
        await customer.close()
    samples = [(created[uuid.UUID(r["task"])] - r["at"]).total_seconds() * 1000 for r in acted]
    missing = f", {n - len(samples)} missing" if len(samples) < n else ""
    row(
        f"account created → its task in customer ({n} accounts)",
        spread(samples) + missing + " [goal p95 ≤ 500 ms]",
    )
