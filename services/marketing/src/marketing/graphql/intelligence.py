"""Market intelligence: competitors with their win/loss and intelligence entries. Thin, calls the service layer."""

from __future__ import annotations

import datetime as dt

import strawberry

from crm_shared.graphql import Connection, Info
from marketing.graphql.types import Account, User, optional_uid, uid
from marketing.intelligence import service as intelligence
from marketing.intelligence import winloss
from marketing.intelligence.models import Competitor as CompetitorRow
from marketing.intelligence.models import IntelligenceEntry as EntryRow
from marketing.intelligence.models import IntelligenceKind

strawberry.enum(IntelligenceKind, name="IntelligenceKind")


@strawberry.type(description="Deals closed against a competitor (sales' opportunities naming them).")
class WinLoss:
    won: int
    lost: int
    won_revenue: str
    lost_revenue: str
    win_rate: str | None = strawberry.field(description="Won of the closed deals (0–1); none before any closed.")

    @classmethod
    def of(cls, found: winloss.WinLoss) -> WinLoss:
        rate = found.win_rate
        return cls(
            won=found.won,
            lost=found.lost,
            won_revenue=f"{found.won_revenue:.2f}",
            lost_revenue=f"{found.lost_revenue:.2f}",
            win_rate=None if rate is None else f"{rate:.4f}",
        )


@strawberry.type(description="A competitor (竞争对手).")
class Competitor:
    id: strawberry.ID
    name: str
    aliases: list[str] = strawberry.field(description="Other names sales writes for it: they count its deals too.")
    website: str | None
    description: str
    strengths: str
    weaknesses: str
    account: Account | None = strawberry.field(description="The competitor as an account in customer.")
    win_loss: WinLoss
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: CompetitorRow, record: winloss.WinLoss | None) -> Competitor:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            aliases=row.aliases,
            website=row.website,
            description=row.description,
            strengths=row.strengths,
            weaknesses=row.weaknesses,
            account=Account(id=strawberry.ID(str(row.account_id))) if row.account_id else None,
            win_loss=WinLoss.of(record or winloss.WinLoss()),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(description="An intelligence entry (市场情报): a report, prices, a product or news.")
class IntelligenceEntry:
    id: strawberry.ID
    kind: IntelligenceKind
    title: str
    body: str
    source: str
    links: list[str]
    tags: list[str]
    competitor_id: strawberry.ID | None
    created_by: User | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: EntryRow) -> IntelligenceEntry:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            title=row.title,
            body=row.body,
            source=row.source,
            links=row.links,
            tags=row.tags,
            competitor_id=strawberry.ID(str(row.competitor_id)) if row.competitor_id else None,
            created_by=User.ref(row.created_by),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.input
class CompetitorInput:
    name: str
    aliases: list[str] = strawberry.field(default_factory=list)
    website: str | None = None
    description: str | None = None
    strengths: str | None = None
    weaknesses: str | None = None
    account_id: strawberry.ID | None = strawberry.field(default=None, description="Its account in customer.")


@strawberry.input
class IntelligenceInput:
    kind: IntelligenceKind
    title: str
    body: str | None = None
    source: str | None = None
    links: list[str] = strawberry.field(default_factory=list)
    tags: list[str] = strawberry.field(default_factory=list)
    competitor_id: strawberry.ID | None = None


@strawberry.input
class IntelligenceFilter:
    search: str | None = strawberry.field(default=None, description="Words or Chinese characters, all present.")
    kind: list[IntelligenceKind] | None = None
    competitor_id: strawberry.ID | None = None
    tag: str | None = None


async def _with_records(info: Info, rows: list[CompetitorRow]) -> list[Competitor]:
    async with info.context.uow() as uow:
        records = await winloss.win_loss(uow, rows)
    return [Competitor.of(row, records.get(row.id)) for row in rows]


@strawberry.type
class Query:
    @strawberry.field(description="Competitors by name, with their win/loss; `search` as for intelligence.")
    async def competitors(self, info: Info, search: str | None = None) -> list[Competitor]:
        async with info.context.uow() as uow:
            rows = await intelligence.competitors(uow, info.context.principal, search)
        return await _with_records(info, rows)

    @strawberry.field
    async def competitor(self, info: Info, id: strawberry.ID) -> Competitor:
        async with info.context.uow() as uow:
            row = await intelligence.competitor(uow, info.context.principal, uid(id))
        return (await _with_records(info, [row]))[0]

    @strawberry.field(description="Intelligence entries, newest first.")
    async def intelligence(
        self, info: Info, filter: IntelligenceFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[IntelligenceEntry]:
        f = filter or IntelligenceFilter()
        where = intelligence.EntryFilter(f.search, f.kind, optional_uid(f.competitor_id), f.tag)
        async with info.context.uow() as uow:
            found = await intelligence.entries(uow, info.context.principal, where, first, after)
        return Connection.of(found, IntelligenceEntry.of)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a competitor, or with `id` change the whole of one.")
    async def save_competitor(self, info: Info, input: CompetitorInput, id: strawberry.ID | None = None) -> Competitor:
        data = intelligence.CompetitorInput(
            input.name,
            list(input.aliases),
            input.website,
            input.description,
            input.strengths,
            input.weaknesses,
            optional_uid(input.account_id),
        )
        async with info.context.uow() as uow:
            row = await intelligence.save_competitor(uow, info.context.principal, optional_uid(id), data)
        return (await _with_records(info, [row]))[0]

    @strawberry.mutation(description="Create an intelligence entry, or with `id` change the whole of one.")
    async def save_intelligence(
        self, info: Info, input: IntelligenceInput, id: strawberry.ID | None = None
    ) -> IntelligenceEntry:
        data = intelligence.EntryInput(
            input.kind,
            input.title,
            input.body,
            input.source,
            list(input.links),
            list(input.tags),
            optional_uid(input.competitor_id),
        )
        async with info.context.uow() as uow:
            return IntelligenceEntry.of(
                await intelligence.save_entry(uow, info.context.principal, optional_uid(id), data)
            )
