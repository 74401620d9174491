"""The knowledge base: versions, Chinese search, suggestions, votes, links, events and the public view."""

import asyncio
import json
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from crm_shared.auth.principal import Principal
from crm_shared.auth.ratelimit import RateLimiter
from crm_shared.errors import Forbidden
from crm_shared.testing import read_topic
from support.events import ARTICLE_TOPIC
from support.kb import service as kb

ARTICLE = """query($id: ID!) { article(id: $id) { status version title body helpfulCount
    published { version titleZh bodyZh } draft { bodyZh } versions { version bodyZh } } }"""
SAVE = "mutation($id: ID, $i: ArticleInput!) { saveArticle(id: $id, input: $i) { id status version } }"
PUBLISH = "mutation($id: ID!) { publishArticle(id: $id) { version status } }"


async def test_each_publish_keeps_the_version_before_and_readers_see_the_published_one(gql):
    article = await gql.article("manager", titleZh="如何重置密码", bodyZh="点击忘记密码。", titleEn="Reset")
    assert (await gql.ok(PUBLISH, {"id": article}, "manager"))["publishArticle"] == {
        "version": 1,
        "status": "PUBLISHED",
    }
    await gql.ok(SAVE, {"id": article, "i": {"bodyZh": "点击忘记密码，查收邮件。"}}, "manager")
    seen = (await gql.ok(ARTICLE, {"id": article}, "agent1", lang="zh-CN"))["article"]
    assert (seen["body"], seen["draft"]) == ("点击忘记密码。", None)  # the draft is the author's side's
    mine = (await gql.ok(ARTICLE, {"id": article}, "manager"))["article"]
    assert mine["draft"] == {"bodyZh": "点击忘记密码，查收邮件。"}
    await gql.ok(PUBLISH, {"id": article}, "manager")
    now = (await gql.ok(ARTICLE, {"id": article}, "agent1", lang="en"))["article"]
    assert (now["version"], now["title"], now["body"]) == (2, "Reset", "点击忘记密码，查收邮件。")
    assert now["versions"] == [
        {"version": 2, "bodyZh": "点击忘记密码，查收邮件。"},
        {"version": 1, "bodyZh": "点击忘记密码。"},
    ]


async def test_publishing_an_unchanged_article_is_a_conflict_and_makes_no_version(gql):
    article = await gql.article("manager", publish=True, titleZh="重置密码", bodyZh="点击忘记密码。")
    error = await gql.error(PUBLISH, {"id": article}, "manager", code="CONFLICT")
    assert error["message"] == "The draft is the published version already"
    await gql.ok(SAVE, {"id": article, "i": {"bodyZh": "点击忘记密码。"}}, "manager")  # saved again as it was
    error = await gql.error(PUBLISH, {"id": article}, "manager", code="CONFLICT", lang="zh-CN")
    assert error["message"] == "草稿与已发布版本相同，无需再次发布"
    assert [v["version"] for v in (await gql.ok(ARTICLE, {"id": article}, "manager"))["article"]["versions"]] == [1]

    await gql.ok(SAVE, {"id": article, "i": {"tags": ["密码"]}}, "manager")
    assert (await gql.ok(PUBLISH, {"id": article}, "manager"))["publishArticle"]["version"] == 2


async def test_search_finds_a_chinese_fragment_and_pinyin_initials_in_published_articles_only(gql):
    printer = await gql.article("manager", publish=True, titleZh="打印机无法打印报表", bodyZh="检查网络。")
    garbled = await gql.article(
        "manager", publish=True, titleZh="导出乱码", bodyZh="UTF-8 编码。", titleEn="Garbled export"
    )
    await gql.article("manager", titleZh="打印机草稿", bodyZh="未发布。")
    search = "query($q: String!) { searchArticles(query: $q) { id } }"
    for query in ("打印", "无法打印", "dyj", "报表"):
        assert (await gql.ok(search, {"q": query}, "agent1"))["searchArticles"] == [{"id": printer}], query
    assert (await gql.ok(search, {"q": "Garbled EXP"}, "agent1"))["searchArticles"] == [{"id": garbled}]
    refused = await gql.error(search, {"q": "%%"}, "agent1", code="BAD_USER_INPUT")
    assert refused["extensions"]["field"] == "query"
    listed = '{ articles(filter: {search: "打印"}) { totalCount } }'
    assert (await gql.ok(listed, None, "agent1"))["articles"]["totalCount"] == 1


async def test_a_long_article_is_published_and_found_and_a_word_of_thousands_of_letters_searched(gql):
    """PostgreSQL refuses a search word over 2047 bytes: a long Chinese body's pinyin initials, a pasted blob."""
    body = "请检查打印机的电源和网络连接。" * 300 + " " + "x" * 3000
    article = await gql.article("manager", publish=True, titleZh="长篇排障手册", bodyZh=body)
    search = "query($q: String!) { searchArticles(query: $q) { id } }"
    for query in ("网络连接", "x" * 2100, "X" * 64):
        assert (await gql.ok(search, {"q": query}, "agent1"))["searchArticles"] == [{"id": article}], query[:10]
    suggest = "query($q: String!) { suggestArticles(subject: $q) { id } }"
    assert (await gql.ok(suggest, {"q": "y" * 2100}, "agent1"))["suggestArticles"] == []


async def test_search_puts_the_more_helpful_of_equal_matches_first_and_shows_its_published_title(gql):
    vote = "mutation($id: ID!) { voteArticle(id: $id, helpful: true) { helpfulCount } }"
    plain = await gql.article("manager", publish=True, titleZh="端口镜像说明", bodyZh="交换机设置。")
    helpful = await gql.article("manager", publish=True, titleZh="端口镜像配置", bodyZh="交换机设置。")
    await gql.ok(vote, {"id": helpful}, "agent1")
    await gql.ok(SAVE, {"id": helpful, "i": {"titleZh": "端口镜像（草稿标题）"}}, "manager")  # not published
    search = "query($q: String!) { searchArticles(query: $q) { id title } }"
    found = (await gql.ok(search, {"q": "端口镜像"}, "agent1", lang="zh-CN"))["searchArticles"]
    assert found == [{"id": helpful, "title": "端口镜像配置"}, {"id": plain, "title": "端口镜像说明"}]


async def test_a_tickets_subject_suggests_articles_and_an_agent_links_the_one_that_answered(gql):
    printer = await gql.article("manager", publish=True, titleZh="打印机无法打印", bodyZh="检查电源。")
    await gql.article("manager", publish=True, titleZh="发票抬头修改", bodyZh="在设置中修改。")
    suggest = '{ suggestArticles(subject: "我的打印机坏了，急！") { id } }'
    assert (await gql.ok(suggest, None, "agent1"))["suggestArticles"] == [{"id": printer}]
    team = await gql.team("agent1")
    ticket = await gql.ticket(teamId=team)
    link = "mutation($t: ID!, $a: ID!) { linkArticle(ticketId: $t, articleId: $a) { articles { id } } }"
    for _ in range(2):
        linked = await gql.ok(link, {"t": ticket, "a": printer}, "agent1")
        assert linked["linkArticle"]["articles"] == [{"id": printer}]
    draft = await gql.article("agent1")
    refused = await gql.error(link, {"t": ticket, "a": draft}, "agent1", code="BAD_USER_INPUT")
    assert refused["extensions"]["field"] == "articleId"


async def test_one_vote_per_reader_counts(gql):
    article = await gql.article("manager", publish=True)
    vote = "mutation($id: ID!, $h: Boolean!) { voteArticle(id: $id, helpful: $h) { helpfulCount notHelpfulCount } }"
    await gql.ok(vote, {"id": article, "h": True}, "agent1")
    await gql.ok(vote, {"id": article, "h": True}, "agent1")
    await gql.ok(vote, {"id": article, "h": True}, "agent2")
    counted = await gql.ok(vote, {"id": article, "h": False}, "agent1")
    assert counted["voteArticle"] == {"helpfulCount": 1, "notHelpfulCount": 1}


async def test_an_agent_drafts_their_own_and_only_publishers_publish(gql):
    draft = await gql.article("agent1", titleZh="我的草稿", bodyZh="内容")
    listed = "{ articles(filter: {status: DRAFT}) { edges { node { id } } } }"
    assert (await gql.ok(listed, None, "agent1"))["articles"]["edges"] == [{"node": {"id": draft}}]
    assert (await gql.ok(listed, None, "agent2"))["articles"]["edges"] == []
    await gql.error(PUBLISH, {"id": draft}, "agent1", code="FORBIDDEN")
    await gql.error(SAVE, {"id": draft, "i": {"bodyZh": "改"}}, "agent2", code="NOT_FOUND")
    assert (await gql.ok(PUBLISH, {"id": draft}, "manager"))["publishArticle"]["version"] == 1
    empty = await gql.error(SAVE, {"i": {"bodyZh": "没有标题"}}, "agent1", code="BAD_USER_INPUT")
    assert empty["extensions"]["field"] == "titleZh"


async def test_published_and_updated_articles_are_events(gql, platform_settings):
    article = await gql.article("manager", publish=True, titleZh="事件文章", titleEn="Event article")
    await gql.publish()
    records = await read_topic(platform_settings.kafka_bootstrap_servers, ARTICLE_TOPIC, None)
    found = [json.loads(r.value) for r in records]
    mine = [(e["type"], e["data"]["version"], e["data"]["titleEn"]) for e in found if e["subject"] == article]
    assert mine == [("article.updated", 0, "Event article"), ("article.published", 1, "Event article")]


async def test_the_public_view_shows_published_articles_without_sign_in_and_limits_each_address(gql, app):
    article = await gql.article("manager", publish=True, titleZh="公开文章", bodyZh="内容", titleEn="Public")
    draft = await gql.article("manager", titleZh="内部草稿")
    found = await gql.rest("GET", "/api/v1/public/articles", None, params={"q": "公开", "lang": "en"})
    assert [(a["id"], a["title"], a["body"]) for a in found.json()] == [(article, "Public", "内容")]
    assert (await gql.rest("GET", f"/api/v1/public/articles/{draft}", None)).status_code == 404
    assert (await gql.rest("GET", f"/api/v1/public/articles/{article}", None)).json()["title"] == "公开文章"
    app.state.public_kb_limiter = RateLimiter(per_minute=60, burst=1)
    assert (await gql.rest("GET", "/api/v1/public/articles", None)).status_code == 200
    limited = await gql.rest("GET", "/api/v1/public/articles", None)
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "1")


async def test_the_public_view_limits_an_ipv6_subscriber_by_its_64(gql, app):
    app.state.public_kb_limiter = RateLimiter(per_minute=60, burst=1)

    async def status(address):
        return (
            await gql.rest("GET", "/api/v1/public/articles", None, headers={"x-forwarded-for": address})
        ).status_code

    statuses = [await status(a) for a in ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:3::1")]
    assert statuses == [200, 429, 200]


async def test_listing_articles_for_a_caller_needs_their_permission(gql, app, persona):
    await gql.article("manager", publish=True, titleZh="需要权限")
    rep = Principal(user_id=persona["rep1"].user_id, permissions=frozenset({"customer:account:read"}))
    async with app.state.db.unit_of_work() as uow:
        with pytest.raises(Forbidden):
            await kb.page(uow, rep, kb.ArticleFilter(), 10, None)
        assert [a.title_zh for a in (await kb.page(uow, None, kb.ArticleFilter(), 10, None)).items] == ["需要权限"]


async def test_the_public_view_shows_the_published_tags_and_category_not_the_drafts(gql):
    category = "mutation($n: String!) { saveArticleCategory(input: {nameZh: $n}) { id } }"
    first, second = [(await gql.ok(category, {"n": n}, "manager"))["saveArticleCategory"]["id"] for n in ("甲", "乙")]
    article = await gql.article("manager", publish=True, titleZh="打印机", tags=["打印机"], categoryId=first)
    await gql.ok(SAVE, {"id": article, "i": {"tags": ["内部"], "categoryId": second}}, "manager")
    shown = (await gql.rest("GET", f"/api/v1/public/articles/{article}", None)).json()
    assert (shown["tags"], shown["category_id"]) == (["打印机"], first)
    [listed] = (await gql.rest("GET", "/api/v1/public/articles", None)).json()
    assert (listed["tags"], listed["category_id"]) == (["打印机"], first)


async def test_readers_see_the_published_tags_and_category_in_graphql_and_editors_the_drafts_in_draft(gql):
    category = "mutation($n: String!) { saveArticleCategory(input: {nameZh: $n}) { id } }"
    first, second = [(await gql.ok(category, {"n": n}, "manager"))["saveArticleCategory"]["id"] for n in ("甲", "乙")]
    article = await gql.article("manager", publish=True, titleZh="打印机", tags=["打印机"], categoryId=first)
    await gql.ok(
        SAVE, {"id": article, "i": {"titleZh": "打印机（修订）", "tags": ["内部"], "categoryId": second}}, "manager"
    )
    shown = "query($id: ID!) { article(id: $id) { title tags categoryId draft { titleZh tags categoryId } } }"
    assert (await gql.ok(shown, {"id": article}, "agent1", lang="zh-CN"))["article"] == {
        "title": "打印机",
        "tags": ["打印机"],
        "categoryId": first,
        "draft": None,
    }
    assert (await gql.ok(shown, {"id": article}, "manager", lang="zh-CN"))["article"] == {
        "title": "打印机",
        "tags": ["打印机"],
        "categoryId": first,
        "draft": {"titleZh": "打印机（修订）", "tags": ["内部"], "categoryId": second},
    }
    by = "query($f: ArticleFilter) { articles(filter: $f) { edges { node { id } } } }"
    for f, found in (
        ({"tag": "打印机"}, [{"node": {"id": article}}]),
        ({"tag": "内部"}, []),
        ({"categoryId": first}, [{"node": {"id": article}}]),
        ({"categoryId": second}, []),
    ):
        assert (await gql.ok(by, {"f": f}, "agent1"))["articles"]["edges"] == found, f


async def test_the_list_keeps_to_the_language_asked_for_and_names_a_wrong_one(gql):
    both = await gql.article("manager", titleZh="如何重置密码", bodyZh="点击。", titleEn="Reset a password")
    chinese = await gql.article("manager", titleZh="发票抬头修改", bodyZh="在设置中修改。")
    english = await gql.article("manager", titleZh="", bodyZh="", titleEn="Printer offline", bodyEn="Check the cable.")
    listed = "query($l: String) { articles(filter: {language: $l}) { edges { node { id } } } }"
    for language, expected in (("zh-CN", {both, chinese}), ("en", {both, english})):
        found = (await gql.ok(listed, {"l": language}, "manager"))["articles"]["edges"]
        assert {e["node"]["id"] for e in found} == expected, language
    refused = await gql.error(listed, {"l": "fr"}, "manager", code="BAD_USER_INPUT")
    assert refused["extensions"]["field"] == "language"


async def test_the_language_filter_reads_the_published_titles_not_the_drafts(gql):
    listed = "query($l: String) { articles(filter: {language: $l}) { edges { node { id } } } }"
    chinese = await gql.article(titleZh="只有中文", publish=True)
    await gql.ok(SAVE, {"id": chinese, "i": {"titleEn": "Draft only"}}, "manager")  # not published yet
    both = await gql.article(titleZh="双语", titleEn="Bilingual", bodyEn="Both.", publish=True)
    await gql.ok(SAVE, {"id": both, "i": {"titleEn": ""}}, "manager")
    english = [e["node"]["id"] for e in (await gql.ok(listed, {"l": "en"}, "agent1"))["articles"]["edges"]]
    assert english == [both]


async def test_a_category_name_is_taken_once_in_either_language(gql):
    save = "mutation($id: ID, $i: ArticleCategoryInput!) { saveArticleCategory(id: $id, input: $i) { id nameZh } }"
    account = (await gql.ok(save, {"i": {"nameZh": "账户与登录", "nameEn": "Accounts"}}, "manager"))[
        "saveArticleCategory"
    ]["id"]
    await gql.ok(save, {"i": {"nameZh": "发票"}}, "manager")
    taken = await gql.error(save, {"i": {"nameZh": " 账户与登录 "}}, "manager", code="CONFLICT", lang="zh-CN")
    assert (taken["message"], taken["extensions"]["field"]) == ("已存在同名的知识库分类", "nameZh")
    taken = await gql.error(save, {"i": {"nameZh": "账户", "nameEn": "Accounts"}}, "manager", code="CONFLICT")
    assert (taken["message"], taken["extensions"]["field"]) == (
        "A knowledge-base category with this name exists",
        "nameEn",
    )
    renamed = await gql.error(save, {"id": account, "i": {"nameZh": "发票"}}, "manager", code="CONFLICT")
    assert renamed["extensions"]["field"] == "nameZh"
    kept = await gql.ok(save, {"id": account, "i": {"nameZh": "账户与登录", "nameEn": "Accounts"}}, "manager")
    assert kept["saveArticleCategory"] == {"id": account, "nameZh": "账户与登录"}
    listed = (await gql.ok("{ articleCategories { nameZh } }", None, "manager"))["articleCategories"]
    assert sorted(c["nameZh"] for c in listed) == ["发票", "账户与登录"]


async def test_categories_saved_at_once_under_one_name_make_one_and_the_others_are_told(gql):
    save = "mutation($i: ArticleCategoryInput!) { saveArticleCategory(input: $i) { id } }"
    answers = await asyncio.gather(
        *(gql(save, {"i": {"nameZh": "同时", "nameEn": "At once"}}, "manager") for _ in range(4))
    )
    assert sorted("errors" in a for a in answers) == [False, True, True, True]
    assert {a["errors"][0]["extensions"]["code"] for a in answers if "errors" in a} == {"CONFLICT"}
    async with gql.app.state.db.unit_of_work() as uow:  # the index holds whatever the check before it saw
        with pytest.raises(IntegrityError):
            same = (
                "INSERT INTO kb_categories (id, name_zh, name_en, position, created_at) VALUES (:id, :zh, '', 0, now())"
            )
            await uow.session.execute(text(same), {"id": uuid.uuid4(), "zh": "同时"})
    listed = (await gql.ok("{ articleCategories { nameZh } }", None, "manager"))["articleCategories"]
    assert listed == [{"nameZh": "同时"}]


async def test_a_search_asks_for_between_1_and_50_results(gql):
    for title in ("打印机无法打印", "打印机卡纸"):
        await gql.article(titleZh=title, publish=True)
    search = 'query($n: Int!) { searchArticles(query: "打印机", first: $n) { id } }'
    for wrong in (-5, 0, 51):
        refused = await gql.error(search, {"n": wrong}, "agent1", code="BAD_USER_INPUT")
        assert refused["extensions"]["field"] == "first", wrong
        assert refused["message"] == "Field 'first' must be between 1 and 50", wrong
    zh = await gql.error(search, {"n": 51}, "agent1", "BAD_USER_INPUT", "zh-CN")
    assert zh["message"] == "字段“first”须在 1 到 50 之间"
    assert len((await gql.ok(search, {"n": 1}, "agent1"))["searchArticles"]) == 1
    assert len((await gql.ok(search, {"n": 50}, "agent1"))["searchArticles"]) == 2
