"""Marketing's catalogue screens in the console: market intelligence searched in Chinese with the
competitors' win/loss, a material issued to a campaign (more than in stock refused at the quantity),
and an SMS template whose 回T退订 is checked as it is typed, saved and test-sent to a phone."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from crm_shared.devstack.run import Stack

from .conftest import PHONE, api, at_its_field, choose, fits_phone, serious_violations, sign_in

MARKETER = "marketer@example.com"


def settled(page: Page) -> None:
    """Waits for the tabs' and layout's transitions to end, so widths are measured where they come to rest."""
    page.evaluate(
        """async () => Promise.all(document.getAnimations()
            .filter((a) => a.effect?.getTiming().iterations !== Infinity)
            .map((a) => a.finished.catch(() => null)))"""
    )


FACTS = """query($s: String!) {
  intelligence(filter: {search: $s}) { totalCount edges { node { title } } }
  competitors { name winLoss { won lost } }
}"""


def test_intelligence_is_searched_in_chinese_and_competitors_show_their_win_loss(page: Page, stack: Stack):
    facts = api(stack, FACTS, {"s": "价格"}, email=MARKETER)["data"]
    found = facts["intelligence"]
    [rival] = [c for c in facts["competitors"] if c["name"] == "Salesforce"]
    assert rival["winLoss"]["lost"] > 0

    sign_in(page, MARKETER)
    page.get_by_role("link", name="市场情报").click()
    page.get_by_label("搜索情报（中文、英文或拼音首字母）").fill("价格")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(f"共 {found['totalCount']} 条情报")
    titles = page.get_by_role("tabpanel", name="情报").locator(".ant-table-tbody tr.ant-table-row td:nth-child(2)")
    expect(titles).to_have_text([e["node"]["title"] for e in found["edges"]])

    page.get_by_role("tab", name="竞争对手").click()
    row = page.get_by_role("tabpanel", name="竞争对手").locator("tr.ant-table-row").filter(has_text="Salesforce")
    expect(row).to_contain_text(f"赢 {rival['winLoss']['won']} / 输 {rival['winLoss']['lost']}")
    assert serious_violations(page) == []
    page.set_viewport_size(PHONE)
    settled(page)
    fits_phone(page)


STOCK = """{
  materials { id name stock }
  campaigns(filter: {status: [APPROVED, RUNNING]}, first: 1) { edges { node { id name } } }
}"""
ISSUE = "mutation($id: ID!, $c: ID!, $q: Int!) { issueMaterial(id: $id, campaignId: $c, quantity: $q) { stock } }"


def test_a_material_is_issued_to_a_campaign_and_more_than_in_stock_is_refused_at_the_quantity(page: Page, stack: Stack):
    stock = api(stack, STOCK, email=MARKETER)["data"]
    [flask] = [m for m in stock["materials"] if m["name"] == "定制保温杯 Branded flask"]
    [campaign] = [e["node"] for e in stock["campaigns"]["edges"]]
    too_many = {"id": flask["id"], "c": campaign["id"], "q": flask["stock"] + 1}
    [refused] = api(stack, ISSUE, too_many, email=MARKETER)["errors"]
    assert refused["extensions"]["field"] == "quantity"

    sign_in(page, MARKETER)
    page.get_by_role("link", name="宣传品").click()
    row = page.locator("tr.ant-table-row").filter(has_text="定制保温杯 Branded flask")
    expect(row.locator("td").nth(3)).to_have_text(f"{flask['stock']} 个")
    row.get_by_role("button", name="发放给活动").click()
    dialog = page.get_by_role("dialog")
    choose(page, dialog, dialog.get_by_label("市场活动"), campaign["name"], campaign["name"])
    dialog.get_by_label("数量").fill(str(flask["stock"] + 1))
    dialog.get_by_role("button", name="发放给活动").click()
    quantity = dialog.locator(".ant-form-item").filter(has=page.get_by_label("数量"))
    expect(quantity.locator(".ant-form-item-explain-error")).to_have_text(at_its_field(refused["message"]))

    dialog.get_by_label("数量").fill("2")
    dialog.get_by_role("button", name="发放给活动").click()
    expect(page.get_by_text("已发放，费用已记入活动")).to_be_visible()
    expect(row.locator("td").nth(3)).to_have_text(f"{flask['stock'] - 2} 个")


def test_an_sms_template_shows_its_opt_out_as_typed_and_is_test_sent_to_a_phone(page: Page, stack: Stack):
    sign_in(page, MARKETER)
    page.get_by_role("link", name="短信模板").click()
    page.get_by_role("button", name="新建短信模板").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("名称").fill("浏览器测试短信")
    dialog.get_by_label("服务商模板编号").fill("SMS_900001")
    dialog.get_by_label("签名").fill("【示例科技】")
    dialog.get_by_label("内容").fill("${name}您好，新品到店")
    expect(dialog.get_by_text("缺少回T退订")).to_be_visible()
    dialog.get_by_role("button", name="添加参数").click()
    dialog.get_by_label("参数名").fill("name")
    dialog.get_by_label("取值（文字或合并字段，如 {{ contact.name }}）").fill("{{ contact.name }}")
    dialog.get_by_role("button", name="新建短信模板").click()
    content = dialog.locator(".ant-form-item").filter(has=page.get_by_label("内容"))
    # under its field, the message leaves out the API's name for it
    expect(content.locator(".ant-form-item-explain-error")).to_have_text("营销短信须包含退订方式“回T退订”")

    dialog.get_by_label("内容").fill("${name}您好，新品到店，回T退订")
    expect(dialog.get_by_text("含回T退订")).to_be_visible()
    dialog.get_by_role("button", name="新建短信模板").click()
    row = page.locator("tr.ant-table-row").filter(has_text="浏览器测试短信")
    expect(row).to_contain_text("【示例科技】张三您好，新品到店，回T退订")

    row.get_by_role("button", name="测试发送").click()
    tester = page.get_by_role("dialog")
    tester.get_by_label("手机号").fill("13800138123")
    tester.get_by_role("button", name="测试发送").click()
    expect(tester.get_by_role("status")).to_have_text("服务商已接收：【示例科技】张三您好，新品到店，回T退订")
    assert [r.params for r in stack.sms.to("13800138123")] == [{"name": "张三"}]
