"""Automation figures: durable timers coming due with many runs waiting, undisturbed and through a kill.

A rule (wait an hour, then notify) is published through the gateway; its waiting runs are written straight into
automation's database as the engine leaves a run at a wait (the run, its timer): most due in an hour or more (they
only have to be there), and a sample due one by one over the next seconds, whose due time the run's context keeps.
The running service's timer worker fires them; the delay is read from the run's ledger: the due time against the
moment the step after the wait was recorded. A second sample comes due while the automation process is killed
(SIGKILL) and started again; what the ledger and the notifications then hold tells timers lost and steps repeated.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import asyncpg
import httpx

from bench.automation import me, publish, spread
from bench.stats import row
from crm_shared.db import asyncpg_dsn
from crm_shared.devstack.run import Stack, wait_healthy

VERSION = "SELECT id FROM workflow_versions WHERE workflow_id = $1 AND version = 1"
# as `Engine._wait` leaves a run: waiting at its first step, with an advance timer naming that step
FAR = """
WITH runs AS (
    INSERT INTO workflow_runs (id, workflow_id, version_id, version, trigger_key, context, status, current_step,
                               started_at)
    SELECT gen_random_uuid(), $1, $2, 1, 'far-' || g, '{"event": {}, "steps": {}}', 'waiting', 'pause', now()
    FROM generate_series(1, $3::int) g
    RETURNING id, seq
)
INSERT INTO workflow_timers (id, due_at, kind, run_id, payload)
SELECT gen_random_uuid(), now() + interval '1 hour' + seq * interval '10 ms', 'advance', id, '{"step": "pause"}'
FROM runs
"""
SAMPLE = """
WITH runs AS (
    INSERT INTO workflow_runs (id, workflow_id, version_id, version, trigger_key, context, status, current_step,
                               started_at)
    SELECT gen_random_uuid(), $1, $2, 1, $3 || '-' || n, jsonb_build_object('event', jsonb_build_object('due', due),
           'steps', '{}'::jsonb), 'waiting', 'pause', now()
    FROM unnest($4::timestamptz[]) WITH ORDINALITY AS u(due, n)
    RETURNING id, (context->'event'->>'due')::timestamptz AS due
), timers AS (
    INSERT INTO workflow_timers (id, due_at, kind, run_id, payload)
    SELECT gen_random_uuid(), due, 'advance', id, '{"step": "pause"}' FROM runs
)
SELECT id FROM runs
"""
TAKEN = """
SELECT extract(epoch FROM s.finished_at - (r.context->'event'->>'due')::timestamptz) * 1000 AS late
FROM workflow_runs r JOIN workflow_run_steps s ON s.run_id = r.id AND s.step_id = 'tell' AND s.status = 'done'
WHERE r.id = ANY($1)
"""
WAITING = """
SELECT count(*) FILTER (WHERE EXISTS (SELECT FROM workflow_timers t WHERE t.run_id = r.id)),
       count(*) FILTER (WHERE NOT EXISTS (SELECT FROM workflow_timers t WHERE t.run_id = r.id)
                          AND NOT EXISTS (SELECT FROM workflow_run_steps s
                                          WHERE s.run_id = r.id AND s.step_id = 'tell' AND s.status = 'done'))
FROM workflow_runs r WHERE r.id = ANY($1)
"""
REPEATS = """
SELECT (SELECT count(*) - count(DISTINCT (run_id, step_id)) FROM workflow_run_steps WHERE run_id = ANY($1)),
       (SELECT count(*) - count(DISTINCT run_id) FROM notifications WHERE run_id = ANY($1))
"""
CLEAN = [  # the runs still waiting an hour, so that later figures find no timers of this one's
    "DELETE FROM workflow_timers WHERE run_id IN (SELECT id FROM workflow_runs WHERE workflow_id = $1)",
    "DELETE FROM workflow_runs WHERE workflow_id = $1 AND status = 'waiting'",
]


async def publish_rule(stack: Stack, token: str) -> uuid.UUID:
    async with httpx.AsyncClient(timeout=60) as client:
        steps = [
            {"id": "pause", "action": "wait", "seconds": 3600},
            {"id": "tell", "action": "notify", "user": await me(client, stack, token), "title": "签约一小时后回访"},
        ]
        trigger = {"kind": "event", "topic": "crm.sales.contract", "type": "contract.signed"}
        return uuid.UUID(await publish(client, stack, token, "签约回访 bench", {"trigger": trigger, "steps": steps}))


async def sample_due(
    conn: asyncpg.Connection, workflow: uuid.UUID, version: uuid.UUID, label: str, sample: int, seconds: float
) -> list[uuid.UUID]:
    """`sample` runs due evenly over `seconds` from a few seconds on; NOTIFY, as the engine does on a new timer."""
    start = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)
    due = [start + dt.timedelta(seconds=seconds * i / sample) for i in range(sample)]
    async with conn.transaction():
        runs = [r["id"] for r in await conn.fetch(SAMPLE, workflow, version, label, due)]
        await conn.execute("NOTIFY automation_timers")
    return runs


async def taken(conn: asyncpg.Connection, runs: list[uuid.UUID]) -> tuple[list[float], int]:
    """The runs' delays once none of their timers is left (or after ten minutes), and how many were lost: their
    timer gone without the step after it done."""
    for _ in range(600):
        waiting, lost = await conn.fetchrow(WAITING, runs)
        if not waiting:
            break
        await asyncio.sleep(1)
    return [float(r["late"]) for r in await conn.fetch(TAKEN, runs)], lost


def killed_and_healed(stack: Stack) -> None:
    """SIGKILL wherever the worker is (between a timer's claim and its commit or not), then restarted."""
    process = stack.process("automation")
    process.kill()
    process.wait()
    stack.heal()
    wait_healthy(f"{stack.service_url('automation')}/healthz")


async def timers(stack: Stack, token: str, waiting: int, sample: int = 1000, seconds: float = 20.0) -> None:
    workflow = await publish_rule(stack, token)
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["AUTOMATION_DATABASE_URL"]))
    try:
        version = await conn.fetchval(VERSION, workflow)
        await conn.execute(FAR, workflow, version, max(0, waiting - 2 * sample))
        await conn.execute("ANALYZE workflow_runs; ANALYZE workflow_timers")  # as autovacuum would have by now
        late, _ = await taken(conn, await sample_due(conn, workflow, version, "calm", sample, seconds))
        row(f"workflow timer due → step after it ({waiting:,} waiting)", f"{spread(late)} [goal p95 ≤ 1000 ms]")
        runs = await sample_due(conn, workflow, version, "kill", sample, seconds)
        await asyncio.sleep(3 + seconds / 2)
        began = asyncio.get_running_loop().time()
        await asyncio.to_thread(killed_and_healed, stack)
        down = asyncio.get_running_loop().time() - began
        survived, lost = await taken(conn, runs)
        ledger, notified = await conn.fetchrow(REPEATS, runs)
        row(f"same, killed midway (SIGKILL, back in {down:.1f} s)", f"{spread(survived)} (the restart's included)")
        row(
            "timers lost / steps taken twice / notifications twice",
            f"{lost} / {ledger} / {notified} of {sample}, {sample - len(survived) - lost} not yet fired [goal 0, 0, 0]",
        )
        for statement in CLEAN:
            await conn.execute(statement, workflow)
    finally:
        await conn.close()
