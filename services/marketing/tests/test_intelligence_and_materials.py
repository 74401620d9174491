"""Market intelligence and marketing materials on the real database: competitors with their win/loss from
sales' closed deals, intelligence searched in Chinese, materials issued to campaigns at their cost."""

import datetime as dt
import uuid
from decimal import Decimal

from marketing.performance.handlers import PERFORMANCE
from marketing.sales_events import OpportunityLostSeen, OpportunityWonSeen

SAVE_COMPETITOR = """mutation($id: ID, $i: CompetitorInput!) { saveCompetitor(id: $id, input: $i) {
    id name aliases website strengths account { id } winLoss { won lost wonRevenue lostRevenue winRate } } }"""
SAVE_ENTRY = "mutation($i: IntelligenceInput!) { saveIntelligence(input: $i) { id title tags competitorId } }"
SEARCH = "query($f: IntelligenceFilter) { intelligence(filter: $f) { totalCount edges { node { title } } } }"
SAVE_MATERIAL = """mutation($id: ID, $i: MaterialInput!) { saveMaterial(id: $id, input: $i) {
    id name stock unitCost } }"""
RESTOCK = "mutation($id: ID!, $q: Int!) { restockMaterial(id: $id, quantity: $q) { stock } }"
ISSUE = """mutation($id: ID!, $c: ID!, $q: Int!) { issueMaterial(id: $id, campaignId: $c, quantity: $q) {
    stock issues { campaignId quantity unitCost cost } } }"""


async def closed(app, kind, account, competitor, amount):
    event = kind(
        id=uuid.uuid4(),
        account_id=uuid.UUID(account),
        status="won" if kind is OpportunityWonSeen else "lost",
        amount_base=Decimal(amount),
        campaign_id=None,
        competitor=competitor,
        closed_at=dt.datetime.now(dt.UTC),
    )
    async with app.state.db.unit_of_work() as uow:
        await PERFORMANCE.routes[event.topic][event.type](uow, event.envelope("/crm/sales"))


async def test_a_competitors_win_loss_counts_sales_deals_naming_it_by_any_of_its_names(gql, app):
    account = await gql.account()
    data = {
        "name": "销售易",
        "aliases": ["XSY", "Neocrm"],
        "website": "https://www.xiaoshouyi.com",
        "strengths": "移动端体验好",
        "accountId": account,
    }
    made = (await gql.ok(SAVE_COMPETITOR, {"i": data}, "marketer1"))["saveCompetitor"]
    assert made["winLoss"] == {"won": 0, "lost": 0, "wonRevenue": "0.00", "lostRevenue": "0.00", "winRate": None}
    assert made["account"] == {"id": account}
    await closed(app, OpportunityLostSeen, account, "销售易", "80000")
    await closed(app, OpportunityLostSeen, account, " xsy ", "20000")  # as a rep wrote it
    await closed(app, OpportunityWonSeen, account, "NEOCRM", "150000")
    await closed(app, OpportunityLostSeen, account, "Salesforce", "99000")  # another competitor
    listed = await gql.ok("{ competitors { name winLoss { won lost wonRevenue lostRevenue winRate } } }", None, "rep1")
    assert listed["competitors"] == [
        {
            "name": "销售易",
            "winLoss": {
                "won": 1,
                "lost": 2,
                "wonRevenue": "150000.00",
                "lostRevenue": "100000.00",
                "winRate": "0.3333",
            },
        }
    ]
    taken = await gql.error(SAVE_COMPETITOR, {"i": {"name": "销售易"}}, "marketer2", code="BAD_USER_INPUT")
    assert taken["extensions"]["field"] == "name"
    for website in ("ftp://x", "http://", "https:// example.com"):
        bad = await gql.error(SAVE_COMPETITOR, {"i": {"name": "纷享销客", "website": website}}, code="BAD_USER_INPUT")
        assert (bad["extensions"]["field"], bad["message"]) == (
            "website",
            "Field 'website' must be an http or https address",
        )
    await gql.error(SAVE_COMPETITOR, {"i": {"name": "纷享销客"}}, "rep1", code="FORBIDDEN")
    assert (await gql.ok("{ competitors { name } }"))["competitors"] == [{"name": "销售易"}]  # nothing half-written


async def test_intelligence_is_found_by_chinese_words_pinyin_initials_kind_and_tag(gql):
    rival = (await gql.ok(SAVE_COMPETITOR, {"i": {"name": "纷享销客"}}, "marketer1"))["saveCompetitor"]["id"]
    entries = [
        {
            "kind": "PRICING",
            "title": "纷享销客下调专业版价格",
            "body": "专业版每用户每年降至 1200 元",
            "tags": ["价格"],
        },
        {"kind": "NEWS", "title": "华为发布新一代云服务", "source": "新华网", "links": ["https://news.cn/a"]},
        {"kind": "RESEARCH_REPORT", "title": "2026 中国 CRM 市场研究报告", "body": "SaaS 渗透率持续提升"},
    ]
    entries[0]["competitorId"] = rival
    for entry in entries:
        await gql.ok(SAVE_ENTRY, {"i": entry}, "marketer1")

    async def titles(as_="rep2", **f):
        found = (await gql.ok(SEARCH, {"f": f}, as_))["intelligence"]
        return [e["node"]["title"] for e in found["edges"]]

    assert await titles(search="华为") == ["华为发布新一代云服务"]
    assert await titles(search="价格") == ["纷享销客下调专业版价格"]
    assert await titles(search="hwfb") == ["华为发布新一代云服务"]
    assert await titles(search="crm 市场") == ["2026 中国 CRM 市场研究报告"]
    assert await titles(kind=["PRICING", "NEWS"]) == ["华为发布新一代云服务", "纷享销客下调专业版价格"]
    assert await titles(competitorId=rival, tag="价格") == ["纷享销客下调专业版价格"]
    link = {"kind": "NEWS", "title": "x", "links": ["javascript:alert(1)"]}
    bad = await gql.error(SAVE_ENTRY, {"i": link}, code="BAD_USER_INPUT")
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "links[0]"}
    for links, field in (
        (["https://", "https://news.cn/a"], "links[0]"),
        (["https://news.cn/a", "https://exa mple.com"], "links[1]"),
    ):
        bad = await gql.error(SAVE_ENTRY, {"i": {**link, "links": links}}, code="BAD_USER_INPUT", lang="zh-CN")
        assert (bad["extensions"]["field"], bad["message"]) == (field, f"字段“{field}”须为 http 或 https 地址")
    await gql.error(SAVE_ENTRY, {"i": {"kind": "NEWS", "title": "x"}}, "rep1", code="FORBIDDEN")
    assert len(await titles("marketer1")) == 3  # the refused ones left nothing


async def test_materials_issued_to_a_campaign_leave_stock_and_cost_the_campaign(gql):
    campaign = await gql.approved()
    material = (
        await gql.ok(SAVE_MATERIAL, {"i": {"name": "产品手册", "kind": "BROCHURE", "unitCost": "12.50", "unit": "本"}})
    )["saveMaterial"]
    assert (material["stock"], material["unitCost"]) == (0, "12.50")
    assert (await gql.ok(RESTOCK, {"id": material["id"], "q": 500}, "marketer1"))["restockMaterial"] == {"stock": 500}
    issued = await gql.ok(ISSUE, {"id": material["id"], "c": campaign, "q": 200}, "marketer1")
    assert issued["issueMaterial"] == {
        "stock": 300,
        "issues": [{"campaignId": campaign, "quantity": 200, "unitCost": "12.50", "cost": "2500.00"}],
    }
    costs = await gql.ok(
        "query($id: ID!) { campaign(id: $id) { actualCost costs { category amount } } }", {"id": campaign}
    )
    assert costs["campaign"] == {
        "actualCost": "2500.00",
        "costs": [{"category": "宣传品 产品手册", "amount": "2500.00"}],
    }

    too_many = {"id": material["id"], "c": campaign, "q": 301}
    short = await gql.error(ISSUE, too_many, "marketer1", code="BAD_USER_INPUT", lang="zh-CN")
    assert short["extensions"] == {"code": "BAD_USER_INPUT", "field": "quantity", "stock": 300, "unit": "本"}
    assert short["message"] == "字段“quantity”超过库存（现有 300 本）"
    # a campaign sums its costs in its own currency: a material priced in another is not issued to it
    dollars = {"name": "展架", "kind": "BROCHURE", "unitCost": "30.00", "unit": "个", "currency": "usd"}
    stand = (await gql.ok(SAVE_MATERIAL, {"i": dollars}))["saveMaterial"]
    await gql.ok(RESTOCK, {"id": stand["id"], "q": 10}, "marketer1")
    mixed = await gql.error(ISSUE, {"id": stand["id"], "c": campaign, "q": 1}, "marketer1", "BAD_USER_INPUT", "zh-CN")
    assert (mixed["extensions"]["field"], mixed["message"]) == (
        "campaignId",
        "字段“campaignId”：活动以 CNY 记账，宣传品以 USD 计价",
    )
    coins = await gql.error(
        SAVE_MATERIAL, {"i": {**dollars, "name": "硬币展架", "currency": "1$"}}, code="BAD_USER_INPUT", lang="zh-CN"
    )
    assert (coins["extensions"], coins["message"]) == (
        {"code": "BAD_USER_INPUT", "field": "currency"},
        "字段“currency”须为三位 ISO 4217 货币代码，如 CNY",
    )
    for wrong, field in (
        ({"currency": "QQQ"}, "currency"),
        ({"currency": "ZZZ"}, "currency"),
        ({"unitCost": "0.00"}, "unitCost"),
    ):
        refused = await gql.error(SAVE_MATERIAL, {"i": {**dollars, "name": "无价展架", **wrong}}, code="BAD_USER_INPUT")
        assert refused["extensions"]["field"] == field, wrong
    free = await gql.error(
        SAVE_MATERIAL, {"i": {**dollars, "name": "无价展架", "unitCost": "0"}}, code="BAD_USER_INPUT", lang="zh-CN"
    )
    assert free["message"] == "字段“unitCost”须大于零"
    for cost in ("0.001", "12.505"):  # stored as 0.00 and 12.51 they would be other prices
        fraction = await gql.error(
            SAVE_MATERIAL, {"i": {**dollars, "name": "小样", "unitCost": cost}}, code="BAD_USER_INPUT"
        )
        assert (fraction["extensions"]["field"], fraction["message"]) == (
            "unitCost",
            "Field 'unitCost' allows at most 2 decimal places",
        )
    assert (await gql.ok(SAVE_MATERIAL, {"i": {**dollars, "name": "小样", "unitCost": "0.010"}}))["saveMaterial"][
        "unitCost"
    ] == "0.01"
    negative = await gql.error(RESTOCK, {"id": material["id"], "q": -5}, "marketer1", code="BAD_USER_INPUT")
    assert (negative["extensions"], negative["message"]) == (
        {"code": "BAD_USER_INPUT", "field": "quantity", "minimum": 1, "maximum": 1000000},
        "Field 'quantity' must be between 1 and 1000000",
    )
    planned = await gql.campaign()  # a budget not approved yet bears no cost, and nothing leaves the stock
    await gql.error(ISSUE, {"id": material["id"], "c": planned, "q": 1}, "marketer1", code="CONFLICT")
    others = await gql.approved("lead")  # another team's campaign is not the marketer's to charge
    await gql.error(ISSUE, {"id": material["id"], "c": others, "q": 1}, "marketer1", code="NOT_FOUND")
    await gql.error(ISSUE, {"id": material["id"], "c": campaign, "q": 1}, "rep1", code="FORBIDDEN")
    stock = await gql.ok("{ materials { name stock } }")
    assert stock["materials"] == [
        {"name": "产品手册", "stock": 300},
        {"name": "小样", "stock": 0},
        {"name": "展架", "stock": 10},
    ]


async def test_an_issue_taking_the_campaigns_cost_past_the_largest_amount_is_refused_at_quantity(gql):
    campaign, other = await gql.approved(), await gql.approved()
    dear = {"name": "钻石纪念品", "kind": "GIFT", "unitCost": "9999999999999999.99", "unit": "件"}
    material = (await gql.ok(SAVE_MATERIAL, {"i": dear}))["saveMaterial"]
    await gql.ok(RESTOCK, {"id": material["id"], "q": 10}, "marketer1")
    await gql.ok(ISSUE, {"id": material["id"], "c": campaign, "q": 1}, "marketer1")
    again = {"id": material["id"], "c": campaign, "q": 1}
    zh = await gql.error(ISSUE, again, "marketer1", "BAD_USER_INPUT", "zh-CN")
    en = await gql.error(ISSUE, again, "marketer1", "BAD_USER_INPUT", "en")
    assert (zh["extensions"], zh["message"], en["message"]) == (
        {
            "code": "BAD_USER_INPUT",
            "field": "quantity",
            "spent": "9999999999999999.99",
            "maximum": "9999999999999999.99",
        },
        "字段“quantity”将使活动的实际费用（现为 9999999999999999.99）超过 9999999999999999.99",
        "Field 'quantity' would take the campaign's actual cost of 9999999999999999.99 past 9999999999999999.99",
    )
    five = await gql.error(ISSUE, {"id": material["id"], "c": other, "q": 5}, "marketer1", code="BAD_USER_INPUT")
    assert (five["extensions"]["field"], five["extensions"]["spent"]) == ("quantity", "0.00")
    assert (await gql.ok("{ materials { name stock } }"))["materials"] == [{"name": "钻石纪念品", "stock": 9}]
    performance = "query($id: ID!) { campaignPerformance(id: $id) { cost } }"
    spent = {c: (await gql.ok(performance, {"id": c}))["campaignPerformance"]["cost"] for c in (campaign, other)}
    assert spent == {campaign: "9999999999999999.99", other: "0.00"}


async def test_a_search_of_punctuation_alone_is_refused_at_search_in_the_callers_language(gql):
    said = {"zh-CN": "字段“search”不含可搜索的字符", "en": "Field 'search' has no characters to search for"}
    for lang, message in said.items():
        refused = await gql.error(SEARCH, {"f": {"search": "%"}}, "marketer1", lang=lang, code="BAD_USER_INPUT")
        assert (refused["message"], refused["extensions"]["field"]) == (message, "search")
