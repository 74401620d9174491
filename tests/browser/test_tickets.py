"""The support workspace: an agent's queue, a ticket's SLA clocks, a reply from a canned response and an
internal note, a service manager's review of a complaint, phones and accessibility."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from crm_shared.devstack.run import Stack

from .conftest import PHONE, api, choose, fits_phone, pick, serious_violations, sign_in

AGENT = "agent2@example.com"  # agent@ changes its password in the reset test
MACRO = "问候并索取截图 Greeting, asking for a screenshot"
MY_NEW = """query($me: ID!) { tickets(filter: {assigneeId: $me, status: [NEW]}, orderBy: CREATED_DESC, first: 50) {
  edges { node { id number subject entries { id } slaClocks { kind state } } } } }"""
DETAIL = """query($id: ID!) { ticket(id: $id) { status
  entries { public fromCustomer body attachments { filename } } slaClocks { kind state } } }"""


def my_new_ticket(stack: Stack) -> dict:
    me = api(stack, "{ me { id } }", email=AGENT)["data"]["me"]["id"]
    found = api(stack, MY_NEW, {"me": me}, email=AGENT)["data"]["tickets"]["edges"]
    return found[0]["node"]


def test_an_agent_opens_a_ticket_from_the_queue_replies_with_a_macro_and_adds_a_note(
    page: Page, stack: Stack, screenshots: Path
):
    ticket = my_new_ticket(stack)
    macros = api(stack, "{ macros { id name } }", email=AGENT)["data"]["macros"]
    macro = next(m["id"] for m in macros if m["name"] == MACRO)
    rendered = "query($m: ID!, $t: ID!) { renderMacro(id: $m, ticketId: $t) }"
    text = api(stack, rendered, {"m": macro, "t": ticket["id"]}, email=AGENT)["data"]["renderMacro"]

    sign_in(page, AGENT)
    page.get_by_role("navigation").get_by_role("link", name="工单").click()
    expect(page.get_by_role("heading", name="工单", exact=True)).to_be_visible()
    page.get_by_role("link", name=ticket["number"]).click()

    expect(page.get_by_role("heading", name=f"{ticket['number']} {ticket['subject']}")).to_be_visible()
    expect(page.get_by_label("状态: 新建")).to_be_visible()
    first = page.get_by_role("group", name="首次响应")
    state = next(c["state"] for c in ticket["slaClocks"] if c["kind"] == "FIRST_RESPONSE")
    expect(first.get_by_text({"RUNNING": "计时中", "BREACHED": "已超时"}[state], exact=True)).to_be_visible()
    countdown = first.locator(".sla-countdown")
    time = r"(\d+天 )?\d+:\d\d:\d\d"  # days in Chinese, never an English "d"
    expect(countdown).to_have_text(re.compile(f"^{time} 后到期$" if state == "RUNNING" else f"^已超时 {time}$"))
    expect(countdown).not_to_have_text(re.compile(r"\dd"))
    expect(countdown).not_to_have_text(countdown.inner_text())  # it counts down each second
    count = len(ticket["entries"])
    expect(page.get_by_role("heading", name=f"对话（{count}）")).to_be_visible()
    assert serious_violations(page) == []

    pick(page, page.get_by_label("插入快捷回复"), MACRO)
    expect(page.get_by_label("回复内容")).to_have_value(text)
    page.locator("input[type=file]").set_input_files(
        {"name": "操作步骤.txt", "mimeType": "text/plain", "buffer": "1. 打开报表\n2. 截图".encode()}
    )
    page.get_by_role("button", name="发送回复").click()
    expect(page.get_by_role("heading", name=f"对话（{count + 1}）")).to_be_visible()
    after = api(stack, DETAIL, {"id": ticket["id"]}, email=AGENT)["data"]["ticket"]
    assert (after["status"], after["entries"][-1]) == (
        "OPEN",
        {"public": True, "fromCustomer": False, "body": text, "attachments": [{"filename": "操作步骤.txt"}]},
    )
    answered = next(c["state"] for c in after["slaClocks"] if c["kind"] == "FIRST_RESPONSE")
    assert answered == {"RUNNING": "MET", "BREACHED": "BREACHED"}[state]
    expect(page.get_by_label("状态: 处理中")).to_be_visible()
    if answered == "MET":  # an achieved clock shows when it was met, no time left
        expect(first.get_by_text("已达成", exact=True)).to_be_visible()
        expect(first).not_to_contain_text("剩余")
        expect(first.locator(".sla-countdown")).to_have_count(0)
    sent = page.get_by_role("listitem", name="公开回复").last
    expect(sent).to_contain_text(text.splitlines()[0])
    expect(sent.get_by_role("list", name="附件")).to_have_text("操作步骤.txt (1 KB)")

    page.get_by_label("内部备注").click()
    page.get_by_label("备注内容").fill("客户电话里说周五前需要答复")
    page.get_by_role("button", name="添加备注").click()
    note = page.get_by_role("listitem", name="内部备注")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("客户电话里说周五前需要答复")
    expect(page.get_by_role("heading", name=f"对话（{count + 2}）")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / "ticket-desktop.png", full_page=True)


def test_a_service_manager_approves_the_complaint_waiting_for_review(page: Page, stack: Stack):
    query = "{ tickets(filter: {type: COMPLAINT, status: [RESOLVED]}) { edges { node { id review rootCause } } } }"
    found = api(stack, query, email="service.manager@example.com")["data"]["tickets"]["edges"]
    complaint = next(e["node"] for e in found if e["node"]["review"] == "PENDING")
    sign_in(page, "service.manager@example.com")
    page.goto(f"/tickets/{complaint['id']}")
    review = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="投诉审核"))
    expect(review.get_by_text("待审核", exact=True)).to_be_visible()
    expect(review.get_by_text(complaint["rootCause"])).to_be_visible()
    review.get_by_role("button", name="批准").click()
    dialog = page.get_by_role("dialog", name="批准")
    dialog.get_by_label("意见").fill("根因与措施清楚")
    dialog.get_by_role("button", name="批准").click()
    expect(review.get_by_text("已批准", exact=True)).to_be_visible()
    expect(review.get_by_text("审核人：周经理 Service Manager")).to_be_visible()
    expect(review.get_by_role("button", name="批准")).to_have_count(0)
    after = api(stack, f'{{ ticket(id: "{complaint["id"]}") {{ review }} }}', email="service.manager@example.com")
    assert after["data"]["ticket"]["review"] == "APPROVED"


def test_the_queue_and_a_ticket_fit_a_phone(page: Page, stack: Stack, screenshots: Path):
    sign_in(page, AGENT)
    page.set_viewport_size(PHONE)
    page.goto("/tickets?view=all")
    cards = page.locator("main .ant-list-item a")
    cards.first.wait_for()
    fits_phone(page)
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / "tickets-phone.png", full_page=True)
    cards.first.click()
    send = page.get_by_role("button", name="发送回复")
    expect(send).to_be_visible()
    fits_phone(page)
    box = send.bounding_box()
    assert box is not None and box["width"] >= PHONE["width"] - 80  # spans the screen: a thumb reaches it
    page.screenshot(path=screenshots / "ticket-phone.png", full_page=True)


def test_an_agent_opens_a_ticket_seeing_articles_suggested_for_its_subject(page: Page, stack: Stack):
    found = api(stack, '{ accounts(filter: {search: "腾讯"}) { edges { node { name } } } }', email=AGENT)
    account = found["data"]["accounts"]["edges"][0]["node"]["name"]
    sign_in(page, AGENT)
    page.goto("/tickets")
    page.get_by_role("button", name="新建工单").click()
    expect(page.get_by_role("heading", name="新建工单")).to_be_visible()
    choose(page, page, page.get_by_label("客户", exact=True), "腾讯", account)
    page.get_by_label("主题").fill("导出 Excel 乱码")
    suggested = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="推荐文章"))
    expect(suggested.get_by_text("导出 Excel 出现乱码怎么办")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="新建工单").click()
    expect(page.get_by_role("heading", name=re.compile(r"^TK\d{7} 导出 Excel 乱码$"))).to_be_visible()
    expect(page.get_by_role("link", name=account)).to_be_visible()
