"""Customer figures on generated data: keyword search, a filtered list page, the account 360 view."""

from __future__ import annotations

import random
import time

import asyncpg
import httpx

from bench.stats import percentiles, row
from crm_shared.db import asyncpg_dsn
from crm_shared.devstack.run import Stack

SURNAMES = "华中北东南西新大金银天海山江河长安永恒泰和盛兴隆鑫源达丰"
WORDS = [
    "科技",
    "电子",
    "通信",
    "汽车",
    "能源",
    "医药",
    "食品",
    "物流",
    "建设",
    "传媒",
    "软件",
    "化工",
    "机械",
    "纺织",
]
INDUSTRIES = ["通信设备", "汽车制造", "互联网", "金融", "能源", "医疗", "零售", "制造", "教育", "物流"]
PROVINCES = ["广东", "浙江", "江苏", "上海", "北京", "山东", "四川", "湖北", "福建", "河南"]

GENERATE = """
CREATE OR REPLACE FUNCTION bench_tokens(t text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_agg(DISTINCT tok) FROM (
    SELECT substr(t, i, 2) AS tok FROM generate_series(1, greatest(char_length(t) - 1, 1)) i
    UNION SELECT substr(t, i, 1) FROM generate_series(1, char_length(t)) i) s $$;
INSERT INTO accounts (id, name, name_key, industry, province, city, level, source, tags, lifecycle_stage, owner_id,
                      in_pool, custom, search, created_at, updated_at, last_followup_at)
SELECT gen_random_uuid(), n, n, ind, prov, prov, lvl, '展会', ARRAY[]::varchar[], 'active', owner, false, '{}',
       array_to_tsvector(bench_tokens(n)), now() - (g % 1000) * interval '1 hour',
       now() - (g % 997) * interval '1 minute', now()
FROM (SELECT g,
        substr($1, 1 + (g * 7) % char_length($1), 1) || substr($1, 1 + (g * 13) % char_length($1), 1)
          || ($2::text[])[1 + g % array_length($2, 1)] || '有限公司' || g AS n,
        ($3::text[])[1 + g % array_length($3, 1)] AS ind, ($4::text[])[1 + (g / 7) % array_length($4, 1)] AS prov,
        (ARRAY['A','B','C','D'])[1 + g % 4] AS lvl, ($5::uuid[])[1 + g % array_length($5, 1)] AS owner
      FROM generate_series(1, $6) g) src;
"""
CONTACTS = """
INSERT INTO contacts (id, account_id, name, role, custom, owner_id, created_at, updated_at)
SELECT gen_random_uuid(), a.id, '联系人' || k, 'buyer', '{}', a.owner_id, now(), now()
FROM accounts a CROSS JOIN generate_series(1, $1) k;
"""
ACTIVITIES = """
INSERT INTO activities (id, account_id, kind, subject, content, participants, occurred_at, owner_id, created_at)
SELECT gen_random_uuid(), a.id, 'call', '电话回访', '', ARRAY[]::varchar[], now() - k * interval '1 day',
       a.owner_id, now()
FROM accounts a CROSS JOIN generate_series(1, $1) k;
"""


async def generate(stack: Stack, accounts: int, owners: list[str]) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["CUSTOMER_DATABASE_URL"]))
    try:
        began = time.perf_counter()
        await conn.execute(GENERATE.split("INSERT")[0])
        await conn.execute(
            "INSERT" + GENERATE.split("INSERT", 1)[1], SURNAMES, WORDS, INDUSTRIES, PROVINCES, owners, accounts
        )
        await conn.execute(CONTACTS, 2)
        await conn.execute(ACTIVITIES, 5)
        await conn.execute("ANALYZE")
        row(
            f"generated {accounts:,} accounts, {2 * accounts:,} contacts, {5 * accounts:,} activities",
            f"{time.perf_counter() - began:,.0f} s",
        )
    finally:
        await conn.close()


async def timed(client: httpx.AsyncClient, url: str, token: str, queries: list[tuple[str, dict]]) -> list[float]:
    samples = []
    for query, variables in queries:
        began = time.perf_counter()
        response = await client.post(
            url, json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
        )
        samples.append((time.perf_counter() - began) * 1000)
        assert "errors" not in response.json(), response.text
    return samples


SEARCH = "query($s: String!) { accounts(filter: {search: $s}, first: 20) { edges { node { id name } } } }"
LIST = """query($l: String!, $i: String!) {
  accounts(filter: {level: $l, industry: $i}, orderBy: UPDATED_DESC, first: 20)
  { totalCount totalCountIsExact edges { node { id name } } } }"""
ROLES = ("rep1@example.com", "manager@example.com", "admin@example.com")  # own, team and everyone's scope
VIEW = """query($id: ID!) { account(id: $id) { name level owner { displayName email }
  contacts(first: 10) { totalCount edges { node { name } } } activities(first: 10) { edges { node { subject } } } } }"""


async def list_pages(stack: Stack, tokens: dict[str, str], n: int = 200, rounds: int = 3) -> None:
    """The filtered, sorted page with its count in every role's scope, a few rounds to show the spread."""
    async with httpx.AsyncClient(timeout=60) as client:
        for round_ in range(1, rounds + 1):
            for email, token in tokens.items():
                pages = [(LIST, {"l": random.choice("ABCD"), "i": random.choice(INDUSTRIES)}) for _ in range(n)]
                samples = await timed(client, stack.gateway_url, token, pages)
                row(
                    f"list page + count, {email.split('@')[0]}, round {round_}",
                    f"{percentiles(samples)} [goal p95 <= 50 ms]",
                )


async def figures(stack: Stack, token: str, n: int = 200) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        url = stack.gateway_url
        terms = [random.choice(SURNAMES) + random.choice(SURNAMES) for _ in range(n // 2)]
        terms += [random.choice(WORDS) for _ in range(n // 2)]
        row(
            "keyword search through the gateway",
            percentiles(await timed(client, url, token, [(SEARCH, {"s": t}) for t in terms])),
        )
        first = (
            await client.post(
                url, json={"query": SEARCH, "variables": {"s": "科技"}}, headers={"Authorization": f"Bearer {token}"}
            )
        ).json()
        ids = [e["node"]["id"] for e in first["data"]["accounts"]["edges"]]
        views = [(VIEW, {"id": random.choice(ids)}) for _ in range(n)]
        row("account 360 view through the gateway", percentiles(await timed(client, url, token, views)))
