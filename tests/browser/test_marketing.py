"""Marketing in the console: a campaign created by a marketer (a line's bad amount refused at its field),
its budget submitted and approved by the marketing manager, and an email template's preview with a
contact's merge fields escaped; phones and accessibility."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from crm_shared.devstack.run import Stack

from .conftest import DESKTOP, PHONE, api, at_its_field, choose, fits_phone, pick, serious_violations, sign_in

CREATE = "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }"
NAME = "春季新品研讨会（浏览器测试）"


@pytest.fixture
def marketing_manager(browser: Browser, stack: Stack) -> Iterator[Page]:
    """A second person at another browser, signed in as the marketing manager."""
    context = browser.new_context(base_url=stack.console_url, locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    opened = context.new_page()
    sign_in(opened, "marketing.manager@example.com")
    yield opened
    context.close()


def test_a_marketer_creates_a_campaign_and_submits_its_budget_which_the_manager_approves(
    page: Page, stack: Stack, marketing_manager: Page
):
    line = {"category": "场地 Venue", "amount": "一万"}
    data = {"name": "金额错误的活动", "type": "SEMINAR", "startsOn": "2027-03-01", "endsOn": "2027-03-02"}
    [refused] = api(stack, CREATE, {"i": {**data, "budgetLines": [line]}}, email="marketer@example.com")["errors"]
    assert refused["extensions"]["field"] == "budgetLines[0].amount"

    sign_in(page, "marketer@example.com")
    page.get_by_role("link", name="市场活动").click()
    page.get_by_role("button", name="新建活动").click()
    page.get_by_label("活动名称", exact=True).fill(NAME)
    # Enter confirms a typed date and nothing more: the goals and budget are still to come
    page.get_by_label("开始日期").fill("2027-03-01")
    page.get_by_label("开始日期").press("Enter")
    page.get_by_label("结束日期").fill("2027-03-02")
    page.get_by_label("结束日期").press("Enter")
    expect(page.get_by_label("结束日期")).to_have_value("2027-03-02")
    expect(page.get_by_role("heading", name="新建活动")).to_be_visible()
    expect(page.get_by_text("活动已保存")).to_have_count(0)
    page.get_by_label("目标线索数").fill("40")
    page.get_by_role("button", name="添加预算明细").click()
    page.get_by_label("类别").fill("场地 Venue")
    page.get_by_label("金额").fill("一万")
    page.get_by_role("button", name="保存").click()
    amount = page.locator(".ant-form-item").filter(has=page.get_by_label("金额"))
    expect(amount.locator(".ant-form-item-explain-error")).to_have_text(at_its_field(refused["message"]))

    page.get_by_label("金额").fill("12000")
    expect(amount.locator(".ant-form-item-explain-error")).to_have_count(0)
    page.get_by_label("金额").press("Enter")
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    expect(page.get_by_text("12,000 CNY").first).to_be_visible()  # the shared money formatting
    page.get_by_role("button", name="提交预算审批").click()
    expect(page.get_by_text("第 1/1 级 · 审批人：吴经理 Marketing Manager")).to_be_visible()  # the default chain
    expect(page.get_by_role("button", name="批准")).to_have_count(0)  # never their own
    assert serious_violations(page) == []

    marketing_manager.reload()
    waiting = marketing_manager.locator(".ant-card").filter(has_text="待我审批的预算")
    waiting.get_by_role("link", name=NAME).click()
    marketing_manager.get_by_role("button", name="批准").click()
    dialog = marketing_manager.get_by_role("dialog")
    dialog.get_by_label("意见").fill("同意，控制场地费用")
    dialog.get_by_role("button", name="批准").click()
    expect(marketing_manager.get_by_role("alert").get_by_text("已批准")).to_be_visible()
    heading = marketing_manager.get_by_role("heading", name=NAME)
    expect(heading.locator(".ant-tag")).to_have_text(["研讨会", "已批准"])
    expect(dialog).to_have_count(0)  # the closing dialog's note is not the one the page shows
    expect(marketing_manager.get_by_text("同意，控制场地费用", exact=True)).to_be_visible()  # in the history

    page.reload()
    expect(page.get_by_role("button", name="启动活动")).to_be_visible()
    for path in ("/campaigns?type=SEMINAR", page.url.removeprefix(stack.console_url)):
        page.set_viewport_size(PHONE)
        page.goto(path)
        expect(page.get_by_text(NAME).first).to_be_visible()
        fits_phone(page)


def test_the_template_preview_escapes_a_contacts_merge_fields(page: Page, stack: Stack):
    account = api(
        stack,
        'mutation { createAccount(input: {name: "预览转义测试公司"}) { id } }',
        email="rep1@example.com",
    )["data"]["createAccount"]["id"]
    contact = "mutation($i: ContactFields!) { createContact(input: $i) { id } }"
    api(stack, contact, {"i": {"accountId": account, "name": "<b>赵</b>"}}, email="rep1@example.com")

    sign_in(page, "marketer@example.com")
    page.get_by_role("link", name="邮件模板").click()
    page.get_by_role("button", name="新建模板").click()
    page.get_by_role("textbox", name="模板名称").fill("转义预览")
    page.get_by_role("textbox", name="主题").fill("您好 {{ contact.name }}")
    page.get_by_role("textbox", name="HTML 正文").fill("<p>尊敬的 {{ contact.name }}：</p><p>{{ account.name }}</p>")
    page.get_by_role("textbox", name="纯文本正文").fill("尊敬的 {{ contact.name }}")
    choose(page, page, page.get_by_label("按客户查找联系人"), "预览转义", "预览转义测试公司")
    pick(page, page.get_by_label("联系人", exact=True), "<b>赵</b>")
    page.get_by_role("button", name="预览").click()

    expect(page.get_by_text("您好 <b>赵</b>")).to_be_visible()
    frame = page.frame_locator('iframe[title="邮件预览（HTML）"]')
    expect(frame.locator("p")).to_have_text(["尊敬的 <b>赵</b>：", "预览转义测试公司"])
    expect(frame.locator("b")).to_have_count(0)
    expect(page.locator("pre")).to_have_text("尊敬的 <b>赵</b>")
    assert serious_violations(page) == []
