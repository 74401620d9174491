"""Customer import figures: a CSV of accounts with their phone and email, then one of their contacts, each
imported through the REST upload into the generated accounts, with the processor time each row cost."""

from __future__ import annotations

import asyncio
import csv
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil

from bench.customer import INDUSTRIES, PROVINCES
from bench.memory import cpu_ms, roots, settle
from bench.stats import row
from crm_shared.devstack.run import Stack

ACCOUNT_HEADERS = ["客户名称", "行业", "省份", "等级", "电话", "邮箱", "标签"]
CONTACT_HEADERS = ["姓名", "职位", "客户名称", "手机", "邮箱"]


def account_rows(count: int, tag: str) -> Iterator[list[str]]:
    for i in range(count):
        yield [
            f"导入测试{tag}{i}号商贸有限公司",
            random.choice(INDUSTRIES),
            random.choice(PROVINCES),
            random.choice("ABCD"),
            f"13{(int(tag, 16) + i) % 10**9:09d}",  # none repeated: a skipped account would fail its contact's batch
            f"buyer{i}@{tag}.example.cn",
            "展会",
        ]


def contact_rows(count: int, tag: str) -> Iterator[list[str]]:
    """One buyer for each account of `account_rows`."""
    for i in range(count):
        yield [
            f"联系人{i}",
            "采购经理",
            f"导入测试{tag}{i}号商贸有限公司",
            f"15{i:09d}",
            f"contact{i}@{tag}.example.cn",
        ]


async def import_rates(stack: Stack, token: str, count: int) -> None:
    """Accounts, then a contact for each of them: rows/s, and the service's and PostgreSQL's CPU per row."""
    tag = f"{random.randrange(16**6):06x}"
    await import_rate(stack, token, "accounts", ACCOUNT_HEADERS, account_rows(count, tag), count)
    await import_rate(stack, token, "contacts", CONTACT_HEADERS, contact_rows(count, tag), count)


async def import_rate(
    stack: Stack, token: str, entity: str, header: list[str], lines: Iterator[list[str]], count: int
) -> None:
    """Duplicate policy "skip", so every row is looked for among the existing ones."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{entity}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(lines)
        parts = roots(stack)
        service = psutil.Process(parts["customer"])
        base = f"{stack.service_url('customer')}/api/v1"
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(timeout=600) as client:
            before, began = cpu_ms(parts), time.perf_counter()
            with path.open("rb") as handle:
                response = await client.post(
                    f"{base}/imports/{entity}",
                    headers=headers,
                    files={"file": (path.name, handle, "text/csv")},
                    data={"duplicate_policy": "skip", "batch_size": "2000"},
                )
            job = response.json()
            peak = service.memory_info().rss
            while job["status"] in ("pending", "running"):
                await asyncio.sleep(0.5)
                peak = max(peak, service.memory_info().rss)
                job = (await client.get(f"{base}/imports/{job['id']}", headers=headers)).json()
            elapsed = time.perf_counter() - began
            await asyncio.to_thread(settle, stack)  # the other services apply the rows' events: their share
            spent = {name: (ms - before[name]) / count for name, ms in cpu_ms(parts).items()}
    row(
        f"CSV import of {count:,} {entity} ({job['status']}, {job['created_rows']:,} created, "
        f"{job['failed_rows']:,} failed)",
        f"{job['processed_rows'] / elapsed:,.0f} rows/s; peak service memory {peak / 2**20:,.0f} MiB "
        "[goal >= 10,000 rows/s]",
    )
    # from the upload until the stack is at rest again, a few idle seconds (~0.35 s of CPU each) included
    shares = ", ".join(f"{name} {ms:.3f}" for name, ms in sorted(spent.items(), key=lambda i: -i[1]) if ms >= 0.0005)
    print(f"    CPU a row, until every service applied its events: {sum(spent.values()):.3f} ms ({shares})", flush=True)
