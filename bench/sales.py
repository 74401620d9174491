"""Sales figures on generated data: funnel and forecast, lead assignment latency, the conversion saga."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import time
import uuid
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from bench.stats import percentiles, row
from crm_shared.db import asyncpg_dsn
from crm_shared.devstack.run import Stack
from sales.performance.rollup import REBUILD

LEAD_TOPIC = "crm.sales.lead"
SOURCES = ["展会", "web_form", "转介绍", "电话营销", "合作伙伴"]
CATEGORIES = ["pipeline", "best_case", "commit"]

# One row per generated opportunity, in a temporary table so the stage visits can follow it.
# Status: ~20% won, ~15% lost, the rest open; open and lost ones sit at a stage 1..5 they reached,
# won ones reached the last stage and one past it (max_position 6). Each stage took an equal share
# of the time from creation to closing (or to now, for open ones).
PLAN = """
CREATE TEMPORARY TABLE bench_opportunities (id uuid, g int, status text, position int, max_position int, owner uuid,
                                            amount numeric(18, 2), created_at timestamptz, closed_at timestamptz,
                                            span interval)
ON COMMIT DROP
"""
PLAN_ROWS = """
INSERT INTO bench_opportunities
SELECT gen_random_uuid(), g, status, position, max_position, owner, amount, created_at, closed_at,
       coalesce(closed_at, now()) - created_at
FROM (SELECT g, status, position, round((5000 + r_amount * 995000)::numeric, 2) AS amount,
             CASE WHEN status = 'won' THEN 6 ELSE position END AS max_position,
             ($2::uuid[])[1 + g % array_length($2::uuid[], 1)] AS owner, created_at,
             CASE WHEN status = 'open' THEN NULL
                  ELSE least(created_at + (10 + r_cycle * 170) * interval '1 day', now() - interval '1 hour')
             END AS closed_at
      FROM (SELECT g, CASE WHEN r_status < 0.20 THEN 'won' WHEN r_status < 0.35 THEN 'lost' ELSE 'open' END AS status,
                   CASE WHEN r_status < 0.20 THEN 5 ELSE 1 + floor(r_stage * 5)::int END AS position,
                   now() - r_created * interval '730 days' AS created_at, r_cycle, r_amount
            FROM (SELECT g, random() AS r_status, random() AS r_stage, random() AS r_created, random() AS r_cycle,
                         random() AS r_amount
                  FROM generate_series(1, $1::int) g) r) s) t
"""
OPPORTUNITIES = """
INSERT INTO opportunities (id, name, description, account_id, source, pipeline_id, stage_id, stage_position,
                           max_position, probability, amount, currency, amount_base, expected_close_date,
                           forecast_category, status, close_reason, closed_at, owner_id, stage_entered_at,
                           created_by, created_at, updated_at)
SELECT o.id, '基准商机 ' || o.g, '', gen_random_uuid(), ($3::text[])[1 + (o.g / 3) % array_length($3::text[], 1)],
       $1, ($2::uuid[])[o.position], o.position, o.max_position,
       CASE o.status WHEN 'won' THEN 100 WHEN 'lost' THEN 0 ELSE ($4::numeric[])[o.position] END,
       o.amount, 'CNY', o.amount, current_date - 365 + floor(random() * 548)::int,
       ($5::text[])[1 + o.g % array_length($5::text[], 1)], o.status,
       CASE o.status WHEN 'won' THEN '签约' WHEN 'lost' THEN '预算取消' END, o.closed_at, o.owner,
       o.created_at + o.span * (o.position - 1) / least(o.max_position, 5), o.owner, o.created_at,
       coalesce(o.closed_at, o.created_at + o.span * (o.position - 1) / least(o.max_position, 5))
FROM bench_opportunities o
"""
# One visit per stage reached (1..max_position, at most the last stage), back to back; an open
# opportunity is still in its last one.
VISITS = """
INSERT INTO stage_visits (id, opportunity_id, pipeline_id, stage_id, owner_id, entered_at, left_at, actor_id)
SELECT gen_random_uuid(), o.id, $1, ($2::uuid[])[k], o.owner,
       o.created_at + o.span * (k - 1) / least(o.max_position, 5),
       CASE WHEN o.status = 'open' AND k = least(o.max_position, 5) THEN NULL
            ELSE o.created_at + o.span * k / least(o.max_position, 5) END,
       o.owner
FROM bench_opportunities o CROSS JOIN LATERAL generate_series(1, least(o.max_position, 5)) k;
"""


async def generate(stack: Stack, opportunities: int, owners: list[str]) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["SALES_DATABASE_URL"]))
    try:
        began = time.perf_counter()
        pipeline = await conn.fetchval("SELECT id FROM pipelines WHERE is_default")
        stages = await conn.fetch(
            "SELECT id, probability FROM stages WHERE pipeline_id = $1 ORDER BY position", pipeline
        )
        stage_ids, probabilities = [s["id"] for s in stages], [s["probability"] for s in stages]
        owner_ids = [uuid.UUID(o) for o in owners]
        async with conn.transaction():
            await conn.execute(PLAN)
            await conn.execute(PLAN_ROWS, opportunities, owner_ids)
            await conn.execute(OPPORTUNITIES, pipeline, stage_ids, SOURCES, probabilities, CATEGORIES)
            status = await conn.execute(VISITS, pipeline, stage_ids)
            await conn.execute(REBUILD)  # the funnel's running totals, as the service keeps them
        visits = int(status.split()[-1])
        await conn.execute("VACUUM ANALYZE")  # the forecast reads covering indexes only where pages are all-visible
        row(
            f"generated {opportunities:,} opportunities, {visits:,} stage visits",
            f"{time.perf_counter() - began:,.0f} s",
        )
    finally:
        await conn.close()


async def _post(
    client: httpx.AsyncClient, url: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post(
        url, json={"query": query, "variables": variables or {}}, headers={"Authorization": f"Bearer {token}"}
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, response.text
    return body["data"]


async def timed(client: httpx.AsyncClient, url: str, token: str, query: str, n: int, warm: int = 2) -> list[float]:
    for _ in range(warm):
        await _post(client, url, token, query)
    samples = []
    for _ in range(n):
        began = time.perf_counter()
        await _post(client, url, token, query)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


FUNNEL = "{ funnel%s { stages { name count conversionRate averageDaysInStage } winRate salesVelocity } }"
FORECAST = '{ forecast(period: "%s") { weighted commit bestCase pipeline trend } }'


async def figures(stack: Stack, token: str, n: int = 30) -> None:
    today = dt.date.today()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    async with httpx.AsyncClient(timeout=120) as client:
        url = stack.gateway_url
        funnel = (await _post(client, url, token, FUNNEL % ""))["funnel"]
        counts = " / ".join(f"{s['count']:,}" for s in funnel["stages"])
        row("funnel shape (stages 1-5, won)", f"{counts}, win rate {funnel['winRate']:.1%}")
        row("funnel, whole team (goal < 500 ms)", percentiles(await timed(client, url, token, FUNNEL % "", n)))
        year = f'(filter: {{period: "{today.year}"}})'
        row(
            f"funnel of {today.year}'s opportunities",
            percentiles(await timed(client, url, token, FUNNEL % year, n)),
        )
        row(f"forecast {quarter} (goal < 500 ms)", percentiles(await timed(client, url, token, FORECAST % quarter, n)))


class LeadEvents:
    """A plain consumer of crm.sales.lead from its current end; remembers when each event arrived."""

    def __init__(self, bootstrap: str) -> None:
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="latest", fetch_max_wait_ms=10
        )
        # (event type, lead id) -> when it was read, its data
        self.arrived: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
        self.changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LeadEvents:
        await self.consumer.start()
        await self.consumer.topics()  # metadata, for the partitions
        partitions = [TopicPartition(LEAD_TOPIC, p) for p in sorted(self.consumer.partitions_for_topic(LEAD_TOPIC))]
        self.consumer.assign(partitions)
        await self.consumer.seek_to_end(*partitions)
        for tp in partitions:  # the end offsets are known: nothing sent from now on can be missed
            await self.consumer.position(tp)
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.consumer.stop()

    async def _run(self) -> None:
        while True:
            batches = await self.consumer.getmany(timeout_ms=100)
            now = time.perf_counter()
            for records in batches.values():
                for record in records:
                    event = json.loads(record.value)
                    data = event.get("data") or {}
                    self.arrived[(event["type"], str(data.get("id")))] = (now, data)
            if batches:
                self.changed.set()

    async def wait_for(self, kind: str, ids: list[str], timeout: float = 120) -> None:
        deadline = time.perf_counter() + timeout
        while any((kind, i) not in self.arrived for i in ids):
            if time.perf_counter() > deadline:
                missing = sum((kind, i) not in self.arrived for i in ids)
                raise TimeoutError(f"{missing} of {len(ids)} {kind} events did not arrive")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), 1)


CREATE_LEAD = "mutation($input: CreateLeadInput!) { createLead(input: $input) { id owner { id } } }"
SAVE_RULE = "mutation($input: AssignmentRuleInput!) { saveAssignmentRule(input: $input) { id } }"
CONVERT = "mutation($id: ID!) { convertLead(id: $id) { id conversionStatus } }"
STATUS = "query($id: ID!) { lead(id: $id) { conversionStatus conversionError } }"


def lead_input(run: str, i: int, owner: str | None = None) -> dict[str, Any]:
    """A lead whose company name and phone no account has, so conversion creates a new account."""
    data = {
        "company": f"基准线索{run}-{i}号科技有限公司",
        "contactName": f"联系人{i}",
        "phone": f"19{int(run, 16) % 10**5:05d}{i:04d}",
        "source": "bench",
    }
    return {**data, "ownerId": owner} if owner else data


def _seconds(data: dict[str, Any], later: str, earlier: str) -> float:
    return (dt.datetime.fromisoformat(data[later]) - dt.datetime.fromisoformat(data[earlier])).total_seconds()


async def lead_assignment(stack: Stack, token: str, owners: list[str], n: int = 200) -> None:
    """A round-robin rule over `owners` for source "bench", then n leads created one after the other."""
    run = uuid.uuid4().hex[:5]
    async with httpx.AsyncClient(timeout=60) as client, LeadEvents(stack.broker.bootstrap) as events:
        url = stack.gateway_url
        rule = {"name": f"基准轮询 {run}", "method": "round_robin", "sources": ["bench"], "memberIds": owners}
        await _post(client, url, token, SAVE_RULE, {"input": rule})
        sent: dict[str, float] = {}
        for i in range(n):
            began = time.perf_counter()
            lead = (await _post(client, url, token, CREATE_LEAD, {"input": lead_input(run, i)}))["createLead"]
            assert lead["owner"] is not None, lead
            sent[lead["id"]] = began
        await events.wait_for("lead.assigned", list(sent))
    arrived = {i: events.arrived[("lead.assigned", i)] for i in sent}
    in_service = [_seconds(data, "assignedAt", "createdAt") * 1000 for _, data in arrived.values()]
    wall = [(arrived[i][0] - began) * 1000 for i, began in sent.items()]
    spread = len({data["ownerId"] for _, data in arrived.values()})
    row("lead created -> assigned, in the service", percentiles(in_service))
    row(f"createLead -> lead.assigned read ({spread} reps)", percentiles(wall))


async def conversion_saga(stack: Stack, token: str, n: int = 50) -> None:
    """Leads owned by the caller, converted one after the other; each company is new to customer."""
    run = uuid.uuid4().hex[:5]
    samples: list[float] = []
    by_event = by_poll = 0
    async with httpx.AsyncClient(timeout=60) as client, LeadEvents(stack.broker.bootstrap) as events:
        url = stack.gateway_url
        owner = (await _post(client, url, token, "{ me { id } }"))["me"]["id"]
        ids = [
            (await _post(client, url, token, CREATE_LEAD, {"input": lead_input(run, i, owner)}))["createLead"]["id"]
            for i in range(n)
        ]
        for lead_id in ids:
            began = time.perf_counter()
            await _post(client, url, token, CONVERT, {"id": lead_id})
            while True:
                if ("lead.converted", lead_id) in events.arrived:
                    samples.append((events.arrived[("lead.converted", lead_id)][0] - began) * 1000)
                    by_event += 1
                    break
                lead = (await _post(client, url, token, STATUS, {"id": lead_id}))["lead"]
                if lead["conversionStatus"] == "done":
                    samples.append((time.perf_counter() - began) * 1000)
                    by_poll += 1
                    break
                assert lead["conversionStatus"] == "pending", lead
                if time.perf_counter() - began > 60:
                    raise TimeoutError(f"lead {lead_id} not converted within 60 s")
                await asyncio.sleep(0.02)
        await events.wait_for("lead.converted", ids)
    matched = sum(bool(events.arrived[("lead.converted", i)][1].get("matchedExistingAccount")) for i in ids)
    assert matched == 0, f"{matched} leads matched an existing account instead of creating one"
    row("convertLead -> converted, new account", percentiles(samples))
    row("  completion seen first as", f"lead.converted event {by_event}x, conversionStatus done {by_poll}x")
