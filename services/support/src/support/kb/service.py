"""Knowledge-base operations: drafts saved and published as versions, votes, links to tickets, categories."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from crm_shared import audit
from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork, utcnow
from crm_shared.db.pages import Order, Page
from crm_shared.errors import BadInput, Conflict, NotFound
from crm_shared.text import tsvector
from crm_shared.validate import choice, items, note, required_text
from support.events import ArticlePublished, ArticleSnapshot, ArticleUpdated
from support.kb.models import Article, ArticleLink, ArticleStatus, ArticleVersion, ArticleVote, Category
from support.kb.repository import Articles
from support.kb.search import matching
from support.tickets.repository import Tickets

RESOURCE = "support:article"
LANGUAGES = ("zh-CN", "en")  # an article is written in one or both


@dataclass
class ArticleInput:
    title_zh: str | None = None
    body_zh: str | None = None
    title_en: str | None = None
    body_en: str | None = None
    category_id: uuid.UUID | None = None
    tags: list[str] | None = None


@dataclass
class ArticleFilter:
    status: ArticleStatus | None = None
    category_id: uuid.UUID | None = None
    tag: str | None = None
    search: str | None = None
    mine: bool = False
    language: str | None = None
    extra: list[Any] = field(default_factory=list)


def snapshot(kind: type[ArticleSnapshot], a: Article) -> Any:
    return kind(
        id=a.id,
        category_id=a.category_id,
        status=str(a.status),
        version=a.version,
        title_zh=a.title_zh,
        title_en=a.title_en,
        tags=list(a.tags),
        published_at=a.published_at,
    )


async def get(uow: UnitOfWork, principal: Principal | None, article_id: uuid.UUID) -> Article:
    return await Articles(uow, principal).get(article_id)


async def page(
    uow: UnitOfWork, principal: Principal | None, f: ArticleFilter, first: int, after: str | None
) -> Page[Article]:
    """Articles matching `f` the caller may read; with no caller (the public view), what the filter allows."""
    if principal is not None:
        principal.require(f"{RESOURCE}:read")
    repo = Articles(uow, principal)
    where: list[Any] = list(f.extra)
    if f.status is not None:
        where.append(col(Article.status) == f.status)
    if f.category_id is not None:
        where.append(
            _shown(col(Article.category_id) == f.category_id, col(ArticleVersion.category_id) == f.category_id)
        )
    if f.tag:
        where.append(_shown(col(Article.tags).contains([f.tag]), col(ArticleVersion.tags).contains([f.tag])))
    if f.mine and principal is not None:
        where.append(col(Article.owner_id) == principal.user_id)
    if f.search and f.search.strip():
        where.append(matching(f.search))
    if language := choice(f.language, "language", LANGUAGES):
        zh = language == "zh-CN"
        in_draft = col(Article.title_zh if zh else Article.title_en) != ""
        where.append(_shown(in_draft, col(ArticleVersion.title_zh if zh else ArticleVersion.title_en) != ""))
    query = await repo.select(*where)
    return await repo.page(query, Order.by(col(Article.updated_at), col(Article.id), descending=True), first, after)


def _shown(in_draft: ColumnElement[bool], in_version: ColumnElement[bool]) -> ColumnElement[bool]:
    """A condition on what readers see: the published version, or the draft before the first publish."""
    published = (
        select(col(ArticleVersion.article_id))
        .where(
            col(ArticleVersion.article_id) == col(Article.id),
            col(ArticleVersion.version) == col(Article.version),
            in_version,
        )
        .exists()
    )
    return or_(and_(col(Article.version) == 0, in_draft), published)


def _tags(values: list[str]) -> list[str]:
    return sorted({required_text(v, "tags", 50) for v in items(values, "tags", 20)})


async def _category(uow: UnitOfWork, category_id: uuid.UUID) -> None:
    if await uow.session.get(Category, category_id) is None:
        raise BadInput("unknown_category", field="categoryId")


async def save(uow: UnitOfWork, principal: Principal, article_id: uuid.UUID | None, data: ArticleInput) -> Article:
    """Create a draft or change one; a published article's readers keep its published version until the next
    publish."""
    repo = Articles(uow, principal)
    if article_id is None:
        principal.require(f"{RESOURCE}:create")
        article = Article(owner_id=principal.user_id)
        uow.session.add(article)
    else:
        article = await repo.editable(await repo.get(article_id, lock=True), "update")
    before = snapshot(ArticleUpdated, article).data() if article_id else None
    for name, limit in (("title_zh", 200), ("title_en", 200)):
        if (value := getattr(data, name)) is not None:
            setattr(article, name, note(value, to_camel(name), limit).replace("\n", " "))
    for name in ("body_zh", "body_en"):
        if (value := getattr(data, name)) is not None:
            setattr(article, name, note(value, to_camel(name), 50000))
    if not (article.title_zh or article.title_en):
        raise BadInput("required_field", field="titleZh")
    if data.category_id is not None:
        await _category(uow, data.category_id)
        article.category_id = data.category_id
    if data.tags is not None:
        article.tags = _tags(data.tags)
    article.updated_at = utcnow()
    await uow.flush()
    await audit.published(uow, snapshot(ArticleUpdated, article), "Article", article.id, before)
    return article


async def publish(uow: UnitOfWork, principal: Principal, article_id: uuid.UUID) -> Article:
    """Freeze the draft as the next version; the versions before stay as they were. A draft that is the
    published version already is refused, so a retry or a double click makes no copy."""
    repo = Articles(uow, principal)
    article = await repo.editable(await repo.get(article_id, lock=True), "publish")
    if not (article.body_zh.strip() or article.body_en.strip()):
        raise BadInput("required_field", field="bodyZh")
    if _content(article) == _content(await published_version(uow, article)):
        raise Conflict("article_unchanged")
    now = utcnow()
    article.version += 1
    uow.session.add(
        ArticleVersion(
            article_id=article.id,
            version=article.version,
            title_zh=article.title_zh,
            body_zh=article.body_zh,
            title_en=article.title_en,
            body_en=article.body_en,
            tags=list(article.tags),
            category_id=article.category_id,
            published_by=principal.user_id,
            published_at=now,
        )
    )
    article.status, article.published_at, article.updated_at = ArticleStatus.PUBLISHED, now, now
    article.search = tsvector(article.title_zh, article.title_en, article.body_zh, article.body_en, *article.tags)
    await uow.flush()
    await audit.published(
        uow, snapshot(ArticlePublished, article), "Article", article.id, {"version": article.version - 1}
    )
    return article


def _content(a: Article | ArticleVersion | None) -> tuple[Any, ...] | None:
    """What a version freezes of the draft."""
    if a is None:
        return None
    return (a.title_zh, a.body_zh, a.title_en, a.body_en, list(a.tags), a.category_id)


async def versions(uow: UnitOfWork, article_id: uuid.UUID) -> list[ArticleVersion]:
    rows = await uow.session.scalars(
        select(ArticleVersion)
        .where(col(ArticleVersion.article_id) == article_id)
        .order_by(col(ArticleVersion.version).desc())
    )
    return list(rows.all())


async def published_version(uow: UnitOfWork, article: Article) -> ArticleVersion | None:
    if article.version == 0:
        return None
    return await uow.session.get(ArticleVersion, (article.id, article.version))


async def vote(uow: UnitOfWork, principal: Principal, article_id: uuid.UUID, helpful: bool) -> Article:
    """One vote per reader; voting again replaces it. Only published articles are voted on."""
    principal.require(f"{RESOURCE}:read")
    article = await Articles(uow, principal).get(article_id, lock=True)
    if article.status is not ArticleStatus.PUBLISHED:
        raise NotFound(entity="Article")
    stmt = insert(ArticleVote).values(article_id=article.id, user_id=principal.user_id, helpful=helpful, at=utcnow())
    await uow.session.execute(
        stmt.on_conflict_do_update(index_elements=["article_id", "user_id"], set_={"helpful": helpful, "at": utcnow()})
    )
    counts = await uow.session.execute(
        select(col(ArticleVote.helpful), func.count())
        .where(col(ArticleVote.article_id) == article.id)
        .group_by(col(ArticleVote.helpful))
    )
    tally = dict(counts.all())
    article.helpful, article.not_helpful = tally.get(True, 0), tally.get(False, 0)
    await uow.flush()
    return article


async def link(uow: UnitOfWork, principal: Principal, ticket_id: uuid.UUID, article_id: uuid.UUID) -> None:
    """Note that a published article answers a ticket the caller works on; linking twice changes nothing."""
    ticket = await Tickets(uow, principal).get(ticket_id, "update")
    principal.require(f"{RESOURCE}:read")
    article = await Articles(uow, principal).get(article_id)
    if article.status is not ArticleStatus.PUBLISHED:
        raise BadInput("article_not_published", field="articleId")
    stmt = insert(ArticleLink).values(
        ticket_id=ticket.id, article_id=article.id, linked_by=principal.user_id, at=utcnow()
    )
    await uow.session.execute(stmt.on_conflict_do_nothing())
    await audit.record(uow, "ticket.article_linked", "Ticket", ticket.id, None, {"articleId": str(article.id)})


async def linked(uow: UnitOfWork, principal: Principal | None, ticket_id: uuid.UUID) -> list[Article]:
    visible = await Articles(uow, principal).select(
        col(Article.id).in_(select(col(ArticleLink.article_id)).where(col(ArticleLink.ticket_id) == ticket_id))
    )
    return list((await uow.session.scalars(visible.order_by(col(Article.title_zh)))).all())


async def categories(uow: UnitOfWork, principal: Principal | None) -> list[Category]:
    if principal is not None:
        principal.require(f"{RESOURCE}:read")
    rows = await uow.session.scalars(select(Category).order_by(col(Category.position), col(Category.name_zh)))
    return list(rows.all())


async def save_category(
    uow: UnitOfWork,
    principal: Principal,
    category_id: uuid.UUID | None,
    name_zh: str,
    name_en: str | None,
    position: int,
) -> Category:
    """Categories shape the whole knowledge base: those who publish keep them."""
    principal.require(f"{RESOURCE}:publish")
    category = (
        await uow.session.get(Category, category_id, with_for_update=True) if category_id else Category(name_zh="")
    )
    if category is None:
        raise NotFound(entity="Category")
    before = _category_state(category) if category_id else None
    zh = required_text(name_zh, "nameZh", 100)
    en = note(name_en, "nameEn", 100).replace("\n", " ")
    for column, name, field_name in ((Category.name_zh, zh, "nameZh"), (Category.name_en, en, "nameEn")):
        same = select(col(Category.id)).where(col(column) == name)
        if name and await uow.session.scalar(same.where(col(Category.id) != category_id) if category_id else same):
            raise Conflict("category_name_taken", field=field_name)
    category.name_zh, category.name_en, category.position = zh, en, position
    uow.session.add(category)
    await uow.flush()
    after = _category_state(category)
    await audit.record(uow, "article_category.saved", "Category", category.id, before, after, actor=principal)
    return category


def _category_state(category: Category) -> dict[str, Any]:
    return {"nameZh": category.name_zh, "nameEn": category.name_en, "position": category.position}
