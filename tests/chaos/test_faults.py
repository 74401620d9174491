"""Faults one at a time under write load: recovery time, events lost, effects applied twice."""

from __future__ import annotations

import asyncio

import pytest

from crm_shared.devstack.run import Stack
from crm_shared.events.kafka import read_topic

from .accounting import Books
from .conftest import wait_recovered
from .faults import FAULTS, Healer, Injected
from .load import Load
from .report import Row, table

WARM_UP = 5.0  # seconds of load before the first fault
BETWEEN = 3.0  # seconds of load on a healthy suite between faults


@pytest.mark.timeout(600)
async def test_every_fault_is_recovered_from_without_losing_or_repeating_anything(stack: Stack, capsys) -> None:
    books, healer, injected = Books(stack), Healer(stack), Injected()
    load = Load(stack.gateway_url)
    token = await load.login("admin@example.com")
    await load.start()
    healer.start()
    rows = []
    try:
        await asyncio.sleep(WARM_UP)
        for fault in FAULTS:
            await fault.inflict(stack, healer, injected)
            seconds, marks, awaited, recovered = await wait_recovered(stack, books, token, load)
            rows.append(Row(fault.name, seconds, await books.effects(load.ledger, marks), awaited, recovered))
            with capsys.disabled():
                print(rows[-1].line(), flush=True)
            await asyncio.sleep(BETWEEN)
    finally:
        await load.stop()
        await healer.stop()
    seconds, _, awaited, recovered = await wait_recovered(stack, books, token)
    rows.append(Row("load stopped, all settled", seconds, await books.effects(load.ledger), awaited, recovered))
    with capsys.disabled():
        print(table(rows, load), flush=True)

    assert [r.outcome() for r in rows] == [(r.fault, True, {}, {}) for r in rows]
    assert [(w.kind, w.error) for w in load.ledger.failed()] == []
    for topic, keys in injected.dead_letters.items():
        dead = await read_topic(stack.broker.bootstrap, topic, None, timeout=10)
        assert sorted(k for k in keys if k in {r.key for r in dead}) == sorted(keys), topic
    assert [str(p["event_id"]) for p in await books.parked("sales")] == injected.parked
