"""Marketing's figures: the email send rate to a local SMTP server, and a large send with a kill and restart.

The campaign's send rows are written straight into a fresh marketing database (as `sendCampaign` leaves
them: personalised recipients, a template with tracking links), then the campaign sender runs in a child
process of its own, as in the service, against an SMTP server that keeps only each mail's Message-ID: a
sink that parsed and kept a million mails would measure itself. `python -m bench.sending send URL PORT`
is that child.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import text

from bench.stats import row
from crm_shared.config import PlatformSettings
from crm_shared.crypto import encrypt
from crm_shared.db import Database
from crm_shared.devstack.broker import free_port
from crm_shared.devstack.postgres import PostgresServer
from crm_shared.devstack.smtp import Pipelining
from crm_shared.testing import migrated_database

ROOT = Path(__file__).resolve().parents[1]
MESSAGE_ID = re.compile(rb"^Message-ID:\s*<([^>]+)>", re.IGNORECASE | re.MULTILINE)
HTML = (
    "<html><body><p>尊敬的{{ contact.name }}（{{ account.name }}）：</p><p>{{ campaign.name }}，新品上市。</p>"
    '<p><a href="https://example.com/products/new">查看新品</a> <a href="https://example.com/offer">领取优惠</a></p>'
    '<p><a href="{{ unsubscribe_url }}">退订</a></p></body></html>'
)
TEXT = "尊敬的{{ contact.name }}：新品上市 https://example.com/products/new 退订：{{ unsubscribe_url }}"


class Counting(Pipelining):
    """An SMTP server's handler that keeps each accepted mail's Message-ID, and when the first and last came."""

    def __init__(self) -> None:
        self.ids: Counter[bytes] = Counter()
        self.first = self.last = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        head = bytes(envelope.content).split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(head)
        with self.lock:
            self.ids[found.group(1) if found else b""] += 1
            self.last = time.monotonic()
            self.first = self.first or self.last
        return "250 Message accepted"

    @property
    def received(self) -> int:
        return sum(self.ids.values())


async def prepare(db: Database, recipients: int) -> None:
    """A campaign with `recipients` queued mails to contacts with names and accounts, as a send leaves them."""
    addresses = [encrypt(f"r{i}@example.cn") for i in range(1000)]
    unbounded = Database(db.url, db.source, PlatformSettings(db_statement_timeout_ms=0))  # a million rows outlast it
    async with unbounded.unit_of_work() as uow:
        run = uow.session.execute
        campaign = uuid.uuid4()
        await run(
            text(
                "insert into campaigns (id, name, type, status, starts_on, ends_on, description, currency, owner_id,"
                " language, budget_status, created_at, updated_at, send_queued_at)"
                " values (:id, '春季新品 Spring launch', 'email', 'running', current_date, current_date + 30, '',"
                " 'CNY', :owner, 'zh-CN', 'approved', now(), now(), now())"
            ),
            {"id": campaign, "owner": uuid.uuid4()},
        )
        await run(
            text(
                "insert into campaign_contents (campaign_id, subject, html, text, links) values (:id,"
                " '{{ contact.name }}，{{ campaign.name }}', :html, :text,"
                ' \'["https://example.com/products/new", "https://example.com/offer"]\'::jsonb)'
            ),
            {"id": campaign, "html": HTML, "text": TEXT},
        )
        await run(
            text(
                "insert into account_refs (id, name, owner_id, in_pool, deleted, updated_at) select"
                " gen_random_uuid(), '示例客户' || g, null, false, false, now() from generate_series(1, 1000) g"
            )
        )
        await run(
            text(
                "insert into audience_contacts (id, account_id, name, deleted, updated_at)"
                " select gen_random_uuid(), a.id, '客户' || g, false, now() from generate_series(1, :n) g"
                " join (select id, row_number() over () - 1 as k from account_refs) a on a.k = g % 1000"
            ),
            {"n": recipients},
        )
        await run(
            text(
                "insert into campaign_sends (id, campaign_id, contact_id, to_enc, message_id, status, attempts,"
                " next_attempt_at, created_at) select s.sid, :campaign, s.id,"
                " (cast(:addresses as text[]))[1 + s.n % 1000], replace(s.sid::text, '-', '') || '@crm.local',"
                " 'queued', 0, now(), now() from (select"
                " gen_random_uuid() as sid, id, row_number() over () as n from audience_contacts) s"
            ),
            {"campaign": campaign, "addresses": addresses},
        )
    await unbounded.dispose()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sender(url: str, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, MARKETING_SMTP_PORT=str(port), MARKETING_PUBLIC_BASE_URL="https://mail.example.com")
    return subprocess.Popen([sys.executable, "-m", "bench.sending", "send", url, str(port)], cwd=ROOT, env=env)


async def queued(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(text("select count(*) from campaign_sends where status = 'queued'")) or 0)


def wait_for(sink: Counting, count: int, child: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while sink.received < count and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)


async def send_rate(server: PostgresServer, messages: int) -> None:
    db = await migrated_database(server, "marketing")
    await prepare(db, messages)
    sink = Counting()
    port = free_port()
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    child = sender(db.url, port)
    try:
        wait_for(sink, messages, child, timeout=messages / 20 + 60)
        rate = (sink.received - 1) / max(sink.last - sink.first, 1e-9)
        busy = cpu_seconds(child.pid) * 1000 / max(sink.received, 1)
        load = os.getloadavg()[0]
        row(f"email send rate, {messages:,} personalised mails", f"{rate:,.0f} messages/s [goal ≥ 500]")
        row("sender CPU per mail; load average", f"{busy:.2f} ms; {load:.1f} on {os.cpu_count()} cores")
    finally:
        child.terminate()
        child.wait(30)
        smtp.stop()
        await db.dispose()


async def large_send(server: PostgresServer, recipients: int) -> None:
    db = await migrated_database(server, "marketing")
    started = time.monotonic()
    await prepare(db, recipients)
    row(f"large send: {recipients:,} queued mails written", f"{time.monotonic() - started:,.0f} s")
    sink = Counting()
    port = free_port()
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    child = sender(db.url, port)
    try:
        wait_for(sink, min(2000, recipients // 10), child, timeout=600)
        early = rss_mib(child.pid)
        wait_for(sink, recipients // 2, child, timeout=recipients / 20 + 60)
        late = rss_mib(child.pid)
        child.send_signal(signal.SIGKILL)  # midway, wherever it is: between the relay's 250 and the commit or not
        child.wait()
        killed_at, left = sink.received, await queued(db)
        child = sender(db.url, port)
        wait_for(sink, recipients, child, timeout=recipients / 20 + 600)
        for _ in range(1200):  # the last batch is marked after the relay took it
            if not await queued(db) or child.poll() is not None:
                break
            await asyncio.sleep(0.5)
        restarted = rss_mib(child.pid)
        distinct = len(sink.ids)
        resent = sink.received - distinct
        memory = f"{early:,.0f} / {late:,.0f} / {restarted:,.0f} MiB"
        row("sender memory (RSS) early / at the kill / after restart", memory)
        row("killed after the relay had taken", f"{killed_at:,} mails; {left:,} left queued")
        row(
            "lost / repeated after the kill and restart",
            f"{recipients - distinct:,} / {resent:,} [goal 0 and 0] (each repeat under its first Message-ID)",
        )
        row("whole send", f"{recipients / (time.monotonic() - started):,.0f} messages/s including the restart")
    finally:
        if child.poll() is None:
            child.terminate()
            child.wait(30)
        smtp.stop()
        await db.dispose()


async def figures(server: PostgresServer, messages: int, recipients: int) -> None:
    await send_rate(server, messages)
    await large_send(server, recipients)


async def send_forever(url: str) -> None:
    """The child: the campaign sender's runs back to back, as the service's scheduler runs them."""
    from crm_shared.service import RunAgain
    from marketing.sending.sender import CampaignSender
    from marketing.settings import MarketingSettings

    db = Database(url, source="/crm/marketing")
    job = CampaignSender(MarketingSettings())
    while True:
        async with db.unit_of_work() as uow:
            outcome = await job.run(uow)
        if not isinstance(outcome, RunAgain):
            await asyncio.sleep(0.2)


if __name__ == "__main__":
    if sys.argv[1:2] == ["send"]:
        asyncio.run(send_forever(sys.argv[2]))
