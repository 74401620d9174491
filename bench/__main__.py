"""`make bench`: start a private stack on free ports, then print throughput and latency figures."""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

import httpx

from bench import automation as automation_bench
from bench import automation_timers, automation_webhooks, memory, support_data
from bench import journeys as journeys_bench
from bench import sales as sales_bench
from bench import segments as segments_bench
from bench import sending as sending_bench
from bench import support as support_bench
from bench import users as users_bench
from bench.console import account_360, unavailable
from bench.customer import ROLES, figures, generate, list_pages
from bench.events import end_to_end_latency, relay_throughput
from bench.gateway import gateway_overhead
from bench.identity import authorization_cost, hash_time, login_throughput
from bench.imports import import_rates
from crm_shared.config import PlatformSettings
from crm_shared.db import Database
from crm_shared.devstack.run import Ports, Stack
from crm_shared.testing import migrated_database

ROOT = Path(__file__).resolve().parents[1]


def login(stack: Stack, email: str = "rep1@example.com") -> str:
    query = f'mutation {{ login(input: {{email: "{email}", password: "crm-demo"}}) {{ accessToken }} }}'
    body = httpx.post(stack.gateway_url, json={"query": query}, timeout=30).json()
    return str(body["data"]["login"]["accessToken"])


async def owner_ids(stack: Stack) -> list[str]:
    """The ids of rep1, rep2 and the manager, who sees both reps' data."""
    owners = []
    async with httpx.AsyncClient(timeout=30) as client:
        for email in ("rep1@example.com", "rep2@example.com", "manager@example.com"):
            token = login(stack, email)
            me = await client.post(
                stack.gateway_url, json={"query": "{ me { id } }"}, headers={"Authorization": f"Bearer {token}"}
            )
            owners.append(me.json()["data"]["me"]["id"])
    return owners


async def customers(stack: Stack, accounts: int, import_rows: int) -> None:
    print("\nCustomers", flush=True)
    owners = await owner_ids(stack)
    await generate(stack, accounts, owners)
    rep = login(stack, "manager@example.com")  # after the data: generating it on a busy machine outlasts a token
    await figures(stack, rep)
    await list_pages(stack, {email: login(stack, email) for email in ROLES})
    await import_rates(stack, login(stack, "manager@example.com"), import_rows)


async def sales(stack: Stack, opportunities: int) -> None:
    print("\nSales", flush=True)
    manager = login(stack, "manager@example.com")
    owners = await owner_ids(stack)
    await sales_bench.generate(stack, opportunities, owners)
    await sales_bench.figures(stack, manager)
    await sales_bench.lead_assignment(stack, manager, owners)
    await sales_bench.conversion_saga(stack, manager)


async def support(stack: Stack, tickets: int, articles: int, listed: int) -> None:
    print("\nSupport", flush=True)
    await support_bench.breach_detection(stack, login(stack, "admin@example.com"), tickets)
    # a fresh sign-in per part: a whole run outlasts an access token
    await support_data.inbound_mail(stack, login(stack, "admin@example.com"))
    await support_data.knowledge_base(stack, login(stack, "admin@example.com"), articles)
    await support_data.ticket_list(stack, login(stack, "admin@example.com"), listed)


async def run(stack: Stack, scale: int) -> None:
    platform = PlatformSettings(kafka_bootstrap_servers=stack.broker.bootstrap, outbox_poll_seconds=0.05)
    db: Database = await migrated_database(stack.postgres, "identity")
    print("\nEvents", flush=True)
    print(f"  the stack settled in {memory.settle(stack):.0f} s after it started", flush=True)
    await relay_throughput(db, platform, 20 * scale)
    await end_to_end_latency(db, platform, scale)
    await db.dispose()
    print("\nGateway", flush=True)
    token = login(stack)
    admin = login(stack, "admin@example.com")
    await gateway_overhead(stack, admin, 2 * scale)
    await gateway_overhead(stack, admin, scale // 2, concurrency=1)  # what a request adds when none queues
    print("\nIdentity", flush=True)
    await hash_time()
    await login_throughput(stack, max(40, scale // 10))
    await authorization_cost(stack, token, 2 * scale)


async def marketing(stack: Stack, contacts: int, waiting: int, mails: int, recipients: int) -> None:
    print("\nMarketing", flush=True)
    await sending_bench.figures(stack.postgres, mails, recipients)
    await journeys_bench.journey_timers(stack, login(stack, "marketer@example.com"), waiting)
    await segments(stack, contacts)


async def segments(stack: Stack, contacts: int) -> None:
    """Marketing's segment figures on `contacts` generated contacts."""
    rep1 = (await owner_ids(stack))[0]
    accounts = await segments_bench.generate(stack, contacts, rep1)
    token = login(stack, "marketer@example.com")
    await segments_bench.membership_latency(stack, token, accounts, rep1)
    await segments_bench.live_count(stack, login(stack, "marketer@example.com"))


async def automation(stack: Stack, events: int, accounts: int, waiting: int, deliveries: int) -> None:
    print("\nAutomation", flush=True)
    # a fresh sign-in per part: a whole run outlasts an access token
    await automation_bench.rule_engine_rate(stack, login(stack, "admin@example.com"), events)
    await automation_bench.trigger_to_action(stack, login(stack, "admin@example.com"), accounts)
    await automation_timers.timers(stack, login(stack, "admin@example.com"), waiting)
    await automation_webhooks.webhooks(stack, login(stack, "admin@example.com"), deliveries)


def people(stack: Stack, steps: list[int], hold: float) -> None:
    print("\nPeople at work (Locust through the gateway, each acting every 10 s on average)", flush=True)
    asyncio.run(users_bench.prepare(stack.env["IDENTITY_DATABASE_URL"], max(steps)))
    memory.report("idle, before the load", memory.snapshot(stack))
    with memory.Peak(stack) as peak:
        users_bench.simulate(stack.gateway_url, steps, hold, memory.roots(stack))
    memory.report("at its highest under the load", peak.highest)


def console(stack: Stack, skipped: str | None) -> None:
    print("\nConsole", flush=True)
    if skipped:
        print(f"  skipped: {skipped}", flush=True)
    else:
        account_360(stack)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1000, help="events for latency; x20 for throughput")
    parser.add_argument(
        "--accounts", type=int, default=1_000_000, help="generated accounts (x2 contacts, x5 activities)"
    )
    parser.add_argument("--import-rows", type=int, default=100_000, help="accounts imported, then a contact for each")
    parser.add_argument(
        "--opportunities",
        type=int,
        default=1_000_000,
        help="generated opportunities (~3.4 stage visits each)",
    )
    parser.add_argument(
        "--tickets", type=int, default=2000, help="open tickets whose SLA targets pass (100000 for the full figure)"
    )
    parser.add_argument("--articles", type=int, default=100_000, help="published knowledge-base articles searched")
    parser.add_argument(
        "--listed-tickets", type=int, default=1_000_000, help="tickets under the ticket list's filters (1 in 10 open)"
    )
    parser.add_argument("--mails", type=int, default=20_000, help="mails in the email send rate figure")
    parser.add_argument(
        "--contacts", type=int, default=1_000_000, help="contacts in marketing's segment projection (--quick: 20000)"
    )
    parser.add_argument(
        "--journey-waiting", type=int, default=100_000, help="people waiting in a journey while its timers fire"
    )
    parser.add_argument("--quick", action="store_true", help="marketing on 20,000 contacts instead of a million")
    parser.add_argument(
        "--recipients", type=int, default=1_000_000, help="recipients of the large send killed and restarted midway"
    )
    parser.add_argument(
        "--rule-events", type=int, default=20_000, help="events through automation's rule engine (200 active rules)"
    )
    parser.add_argument("--rule-accounts", type=int, default=100, help="accounts created, each starting a rule's task")
    parser.add_argument(
        "--waiting-runs", type=int, default=100_000, help="workflow runs waiting on a timer, through a kill and restart"
    )
    parser.add_argument("--webhook-events", type=int, default=500, help="events delivered to a local webhook receiver")
    parser.add_argument("--users", default="100,250,500,1000", help="simulated people, step by step, in the load test")
    parser.add_argument("--users-hold", type=float, default=60.0, help="seconds measured at each step of people")
    parser.add_argument(
        "--only",
        choices=[
            "platform",
            "console",
            "users",
            "customer",
            "sales",
            "support",
            "marketing",
            "sending",
            "segments",
            "automation",
        ],
        help="run one group of figures (sending, segments: only marketing's email sending or segment figures)",
    )
    args = parser.parse_args()
    # the import figure is for a file far above the default upload limits
    os.environ.setdefault("CRM_UPLOAD_MAX_BYTES", str(200 * args.import_rows))
    os.environ.setdefault("CRM_IMPORT_MAX_ROWS", str(args.import_rows))
    with tempfile.TemporaryDirectory(prefix="crm-bench-") as data:
        # the console as `make run` serves it, when there are a Chromium to drive and a build to serve
        skipped = unavailable(ROOT)
        serve = args.only in (None, "console") and skipped is None
        stack = Stack(ROOT, Path(data), Ports.free(), console=serve)
        # the figures measure the stack, from a few demo users: their per-user quotas would measure themselves
        stack.env.update(CRM_RATE_LIMIT_PER_MINUTE="0", CRM_DB_SESSIONS_PER_CALLER="20")
        # the load test's people come from addresses of their own, as through a proxy: from one address,
        # a thousand sign-ins would be a password spray to the sign-in lockout
        stack.env.update(CRM_GATEWAY_TRUSTED_PROXIES="127.0.0.1")
        try:
            stack.start()
            if args.only in (None, "platform"):
                asyncio.run(run(stack, args.scale))
            if args.only in (None, "console"):  # on the demo data, before the generated accounts
                console(stack, skipped)
            if args.only in (None, "users"):  # on the demo data, before the generated millions
                people(stack, [int(n) for n in args.users.split(",")], args.users_hold)
            if args.only in (None, "customer"):
                asyncio.run(customers(stack, args.accounts, args.import_rows))
            if args.only in (None, "sales"):
                asyncio.run(sales(stack, args.opportunities))
            if args.only in (None, "support"):
                asyncio.run(support(stack, args.tickets, args.articles, args.listed_tickets))
            if args.only == "sending":
                print("\nMarketing", flush=True)
                asyncio.run(sending_bench.figures(stack.postgres, args.mails, args.recipients))
            if args.only == "segments":
                print("\nMarketing", flush=True)
                asyncio.run(segments(stack, 20_000 if args.quick else args.contacts))
            if args.only in (None, "marketing"):
                asyncio.run(
                    marketing(
                        stack,
                        20_000 if args.quick else args.contacts,
                        args.journey_waiting,
                        args.mails,
                        args.recipients,
                    )
                )
            if args.only in (None, "automation"):
                asyncio.run(
                    automation(stack, args.rule_events, args.rule_accounts, args.waiting_runs, args.webhook_events)
                )
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
