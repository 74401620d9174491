"""Quotes to cash and sales analytics: a quote built, submitted and approved level by level by others, the
API's field and four-eyes errors, a manager delegating their approvals while away, receivables drilled into
invoices, reports exported, phones and accessibility."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from crm_shared.devstack.run import Stack

from .conftest import DESKTOP, PHONE, api, at_its_field, choose, fits_phone, pick, serious_violations, sign_in, wait_for

REP_OPPORTUNITIES = """{ opportunities(filter: {status: "open"}, first: 100) { edges { node { id name } } } }"""
QUOTE = "query($id: ID!) { quote(id: $id) { status subtotal discountAmount taxAmount total currency } }"
PAYMENTS = """{ payments(filter: {method: "bank_transfer"}) { totalCount
  edges { node { invoiceNumber receivedOn account { name } } } } }"""
CREATE = "mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id version } }"
DELEGATE = """mutation($to: ID!, $from: DateTime, $until: DateTime!) {
  delegateApprovals(toUserId: $to, from: $from, until: $until) { id } }"""
DELEGATIONS = "{ myApprovalDelegations { delegate { displayName } } }"
PICKED = "%Y-%m-%d %H:%M"  # as the console's date-time pickers show a time, in the browser's (this machine's) zone


def money(amount: str, currency: str) -> str:
    """As the console shows an amount: grouped digits, no trailing zeros (the browser's toLocaleString)."""
    text = f"{Decimal(amount):,.2f}".rstrip("0").rstrip(".")
    return f"{text} {currency}"


def rep_opportunities(stack: Stack) -> list[dict]:
    found = api(stack, REP_OPPORTUNITIES, email="rep1@example.com")["data"]["opportunities"]["edges"]
    return sorted((e["node"] for e in found), key=lambda o: o["name"])


def product(stack: Stack, code: str) -> dict:
    found = api(stack, "{ products(first: 100) { edges { node { id code listPrice } } } }", email="manager@example.com")
    return next(e["node"] for e in found["data"]["products"]["edges"] if e["node"]["code"] == code)


def product_id(stack: Stack, code: str) -> str:
    return product(stack, code)["id"]


def book_price(stack: Stack, book_name: str, code: str) -> Decimal:
    """The book's entry for the product, else its discount off the list price, half-up to the cent."""
    books = api(stack, "{ priceBooks { name discountPercent entries { productId price } } }", email="rep1@example.com")
    book = next(b for b in books["data"]["priceBooks"] if b["name"] == book_name)
    item = product(stack, code)
    entry = next((e["price"] for e in book["entries"] if e["productId"] == item["id"]), None)
    if entry is not None:
        return Decimal(entry)
    price = Decimal(item["listPrice"]) * (1 - Decimal(book["discountPercent"]) / 100)
    return price.quantize(Decimal("0.01"), ROUND_HALF_UP)


def person(browser: Browser, stack: Stack, email: str) -> Iterator[Page]:
    context = browser.new_context(base_url=stack.console_url, locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    opened = context.new_page()
    sign_in(opened, email)
    yield opened
    context.close()


@pytest.fixture
def manager(browser: Browser, stack: Stack) -> Iterator[Page]:
    """A second person at another browser, signed in as the sales manager."""
    yield from person(browser, stack, "manager@example.com")


@pytest.fixture
def director(browser: Browser, stack: Stack) -> Iterator[Page]:
    """A third, the demo's sales director (its administrator): the second level of deep discounts."""
    yield from person(browser, stack, "admin@example.com")


def test_a_rep_builds_a_quote_the_manager_then_the_director_approve_it_and_the_rep_sees_it_approved(
    page: Page, manager: Page, director: Page, stack: Stack, screenshots: Path
):
    opportunity = rep_opportunities(stack)[0]
    sign_in(page, "rep1@example.com")
    page.goto(f"/opportunities/{opportunity['id']}")
    page.get_by_role("link", name="新建报价").click()
    expect(page.get_by_role("heading", name="新建报价")).to_be_visible()
    expect(page.get_by_label("价目表")).to_be_visible()
    assert serious_violations(page) == []
    pick(page, page.get_by_label("价目表", exact=True), "A 级客户价")
    choose(page, page, page.get_by_label("产品 1", exact=True), "CRM-STD", "CRM 标准版（年） (CRM-STD)")
    page.get_by_label("数量 1", exact=True).fill("2")
    page.get_by_label("行折扣 % 1", exact=True).fill("20")
    page.get_by_role("button", name="添加产品").click()
    choose(page, page, page.get_by_label("产品 2", exact=True), "IMPL-DAY", "实施服务 (IMPL-DAY)")
    page.get_by_label("数量 2", exact=True).fill("10")
    page.get_by_label("整单折扣 %").fill("20")  # past 30 % in all: the sales director decides too
    page.get_by_role("button", name="保存报价").click()

    expect(page.get_by_role("heading", name="草稿")).to_be_visible()
    quote_id = page.url.rsplit("/", 1)[1]
    made = api(stack, QUOTE, {"id": quote_id}, email="rep1@example.com")["data"]["quote"]
    totals = page.get_by_label("金额合计")
    expect(totals).to_contain_text(money(made["subtotal"], made["currency"]))
    expect(totals).to_contain_text(money(made["taxAmount"], made["currency"]))
    expect(totals).to_contain_text(money(made["total"], made["currency"]))
    standard = page.get_by_role("row").filter(has_text="CRM 标准版（年）")
    expect(standard).to_contain_text("20%")
    expect(standard.get_by_role("cell").nth(3)).to_have_text(
        money(str(book_price(stack, "A 级客户价", "CRM-STD")), "CNY")
    )
    service = page.get_by_role("row").filter(has_text="实施服务")
    expect(service.get_by_role("cell").nth(3)).to_have_text(
        money(str(book_price(stack, "A 级客户价", "IMPL-DAY")), "CNY")
    )
    page.get_by_role("button", name="提交审批").click()
    expect(page.get_by_role("heading", name="待审批")).to_be_visible()
    approval = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="审批", exact=True))
    # automation opens the approval from sales' event; the page asks again each second until it is there
    expect(approval).to_contain_text("第 1/2 级 · 审批链：报价折扣审批 Quote discounts", timeout=30_000)
    expect(approval).to_contain_text("等待：王经理 Manager")
    history = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="报价历程"))
    expect(history).to_contain_text("等待第 1/2 级审批：王经理 Manager")
    expect(page.get_by_role("button", name="批准")).to_have_count(0)
    assert serious_violations(page) == []

    manager.get_by_role("link", name="我的审批").click()
    waiting = manager.get_by_role("group", name=made_title(stack, quote_id)).filter(
        has=manager.locator(f'a[href="/quotes/{quote_id}"]')
    )
    expect(waiting).to_contain_text("第 1/2 级")
    waiting.get_by_role("button", name="批准").click()
    dialog = manager.get_by_role("dialog", name="批准")
    dialog.get_by_label("意见").fill("同意本次折扣")
    dialog.get_by_role("button", name="批准").click()
    expect(manager.get_by_role("alert").get_by_text("已批准")).to_be_visible()
    expect(waiting).to_have_count(0)

    director.goto(f"/quotes/{quote_id}")
    card = director.locator(".ant-card").filter(has=director.get_by_role("heading", name="审批", exact=True))
    expect(card).to_contain_text("第 2/2 级")
    expect(card).to_contain_text("第 1 级 · 批准 · 王经理 Manager")
    expect(card).to_contain_text("同意本次折扣")
    # the quote's history says the level it is at now and whom it waits on, as its approval's card does
    history = director.locator(".ant-card").filter(has=director.get_by_role("heading", name="报价历程"))
    expect(history).to_contain_text("等待第 2/2 级审批：系统管理员 Admin")
    card.get_by_role("button", name="批准").click()
    director.get_by_role("dialog", name="批准").get_by_role("button", name="批准").click()
    # sales applies automation's decision from its event; the page asks again each second until it has
    expect(director.get_by_role("heading", name="已批准")).to_be_visible(timeout=30_000)

    page.reload()
    expect(page.get_by_role("heading", name="已批准")).to_be_visible()
    expect(approval).to_contain_text("第 2 级 · 批准 · 系统管理员 Admin")
    expect(page.get_by_role("button", name="客户已接受")).to_be_visible()
    page.screenshot(path=screenshots / "quote-approved.png", full_page=True)


def made_title(stack: Stack, quote_id: str) -> str:
    """How "my approvals" names a quote: its opportunity's name."""
    found = api(
        stack, "query($id: ID!) { quote(id: $id) { opportunityId } }", {"id": quote_id}, email="rep1@example.com"
    )
    opportunity = found["data"]["quote"]["opportunityId"]
    named = api(
        stack, "query($id: ID!) { opportunity(id: $id) { name } }", {"id": opportunity}, email="rep1@example.com"
    )
    return named["data"]["opportunity"]["name"]


def test_whoever_submitted_a_quote_cannot_approve_it(manager: Page, stack: Stack):
    opportunity = rep_opportunities(stack)[1]
    product = product_id(stack, "CRM-PRO")
    lines = [{"productId": product, "quantity": "1", "discountPercent": "30"}]
    made = api(stack, CREATE, {"i": {"opportunityId": opportunity["id"], "lines": lines}}, email="manager@example.com")
    quote = made["data"]["createQuote"]["id"]
    submit = "mutation($id: ID!) { submitQuote(id: $id) { status } }"
    assert (
        api(stack, submit, {"id": quote}, email="manager@example.com")["data"]["submitQuote"]["status"]
        == "pending_approval"
    )
    shown = "query($id: ID!) { quote(id: $id) { approval { id currentApprovers { displayName } } } }"
    approval = wait_for(
        lambda: api(stack, shown, {"id": quote}, email="manager@example.com")["data"]["quote"]["approval"]
    )
    approve = "mutation($id: ID!) { approve(id: $id) { status } }"
    [error] = api(stack, approve, {"id": approval["id"]}, email="manager@example.com")["errors"]
    assert (error["extensions"]["code"], error["message"]) == (
        "FORBIDDEN",
        "负责人、创建人或提交人不能审批自己的事项",
    )
    # nobody above the manager in the demo tree: the administrators decide
    assert approval["currentApprovers"] == [{"displayName": "系统管理员 Admin"}]

    manager.goto(f"/quotes/{quote}")
    expect(manager.get_by_role("heading", name="待审批")).to_be_visible()
    expect(manager.get_by_text("等待：系统管理员 Admin")).to_be_visible()
    expect(manager.get_by_role("button", name="批准")).to_have_count(0)


def test_the_quote_form_shows_the_api_error_at_its_field(page: Page, stack: Stack):
    opportunity = rep_opportunities(stack)[0]
    lines = [{"productId": product_id(stack, "TRAIN"), "quantity": "1"}]
    wrong = {"opportunityId": opportunity["id"], "lines": lines, "discountPercent": "150"}
    [error] = api(stack, CREATE, {"i": wrong}, email="rep1@example.com")["errors"]
    assert error["extensions"]["field"] == "discountPercent"

    sign_in(page, "rep1@example.com")
    page.goto(f"/quotes/new?opportunityId={opportunity['id']}")
    choose(page, page, page.get_by_label("产品 1", exact=True), "TRAIN", "培训服务 (TRAIN)")
    page.get_by_label("整单折扣 %").fill("150")
    valid = page.get_by_label("有效期至")
    valid.click()  # a calendar in the console's language, weeks from Monday as in China
    weekdays = page.locator(".ant-picker-dropdown:visible thead th")
    expect(weekdays).to_have_text(["一", "二", "三", "四", "五", "六", "日"])
    valid.fill("2027-01-31")
    valid.press("Enter")  # confirms the date and saves nothing
    expect(valid).to_have_value("2027-01-31")
    expect(page.get_by_role("heading", name="新建报价")).to_be_visible()
    page.get_by_role("button", name="保存报价").click()
    item = page.locator(".ant-form-item").filter(has=page.get_by_label("整单折扣 %"))
    expect(item.locator(".ant-form-item-explain-error")).to_have_text(at_its_field(error["message"]))
    expect(page.get_by_role("heading", name="新建报价")).to_be_visible()


def test_the_aging_chart_opens_the_invoices_of_its_bucket(page: Page, stack: Stack):
    listed = '{ invoices(agingBucket: "0-30") { totalCount edges { node { id number } } } }'
    invoices = api(stack, listed, email="manager@example.com")["data"]["invoices"]
    sign_in(page, "manager@example.com")
    page.get_by_role("link", name="逾期 0-30 天", exact=False).click()
    expect(page.get_by_role("heading", name="发票")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="张发票")).to_have_text(f"共 {invoices['totalCount']} 张发票")
    assert serious_violations(page) == []
    first = invoices["edges"][0]["node"]
    page.get_by_role("link", name=first["number"]).click()
    expect(page.get_by_role("heading", name="收款记录")).to_be_visible()
    assert serious_violations(page) == []

    # the payments across invoices, narrowed by method in the URL, lead to their invoice
    paid = api(stack, PAYMENTS, email="manager@example.com")["data"]["payments"]
    payment = paid["edges"][0]["node"]
    page.get_by_role("navigation").get_by_role("link", name="收款").click()
    expect(page.get_by_role("heading", name="收款记录")).to_be_visible()
    page.get_by_role("status").filter(has_text="笔收款").wait_for()
    assert serious_violations(page) == []
    pick(page, page.get_by_label("按收款方式筛选"), "银行转账")
    expect(page.get_by_role("status").filter(has_text="笔收款")).to_have_text(f"共 {paid['totalCount']} 笔收款")
    assert "method=bank_transfer" in page.url
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=payment["invoiceNumber"])).first
    expect(row).to_contain_text(payment["account"]["name"])
    expect(row).to_contain_text(payment["receivedOn"])
    row.get_by_role("link", name=payment["invoiceNumber"]).click()
    expect(page.get_by_role("heading", name=payment["invoiceNumber"])).to_be_visible()


def test_the_funnel_exports_what_it_shows(page: Page, stack: Stack):
    funnel = api(stack, "{ funnel { stages { name count } } }", email="manager@example.com")["data"]["funnel"]
    sign_in(page, "manager@example.com")
    page.goto("/analytics")
    expect(page.get_by_role("tab", name="销售漏斗")).to_be_visible()
    expect(page.get_by_role("cell", name=funnel["stages"][0]["name"], exact=True)).to_be_visible()
    expect(page.get_by_label("按销售筛选")).to_be_visible()  # the rep filter arrived: nothing moves the table now
    assert serious_violations(page) == []
    kept = [funnel["stages"][0], funnel["stages"][2]]
    page.get_by_role("columnheader", name="阶段", exact=True).get_by_role("button", name="filter").click()
    choices = page.locator(".ant-table-filter-dropdown:visible")
    for stage in kept:
        choices.locator(".ant-dropdown-menu-item").filter(has_text=stage["name"]).get_by_role("checkbox").check()
    choices.locator(".ant-btn-primary").click()
    expect(page.locator("main .ant-table-row")).to_have_count(len(kept))
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 CSV · 销售漏斗").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.lstrip("\ufeff").splitlines()]
    assert rows[0] == ["阶段", "数量", "转化到下一阶段", "平均停留天数"]
    assert [(r[0], r[1]) for r in rows[1:]] == [(s["name"], str(s["count"])) for s in kept]
    with page.expect_download() as workbook:
        page.get_by_role("button", name="导出 Excel · 销售漏斗").click()
    assert workbook.value.suggested_filename == "funnel-all.xlsx"
    assert Path(workbook.value.path()).read_bytes()[:2] == b"PK"

    page.get_by_role("tab", name="目标完成").click()
    expect(page.get_by_role("button", name="设置目标")).to_be_visible()
    assert serious_violations(page) == []


def test_quotes_and_analytics_fit_a_phone(page: Page, screenshots: Path):
    sign_in(page, "manager@example.com")
    page.set_viewport_size(PHONE)
    for path, heading in (("/quotes", "报价"), ("/analytics?tab=forecast", "销售分析"), ("/contracts", "合同")):
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.locator("main .ant-table-row").first.wait_for()
        fits_phone(page)
        assert serious_violations(page) == []
        page.screenshot(path=screenshots / f"{path.strip('/').split('?')[0]}-phone.png", full_page=True)


def user_id(stack: Stack, name: str, seen_by: str) -> str:
    found = api(
        stack, "{ users(first: 100, filter: {isActive: true}) { edges { node { id displayName } } } }", email=seen_by
    )
    return next(e["node"]["id"] for e in found["data"]["users"]["edges"] if e["node"]["displayName"] == name)


def type_time(field: Locator, at: datetime) -> None:
    """Type a time into a date-time picker and take it with Enter, as a keyboard user does."""
    field.click()
    field.fill(at.strftime(PICKED))
    field.press("Enter")
    expect(field).to_have_value(at.strftime(PICKED))
    expect(field.page.locator(".ant-picker-dropdown:visible")).to_have_count(0)  # closed: it covers the buttons


def test_a_manager_delegates_their_approvals_and_ends_the_delegation(page: Page, stack: Stack, screenshots: Path):
    # the manager's picker offers their team; of it, a rep reads the quotes the manager approves
    assert api(stack, "{ quotes(first: 1) { totalCount } }", email="rep1@example.com").get("errors") is None
    rep = user_id(stack, "李销售 Rep One", seen_by="manager@example.com")
    today = datetime.now().replace(second=0, microsecond=0)
    until = (today + timedelta(days=14)).replace(hour=18, minute=0)
    later, sooner = today + timedelta(days=10), today + timedelta(days=9)

    sign_in(page, "manager@example.com")
    page.get_by_role("link", name="我的审批").click()
    card = page.get_by_role("region", name="审批代理")
    expect(card).to_contain_text("您没有委托他人审批")
    card.get_by_role("button", name="委托他人审批").click()
    dialog = page.get_by_role("dialog", name="委托他人审批")
    # by its words: after a refusal its spinner's fading out can linger in its accessible name ("loading 委托")
    submit = dialog.get_by_role("button").filter(has_text=re.compile("^委托$"))
    choose(page, dialog, dialog.get_by_label("代理人"), "Rep One", "李销售 Rep One")
    expect(dialog.get_by_label("开始时间")).to_have_attribute("placeholder", "现在")
    type_time(dialog.get_by_label("结束时间"), until)
    assert serious_violations(page) == []
    submit.click()
    expect(dialog).to_have_count(0)
    mine = card.get_by_role("group", name="李销售 Rep One")
    expect(mine).to_contain_text("生效中")
    expect(mine).to_contain_text(f"至 {until.strftime(PICKED)}")
    assert api(stack, DELEGATIONS, email="manager@example.com")["data"]["myApprovalDelegations"] == [
        {"delegate": {"displayName": "李销售 Rep One"}}
    ]

    # a second one: an end before its start is refused at its field, then an overlap above the form
    card.get_by_role("button", name="委托他人审批").click()
    choose(page, dialog, dialog.get_by_label("代理人"), "Rep One", "李销售 Rep One")
    type_time(dialog.get_by_label("开始时间"), later)
    type_time(dialog.get_by_label("结束时间"), sooner)
    submit.click()
    [backwards] = api(
        stack,
        DELEGATE,
        {"to": rep, "from": later.astimezone().isoformat(), "until": sooner.astimezone().isoformat()},
        email="manager@example.com",
    )["errors"]
    assert backwards["extensions"]["field"] == "until"
    until_item = dialog.locator(".ant-form-item").filter(has=page.get_by_label("结束时间"))
    expect(until_item.locator(".ant-form-item-explain-error")).to_have_text(at_its_field(backwards["message"]))
    overlapping = later + timedelta(days=2)
    type_time(dialog.get_by_label("结束时间"), overlapping)
    submit.click()
    [conflict] = api(
        stack,
        DELEGATE,
        {"to": rep, "from": later.astimezone().isoformat(), "until": overlapping.astimezone().isoformat()},
        email="manager@example.com",
    )["errors"]
    assert conflict["extensions"]["code"] == "CONFLICT"
    expect(dialog.locator(".ant-alert-error")).to_have_text(conflict["message"])
    expect(until_item.locator(".ant-form-item-explain-error")).to_have_count(0)
    assert serious_violations(page) == []
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_have_count(0)
    expect(card.get_by_role("group")).to_have_count(1)

    mine.get_by_role("button", name="结束代理").click()
    confirm = page.get_by_role("tooltip").filter(has_text="现在结束由 李销售 Rep One 代理的审批？")
    confirm.get_by_role("button", name="确定").click()
    expect(page.get_by_text("代理已结束")).to_be_visible()
    expect(mine).to_contain_text("已结束")
    expect(mine.get_by_role("button", name="结束代理")).to_have_count(0)
    assert api(stack, DELEGATIONS, email="manager@example.com")["data"]["myApprovalDelegations"] == []

    page.set_viewport_size(PHONE)
    fits_phone(page)
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / "approvals-delegation-phone.png", full_page=True)
