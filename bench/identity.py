"""Login throughput next to the argon2id hash time, and the cost of the per-request authorization check."""

from __future__ import annotations

import asyncio
import time

import httpx
from sqlalchemy import column

from bench.stats import percentiles, row
from crm_shared.auth import TokenVerifier
from crm_shared.auth.jwks import JwksKeySource
from crm_shared.devstack.run import Stack
from identity.auth.passwords import hash_password, verify_password


async def hash_time(n: int = 20) -> None:
    stored = await hash_password("crm-demo-password")
    samples = []
    for _ in range(n):
        began = time.perf_counter()
        await verify_password(stored, "crm-demo-password")
        samples.append((time.perf_counter() - began) * 1000)
    row("argon2id verify (m=19 MiB, t=2, p=1)", percentiles(samples))


async def login_throughput(stack: Stack, n: int, concurrency: int = 4) -> None:
    url = f"{stack.service_url('identity')}/api/v1/auth/login"
    body = {"email": "rep1@example.com", "password": "crm-demo"}
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=30) as client:

        async def worker(count: int) -> None:
            for _ in range(count):
                began = time.perf_counter()
                (await client.post(url, json=body)).raise_for_status()
                latencies.append((time.perf_counter() - began) * 1000)

        began = time.perf_counter()
        await asyncio.gather(*(worker(n // concurrency) for _ in range(concurrency)))
        rate = len(latencies) / (time.perf_counter() - began)
    row(f"login ({concurrency} clients, REST)", f"{rate:,.1f} logins/s  {percentiles(latencies)}")


async def authorization_cost(stack: Stack, token: str, n: int = 2000) -> None:
    platform_url = f"{stack.service_url('identity')}/.well-known/jwks.json"
    verifier = TokenVerifier(JwksKeySource(platform_url), "crm-identity", "crm")
    await verifier.verify(token)  # warm the key cache
    checks = []
    for _ in range(n):
        began = time.perf_counter()
        principal = await verifier.verify(token)
        principal.require("customer:account:read")
        principal.scope_filter("customer:account", column("owner_id"), column("unit_id"))
        checks.append((time.perf_counter() - began) * 1000)
    row("authorization check alone (verify+permission+scope)", percentiles(checks))
    url = f"{stack.service_url('identity')}/graphql"
    async with httpx.AsyncClient(timeout=30) as client:
        for label, headers, query in (
            ("subgraph request without authorization", {}, "{ __typename }"),
            ("subgraph request with authorization", {"Authorization": f"Bearer {token}"}, "{ __typename }"),
        ):
            samples = []
            for _ in range(n // 4):
                began = time.perf_counter()
                (await client.post(url, json={"query": query}, headers=headers)).raise_for_status()
                samples.append((time.perf_counter() - began) * 1000)
            row(label, percentiles(samples))
