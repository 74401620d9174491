"""Knowledge-base search: the suite's Chinese-aware search vector (character bigrams, words, pinyin initials),
over the published version of each article."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, cast, func, select
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import defer
from sqlmodel import col

from crm_shared.auth.principal import Principal
from crm_shared.db import UnitOfWork
from crm_shared.db.pages import check_page_size
from crm_shared.errors import BadInput
from crm_shared.text import to_tsquery
from support.kb.models import Article, ArticleStatus, ArticleVersion

MAX_RESULTS = 50  # a search answers with the best few, not pages


def matching(text: str) -> ColumnElement[bool]:
    """Published articles holding every term of `text` (`华为` finds `华为技术`, `dyj` finds `打印机`)."""
    query = to_tsquery(text)
    if query is None:
        raise BadInput("no_searchable_characters", field="search")
    return col(Article.search).op("@@")(cast(query, TSQUERY))


async def ranked(
    uow: UnitOfWork,
    principal: Principal | None,
    text: str,
    first: int,
    any_term: bool = False,
    field: str = "query",
) -> list[tuple[Article, ArticleVersion | None]]:
    """Published articles for `text`, best first, each with the version readers see (one statement, the search
    words left unread); with `any_term` (suggestions) those sharing any term."""
    if principal is not None:
        principal.require("support:article:read")
    check_page_size(first, MAX_RESULTS)
    query = to_tsquery(text, any_term=any_term)
    if query is None:
        if any_term:
            return []
        raise BadInput("no_searchable_characters", field=field)
    tsquery = cast(query, TSQUERY)
    rank: Any = func.ts_rank(col(Article.search), tsquery).label("rank")
    # the best few ranked first, their versions joined after: not a join for each of thousands of matches
    best = (
        select(col(Article.id), rank, col(Article.helpful))
        .where(col(Article.status) == ArticleStatus.PUBLISHED, col(Article.search).op("@@")(tsquery))
        .order_by(rank.desc(), col(Article.helpful).desc(), col(Article.id))
        .limit(first)
        .subquery()
    )
    shown = and_(col(ArticleVersion.article_id) == col(Article.id), col(ArticleVersion.version) == col(Article.version))
    rows = await uow.session.execute(
        select(Article, ArticleVersion)
        .join(best, best.c.id == col(Article.id))
        .outerjoin(ArticleVersion, shown)
        .options(defer(Article.search))
        .order_by(best.c.rank.desc(), best.c.helpful.desc(), col(Article.id))
    )
    return [(article, version) for article, version in rows]
