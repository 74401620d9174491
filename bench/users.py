"""People at work through the gateway, simulated by Locust: reps searching and opening accounts, logging
calls, creating and moving opportunities and completing tasks; managers on their dashboard and board;
agents on their queue and tickets; marketers on their campaigns and segments. Each signs in as a user of
their own and acts every 10 s on average, sending the console's own GraphQL documents (read from
`web/src/features/*/operations.ts`), so the load is what the screens ask for.

`make bench` creates the users (`prepare`) and runs this module in a child process (Locust patches the
standard library for gevent), which prints, for each step of users, p50, p95, mean and error rate per step
a person takes, and the number of users at which p95 first passes 1 s. It also prints the processor time
the stack spent per step at each count: 2 cores divided by it is how many steps a second, and so how many
people, the suite can serve at most on this machine, however loaded it is by other work meanwhile.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "crm-bench-load"
# share of each kind of person among the simulated users, with their role and organisation unit
PEOPLE = {
    "rep": (60, "sales_rep", "华东销售一组 East Team 1"),
    "manager": (5, "sales_manager", "华东销售一组 East Team 1"),
    "agent": (20, "service_agent", "客服一组 Service Desk"),
    "marketer": (15, "marketing", "市场部 Marketing"),
}
P95_LIMIT_MS = 1000.0
SIGN_IN_ATTEMPTS = 5  # a refused sign-in is tried again after a moment, as a person would
# the sections Account 360 asks for when the signed-in person may read them (the console's `accountVariables`):
# a representative may read them all
SECTIONS = ("Contacts", "Activities", "Tasks", "Opportunities", "Receivables", "Sales")
ACCOUNT_SECTIONS = {f"with{section}": True for section in SECTIONS}
IDLE_SECONDS = 10.0  # the stack's background work (consumers polling, schedules) is measured this long first


def email(kind: str, n: int) -> str:
    return f"load.{kind}{n}@example.com"


def headcount(users: int) -> dict[str, int]:
    """How many of each kind of person `users` simulated users are (each signs in as a user of their own)."""
    total = sum(share for share, *_ in PEOPLE.values())
    counts = {kind: max(1, users * share // total) for kind, (share, *_) in PEOPLE.items()}
    counts["rep"] = max(1, counts["rep"] + users - sum(counts.values()))
    return counts


async def prepare(database_url: str, users: int) -> None:
    """Create the simulated people in identity through its service layer (their events reach the other
    services as any new user's do); users that exist from an earlier step are kept."""
    from sqlalchemy import select

    from crm_shared.db import Database
    from identity.org.models import OrgUnit
    from identity.users import service as accounts
    from identity.users.service import NewUser

    db = Database(database_url, source="/crm/bench")
    try:
        async with db.unit_of_work() as uow:
            units = {u.name: u.id for u in (await uow.session.scalars(select(OrgUnit))).all()}
        for kind, count in headcount(users).items():
            _, role, unit = PEOPLE[kind]
            for first in range(0, count, 50):
                async with db.unit_of_work() as uow:
                    for n in range(first, min(first + 50, count)):
                        if await accounts.find_by_email(uow, email(kind, n)) is None:
                            person = NewUser(email(kind, n), f"压测{kind}{n}", PASSWORD, [role], units[unit])
                            await accounts.create(uow, None, person)
    finally:
        await db.dispose()


def console_documents() -> dict[str, str]:
    """The console's operations by name, each with the fragments it spreads (from any feature)."""
    blocks: list[str] = []
    for path in sorted((ROOT / "web/src/features").glob("*/operations.ts")):
        blocks += re.findall(r"graphql\(`(.*?)`\)", path.read_text(), re.S)
    definitions: dict[str, str] = {}
    for block in blocks:
        for match in re.finditer(r"^\s*(query|mutation|fragment)\s+(\w+)", block, re.M):
            start = match.start()
            rest = block[match.end() :]
            following = re.search(r"^\s*(query|mutation|fragment)\s+\w+", rest, re.M)
            end = match.end() + (following.start() if following else len(rest))
            definitions[match.group(2)] = block[start:end].strip()
    documents: dict[str, str] = {}
    for name, text in definitions.items():
        if text.startswith("fragment"):
            continue
        parts, spread = [text], set(re.findall(r"\.\.\.(\w+)", text))
        seen: set[str] = set()
        while spread - seen:
            fragment = (spread - seen).pop()
            seen.add(fragment)
            parts.append(definitions[fragment])
            spread |= set(re.findall(r"\.\.\.(\w+)", definitions[fragment]))
        documents[name] = "\n".join(parts)
    return documents


def run(host: str, steps: list[int], hold: float, spawn_rate: float, parts: dict[str, int]) -> None:
    """Step through the user counts, each held for `hold` seconds once all have signed in; `parts` are the
    stack's processes (see `memory.roots`) whose processor time each step is charged."""
    import gevent
    from locust import FastHttpUser, between, task
    from locust.env import Environment
    from locust.exception import StopUser

    from bench.memory import cpu_ms

    documents = console_documents()
    numbers = {kind: itertools.count() for kind in PEOPLE}
    # Locust rounds each kind's share its own way and starts users anew between steps: a simulated user
    # signs in as the next person of its kind, wrapping round to one already signed in when it runs out
    people = headcount(max(steps))
    started = itertools.count(1)
    at_work: list[int] = []  # one entry for each person who has signed in and taken their first steps

    class Person(FastHttpUser):
        abstract = True
        kind = ""
        wait_time = between(5, 15)  # every 10 s on average

        def on_start(self) -> None:
            self.token = ""
            self.me = ""
            n = next(started)
            self.address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"  # each person at a desk of their own
            person = email(self.kind, next(numbers[self.kind]) % people[self.kind])
            for _ in range(SIGN_IN_ATTEMPTS):  # refused (a service briefly unavailable): a person tries again
                login = self.graphql("sign in", documents["Login"], {"input": {"email": person, "password": PASSWORD}})
                self.token = login["login"]["accessToken"] if login else ""
                me = self.graphql("who am I", "query Me { me { id } }", {}) if login else None
                if me:
                    self.me = me["me"]["id"]
                    break
                gevent.sleep(random.uniform(1, 3))
            if not self.me:  # gave up: someone who never got in does not act as if they had
                at_work.append(n)
                raise StopUser()
            try:
                self.first_steps()
            finally:
                at_work.append(n)

        def first_steps(self) -> None:
            """What a person does on sitting down, before their day's work is measured."""

        def graphql(self, step: str, query: str, variables: dict[str, Any]) -> dict[str, Any] | None:
            headers = {"X-Forwarded-For": self.address}
            if self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            with self.client.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers=headers,
                name=step,
                catch_response=True,
            ) as response:
                body = response.json() if response.status_code == 200 else None
                if body is None or body.get("errors"):
                    # a refused connection carries its error; an HTTP error its body
                    detail = getattr(response, "error", None) or (response.text or "")[:120]
                    failed = f"HTTP {response.status_code} {detail}".strip()
                    errors = (body or {}).get("errors") or [{"message": failed}]
                    response.failure(errors[0].get("message", "error")[:200])
                    return None
                return body["data"]

    class Rep(Person):
        weight, kind = PEOPLE["rep"][0], "rep"

        def first_steps(self) -> None:
            self.accounts: list[str] = []
            self.deals: list[tuple[str, int]] = []
            pipelines = self.graphql("open the board", documents["Pipelines"], {})
            default = [p for p in pipelines["pipelines"] if p["isDefault"]] if pipelines else []
            # the stages a deal with an amount and a close date may enter without a contact
            self.stages = (
                [s["id"] for s in default[0]["stages"] if "contact_id" not in s["requiredFields"]] if default else []
            )
            self.new_account()

        def new_account(self) -> None:
            name = f"负载客户{uuid.uuid4().hex[:10]}"
            made = self.graphql("create an account", documents["CreateAccount"], {"input": {"name": name}})
            if made:
                self.accounts.append(made["createAccount"]["id"])

        @task(4)
        def search(self) -> None:
            self.graphql("search accounts", documents["Accounts"], {"filter": {"search": "负载"}})

        @task(3)
        def open_account(self) -> None:
            if self.accounts:
                account = {"id": random.choice(self.accounts), **ACCOUNT_SECTIONS}
                self.graphql("open an account (360)", documents["Account"], account)

        @task(2)
        def log_call(self) -> None:
            if self.accounts:
                call = {"accountId": random.choice(self.accounts), "kind": "call", "subject": "电话回访"}
                self.graphql("log a call", documents["LogActivity"], {"input": call})

        @task(1)
        def create_deal(self) -> None:
            if self.accounts and self.stages:
                deal = {
                    "name": f"负载商机{uuid.uuid4().hex[:8]}",
                    "accountId": random.choice(self.accounts),
                    "amount": "120000.00",
                    "expectedCloseDate": (date.today() + timedelta(days=60)).isoformat(),
                }
                made = self.graphql("create an opportunity", CREATE_OPPORTUNITY, {"input": deal})
                if made:
                    self.deals.append((made["createOpportunity"]["id"], 0))

        @task(2)
        def move_deal(self) -> None:
            if self.deals:
                deal, at = self.deals.pop(0)
                if at + 1 < len(self.stages):
                    moved = self.graphql(
                        "move an opportunity",
                        documents["MoveOpportunity"],
                        {"id": deal, "stageId": self.stages[at + 1]},
                    )
                    if moved:
                        self.deals.append((deal, at + 1))

        @task(1)
        def complete_task(self) -> None:
            due = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
            made = self.graphql(
                "create a task", documents["CreateTask"], {"input": {"title": "回访客户", "dueAt": due}}
            )
            if made:
                self.graphql("complete a task", documents["CompleteTask"], {"id": made["createTask"]["id"]})

        @task(2)
        def dashboard(self) -> None:
            today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
            window = {"dueFrom": today.isoformat(), "dueTo": (today + timedelta(days=1)).isoformat()}
            month = date.today().strftime("%Y-%m")
            self.graphql("rep home", documents["RepDashboard"], {"me": self.me, "month": month, "today": window})

    class Manager(Person):
        weight, kind = PEOPLE["manager"][0], "manager"

        @task(3)
        def dashboard(self) -> None:
            today = date.today()
            quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
            self.graphql(
                "manager home (funnel, forecast, targets)",
                documents["ManagerDashboard"],
                {"month": today.strftime("%Y-%m"), "quarter": quarter},
            )

        @task(2)
        def board(self) -> None:
            self.graphql("team board", documents["Board"], {"filter": {"status": "open"}})

    class Agent(Person):
        weight, kind = PEOPLE["agent"][0], "agent"

        @task(3)
        def queue(self) -> None:
            found = self.graphql(
                "ticket queue", documents["Tickets"], {"filter": {"open": True}, "orderBy": "CREATED_DESC"}
            )
            self.tickets = [e["node"]["id"] for e in found["tickets"]["edges"]] if found else []

        @task(2)
        def open_ticket(self) -> None:
            if getattr(self, "tickets", None):
                self.graphql("open a ticket", documents["Ticket"], {"id": random.choice(self.tickets)})

    class Marketer(Person):
        weight, kind = PEOPLE["marketer"][0], "marketer"

        @task(2)
        def home(self) -> None:
            self.graphql(
                "marketing home",
                documents["MarketingHome"],
                {
                    "mine": {"ownerId": self.me},
                    "waiting": {"budgetStatus": ["SUBMITTED"]},
                    "email": {"type": ["EMAIL"]},
                },
            )

        @task(2)
        def campaigns(self) -> None:
            self.graphql("campaign list", documents["Campaigns"], {})

        @task(1)
        def segments(self) -> None:
            self.graphql("segment list", documents["Segments"], {})

    start = cpu_ms(parts)
    gevent.sleep(IDLE_SECONDS)
    idle = {name: (ms - start.get(name, 0.0)) / IDLE_SECONDS for name, ms in cpu_ms(parts).items()}
    env = Environment(user_classes=[Rep, Manager, Agent, Marketer], host=host)
    runner = env.create_local_runner()
    crossed: int | None = None
    for users in steps:
        arriving = len(at_work) + users - runner.user_count
        runner.start(users, spawn_rate=spawn_rate)
        began = time.monotonic()
        # every person signed in and at work, and the rush of their first steps over, before measuring
        while len(at_work) < arriving and time.monotonic() - began < 600:
            gevent.sleep(1)
        gevent.sleep(10)
        signing_in = env.stats.get("sign in", "POST")
        refused = [e for e in env.stats.errors.values() if e.name == "sign in"]
        print(
            f"  {users:>5} users: {signing_in.num_requests - signing_in.num_failures} signed in, in "
            f"{signing_in.num_requests} attempts"
            + "".join(f"; x{e.occurrences}: {str(e.error)[:160]}" for e in refused),
            flush=True,
        )
        env.stats.reset_all()
        before = cpu_ms(parts)
        gevent.sleep(hold)
        total = env.stats.total
        spent = {name: ms - before.get(name, 0.0) for name, ms in cpu_ms(parts).items()}
        p95 = total.get_response_time_percentile(0.95) or 0.0
        print(
            f"  {users:>5} users, {hold:.0f} s: {total.num_requests} steps, {total.total_rps:.1f}/s, "
            f"p50 {total.median_response_time:.0f} ms, p95 {p95:.0f} ms, mean {total.avg_response_time:.0f} ms, "
            f"errors {total.fail_ratio:.2%}",
            flush=True,
        )
        if total.num_requests:
            print(f"  {users:>5} users: {capacity(spent, idle, hold, total.num_requests)}", flush=True)
        for entry in sorted((e for e in env.stats.entries.values() if e.num_requests), key=lambda e: e.name):
            print(
                f"      {entry.name:<42} n={entry.num_requests:<6} p50 {entry.median_response_time:>6.0f} ms  "
                f"p95 {entry.get_response_time_percentile(0.95) or 0:>6.0f} ms  "
                f"mean {entry.avg_response_time:>6.0f} ms  errors {entry.fail_ratio:.2%}",
                flush=True,
            )
        for error in list(env.stats.errors.values())[:5]:
            print(f"      error x{error.occurrences}: {error.name}: {str(error.error)[:160]}", flush=True)
        if crossed is None and p95 > P95_LIMIT_MS:
            crossed = users
    runner.quit()
    print(
        f"  p95 first above 1 s at {crossed} users" if crossed else f"  p95 at or below 1 s up to {steps[-1]} users",
        flush=True,
    )


def capacity(spent: dict[str, float], idle: dict[str, float], seconds: float, steps: int) -> str:
    """The stack's processor time per step beyond what it spends idle, and the people that allows."""
    background = sum(idle.values())  # ms a second
    per_step = (sum(spent.values()) - background * seconds) / steps
    cores = os.cpu_count() or 1
    most = (cores * 1000 - background) / per_step
    parts = sorted(((name, ms / steps - idle.get(name, 0.0) * seconds / steps) for name, ms in spent.items()))
    shown = ", ".join(f"{name} {ms:.1f}" for name, ms in sorted(parts, key=lambda p: -p[1]))
    return (
        f"the stack's CPU {per_step:.1f} ms a step ({shown}) besides {background:.0f} ms a second idle; "
        f"{cores} cores serve at most {most:.0f} steps/s, {most * 10:,.0f} people acting every 10 s"
    )


CREATE_OPPORTUNITY = (
    "mutation CreateOpportunity($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }"
)


def simulate(gateway_url: str, steps: list[int], hold: float, parts: dict[str, int], spawn_rate: float = 20.0) -> None:
    """Run the simulated people in a child process against the gateway (its URL ends in /graphql)."""
    host = gateway_url.removesuffix("/graphql")
    argv = [sys.executable, "-m", "bench.users", host, "--steps", ",".join(map(str, steps)), "--hold", str(hold)]
    argv += ["--spawn-rate", str(spawn_rate), "--parts", json.dumps(parts)]
    subprocess.run(argv, check=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("host", help="the gateway, without /graphql")
    parser.add_argument("--steps", default="100,250,500,1000", help="user counts, one after the other")
    parser.add_argument("--hold", type=float, default=60.0, help="seconds measured at each step")
    parser.add_argument("--spawn-rate", type=float, default=20.0, help="users signing in per second")
    parser.add_argument("--parts", default="{}", help='the stack\'s processes as JSON, {"gateway": pid, ...}')
    args = parser.parse_args()
    run(args.host, [int(s) for s in args.steps.split(",")], args.hold, args.spawn_rate, json.loads(args.parts))


if __name__ == "__main__":
    main()
