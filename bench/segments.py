"""Marketing figures on generated data: segment membership after a contact changes, and a segment's live count.

N contacts (two per account) are written straight into marketing's projection by SQL, as customer's,
sales' and marketing's own events would have filled it. Then an account's level flips between A and B
through a real `account.updated` on `crm.customer.account`, and the time until marketing announces its
contacts entering or leaving the "A accounts" segment (`segment.membership_changed` read from
`crm.marketing.segment`) is measured; and `segmentPreview` is timed through the gateway over rules as
an editor would change them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench.stats import percentiles, row
from crm_shared.db import asyncpg_dsn
from crm_shared.devstack.run import Stack
from crm_shared.events.envelope import new_event

ACCOUNT_TOPIC, SEGMENT_TOPIC = "crm.customer.account", "crm.marketing.segment"
PROVINCES = ["广东", "上海", "北京", "浙江", "江苏", "四川", "湖北", "山东"]
INDUSTRIES = ["制造", "金融", "互联网", "能源", "零售", "医疗"]
TAGS = ["重点客户", "5G", "新能源", "待跟进", "华东", "老客户"]
ACCOUNTS = """
INSERT INTO segment_accounts (id, level, industry, province, lifecycle_stage, tags, custom, deleted, open_opportunity,
                              last_order_at, lost_to, updated_at, lifecycle_at)
SELECT id, (ARRAY['A','B','C','D'])[1 + g % 4], ($2::text[])[1 + g % 6], ($3::text[])[1 + g % 8],
       (ARRAY['prospect','new','active','loyal','at_risk'])[1 + g % 5],
       ARRAY[($4::text[])[1 + g % 6], ($4::text[])[1 + (g / 7) % 6]],
       jsonb_build_object('渠道', (ARRAY['直销','代理'])[1 + g % 2]),
       false, g % 3 = 0, CASE WHEN g % 4 = 0 THEN now() - (g % 365) * interval '1 day' END,
       CASE WHEN g % 10 = 0 THEN ARRAY['竞品甲'] ELSE '{}' END, 'epoch', 'epoch'
FROM (SELECT g, gen_random_uuid() AS id FROM generate_series(1, $1::int) g) s
"""
REFS = """
INSERT INTO account_refs (id, name, level, province, owner_id, in_pool, deleted, updated_at)
SELECT id, '基准客户 ' || left(id::text, 8), level, province, $1, false, false, 'epoch' FROM segment_accounts
ON CONFLICT (id) DO NOTHING
"""
CONTACTS = """
INSERT INTO audience_contacts (id, account_id, name, deleted, updated_at)
SELECT gen_random_uuid(), a.id, '联系人' || k, false, 'epoch' FROM segment_accounts a CROSS JOIN generate_series(1, 2) k
"""
PROFILES = """
INSERT INTO segment_profiles (contact_id, account_id, active, level, industry, province, lifecycle_stage, tags, custom,
                              open_opportunity, last_order_at, lost_to, opened_count, last_opened_at, clicked_count,
                              last_clicked_at, responded_count, last_responded_at)
SELECT c.id, a.id, true, a.level, a.industry, a.province, a.lifecycle_stage, a.tags, a.custom, a.open_opportunity,
       a.last_order_at, a.lost_to, r % 5, CASE WHEN r % 5 > 0 THEN now() - r * interval '1 hour' END, r % 2,
       CASE WHEN r % 2 > 0 THEN now() - r * interval '1 hour' END, r % 2,
       CASE WHEN r % 2 > 0 THEN now() - r * interval '1 hour' END
FROM (SELECT *, (random() * 1000)::int AS r FROM audience_contacts) c JOIN segment_accounts a ON a.id = c.account_id
ON CONFLICT (contact_id) DO NOTHING
"""
SAVE = "mutation($i: SaveSegmentInput!) { saveSegment(input: $i) { id memberCount } }"
PREVIEW = "query($r: SegmentRulesInput!) { segmentPreview(rules: $r) { count samples { id } } }"
# an editor's successive rules: one condition, then more, then a group
EDITS: list[dict[str, Any]] = [
    {"conditions": [{"field": "LEVEL", "operator": "EQUALS", "value": "A"}]},
    {
        "conditions": [
            {"field": "LEVEL", "operator": "IN", "values": ["A", "B"]},
            {"field": "PROVINCE", "operator": "EQUALS", "value": "广东"},
        ]
    },
    {
        "conditions": [
            {"field": "TAGS", "operator": "CONTAINS", "value": "重点客户"},
            {"field": "LAST_ORDER_AT", "operator": "WITHIN_LAST_DAYS", "days": 90},
        ]
    },
    {
        "match": "ANY",
        "conditions": [{"field": "OPEN_OPPORTUNITY", "operator": "IS_TRUE"}],
        "groups": [
            {
                "conditions": [
                    {"field": "CLICKED_COUNT", "operator": "AT_LEAST", "value": "1"},
                    {"field": "CUSTOM", "key": "渠道", "operator": "EQUALS", "value": "代理"},
                ]
            }
        ],
    },
]


async def _post(client: httpx.AsyncClient, url: str, token: str, query: str, variables: dict[str, Any]) -> Any:
    response = await client.post(
        url, json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def generate(stack: Stack, contacts: int, owner: str) -> list[uuid.UUID]:
    """`contacts` contacts on half as many accounts, in one transaction; returns some accounts of level A or B."""
    started = time.perf_counter()
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["MARKETING_DATABASE_URL"]))
    try:
        async with conn.transaction():
            await conn.execute(ACCOUNTS, contacts // 2, INDUSTRIES, PROVINCES, TAGS)
            await conn.execute(REFS, uuid.UUID(owner))
            await conn.execute(CONTACTS)
            await conn.execute(PROFILES)
        await conn.execute("ANALYZE segment_accounts; ANALYZE segment_profiles; ANALYZE audience_contacts")
        rows = await conn.fetch(
            "SELECT id FROM segment_accounts WHERE level IN ('A', 'B') AND updated_at = 'epoch' LIMIT 400"
        )
    finally:
        await conn.close()
    row(f"generated {contacts:,} contacts (SQL)", f"{time.perf_counter() - started:.1f} s")
    return [r["id"] for r in rows]


class SegmentEvents:
    """Reads `segment.membership_changed` from the topic's current end; wakes whoever waits for a contact."""

    def __init__(self, bootstrap: str, segment: str) -> None:
        self.segment = segment
        self.consumer = AIOKafkaConsumer(
            SEGMENT_TOPIC, bootstrap_servers=bootstrap, auto_offset_reset="latest", fetch_max_wait_ms=10
        )
        self.seen: dict[str, float] = {}
        self.changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> SegmentEvents:
        await self.consumer.start()
        await self.consumer.seek_to_end()
        self._task = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.consumer.stop()

    async def _read(self) -> None:
        async for record in self.consumer:
            event = json.loads(record.value)
            if event["subject"] == self.segment:
                for contact in [*event["data"]["added"], *event["data"]["removed"]]:
                    self.seen[contact] = time.perf_counter()
                self.changed.set()

    async def wait(self, contacts: list[str], timeout: float = 30) -> float | None:
        deadline = time.perf_counter() + timeout
        while not all(c in self.seen for c in contacts):
            self.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)
        return max(self.seen[c] for c in contacts)


def _account_updated(account: uuid.UUID, level: str, owner: str) -> Any:
    data = {
        "id": str(account),
        "name": "基准客户",
        "industry": "制造",
        "size": None,
        "province": "广东",
        "city": None,
        "level": level,
        "source": None,
        "tags": ["重点客户"],
        "lifecycleStage": "active",
        "ownerId": owner,
        "inPool": False,
        "hasPhone": False,
        "hasEmail": False,
        "custom": {},
    }
    return new_event("/crm/customer", "account.updated", account, data)


async def membership_latency(stack: Stack, token: str, accounts: list[uuid.UUID], owner: str, n: int = 100) -> None:
    """account.updated (level A ↔ B) produced → the segment's change for the account's contacts read back."""
    async with httpx.AsyncClient(timeout=600) as client:
        rules = {"conditions": [{"field": "LEVEL", "operator": "EQUALS", "value": "A"}]}
        started = time.perf_counter()
        saved = (
            await _post(client, stack.gateway_url, token, SAVE, {"i": {"name": "A 级客户 bench", "rules": rules}})
        )["saveSegment"]
        row(
            "saving it: members computed in one statement",
            f"{saved['memberCount']:,} members, {time.perf_counter() - started:.1f} s",
        )
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["MARKETING_DATABASE_URL"]))
    try:
        contacts_of = {
            a: [str(c["id"]) for c in await conn.fetch("SELECT id FROM audience_contacts WHERE account_id = $1", a)]
            for a in accounts[:n]
        }
        levels = {
            r["id"]: r["level"]
            for r in await conn.fetch("SELECT id, level FROM segment_accounts WHERE id = ANY($1)", accounts[:n])
        }
    finally:
        await conn.close()
    producer = AIOKafkaProducer(bootstrap_servers=stack.broker.bootstrap, acks="all")
    await producer.start()
    samples, missed = [], 0
    try:
        async with SegmentEvents(stack.broker.bootstrap, saved["id"]) as seen:
            for account, contacts in contacts_of.items():
                event = _account_updated(account, "B" if levels[account] == "A" else "A", owner)
                sent = time.perf_counter()
                await producer.send_and_wait(
                    ACCOUNT_TOPIC, event.model_dump_json().encode(), key=str(account).encode(), headers=event.headers()
                )
                arrived = await seen.wait(contacts)
                if arrived is None:
                    missed += 1
                else:
                    samples.append((arrived - sent) * 1000)
    finally:
        await producer.stop()
    row(
        "segment membership after a contact changes [goal p95 ≤ 1 s]",
        percentiles(samples) + (f", {missed} missed" if missed else ""),
    )


async def live_count(stack: Stack, token: str, n: int = 20) -> None:
    async with httpx.AsyncClient(timeout=120) as client:
        samples, counts = [], []
        for i in range(n * len(EDITS)):
            rules = EDITS[i % len(EDITS)]
            started = time.perf_counter()
            found = (await _post(client, stack.gateway_url, token, PREVIEW, {"r": rules}))["segmentPreview"]
            samples.append((time.perf_counter() - started) * 1000)
            counts.append(found["count"])
    row("matches of the edited rules", " / ".join(f"{c:,}" for c in counts[: len(EDITS)]))
    row("segment live count while editing rules [goal p95 ≤ 500 ms]", percentiles(samples))
