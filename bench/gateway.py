"""What the gateway costs: the same operations through Hive Gateway and straight to the subgraphs,
interleaved batch by batch, from one client with the same connection reuse and concurrency, each
request with its own variables (so no two identical requests are in flight to be merged)."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Awaitable, Callable

import httpx
import psutil

from bench.stats import percentiles, row
from crm_shared.devstack.run import Stack

ACCOUNT = "query Account($id: ID!) { account(id: $id) { id name industry level province city } }"
WITH_DEALS = (
    "query AccountDeals($id: ID!) { account(id: $id) { id name industry level "
    "opportunities(first: 5) { edges { node { id name amount stage { name } } } } } }"
)
DEALS = (
    "query Deals($id: ID!) { opportunities(filter: {accountId: $id}, first: 5) "
    "{ edges { node { id name amount stage { name } } } } }"
)
Request = Callable[[str], Awaitable[None]]


class Timed:
    """Latencies and the time spent in one way of asking, over the batches it ran."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.seconds = 0.0
        self.gateway_cpu = 0.0  # CPU seconds the gateway's processes used meanwhile

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def p50(self) -> float:
        return sorted(self.latencies)[len(self.latencies) // 2]


async def post(client: httpx.AsyncClient, url: str, query: str, account: str) -> None:
    response = await client.post(url, json={"query": query, "variables": {"id": account}})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body and body["data"], response.text


async def created(client: httpx.AsyncClient, url: str, name: str) -> str:
    query = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
    response = await client.post(url, json={"query": query, "variables": {"i": {"name": name, "level": "B"}}})
    return str(response.json()["data"]["createAccount"]["id"])


def cpu_seconds(process: psutil.Process) -> float:
    """CPU time of the process and its children (the gateway runs under a launcher)."""
    tree = [process, *process.children(recursive=True)]
    return sum(sum(p.cpu_times()[:2]) for p in tree)


async def batch(
    ask: Request, accounts: itertools.cycle[str], n: int, concurrency: int, timed: Timed, gateway: psutil.Process
) -> None:
    async def worker(count: int) -> None:
        for _ in range(count):
            began = time.perf_counter()
            await ask(next(accounts))
            timed.latencies.append((time.perf_counter() - began) * 1000)

    began, cpu = time.perf_counter(), cpu_seconds(gateway)
    await asyncio.gather(*(worker(n // concurrency) for _ in range(concurrency)))
    timed.seconds += time.perf_counter() - began
    timed.gateway_cpu += cpu_seconds(gateway) - cpu


async def compare(
    ways: dict[str, Request], accounts: list[str], n: int, concurrency: int, gateway: psutil.Process, rounds: int = 10
) -> dict[str, Timed]:
    """Each way in turn, `rounds` times (the first way first in even rounds, last in odd ones)."""
    timed = {label: Timed() for label in ways}
    ids = itertools.cycle(accounts)
    for ask in ways.values():  # warm-up: connections, caches, query plans
        for _ in range(20):
            await ask(next(ids))
    for r in range(rounds):
        order = list(ways.items()) if r % 2 == 0 else list(reversed(ways.items()))
        for label, ask in order:
            await batch(ask, ids, n // rounds, concurrency, timed[label], gateway)
    return timed


async def gateway_overhead(stack: Stack, token: str, n: int, concurrency: int = 10) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    customer, sales = (f"{stack.service_url(s)}/graphql" for s in ("customer", "sales"))
    limits = httpx.Limits(max_connections=2 * concurrency, max_keepalive_connections=2 * concurrency)
    gateway = psutil.Process(stack.process("gateway").pid)
    async with httpx.AsyncClient(timeout=30, headers=headers, limits=limits) as client:
        # ids cycle through the workers: fewer accounts than clients would put identical requests in flight
        tag = uuid.uuid4().hex[:6]  # a name of its own each run: a second would be refused as a duplicate
        accounts = [await created(client, stack.gateway_url, f"网关测试客户{tag}{i}") for i in range(5 * concurrency)]

        async def two_direct(account: str) -> None:
            await asyncio.gather(post(client, customer, ACCOUNT, account), post(client, sales, DEALS, account))

        one = await compare(
            {
                "gateway": lambda a: post(client, stack.gateway_url, ACCOUNT, a),
                "direct": lambda a: post(client, customer, ACCOUNT, a),
            },
            accounts,
            n,
            concurrency,
            gateway,
        )
        two = await compare(
            {"gateway": lambda a: post(client, stack.gateway_url, WITH_DEALS, a), "direct": two_direct},
            accounts,
            n,
            concurrency,
            gateway,
        )
    for label, direct_to, timed in (
        ("an account", "customer", one),
        ("an account with its opportunities", "customer and sales, both at once", two),
    ):
        through, direct = timed["gateway"], timed["direct"]
        row(f"{label}: through the gateway", f"{through.rate:,.0f} req/s  {percentiles(through.latencies)}")
        row(f"{label}: straight to {direct_to}", f"{direct.rate:,.0f} req/s  {percentiles(direct.latencies)}")
        row(
            f"{label}: gateway / direct ({concurrency} at once, interleaved)",
            f"throughput {through.rate / direct.rate:.2f}, p50 +{through.p50() - direct.p50():.1f} ms, "
            f"gateway CPU {1000 * through.gateway_cpu / len(through.latencies):.2f} ms a request",
        )
