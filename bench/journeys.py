"""Marketing figures: a journey's timer coming due → the step after it taken, with many people waiting.

A live journey (wait, then tag) is published through the gateway; its waiting people are written straight
into marketing's database: most of them due in an hour or more (they only have to be there), and a sample
due one by one over the next seconds. The running service's journey runner takes them; the delay is read
from the steps it recorded: the wait's due time against the moment the tag after it was applied.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import asyncpg
import httpx

from bench.sales import _post
from bench.stats import percentiles, row
from crm_shared.db import asyncpg_dsn
from crm_shared.devstack.run import Stack

SAVE = "mutation($i: JourneyInput!) { saveJourney(input: $i) { id } }"
PUBLISH = "mutation($id: ID!) { publishJourney(id: $id) { liveVersion } }"
CAMPAIGNS = "{ campaigns(first: 1) { edges { node { id } } } }"
VERSION = "SELECT id FROM journey_versions WHERE journey_id = $1 AND version = 1"
WAITING = """
INSERT INTO journey_enrolments (id, journey_id, version_id, person_id, person_kind, step, state, due_at, event_seen,
                                seq, data, entered_at, updated_at)
SELECT gen_random_uuid(), $1, $2, unnest($3::uuid[]), 'contact', 'pause', 'waiting', unnest($4::timestamptz[]),
       false, 0, '{}', now(), now()
"""
FAR = """
INSERT INTO journey_enrolments (id, journey_id, version_id, person_id, person_kind, step, state, due_at, event_seen,
                                seq, data, entered_at, updated_at)
SELECT gen_random_uuid(), $1, $2, gen_random_uuid(), 'contact', 'pause', 'waiting',
       now() + interval '1 hour' + g * interval '10 ms', false, 0, '{}', now(), now()
FROM generate_series(1, $3::int) g
"""
CONTACTS = """
INSERT INTO audience_contacts (id, name, deleted, updated_at)
SELECT unnest($1::uuid[]), '基准联系人', false, now()
"""
TAKEN = """
SELECT extract(epoch FROM tag.at - pause.due_at) * 1000 AS late
FROM journey_step_runs pause
JOIN journey_step_runs tag ON tag.enrolment_id = pause.enrolment_id AND tag.seq = 1 AND tag.outcome = 'done'
JOIN journey_enrolments e ON e.id = pause.enrolment_id
WHERE e.journey_id = $1 AND pause.seq = 0
"""
RUNS = """
SELECT count(*), count(DISTINCT (r.enrolment_id, r.seq))
FROM journey_step_runs r JOIN journey_enrolments e ON e.id = r.enrolment_id WHERE e.journey_id = $1
"""
CLEAN = "DELETE FROM journey_enrolments WHERE journey_id = $1 AND state = 'waiting'"


async def journey_timers(stack: Stack, token: str, waiting: int, sample: int = 1000, seconds: float = 20.0) -> None:
    """`waiting` people at a wait, `sample` of them due evenly over `seconds` from a few seconds on."""
    async with httpx.AsyncClient(timeout=120) as client:
        url = stack.gateway_url
        [edge] = (await _post(client, url, token, CAMPAIGNS))["campaigns"]["edges"]
        steps = [
            {"key": "pause", "type": "WAIT", "waitSeconds": 3600, "next": "tag"},
            {"key": "tag", "type": "ADD_TAG", "tag": "基准"},
        ]
        trigger = {"type": "SEGMENT", "segmentId": str(uuid.uuid4())}
        data = {"name": f"基准旅程{uuid.uuid4().hex[:6]}", "campaignId": edge["node"]["id"], "trigger": trigger}
        journey = (await _post(client, url, token, SAVE, {"i": {**data, "steps": steps}}))["saveJourney"]["id"]
        await _post(client, url, token, PUBLISH, {"id": journey})
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["MARKETING_DATABASE_URL"]))
    try:
        journey_id = uuid.UUID(journey)
        version = await conn.fetchval(VERSION, journey_id)
        await conn.execute(FAR, journey_id, version, max(0, waiting - sample))
        people = [uuid.uuid4() for _ in range(sample)]
        start = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
        due = [start + dt.timedelta(seconds=seconds * i / sample) for i in range(sample)]
        async with conn.transaction():
            await conn.execute(CONTACTS, people)
            await conn.execute(WAITING, journey_id, version, people, due)
            await conn.execute("NOTIFY marketing_journeys")  # as the service does when it sets a timer
        await asyncio.sleep(5 + seconds)
        late: list[float] = []
        for _ in range(600):  # what has not come after a minute more is reported as missed
            late = [r["late"] for r in await conn.fetch(TAKEN, journey_id)]
            if len(late) >= sample:
                break
            await asyncio.sleep(0.1)
        runs, distinct = await conn.fetchrow(RUNS, journey_id)
        label = f"journey timer due → action ({waiting:,} waiting)"
        row(label, (percentiles([float(x) for x in late]) if len(late) > 1 else "none") + "  [goal p95 ≤ 1000 ms]")
        row("timers missed / steps taken twice", f"{sample - len(late)} / {runs - distinct}")
        await conn.execute(CLEAN, journey_id)
    finally:
        await conn.close()
