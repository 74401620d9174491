"""The knowledge base over GraphQL: articles (a federation entity), versions, search, suggestions, votes, links."""

from __future__ import annotations

import datetime as dt

import strawberry

from crm_shared.errors import Forbidden
from crm_shared.graphql import Connection, Info
from crm_shared.i18n import current_locale
from support.graphql.types import Ticket, User, gid
from support.graphql.types import optional_uid as _id
from support.graphql.types import uid as _uid
from support.kb import search
from support.kb import service as kb
from support.kb.models import Article as ArticleRow
from support.kb.models import ArticleStatus
from support.kb.models import ArticleVersion as VersionRow
from support.kb.models import Category as CategoryRow
from support.kb.repository import Articles
from support.tickets import service as tickets

strawberry.enum(ArticleStatus, name="ArticleStatus")


@strawberry.type(description="A knowledge-base category.")
class ArticleCategory:
    id: strawberry.ID
    name_zh: str
    name_en: str
    position: int

    @classmethod
    def of(cls, row: CategoryRow) -> ArticleCategory:
        return cls(id=strawberry.ID(str(row.id)), name_zh=row.name_zh, name_en=row.name_en, position=row.position)


@strawberry.type(
    description="An article's text in both languages, tags and category: a published version, or the working draft."
)
class ArticleContent:
    version: int = strawberry.field(description="0 for the draft.")
    title_zh: str
    body_zh: str
    title_en: str
    body_en: str
    tags: list[str]
    category_id: strawberry.ID | None
    published_at: dt.datetime | None
    published_by: User | None

    @classmethod
    def of(cls, row: VersionRow | ArticleRow) -> ArticleContent:
        frozen = isinstance(row, VersionRow)
        return cls(
            version=row.version if frozen else 0,
            title_zh=row.title_zh,
            body_zh=row.body_zh,
            title_en=row.title_en,
            body_en=row.body_en,
            tags=list(row.tags),
            category_id=gid(row.category_id),
            published_at=row.published_at if frozen else None,
            published_by=User.ref(row.published_by) if isinstance(row, VersionRow) else None,
        )


def _in_language(zh: str, en: str) -> str:
    first, second = (en, zh) if current_locale() == "en" else (zh, en)
    return first or second


@strawberry.federation.type(keys=["id"], description="A knowledge-base article (知识库文章).")
class Article:
    id: strawberry.ID
    row: strawberry.Private[ArticleRow]
    shown: strawberry.Private[VersionRow | ArticleRow | None] = None  # what readers see, once read

    @classmethod
    def of(cls, row: ArticleRow) -> Article:
        return cls(id=strawberry.ID(str(row.id)), row=row)

    @classmethod
    def shown_as(cls, found: list[tuple[ArticleRow, VersionRow | None]]) -> list[Article]:
        """Articles read with the version readers see (the draft itself before the first publish)."""
        return [cls(id=strawberry.ID(str(r.id)), row=r, shown=version or r) for r, version in found]

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Article:
        async with info.context.uow() as uow:
            return cls.of(await kb.get(uow, info.context.principal, _uid(id)))

    @strawberry.field
    def status(self) -> ArticleStatus:
        return self.row.status

    @strawberry.field(description="The published version's number; 0 before the first publish.")
    def version(self) -> int:
        return self.row.version

    @strawberry.field(description="The published title in the caller's language (the other when it has none).")
    async def title(self, info: Info) -> str:
        content = await self._shown(info)
        return _in_language(content.title_zh, content.title_en)

    @strawberry.field(description="The published text in the caller's language (the other when it has none).")
    async def body(self, info: Info) -> str:
        content = await self._shown(info)
        return _in_language(content.body_zh, content.body_en)

    async def _shown(self, info: Info) -> VersionRow | ArticleRow:
        if self.shown is None:
            async with info.context.uow() as uow:
                self.shown = await kb.published_version(uow, self.row) or self.row
        return self.shown

    @strawberry.field(description="The version readers see; none before the first publish.")
    async def published(self, info: Info) -> ArticleContent | None:
        async with info.context.uow() as uow:
            version = await kb.published_version(uow, self.row)
        return ArticleContent.of(version) if version else None

    @strawberry.field(description="The working draft the next publish freezes; only for those who may change it.")
    async def draft(self, info: Info) -> ArticleContent | None:
        async with info.context.uow() as uow:
            try:
                await Articles(uow, info.context.principal).editable(self.row, "update")
            except Forbidden:
                return None
        return ArticleContent.of(self.row)

    @strawberry.field(description="Every published version, newest first.")
    async def versions(self, info: Info) -> list[ArticleContent]:
        async with info.context.uow() as uow:
            return [ArticleContent.of(v) for v in await kb.versions(uow, self.row.id)]

    @strawberry.field(description="The published version's category (the draft's before the first publish).")
    async def category_id(self, info: Info) -> strawberry.ID | None:
        return gid((await self._shown(info)).category_id)

    @strawberry.field(description="The published version's tags (the draft's before the first publish).")
    async def tags(self, info: Info) -> list[str]:
        return list((await self._shown(info)).tags)

    @strawberry.field
    def author(self) -> User | None:
        return User.ref(self.row.owner_id)

    @strawberry.field
    def helpful_count(self) -> int:
        return self.row.helpful

    @strawberry.field
    def not_helpful_count(self) -> int:
        return self.row.not_helpful

    @strawberry.field
    def published_at(self) -> dt.datetime | None:
        return self.row.published_at

    @strawberry.field
    def updated_at(self) -> dt.datetime:
        return self.row.updated_at


@strawberry.input
class ArticleInput:
    title_zh: str | None = None
    body_zh: str | None = None
    title_en: str | None = None
    body_en: str | None = None
    category_id: strawberry.ID | None = None
    tags: list[str] | None = None


@strawberry.input
class ArticleFilter:
    status: ArticleStatus | None = None
    category_id: strawberry.ID | None = None
    tag: str | None = None
    search: str | None = strawberry.field(default=None, description="Words of the published text, Chinese or not.")
    mine: bool = strawberry.field(default=False, description="Only the caller's own articles.")
    language: str | None = strawberry.field(default=None, description="zh-CN or en: only articles written in it.")


@strawberry.input
class ArticleCategoryInput:
    name_zh: str
    name_en: str | None = None
    position: int = 0


@strawberry.type
class Query:
    @strawberry.field(description="Published articles, and drafts within the caller's scope; newest change first.")
    async def articles(
        self, info: Info, filter: ArticleFilter | None = None, first: int = 20, after: str | None = None
    ) -> Connection[Article]:
        f = filter or ArticleFilter()
        command = kb.ArticleFilter(
            status=f.status,
            category_id=_id(f.category_id),
            tag=f.tag,
            search=f.search,
            mine=f.mine,
            language=f.language,
        )
        async with info.context.uow() as uow:
            return Connection.of(await kb.page(uow, info.context.principal, command, first, after), Article.of)

    @strawberry.field
    async def article(self, info: Info, id: strawberry.ID) -> Article:
        async with info.context.uow() as uow:
            return Article.of(await kb.get(uow, info.context.principal, _uid(id)))

    @strawberry.field(
        description="Published articles matching every word of `query` (Chinese fragments too), best first."
    )
    async def search_articles(self, info: Info, query: str, first: int = 10) -> list[Article]:
        async with info.context.uow() as uow:
            return Article.shown_as(await search.ranked(uow, info.context.principal, query, first))

    @strawberry.field(description="Published articles that may answer a ticket with this subject, best first.")
    async def suggest_articles(self, info: Info, subject: str, first: int = 5) -> list[Article]:
        async with info.context.uow() as uow:
            return Article.shown_as(await search.ranked(uow, info.context.principal, subject, first, any_term=True))

    @strawberry.field
    async def article_categories(self, info: Info) -> list[ArticleCategory]:
        async with info.context.uow() as uow:
            return [ArticleCategory.of(c) for c in await kb.categories(uow, info.context.principal)]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a draft, or change an article's draft; readers keep the published version."
    )
    async def save_article(self, info: Info, input: ArticleInput, id: strawberry.ID | None = None) -> Article:
        data = kb.ArticleInput(
            title_zh=input.title_zh,
            body_zh=input.body_zh,
            title_en=input.title_en,
            body_en=input.body_en,
            category_id=_id(input.category_id),
            tags=input.tags,
        )
        async with info.context.uow() as uow:
            return Article.of(await kb.save(uow, info.context.principal, _id(id), data))

    @strawberry.mutation(description="Publish the draft as the next version; the earlier versions are kept.")
    async def publish_article(self, info: Info, id: strawberry.ID) -> Article:
        async with info.context.uow() as uow:
            return Article.of(await kb.publish(uow, info.context.principal, _uid(id)))

    @strawberry.mutation(description="Say whether a published article helped; a second vote replaces the first.")
    async def vote_article(self, info: Info, id: strawberry.ID, helpful: bool) -> Article:
        async with info.context.uow() as uow:
            return Article.of(await kb.vote(uow, info.context.principal, _uid(id), helpful))

    @strawberry.mutation(description="Note that a published article answers a ticket.")
    async def link_article(self, info: Info, ticket_id: strawberry.ID, article_id: strawberry.ID) -> Ticket:
        async with info.context.uow() as uow:
            await kb.link(uow, info.context.principal, _uid(ticket_id), _uid(article_id))
            return Ticket.of(await tickets.get(uow, info.context.principal, _uid(ticket_id)))

    @strawberry.mutation
    async def save_article_category(
        self, info: Info, input: ArticleCategoryInput, id: strawberry.ID | None = None
    ) -> ArticleCategory:
        async with info.context.uow() as uow:
            row = await kb.save_category(
                uow, info.context.principal, _id(id), input.name_zh, input.name_en, input.position
            )
            return ArticleCategory.of(row)
