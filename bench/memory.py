"""The suite's memory and CPU: what each process of the stack holds, idle and at its highest under load,
and the processor time each part has used.

Memory is counted as PSS (proportional set size): PostgreSQL's backends share its buffers, and resident
sizes added up would count them once per connection. PostgreSQL counts with every backend it started;
the stack's own process (the local mail, SMS, webhook and CTI receivers) is not counted, nor the load
generator.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import defaultdict
from pathlib import Path

from bench.stats import row
from crm_shared.devstack.run import Stack


def pss_mib(pid: int) -> float:
    """0 for a process that has gone meanwhile."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        found[parent].append(int(stat.parent.name))
    return found


def _tree(pid: int, children: dict[int, list[int]]) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(children.get(current, []))
    return pids


def roots(stack: Stack) -> dict[str, int]:
    """Each part of the stack by name, with the process its memory is counted from (with its children)."""
    found = {stack.launches[p.pid][0]: p.pid for p in stack.processes if p.poll() is None}
    if stack.broker.process is not None and stack.broker.process.poll() is None:
        found["broker"] = stack.broker.process.pid
    postmaster = stack.postgres.data_dir / "postmaster.pid"
    if postmaster.exists():
        found["postgres"] = int(postmaster.read_text().split()[0])
    return found


def cpu_ms(parts: dict[str, int]) -> dict[str, float]:
    """Processor time (user and system) each part's processes have used so far, in ms, with that of children
    they reaped (PostgreSQL's ended backends); `parts` as `roots` gives."""
    children, tick = _children(), os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {}
    for name, pid in parts.items():
        ticks = 0
        for process in _tree(pid, children):
            try:
                fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            ticks += sum(int(f) for f in fields[11:15])
        used[name] = ticks * 1000 / tick
    return used


def snapshot(stack: Stack) -> dict[str, float]:
    """MiB per part of the stack, now."""
    children = _children()
    return {name: sum(pss_mib(p) for p in _tree(pid, children)) for name, pid in roots(stack).items()}


class Peak:
    """Samples the stack every `every` seconds in a thread, keeping the moment its total was highest."""

    def __init__(self, stack: Stack, every: float = 2.0) -> None:
        self.stack, self.every = stack, every
        self.highest: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            now = snapshot(self.stack)
            if sum(now.values()) > sum(self.highest.values()):
                self.highest = now


def report(label: str, parts: dict[str, float]) -> None:
    shown = ", ".join(f"{name} {mib:,.0f}" for name, mib in sorted(parts.items(), key=lambda p: -p[1]))
    row(f"memory (PSS) {label}", f"{sum(parts.values()):,.0f} MiB in all [goal ≤ 2,048 under load]: {shown}")


def settle(stack: Stack, busy_ms: float = 500, within_s: float = 120) -> float:
    """Seconds until the stack's processes use under `busy_ms` of processor time a second (they idle at some
    300: consumers polling, schedules), at most `within_s`. A latency figure is taken on a stack at rest: one
    just started, or just fed a figure's load, is still taking in the events of what came before, which no
    one opening a screen meets."""
    began = time.monotonic()
    parts = roots(stack)
    while time.monotonic() - began < within_s:
        before = sum(cpu_ms(parts).values())
        time.sleep(3)
        if (sum(cpu_ms(parts).values()) - before) / 3 < busy_ms:
            break
    return time.monotonic() - began


async def settled(stack: Stack) -> None:
    """`settle`, off the event loop, printed."""
    print(f"  the stack settled in {await asyncio.to_thread(settle, stack):.0f} s", flush=True)
