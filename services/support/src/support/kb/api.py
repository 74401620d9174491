"""The public knowledge base: published articles, read-only, without sign-in, limited per client address."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from crm_shared.auth.ratelimit import per_address
from crm_shared.db import UnitOfWork
from crm_shared.errors import NotFound
from crm_shared.http import PROBLEM, Transaction
from crm_shared.http.inputs import SearchText
from support.kb import search
from support.kb import service as kb
from support.kb.models import Article, ArticleStatus

router = APIRouter(prefix="/api/v1/public", tags=["knowledge base"])


Limited = per_address("public_kb_limiter")  # anonymous readers, per address: scraping cannot crowd out the others
Language = Literal["zh-CN", "en"]


class ArticleOut(BaseModel):
    id: uuid.UUID
    version: int
    title: str
    body: str
    tags: list[str]
    category_id: uuid.UUID | None
    published_at: dt.datetime | None
    helpful_count: int


def _pick(zh: str, en: str, lang: Language) -> str:
    return (en or zh) if lang == "en" else (zh or en)


async def _out(uow: UnitOfWork, article: Article, lang: Language) -> ArticleOut:
    version = await kb.published_version(uow, article)
    assert version is not None
    return ArticleOut(
        id=article.id,
        version=version.version,
        title=_pick(version.title_zh, version.title_en, lang),
        body=_pick(version.body_zh, version.body_en, lang),
        tags=list(version.tags),
        category_id=version.category_id,
        published_at=version.published_at,
        helpful_count=article.helpful,
    )


@router.get("/articles", dependencies=[Limited], responses={422: PROBLEM, 429: PROBLEM})
async def public_articles(
    uow: Transaction,
    q: SearchText = None,
    lang: Language = "zh-CN",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[ArticleOut]:
    """Published articles for a search (Chinese fragments too), best first; the latest without one."""
    if q and q.strip():
        found = [article for article, _ in await search.ranked(uow, None, q, limit, field="q")]
    else:
        page = await kb.page(uow, None, kb.ArticleFilter(status=ArticleStatus.PUBLISHED), limit, None)
        found = list(page.items)
    return [await _out(uow, a, lang) for a in found]


@router.get("/articles/{article_id}", dependencies=[Limited], responses={404: PROBLEM, 429: PROBLEM})
async def public_article(uow: Transaction, article_id: uuid.UUID, lang: Language = "zh-CN") -> ArticleOut:
    """One published article's current version."""
    article = await kb.get(uow, None, article_id)
    if article.status is not ArticleStatus.PUBLISHED:
        raise NotFound(entity="Article")
    return await _out(uow, article, lang)
