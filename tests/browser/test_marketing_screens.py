"""Marketing screens in the console: a segment's live count as its rule is edited (asked for only once
its conditions are complete, the API's field error next to the condition it names), a campaign's
performance under two attribution models, and a journey's contacts counted at each step."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from playwright.sync_api import Page, Request, expect

from crm_shared.devstack.run import Stack

from .conftest import PHONE, api, at_its_field, fits_phone, pick, serious_violations, sign_in

PREVIEW = "query($r: SegmentRulesInput!) { segmentPreview(rules: $r) { count } }"


def _level_count(stack: Stack, level: str) -> int:
    rules = {"match": "ALL", "conditions": [{"field": "LEVEL", "operator": "EQUALS", "value": level}]}
    return api(stack, PREVIEW, {"r": rules}, email="marketer@example.com")["data"]["segmentPreview"]["count"]


def test_a_marketer_edits_a_segment_rule_and_sees_the_live_count_change(page: Page, stack: Stack):
    a, b = _level_count(stack, "A"), _level_count(stack, "B")
    assert a != b
    many = {"match": "ALL", "conditions": [{"field": "OPENED_COUNT", "operator": "AT_LEAST", "value": "many"}]}
    [refused] = api(stack, PREVIEW, {"r": many}, email="marketer@example.com")["errors"]
    assert refused["extensions"]["field"] == "rules.conditions[0].value"
    previews: list[str] = []  # the live count's requests to the API

    def asked(request: Request) -> None:
        if request.method == "POST" and "SegmentPreview" in (request.post_data or ""):
            previews.append(request.post_data or "")

    page.on("request", asked)

    sign_in(page, "marketer@example.com")
    page.get_by_role("link", name="客户细分").click()
    expect(page.get_by_role("link", name="重点客户 Key accounts")).to_be_visible()
    page.get_by_role("button", name="新建细分").click()
    # the untouched form asks nothing of the API and shows no error: its one condition has no value yet
    count = page.get_by_role("status")
    expect(count).to_have_text("填写规则后显示匹配人数")
    page.wait_for_timeout(1_000)
    assert previews == []
    expect(page.locator(".ant-form-item-explain-error")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)

    # an error in what the user typed goes next to the condition it names
    pick(page, page.get_by_label("字段", exact=True), "邮件打开次数")
    value = page.locator(".ant-form-item").filter(has=page.get_by_label("值", exact=True))
    page.get_by_label("值", exact=True).fill("many")
    expect(value.locator(".ant-form-item-explain-error")).to_have_text(at_its_field(refused["message"]))
    pick(page, page.get_by_label("字段", exact=True), "客户级别")

    page.get_by_label("值", exact=True).fill("A")
    expect(count).to_have_text(f"匹配 {a} 位联系人")
    expect(value.locator(".ant-form-item-explain-error")).to_have_count(0)
    page.get_by_label("值", exact=True).fill("B")
    expect(count).to_have_text(f"匹配 {b} 位联系人")
    assert serious_violations(page) == []

    # the name is required before the API is asked
    page.get_by_role("button", name="保存细分").click()
    name = page.locator(".ant-form-item").filter(has=page.get_by_label("细分名称", exact=True))
    expect(name.locator(".ant-form-item-explain-error")).to_have_text("请填写细分名称")

    page.get_by_label("细分名称", exact=True).fill("A 级客户（浏览器测试）")
    page.get_by_role("button", name="保存细分").click()
    # saving a new segment lands on it, without an error from the queries of the page it left
    expect(page.get_by_role("heading", name="A 级客户（浏览器测试）")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/marketing/segments/[0-9a-f-]{36}$"))
    expect(page.get_by_text(f"共 {b} 位成员")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator(".ant-message-error")).to_have_count(0)
    expect(page.get_by_text("was not provided")).to_have_count(0)
    page.set_viewport_size(PHONE)
    # the grid lays itself out again after the resize; the page must come to fit the phone, without scrolling
    fits_phone(page)


PERFORMANCE = """query($id: ID!) {
  first: campaignPerformance(id: $id, model: FIRST_TOUCH) { wonRevenue roi leads cost costPerLead currency }
  linear: campaignPerformance(id: $id, model: LINEAR) { wonRevenue roi leads cost costPerLead currency }
}"""
EXPO = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://crm.example.com/demo/campaigns/autumn-expo"))


def _money(amount: str, currency: str) -> str:
    """As the console's shared money formatting shows it: thousands separated, at most 3 decimals."""
    shown = f"{Decimal(amount):,.3f}".rstrip("0").rstrip(".")
    return f"{shown} {currency}"


def _percent(ratio: str | None) -> str:
    return "—" if ratio is None else f"{Decimal(ratio) * 100:.1f}%"


def test_the_campaign_page_shows_its_performance_under_the_attribution_models(page: Page, stack: Stack):
    figures = api(stack, PERFORMANCE, {"id": EXPO}, email="marketer@example.com")["data"]
    first, linear = figures["first"], figures["linear"]
    assert Decimal(first["wonRevenue"]) > 0

    sign_in(page, "marketer@example.com")
    page.goto(f"/campaigns/{EXPO}")
    card = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="活动效果"))
    rows = card.locator(".ant-table-tbody tr.ant-table-row")
    expect(rows).to_have_count(4)
    expect(rows.nth(0).locator("td")).to_have_text(
        ["首次触达", _money(first["wonRevenue"], first["currency"]), _percent(first["roi"])]
    )
    expect(rows.nth(2).locator("td")).to_have_text(
        ["线性", _money(linear["wonRevenue"], linear["currency"]), _percent(linear["roi"])]
    )
    leads = card.locator(".ant-descriptions-item").filter(has_text="线索")
    expect(leads.first).to_have_text(f"线索{linear['leads']}")
    cost_per_lead = card.locator(".ant-descriptions-item").filter(has_text="单条线索成本")
    expect(cost_per_lead).to_have_text(f"单条线索成本{_money(linear['costPerLead'], linear['currency'])}")
    expect(card.get_by_role("img", name="各归因模型的归因收入与投资回报率")).to_be_visible()


JOURNEYS = "{ journeys { id name steps { key } } }"
PROGRESS = "query($id: ID!) { journeyProgress(id: $id) { steps { step active waiting } } }"


def test_a_journeys_flow_shows_how_many_contacts_wait_at_each_step(page: Page, stack: Stack):
    [journey] = [
        j
        for j in api(stack, JOURNEYS, email="marketer@example.com")["data"]["journeys"]
        if j["name"] == "新客邀约 Webinar invitations for new contacts"
    ]
    counts = api(stack, PROGRESS, {"id": journey["id"]}, email="marketer@example.com")["data"]["journeyProgress"]
    at: dict[str, tuple[int, int]] = {}
    for c in counts["steps"]:
        active, waiting = at.get(c["step"], (0, 0))
        at[c["step"]] = (active + c["active"], waiting + c["waiting"])
    assert sum(a + w for a, w in at.values()) > 0

    sign_in(page, "marketer@example.com")
    page.get_by_role("link", name="客户旅程").click()
    page.get_by_role("link", name="新客邀约 Webinar invitations for new contacts").click()
    flow = page.get_by_role("list", name="旅程流程")
    for step in journey["steps"]:
        active, waiting = at.get(step["key"], (0, 0))
        card = flow.get_by_role("listitem", name=step["key"], exact=True)
        expect(card.locator(".ant-tag").first).to_have_text(f"进行中 {active} · 等待中 {waiting}")
    expect(flow.get_by_role("listitem", name="opened", exact=True)).to_contain_text("是 → call")
    assert serious_violations(page) == []
