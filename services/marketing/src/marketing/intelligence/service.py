"""Competitors and intelligence entries: company-wide knowledge, read by marketing and sales, kept by those
holding `marketing:intelligence` permissions, and searched with the suite's Chinese-aware search vector
(`华为` finds `华为技术`, `hw` finds it by its pinyin initials)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, cast, func, select
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlmodel import col

from crm_shared import audit
from crm_shared.accounts import require_account
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Order, Page, page
from crm_shared.errors import BadInput, NotFound
from crm_shared.text import normalise, to_tsquery, tsvector
from crm_shared.validate import items, note, optional_text, required_text, web_link
from marketing.intelligence.models import Competitor, IntelligenceEntry, IntelligenceKind

RESOURCE = "marketing:intelligence"
MAX_LINKS, MAX_TAGS, MAX_ALIASES = 20, 20, 20


@dataclass(frozen=True)
class CompetitorInput:
    name: str
    aliases: list[str] = field(default_factory=list)
    website: str | None = None
    description: str | None = None
    strengths: str | None = None
    weaknesses: str | None = None
    account_id: uuid.UUID | None = None


@dataclass(frozen=True)
class EntryInput:
    kind: IntelligenceKind
    title: str
    body: str | None = None
    source: str | None = None
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    competitor_id: uuid.UUID | None = None


@dataclass(frozen=True)
class EntryFilter:
    search: str | None = None
    kind: list[IntelligenceKind] | None = None
    competitor_id: uuid.UUID | None = None
    tag: str | None = None


def matching(column: Any, text: str) -> ColumnElement[bool]:
    """Rows whose search vector holds every term of `text`."""
    query = to_tsquery(text)
    if query is None:
        raise BadInput("no_searchable_characters", field="search")
    return column.op("@@")(cast(query, TSQUERY))


def _link(value: str, name: str) -> str:
    link = required_text(value, name, 1000)
    web_link(link, name, 1000)
    return link


def _texts(values: list[str], name: str, maximum: int, length: int) -> list[str]:
    checked = [required_text(v, f"{name}[{i}]", length) for i, v in enumerate(items(values, name, maximum))]
    return list(dict.fromkeys(checked))


async def competitors(uow: UnitOfWork, principal: Principal, search: str | None = None) -> list[Competitor]:
    principal.require(f"{RESOURCE}:read")
    query = select(Competitor).order_by(col(Competitor.name))
    if search and search.strip():
        query = query.where(matching(col(Competitor.search), search))
    return list((await uow.session.scalars(query)).all())


async def competitor(uow: UnitOfWork, principal: Principal | None, competitor_id: uuid.UUID) -> Competitor:
    if principal is not None:
        principal.require(f"{RESOURCE}:read")
    found = await uow.session.get(Competitor, competitor_id)
    if found is None:
        raise NotFound(entity="Competitor")
    return found


async def save_competitor(
    uow: UnitOfWork, principal: Principal, competitor_id: uuid.UUID | None, data: CompetitorInput
) -> Competitor:
    """Create, or change the whole of, a competitor; its name and aliases count sales' wins and losses."""
    principal.require(f"{RESOURCE}:{'update' if competitor_id else 'create'}")
    row = (
        Competitor(name="")
        if competitor_id is None
        else await uow.session.get(Competitor, competitor_id, with_for_update=True)
    )
    if row is None:
        raise NotFound(entity="Competitor")
    name = required_text(data.name, "name", 200)
    taken = await uow.session.scalar(
        select(col(Competitor.id)).where(func.lower(col(Competitor.name)) == name.lower(), col(Competitor.id) != row.id)
    )
    if taken is not None:
        raise BadInput("intel_competitor_taken", field="name")
    before = {"name": row.name} if competitor_id else None
    row.name = name
    row.aliases = _texts(data.aliases, "aliases", MAX_ALIASES, 200)
    row.keys = list(dict.fromkeys(normalise(n)[:200] for n in (name, *row.aliases)))
    row.website = _link(data.website, "website") if data.website and data.website.strip() else None
    row.description = note(data.description, "description", 5000)
    row.strengths = note(data.strengths, "strengths", 5000)
    row.weaknesses = note(data.weaknesses, "weaknesses", 5000)
    if data.account_id is not None and data.account_id != row.account_id:
        await require_account(uow, principal, data.account_id, "accountId")
    row.account_id = data.account_id
    row.search = tsvector(row.name, *row.aliases, row.description, row.strengths, row.weaknesses)
    row.created_by = row.created_by or principal.user_id
    row.updated_at = utcnow()
    uow.session.add(row)
    await uow.flush()
    action = "competitor.updated" if competitor_id else "competitor.created"
    await audit.record(uow, action, "Competitor", row.id, before, {"name": row.name}, actor=principal)
    return row


async def entries(
    uow: UnitOfWork, principal: Principal, where: EntryFilter, first: int, after: str | None
) -> Page[IntelligenceEntry]:
    """Entries matching the filter, newest first."""
    principal.require(f"{RESOURCE}:read")
    query = select(IntelligenceEntry)
    if where.search and where.search.strip():
        query = query.where(matching(col(IntelligenceEntry.search), where.search))
    if where.kind:
        query = query.where(col(IntelligenceEntry.kind).in_(where.kind))
    if where.competitor_id:
        query = query.where(col(IntelligenceEntry.competitor_id) == where.competitor_id)
    if where.tag and where.tag.strip():
        query = query.where(col(IntelligenceEntry.tags).contains([where.tag.strip()]))
    order = Order.by(col(IntelligenceEntry.created_at), col(IntelligenceEntry.id), descending=True)
    return await page(uow, query, order, first, after)


async def save_entry(
    uow: UnitOfWork, principal: Principal, entry_id: uuid.UUID | None, data: EntryInput
) -> IntelligenceEntry:
    principal.require(f"{RESOURCE}:{'update' if entry_id else 'create'}")
    row = (
        IntelligenceEntry(title="")
        if entry_id is None
        else await uow.session.get(IntelligenceEntry, entry_id, with_for_update=True)
    )
    if row is None:
        raise NotFound(entity="IntelligenceEntry")
    if data.competitor_id is not None and await uow.session.get(Competitor, data.competitor_id) is None:
        raise BadInput("intel_unknown_competitor", field="competitorId")
    row.kind = data.kind
    row.title = required_text(data.title, "title", 200)
    row.body = note(data.body, "body", 50_000)
    row.source = optional_text(data.source, "source", 200) or ""
    row.links = list(
        dict.fromkeys(_link(v, f"links[{i}]") for i, v in enumerate(items(data.links, "links", MAX_LINKS)))
    )
    row.tags = _texts(data.tags, "tags", MAX_TAGS, 50)
    row.competitor_id = data.competitor_id
    row.search = tsvector(row.title, row.body, row.source, *row.tags)
    row.created_by = row.created_by or principal.user_id
    row.updated_at = utcnow()
    uow.session.add(row)
    await uow.flush()
    action = "intelligence.updated" if entry_id else "intelligence.created"
    await audit.record(uow, action, "IntelligenceEntry", row.id, None, {"title": row.title}, actor=principal)
    return row
