"""Support figures on generated data: inbound mail to a visible ticket, knowledge-base search, the ticket list.

Articles and tickets are written straight into support's database with SQL; the articles' search vectors
are the suite's own (`crm_shared.text.tsvector`), computed once per title and text template.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from email.message import EmailMessage

import asyncpg
import httpx

from bench import memory
from bench.sales import _post, timed
from bench.stats import percentiles, row
from crm_shared.db import asyncpg_dsn
from crm_shared.devstack.run import Stack
from crm_shared.testing.smtp import send_mail
from crm_shared.text import tsvector

PRODUCTS = ["打印机", "路由器", "交换机", "服务器", "笔记本电脑", "显示器", "扫描仪", "投影仪"]
ISSUES = ["无法开机", "卡纸", "网络中断", "蓝屏", "驱动安装", "固件升级", "保修申请", "发票开具"]
ARTICLES = """
INSERT INTO kb_articles (id, status, title_zh, body_zh, title_en, body_en, tags, version, helpful, not_helpful,
                         search, published_at, created_at, updated_at)
SELECT gen_random_uuid(), 'published', ($2::text[])[1 + g % 64] || '（' || g || '）', ($3::text[])[1 + g % 64], '', '',
       ARRAY[]::varchar[], 1, g % 7, 0, CAST(($4::text[])[1 + g % 64] AS tsvector) || to_tsvector('simple', g::text),
       now(), now(), now() - (g % 1000) * interval '1 minute'
FROM generate_series(1, $1::int) g
"""
VERSIONS = """
INSERT INTO kb_article_versions (article_id, version, title_zh, body_zh, title_en, body_en, tags, published_at)
SELECT id, 1, title_zh, body_zh, '', '', tags, published_at FROM kb_articles WHERE id NOT IN (
  SELECT article_id FROM kb_article_versions)
"""
# 1 in 10 open (spread over the four open statuses), the rest resolved or closed; five types, four priorities
TICKETS = """
INSERT INTO tickets (id, number, subject, description, account_id, unknown_sender, type, priority, channel, tags,
                     status, review, escalation_level, created_at, updated_at)
SELECT gen_random_uuid(), 'LS' || lpad(g::text, 8, '0'), '列表工单 ' || g, '', gen_random_uuid(), false,
       (ARRAY['inquiry', 'fault', 'complaint', 'return', 'maintenance'])[1 + g % 5],
       (ARRAY['low', 'normal', 'high', 'urgent'])[1 + (g / 5) % 4], 'phone', '{}',
       CASE WHEN g % 10 = 0 THEN (ARRAY['new', 'open', 'pending_customer', 'on_hold'])[1 + (g / 10) % 4]
            WHEN g % 10 < 6 THEN 'closed' ELSE 'resolved' END,
       'none', 0, now() - (g % 100000) * interval '5 minutes', now()
FROM generate_series(1, $1::int) g
"""
SEARCH = "query($q: String!) { searchArticles(query: $q, first: 10) { id title } }"
FOUND = "query($s: String!) { tickets(filter: {search: $s}) { totalCount } }"
LIST = """query($t: TicketType, $p: TicketPriority) {
  tickets(filter: {open: true, type: $t, priority: $p}, first: 20) {
    totalCount edges { node { id number subject status priority createdAt } } } }"""


async def inbound_mail(stack: Stack, token: str, n: int = 40) -> None:
    """From the SMTP submission of a customer's mail to its ticket answering a gateway query."""
    run = uuid.uuid4().hex[:6]
    samples = []
    async with httpx.AsyncClient(timeout=60) as client:
        for i in range(n):
            subject = f"基准来信{run}号{i}"
            mail = EmailMessage()
            mail["From"], mail["To"], mail["Subject"] = f"bench{run}@example.cn", "support@crm.local", subject
            mail["Message-ID"] = f"<{run}-{i}@example.cn>"
            mail.set_content("打印机无法开机，请帮忙。")
            began = time.perf_counter()
            await send_mail(stack.ports.smtp, mail, f"bench{run}@example.cn", "support@crm.local")
            for _ in range(10_000):  # polled as a console would: the ticket shows up in the list
                found = await _post(client, stack.gateway_url, token, FOUND, {"s": subject})
                if found["tickets"]["totalCount"]:
                    break
                await asyncio.sleep(0.01)
            samples.append((time.perf_counter() - began) * 1000)
    row("inbound mail → ticket listed through the gateway", percentiles(samples) + "  [goal p95 ≤ 1 s]")


async def knowledge_base(stack: Stack, token: str, articles: int, n: int = 100) -> None:
    templates = [(p + i, f"请检查{p}的电源和网络连接；如仍{i}，请联系服务台。") for p in PRODUCTS for i in ISSUES]
    vectors = [tsvector(title, body) for title, body in templates]
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["SUPPORT_DATABASE_URL"]))
    try:
        began = time.perf_counter()
        await conn.execute(
            ARTICLES, articles, [t for t, _ in templates], [b for _, b in templates], vectors, timeout=3600
        )
        await conn.execute(VERSIONS, timeout=3600)
        await conn.execute("ANALYZE kb_articles; ANALYZE kb_article_versions")
        row(f"generated {articles:,} published articles", f"{time.perf_counter() - began:,.0f} s")
    finally:
        await conn.close()
    queries = [f"{PRODUCTS[k % 8]} {ISSUES[(k * 3) % 8]}" for k in range(n)]
    await memory.settled(stack)
    samples = []
    async with httpx.AsyncClient(timeout=60) as client:
        await _post(client, stack.gateway_url, token, SEARCH, {"q": queries[0]})
        for query in queries:
            began = time.perf_counter()
            found = await _post(client, stack.gateway_url, token, SEARCH, {"q": query})
            samples.append((time.perf_counter() - began) * 1000)
            assert found["searchArticles"], query
    row(f"knowledge-base search, {articles:,} articles", percentiles(samples) + "  [goal p95 ≤ 50 ms]")


async def ticket_list(stack: Stack, token: str, tickets: int, n: int = 100) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["SUPPORT_DATABASE_URL"]))
    try:
        began = time.perf_counter()
        await conn.execute(TICKETS, tickets, timeout=3600)
        # the table as autovacuum leaves it within a minute of the insert: the visibility map that lets the
        # open queue's count read its index alone, and fresh statistics
        await conn.execute("VACUUM ANALYZE tickets", timeout=3600)
        row(f"generated {tickets:,} tickets (1 in 10 open)", f"{time.perf_counter() - began:,.0f} s")
    finally:
        await conn.close()
    await memory.settled(stack)
    samples = []
    filters = [(t, p) for t in ("FAULT", "COMPLAINT", "INQUIRY") for p in ("HIGH", "URGENT", "NORMAL")]
    async with httpx.AsyncClient(timeout=60) as client:
        for k in range(n + 2):
            t, p = filters[k % len(filters)]
            began = time.perf_counter()
            await _post(client, stack.gateway_url, token, LIST, {"t": t, "p": p})
            if k >= 2:  # the first two warm the connections
                samples.append((time.perf_counter() - began) * 1000)
        row(f"ticket list, open + type + priority, {tickets:,} tickets", percentiles(samples) + "  [goal p95 ≤ 50 ms]")
        search = '{ tickets(filter: {search: "LS00012345"}, first: 20) { edges { node { id number } } } }'
        found = await timed(client, stack.gateway_url, token, search, 20)  # each one reads every subject: fewer
        row("ticket list, search by number, same data", percentiles(found))
