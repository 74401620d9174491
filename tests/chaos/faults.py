"""The faults, one at a time: what an orchestrator, a network or an operator does to a running suite."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import threading
import uuid
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaProducer

from crm_shared.devstack.run import Stack
from crm_shared.events.envelope import CloudEvent


class Healer:
    """Starts again what stopped, every half second, as an orchestrator would (`Stack.heal`).

    Faults that reshape the stack (replicas) hold `lock`, so healing never sees it half changed.
    """

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.lock = threading.Lock()
        self.healed: list[str] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            self.healed += await asyncio.to_thread(self._heal)
            await asyncio.sleep(0.5)

    def _heal(self) -> list[str]:
        with self.lock:
            return self.stack.heal()


@dataclasses.dataclass
class Injected:
    """Malformed records written into consumed topics, and where each must end up."""

    dead_letters: dict[str, list[bytes]] = dataclasses.field(default_factory=dict)  # topic → keys
    parked: list[str] = dataclasses.field(default_factory=list)  # event ids kept for an unknown aggregate


@dataclasses.dataclass
class Fault:
    name: str
    inflict: Callable[[Stack, Healer, Injected], Awaitable[None]]


def kill(name: str) -> Fault:
    """`kill -9` of one child process; the healer starts it again."""

    async def inflict(stack: Stack, healer: Healer, injected: Injected) -> None:
        with healer.lock:
            process = stack.process(name)
            process.send_signal(signal.SIGKILL)
            process.wait()

    return Fault(f"kill -9 {name}", inflict)


async def restart_broker(stack: Stack, healer: Healer, injected: Injected) -> None:
    """The embedded broker killed: the healer starts it empty, the services re-feed it."""
    assert stack.broker.process is not None
    with healer.lock:
        stack.broker.process.send_signal(signal.SIGKILL)
        stack.broker.process.wait()


async def stop_postgres(stack: Stack, healer: Healer, injected: Injected, down: float = 4) -> None:
    """The PostgreSQL server killed (postmaster and backends, no shutdown), started again after `down` s."""
    pid = int((stack.postgres.data_dir / "postmaster.pid").read_text().split()[0])
    pgrep = await asyncio.to_thread(subprocess.run, ["pgrep", "-P", str(pid)], capture_output=True, text=True)
    children = pgrep.stdout.split()
    for victim in (pid, *map(int, children)):
        with contextlib.suppress(ProcessLookupError):  # a backend may go with its postmaster
            os.kill(victim, signal.SIGKILL)
    await asyncio.sleep(down)
    await asyncio.to_thread(stack.postgres.start)


def scale(service: str, replicas: int) -> Fault:
    """Replicas of `service` added or removed until `replicas` processes run, in one consumer group."""

    def change(stack: Stack) -> None:
        while 1 + len(stack.replicas.get(service, ())) < replicas:
            stack.add_replica(service)
        while 1 + len(stack.replicas.get(service, ())) > replicas:
            stack.remove_replica(service)

    async def inflict(stack: Stack, healer: Healer, injected: Injected) -> None:
        def locked() -> None:
            with healer.lock:
                change(stack)

        await asyncio.to_thread(locked)

    return Fault(f"{service} × {replicas}", inflict)


# consumed topics, and an event type their consumer handles with a typed payload
POISONED = {"crm.customer.account": "account.created", "crm.sales.order": "order.created"}


async def inject_malformed(stack: Stack, healer: Healer, injected: Injected) -> None:
    """Undecodable bytes and an invalid payload into consumed topics (they belong in `<topic>.dlq`),
    and an event for an account nobody has heard of (kept until its account arrives)."""
    producer = AIOKafkaProducer(bootstrap_servers=stack.broker.bootstrap, acks="all")
    await producer.start()
    try:
        for topic, event_type in POISONED.items():
            undecodable, invalid = f"chaos-{uuid.uuid4()}".encode(), f"chaos-{uuid.uuid4()}".encode()
            await producer.send_and_wait(topic, b"\xff\xfe{not json", key=undecodable)
            event = CloudEvent(source="/chaos", type=event_type, subject=invalid.decode(), data={"id": "not-an-id"})
            await producer.send_and_wait(topic, event.model_dump_json().encode(), key=invalid)
            injected.dead_letters.setdefault(f"{topic}.dlq", []).extend([undecodable, invalid])
        stranger = str(uuid.uuid4())
        orphan = CloudEvent(
            source="/chaos",
            type="account.owner_changed",
            subject=stranger,
            data={"id": stranger, "fromOwnerId": None, "toOwnerId": None, "kind": "release", "reason": "chaos"},
        )
        await producer.send_and_wait(
            "crm.customer.account", json.dumps(orphan.model_dump(mode="json")).encode(), key=stranger.encode()
        )
        injected.parked.append(orphan.id)
    finally:
        await producer.stop()


FAULTS = [
    kill("identity"),
    kill("customer"),
    kill("sales"),
    kill("gateway"),
    Fault("broker restarted empty", restart_broker),
    Fault("PostgreSQL down 4 s", stop_postgres),
    scale("sales", 2),
    scale("sales", 1),
    scale("sales", 3),
    scale("sales", 1),
    Fault("malformed events injected", inject_malformed),
]
