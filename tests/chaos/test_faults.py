"""Faults one at a time under write load: recovery time, events lost, effects applied twice."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from crm_shared.devstack.run import Stack
from crm_shared.events.kafka import read_topic

from .accounting import Books, Count
from .conftest import wait_recovered
from .faults import FAULTS, Healer, Injected
from .load import Load

RECOVERY_GOAL = 30.0  # seconds: the acceptance criterion for every fault
WARM_UP = 5.0  # seconds of load before the first fault
BETWEEN = 3.0  # seconds of load on a healthy suite between faults


@dataclasses.dataclass
class Row:
    fault: str
    seconds: float
    count: Count
    awaited: str  # what recovery waited for last
    recovered: bool

    def line(self) -> str:
        lost, duplicated = self.count.total_lost, self.count.total_duplicated
        return f"{self.fault:<28} {self.seconds:>8.1f} {lost:>6} {duplicated:>6}  {self.awaited}"

    def outcome(self) -> tuple[str, bool, dict[str, int], dict[str, int]]:
        lost = {k: v for k, v in self.count.lost.items() if v}
        duplicated = {k: v for k, v in self.count.duplicated.items() if v}
        return self.fault, self.recovered and self.seconds < RECOVERY_GOAL, lost, duplicated


def table(rows: list[Row], load: Load) -> str:
    head = f"{'fault':<28} {'recovery s':>8} {'lost':>6} {'dup':>6}  last awaited"
    writes = f"{len(load.ledger.writes)} writes by {len(load.clients)} clients, {len(load.ledger.failed())} failed"
    return "\n".join(["", head, "-" * len(head), *(r.line() for r in rows), writes])


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
