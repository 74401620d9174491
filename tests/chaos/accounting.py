"""What the databases say after the faults: events lost, effects applied twice.

Every service's outbox is the record of what it published; every consumer's inbox, and the effect
written in the same transaction (sales' account projection, identity's audit log), is the record of
what arrived. The clients' ledger is the record of what was acknowledged to a user. After a service's database
is restored to a backup, what a client wrote there after the backup is legitimately gone: `Restore`
says what the backup held, and such writes are counted as gone, not lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import asyncpg

from crm_shared.db.engine import asyncpg_dsn
from crm_shared.devstack.run import SERVICES, Stack

from .load import Ledger, Write

# the table and column where each kind of client write lands, by the name the client gave it
WRITTEN = {
    "account": ("customer", "accounts", "name"),
    "contact": ("customer", "contacts", "name"),
    "lead": ("sales", "leads", "contact_name"),
    "opportunity": ("sales", "opportunities", "name"),
}


def routes() -> dict[str, dict[str, set[str]]]:
    """What each service consumes: consumer → topic → event types, from the services' own registries."""
    from customer.handlers import HANDLERS as customer
    from identity.events import HANDLERS as identity
    from sales.app import handlers
    from sales.services import Sales
    from sales.settings import SalesSettings

    registries = {"identity": identity, "customer": customer, "sales": handlers(Sales.wire(SalesSettings()))}
    return {name: {t: set(types) for t, types in r.routes.items()} for name, r in registries.items()}


@dataclasses.dataclass(frozen=True)
class Restore:
    """`service`'s database put back to a backup holding `held` (kind → names), over at `over` (monotonic)."""

    service: str
    held: Mapping[str, set[str]]
    over: float

    def took(self, write: Write) -> bool:
        """An acknowledged write the restore may have undone: made in `service` after the backup, before the restore."""
        service = WRITTEN[write.kind][0]
        acknowledged = write.acknowledged_at is not None and write.acknowledged_at < self.over
        return service == self.service and acknowledged and write.name not in self.held[write.kind]


@dataclasses.dataclass
class Count:
    lost: dict[str, int] = dataclasses.field(default_factory=dict)
    duplicated: dict[str, int] = dataclasses.field(default_factory=dict)
    gone: list[Write] = dataclasses.field(default_factory=list)  # acknowledged, then undone by a restore

    @property
    def total_lost(self) -> int:
        return sum(self.lost.values())

    @property
    def total_duplicated(self) -> int:
        return sum(self.duplicated.values())


class Books:
    """Connections to every service database, and the counts read from them."""

    def __init__(self, stack: Stack) -> None:
        self.dsns = {s.name: asyncpg_dsn(stack.env[f"{s.name.upper()}_DATABASE_URL"]) for s in SERVICES}
        self.routes = routes()

    async def fetch(self, service: str, query: str, *args: object) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(self.dsns[service], timeout=3)
        try:
            return list(await conn.fetch(query, *args, timeout=10))
        finally:
            await conn.close()

    async def watermarks(self) -> dict[str, int]:
        """The last outbox row of each service: what was written up to now."""
        return {s: (await self.fetch(s, "SELECT coalesce(max(id), 0) AS id FROM outbox"))[0]["id"] for s in self.dsns}

    async def undelivered(self, upto: Mapping[str, int] | None = None) -> Count:
        """Events (up to `upto`, or all) not published by their outbox or not applied by a consumer."""
        count = Count()
        published: dict[str, list[asyncpg.Record]] = {}
        for service in self.dsns:
            limit = (upto or {}).get(service, 2**62)
            rows = await self.fetch(
                service,
                "SELECT event_id, topic, payload->>'type' AS type, published_at IS NOT NULL AS sent "
                "FROM outbox WHERE id <= $1",
                limit,
            )
            count.lost[f"{service} outbox unpublished"] = sum(not r["sent"] for r in rows)
            published[service] = rows
        for consumer, topics in self.routes.items():
            seen = {
                r["event_id"]
                for r in await self.fetch(consumer, "SELECT event_id FROM inbox WHERE consumer = $1", consumer)
            }
            missing = [
                r
                for rows in published.values()
                for r in rows
                if r["type"] in topics.get(r["topic"], ()) and r["event_id"] not in seen
            ]
            count.lost[f"{consumer} inbox missing"] = len(missing)
        return count

    async def effects(
        self, ledger: Ledger, upto: Mapping[str, int] | None = None, restore: Restore | None = None
    ) -> Count:
        """Events up to `upto` undelivered, acknowledged writes missing (unless `restore` undid them)
        or made twice, counters off their rows; with `upto=None` (the load stopped, everything
        settled) also every effect of every event: accounts in sales' projection, audit records in
        identity's log."""
        count = await self.undelivered(upto)
        await self._writes(ledger, count, restore)
        if upto is None:
            await self._projected(count)
        return count

    async def _projected(self, count: Count) -> None:
        accounts = {r["id"] for r in await self.fetch("customer", "SELECT id FROM accounts")}
        projected = {r["id"] for r in await self.fetch("sales", "SELECT id FROM account_refs")}
        count.lost["account missing from sales' projection"] = len(accounts - projected)
        audited: set[object] = set()
        for service in self.dsns:
            audited |= {
                r["event_id"]
                for r in await self.fetch(service, "SELECT event_id FROM outbox WHERE topic = 'crm.audit'")
            }
        logged = await self.fetch("identity", "SELECT event_id, count(*) AS n FROM audit_log GROUP BY event_id")
        count.lost["audit record missing from identity's log"] = len(audited - {r["event_id"] for r in logged})
        count.duplicated["audit record logged twice"] = sum(r["n"] - 1 for r in logged)

    async def _writes(self, ledger: Ledger, count: Count, restore: Restore | None) -> None:
        for kind, (service, table, column) in WRITTEN.items():
            acknowledged = ledger.acknowledged(kind)
            rows = await self.fetch(
                service,
                f"SELECT {column} AS name, count(*) AS n FROM {table} WHERE {column} = any($1) GROUP BY 1",
                [w.name for w in acknowledged],
            )
            found = {r["name"]: r["n"] for r in rows}
            missing = [w for w in acknowledged if w.name not in found]
            gone = [w for w in missing if restore is not None and restore.took(w)]
            count.gone += gone
            count.lost[f"acknowledged {kind} missing"] = len(missing) - len(gone)
            count.duplicated[f"{kind} created twice"] = sum(n - 1 for n in found.values())
        [funnel] = await self.fetch(
            "sales",
            "SELECT (SELECT coalesce(sum(opportunities), 0) FROM funnel_totals) AS counted, "
            "(SELECT count(*) FROM opportunities) AS rows",
        )
        count.duplicated["funnel total off its opportunities"] = abs(funnel["counted"] - funnel["rows"])

    async def parked(self, consumer: str) -> list[asyncpg.Record]:
        return await self.fetch(
            consumer, "SELECT event_id, topic, subject FROM parked_events WHERE consumer = $1", consumer
        )
