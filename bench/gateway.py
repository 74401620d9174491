"""Gateway overhead: `me` through Hive Gateway next to the same query sent straight to identity."""

from __future__ import annotations

import asyncio
import time

import httpx

from bench.stats import percentiles, row
from crm_shared.devstack.run import Stack

ME = {"query": "{ me { id email displayName roles } }"}


async def measure(url: str, token: str, n: int, concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=concurrency)) as client:
        for _ in range(20):  # warm-up
            (await client.post(url, json=ME, headers=headers)).raise_for_status()

        async def worker(count: int) -> None:
            for _ in range(count):
                began = time.perf_counter()
                response = await client.post(url, json=ME, headers=headers)
                latencies.append((time.perf_counter() - began) * 1000)
                assert "errors" not in response.json(), response.text

        began = time.perf_counter()
        await asyncio.gather(*(worker(n // concurrency) for _ in range(concurrency)))
        return len(latencies) / (time.perf_counter() - began), latencies


async def gateway_overhead(stack: Stack, token: str, n: int, concurrency: int = 10) -> None:
    direct = f"{stack.service_url('identity')}/graphql"
    for label, url in (("me through the gateway", stack.gateway_url), ("me straight to identity", direct)):
        rate, latencies = await measure(url, token, n, concurrency)
        row(f"{label} ({concurrency} clients)", f"{rate:,.0f} req/s  {percentiles(latencies)}")
