"""The accounts and activities screens: import, today's tasks, bulk transfer, merge, tasks on a phone, accessibility."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crm_shared.devstack.run import Stack

from .conftest import PHONE, api, at_its_field, choose, fits_phone, pick, serious_violations, sign_in

CREATE = "mutation($i: CreateAccountInput!) { createAccount(input: $i, allowDuplicate: true) { id } }"
OWNER = "query($id: ID!) { account(id: $id) { owner { displayName } } }"


def test_an_import_with_one_bad_row_reports_that_row_with_the_apis_words(page: Page, stack: Stack, screenshots: Path):
    tag = uuid.uuid4().hex[:6]
    content = f"客户名称,行业,级别\n导入甲{tag}有限公司,制造,A\n导入乙{tag}有限公司,制造,Z\n".encode()
    sign_in(page, "rep1@example.com")
    page.get_by_role("navigation").get_by_role("link", name="导入").click()
    expect(page.get_by_role("heading", name="导入客户或联系人")).to_be_visible()
    page.locator("input[type=file]").set_input_files({"name": "客户.csv", "mimeType": "text/csv", "buffer": content})
    expect(page.get_by_text("已选择：客户.csv")).to_be_visible()
    page.get_by_role("button", name="下一步").click()
    pick(page, page.get_by_label("导入为: 级别"), "客户等级")
    assert serious_violations(page) == []
    page.get_by_role("button", name="开始导入").click()

    expect(page.get_by_role("status")).to_have_text("已完成")
    job_id = re.search(r"job=([0-9a-f-]+)", page.url).group(1)  # type: ignore[union-attr]
    query = "query($id: ID!) { importJob(id: $id) { createdRows failedRows errors } }"
    job = api(stack, query, {"id": job_id}, email="rep1@example.com")["data"]["importJob"]
    [error] = job["errors"]
    # a batch is written all or nothing: the good row waits for the bad one to be fixed
    assert (job["createdRows"], job["failedRows"], error["field"]) == (0, 2, "level")
    expect(page.get_by_text("出错的行所在的整批没有写入")).to_be_visible()
    report = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="错误报告"))
    expect(report.get_by_role("row")).to_have_count(2)
    expect(report.get_by_role("row").nth(1)).to_have_text(f"{error['row']}level{error['message']}")
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / "import-report.png", full_page=True)


def test_a_rep_completes_one_of_todays_tasks_on_the_dashboard(page: Page, stack: Stack):
    now = dt.datetime.now().astimezone()
    due = now + dt.timedelta(minutes=1) if (now + dt.timedelta(minutes=1)).date() == now.date() else now
    title = f"今日回访{uuid.uuid4().hex[:4]}"
    create = "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }"
    api(stack, create, {"i": {"title": title, "dueAt": due.isoformat()}}, email="rep2@example.com")
    sign_in(page, "rep2@example.com")
    today = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="今日任务与提醒"))
    item = today.locator(".ant-list-item").filter(has_text=title)
    expect(item).to_be_visible()
    item.get_by_role("button", name=f"完成任务 {title}").click()
    expect(item.get_by_text("已完成", exact=True)).to_be_visible()
    done = api(stack, '{ tasks(filter: {status: "done"}) { edges { node { title } } } }', email="rep2@example.com")
    assert title in [e["node"]["title"] for e in done["data"]["tasks"]["edges"]]


def test_a_manager_transfers_two_accounts_at_once(page: Page, stack: Stack):
    tag = uuid.uuid4().hex[:6]
    rep1 = api(stack, "{ me { id } }", email="rep1@example.com")["data"]["me"]["id"]
    names = [f"批量移交{tag}{n}有限公司" for n in ("甲", "乙")]
    made = [api(stack, CREATE, {"i": {"name": n, "ownerId": rep1}}, email="manager@example.com") for n in names]
    ids = [m["data"]["createAccount"]["id"] for m in made]
    sign_in(page, "manager@example.com")
    page.goto(f"/accounts?search=批量移交{tag}")
    expect(page.get_by_role("status").filter(has_text="个客户")).to_have_text("共 2 个客户")
    for name in names:
        page.get_by_label(f"选择 {name}").check()
    expect(page.get_by_text("已选 2 个")).to_be_visible()
    page.get_by_role("button", name="移交").click()
    dialog = page.get_by_role("dialog", name="移交")
    # the demo's users outnumber what the list shows at once
    choose(page, dialog, dialog.get_by_label("移交给"), "Rep Two", "张销售 Rep Two")
    dialog.get_by_label("原因").fill("区域调整")  # moving on closes the list, however slowly it fades
    expect(page.locator(".ant-select-dropdown:visible")).to_have_count(0)
    assert serious_violations(page) == []
    dialog.get_by_role("button", name="移交").click()
    expect(page.get_by_text("已移交 2 个客户")).to_be_visible()
    for name in names:
        expect(page.get_by_role("row", name=name)).to_contain_text("张销售 Rep Two")
    owners = [api(stack, OWNER, {"id": i}, email="manager@example.com")["data"]["account"]["owner"] for i in ids]
    assert owners == [{"displayName": "张销售 Rep Two"}] * 2


def test_a_merge_preview_shows_both_accounts_and_keeps_the_chosen_values(page: Page, stack: Stack):
    tag = uuid.uuid4().hex[:6]
    keep, retire = f"合并{tag}科技有限公司", f"合并{tag}科技集团"
    kept = api(stack, CREATE, {"i": {"name": keep, "industry": "软件", "city": "杭州"}}, email="rep1@example.com")
    other = {"name": retire, "industry": "互联网", "website": "https://m.example.cn"}
    api(stack, CREATE, {"i": other}, email="rep1@example.com")
    sign_in(page, "rep1@example.com")
    page.goto(f"/accounts?search=合并{tag}")
    expect(page.get_by_role("status").filter(has_text="个客户")).to_have_text("共 2 个客户")
    page.get_by_label(f"选择 {keep}").check()
    page.get_by_label(f"选择 {retire}").check()
    page.get_by_role("button", name="合并").click()

    expect(page.get_by_role("heading", name="合并客户")).to_be_visible()
    for value in ("软件", "互联网", "杭州", "https://m.example.cn"):
        expect(page.get_by_role("cell", name=value)).to_be_visible()
    page.get_by_role("radio", name=re.compile(f"^{keep}")).check()
    page.get_by_role("radio", name="行业: 互联网").check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="确认合并").click()

    expect(page.get_by_role("heading", name=keep)).to_be_visible()
    details = "query($id: ID!) { account(id: $id) { name industry city website } }"
    merged = api(stack, details, {"id": kept["data"]["createAccount"]["id"]}, email="rep1@example.com")
    assert merged["data"]["account"] == {
        "name": keep,
        "industry": "互联网",
        "city": "杭州",
        "website": "https://m.example.cn",
    }


def test_the_tasks_page_and_the_import_wizard_fit_a_phone(page: Page, screenshots: Path):
    sign_in(page, "rep1@example.com")
    page.set_viewport_size(PHONE)
    pages = (("/tasks", "我的任务"), ("/tasks?view=calendar", "我的任务"), ("/imports", "导入客户或联系人"))
    for path, heading in pages:
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.locator("main .ant-list, main .ant-upload").first.wait_for()
        fits_phone(page)
        assert serious_violations(page) == [], path
        page.screenshot(path=screenshots / f"{path.strip('/').replace('?', '-')}-phone.png", full_page=True)


CONTACT = "mutation($i: ContactFields!) { createContact(input: $i) { id } }"


def _account_with_a_contact(stack: Stack, tag: str) -> tuple[str, str, str]:
    """A rep's new account and one contact at it: (account id, account name, contact name)."""
    name, person = f"三六零{tag}有限公司", f"联系人{tag}"
    made = api(stack, CREATE, {"i": {"name": name, "industry": "制造"}}, email="rep1@example.com")
    account = made["data"]["createAccount"]["id"]
    contact = {"accountId": account, "name": person, "title": "采购经理", "role": "buyer"}
    assert "errors" not in api(stack, CONTACT, {"i": contact}, email="rep1@example.com")
    return account, name, person


@pytest.mark.parametrize(
    ("email", "activities", "opportunities"),
    [
        ("agent@example.com", True, False),
        ("service.manager@example.com", True, False),
        ("marketer@example.com", False, True),
        ("marketing.manager@example.com", False, True),
    ],
)
def test_service_staff_and_marketers_open_a_customer_without_the_sections_they_may_not_read(
    page: Page, stack: Stack, email: str, activities: bool, opportunities: bool
):
    account, name, person = _account_with_a_contact(stack, uuid.uuid4().hex[:6])
    sign_in(page, email)
    page.goto(f"/accounts/{account}")
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_text("基本信息")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=person)).to_contain_text("采购经理")
    expect(page.get_by_text("找不到该页面或记录")).to_have_count(0)
    tabs = page.get_by_role("tab")
    expect(tabs.filter(has_text="联系人")).to_have_count(1)
    expect(tabs.filter(has_text="任务")).to_have_count(0)
    expect(tabs.filter(has_text="活动记录")).to_have_count(1 if activities else 0)
    expect(tabs.filter(has_text="商机")).to_have_count(1 if opportunities else 0)
    # nor may they change the account, add to it or take from it
    expect(page.get_by_role("button", name="编辑")).to_have_count(0)
    expect(page.get_by_role("button", name="新建联系人")).to_have_count(0)
    expect(page.get_by_role("button", name=f"删除 {person}")).to_have_count(0)
    page.goto(f"/accounts/{account}/edit")
    expect(page.get_by_text("您无权查看此页面")).to_be_visible()
    page.goto("/accounts")
    expect(page.get_by_role("heading", name="客户", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="新建客户")).to_have_count(0)
    page.goto("/accounts/new")
    expect(page.get_by_text("您无权查看此页面")).to_be_visible()


def test_a_rep_adds_a_contact_on_the_account_page(page: Page, stack: Stack):
    tag = uuid.uuid4().hex[:6]
    account, name, _ = _account_with_a_contact(stack, tag)
    refused = api(stack, CONTACT, {"i": {"accountId": account, "name": "x", "phone": "12"}}, email="rep1@example.com")
    [error] = refused["errors"]
    assert error["extensions"]["field"] == "phone"
    person = f"新联系人{tag}"

    sign_in(page, "rep1@example.com")
    page.goto(f"/accounts/{account}")
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_role("columnheader", name="姓名")).to_be_visible()
    page.get_by_role("button", name="新建联系人").click()
    dialog = page.get_by_role("dialog", name="新建联系人")
    dialog.get_by_label("姓名").fill(person)
    dialog.get_by_label("职务").fill("总经理")
    dialog.get_by_label("电话").fill("12")
    dialog.get_by_role("button", name="保存").click()
    phone = dialog.locator(".ant-form-item").filter(has=page.get_by_label("电话"))
    expect(phone.locator(".ant-form-item-explain-error")).to_have_text(at_its_field(error["message"]))
    assert serious_violations(page) == []

    dialog.get_by_label("电话").fill("13912345678")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_be_hidden()
    row = page.get_by_role("row").filter(has_text=person)
    expect(row).to_contain_text("总经理")
    expect(row).to_contain_text("其他")

    row.get_by_role("button", name=f"编辑 {person}").click()
    dialog = page.get_by_role("dialog", name="编辑联系人")
    expect(dialog.get_by_label("姓名")).to_have_value(person)
    dialog.get_by_label("职务").fill("董事长")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_be_hidden()
    expect(row).to_contain_text("董事长")
    contacts = "query($id: ID!) { account(id: $id) { contacts { edges { node { name title } } } } }"
    found = api(stack, contacts, {"id": account}, email="rep1@example.com")["data"]["account"]["contacts"]["edges"]
    assert {"name": person, "title": "董事长"} in [e["node"] for e in found]


def test_a_rep_deletes_a_contact_on_the_account_page_once_sure(page: Page, stack: Stack):
    tag = uuid.uuid4().hex[:6]
    account, name, person = _account_with_a_contact(stack, tag)
    kept = f"王经理{tag}"
    assert "errors" not in api(stack, CONTACT, {"i": {"accountId": account, "name": kept}}, email="rep1@example.com")

    sign_in(page, "rep1@example.com")
    page.goto(f"/accounts/{account}")
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=person)
    row.get_by_role("button", name=f"删除 {person}").click()
    confirm = page.get_by_role("tooltip").filter(has_text=f"删除联系人 {person}？")
    confirm.get_by_role("button", name="取消").click()
    expect(confirm).to_be_hidden()
    expect(row).to_be_visible()  # a slip of the mouse deletes nothing

    row.get_by_role("button", name=f"删除 {person}").click()
    assert serious_violations(page) == []
    confirm.get_by_role("button", name="确定").click()
    expect(page.get_by_text("联系人已删除")).to_be_visible()
    expect(row).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text=kept)).to_be_visible()
    contacts = "query($id: ID!) { account(id: $id) { contacts { edges { node { name } } } } }"
    found = api(stack, contacts, {"id": account}, email="rep1@example.com")["data"]["account"]["contacts"]["edges"]
    assert [e["node"]["name"] for e in found] == [kept]


def test_a_rep_creates_an_account_like_an_existing_one_on_purpose(page: Page, stack: Stack):
    name = f"重名{uuid.uuid4().hex[:6]}有限公司"
    first = api(stack, CREATE, {"i": {"name": name}}, email="rep1@example.com")["data"]["createAccount"]["id"]

    sign_in(page, "rep1@example.com")
    page.goto("/accounts/new")
    page.get_by_label("客户名称").fill(name)
    page.get_by_label("城市").fill("苏州")
    page.get_by_role("button", name="保存").click()
    offer = page.get_by_role("alert").filter(has_text="可能与已有记录重复")
    expect(offer.get_by_role("link", name="查看已有记录")).to_have_attribute("href", f"/accounts/{first}")
    assert serious_violations(page) == []
    offer.get_by_role("button", name="仍然创建").click()

    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page).not_to_have_url(re.compile(f"/accounts/({first}|new)$"))
    expect(page.get_by_text("苏州")).to_be_visible()
    page.goto(f"/accounts?search={name}")
    expect(page.get_by_role("status").filter(has_text="个客户")).to_have_text("共 2 个客户")


def test_account_360_speaks_of_activities_and_opportunities_in_words_with_links(page: Page, stack: Stack):
    tag = uuid.uuid4().hex[:6]
    account, name, _ = _account_with_a_contact(stack, tag)
    log = "mutation($i: LogActivityInput!) { logActivity(input: $i) { id } }"
    api(stack, log, {"i": {"accountId": account, "kind": "call", "subject": f"回访{tag}"}}, email="rep1@example.com")
    deal = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }"
    opportunity = {"name": f"扩容{tag}", "accountId": account, "amount": "200000.00", "currency": "CNY"}
    made = api(stack, deal, {"i": opportunity}, email="rep1@example.com")["data"]["createOpportunity"]["id"]

    sign_in(page, "rep1@example.com")
    page.goto(f"/accounts/{account}?tab=activities")
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    entry = page.locator(".ant-timeline-item").filter(has_text=f"回访{tag}")
    expect(entry.locator(".ant-tag")).to_have_text("电话")
    page.get_by_role("tab", name="商机").click()
    row = page.get_by_role("row").filter(has_text=f"扩容{tag}")
    expect(row).to_contain_text("200,000 CNY")
    expect(row.locator(".ant-tag")).to_have_text("进行中")
    row.get_by_role("link", name=f"扩容{tag}").click()
    expect(page).to_have_url(re.compile(f"/opportunities/{made}$"))
