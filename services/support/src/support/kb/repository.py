"""Which articles a caller reaches: published ones to every reader, drafts within the caller's scope (their own,
their unit's or below, or all), as `support:article` grants."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import ColumnElement, or_
from sqlmodel import col

from crm_shared.db.repository import Repository
from crm_shared.errors import Forbidden
from support.kb.models import Article, ArticleStatus


class Articles(Repository[Article]):
    model: ClassVar[type[Any]] = Article
    resource: ClassVar[str] = "support:article"

    async def reaches(self, row: Article) -> bool:
        if self.principal is None or row.status is ArticleStatus.PUBLISHED:
            return True
        return await super().reaches(row)

    async def visible(self) -> ColumnElement[bool]:
        if self.principal is None:
            return await super().visible()
        return or_(col(Article.status) == ArticleStatus.PUBLISHED, await super().visible())

    async def editable(self, row: Article, action: str) -> Article:
        """The row, if the caller may `action` it: a published article is read by all, changed within scope."""
        if self.principal is not None:
            self.principal.require(f"{self.resource}:{action}")
            if not await super().reaches(row):
                raise Forbidden(permission=f"{self.resource}:{action}")
        return row
