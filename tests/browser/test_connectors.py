"""The connectors' screens: a call made from Account 360 through the phone system (the stack's CTI simulator)
on the call log with its recording and account; an unknown caller's call put on a contact from the log and a
missed call's call-back task; one's email logging address to copy and the mail logged through it; the
connectors' figures for administrators; the call log on a phone."""

from __future__ import annotations

import json
import re
import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from crm_shared.devstack.cti import signed_headers
from crm_shared.devstack.run import Stack

from .conftest import PHONE, api, choose, fits_phone, serious_violations, settled, sign_in, wait_for

CALLS = """{ calls(first: 50) { edges { node { id callId direction number status startedAt
    durationSeconds recordingUrl contactId accountId activityId taskId } } } }"""
MAILS = "query($u: Boolean!) { loggedMails(unmatchedOnly: $u) { totalCount edges { node { subject matched } } } }"
FIGURES = "{ connectorStatus { connector received applied unmatched failed } }"
ACCOUNT = "query($s: String) { accounts(filter: {search: $s}) { edges { node { id name } } } }"
HUAWEI = "华为技术有限公司"
BUYER = "王采购"  # the demo accounts' contact, 138 0013 8000 and buyer@example.cn


def _me(stack: Stack, email: str) -> str:
    return api(stack, "{ me { id } }", email=email)["data"]["me"]["id"]


def _huawei(stack: Stack) -> str:
    [account] = api(stack, ACCOUNT, {"s": HUAWEI}, email="rep1@example.com")["data"]["accounts"]["edges"]
    return account["node"]["id"]


def _ring(stack: Stack, caller: str, agent: str, answered: bool) -> str:
    """An incoming call rung on the stack's phone system, which sends its events to automation as they happen."""
    body = json.dumps({"from": caller, "agentId": agent, "answered": answered}).encode()
    rung = httpx.post(f"{stack.cti.url}/inbound", content=body, headers=signed_headers(stack.cti.secret, body))
    assert rung.status_code == 202, rung.text
    return rung.json()["callId"]


def _ended(stack: Stack, call_id: str, email: str) -> dict:
    """The call as `email` sees it in the log once it has ended (its last event has crossed over)."""

    def found() -> dict | None:
        edges = api(stack, CALLS, email=email)["data"]["calls"]["edges"]
        calls = [e["node"] for e in edges if e["node"]["callId"] == call_id]
        return calls[0] if calls and calls[0]["status"] in ("ENDED", "MISSED") else None

    return wait_for(found)


def _rows(page: Page):
    return page.locator(".ant-table-tbody tr.ant-table-row")


def test_a_call_made_from_account_360_is_on_the_call_log_with_its_recording_and_account(page: Page, stack: Stack):
    account = _huawei(stack)
    sign_in(page, "rep1@example.com")
    page.goto(f"/accounts/{account}")
    page.get_by_role("button", name=f"拨打 {BUYER}").click()
    expect(page.get_by_text("正在呼叫：先接通您的话机，再接通联系人；通话结束后记录在活动中")).to_be_visible()

    page.get_by_role("link", name="通话记录").click()
    newest = _rows(page).first
    expect(newest.locator(".ant-tag")).to_have_text("已结束")  # asked again while the call was under way
    call = api(stack, CALLS, email="rep1@example.com")["data"]["calls"]["edges"][0]["node"]
    assert (call["direction"], call["status"], call["accountId"]) == ("outbound", "ENDED", account)
    started = page.evaluate("(at) => new Date(at).toLocaleString()", call["startedAt"])
    cells = [started, "去电", call["number"], "已结束", "0:42", "查看客户", "通话录音", ""]
    expect(newest.locator("td")).to_have_text(cells)
    expect(newest.get_by_role("link", name="通话录音")).to_have_attribute("href", call["recordingUrl"])
    expect(newest.get_by_role("link", name="查看客户")).to_have_attribute("href", f"/accounts/{account}?tab=activities")


def test_an_unknown_callers_call_is_put_on_a_contact_and_a_missed_call_links_its_call_back_task(
    page: Page, stack: Stack, screenshots: Path
):
    rep, account = _me(stack, "rep1@example.com"), _huawei(stack)
    number = f"139{uuid.uuid4().int % 10**8:08d}"
    unknown = _ended(stack, _ring(stack, number, rep, answered=True), "rep1@example.com")
    missed = _ended(stack, _ring(stack, "13800138000", rep, answered=False), "rep1@example.com")
    assert (unknown["status"], unknown["contactId"], missed["status"]) == ("ENDED", None, "MISSED")
    assert missed["taskId"] and missed["accountId"]
    shown = unknown["number"]  # as the rep may see it (masked where contacts' phones are)

    sign_in(page, "rep1@example.com")
    page.get_by_role("link", name="通话记录").click()
    task = (
        _rows(page).filter(has_text="未接通").filter(has_text=missed["number"]).get_by_role("link", name="查看回电任务")
    )
    expect(task).to_have_attribute("href", f"/accounts/{missed['accountId']}?tab=tasks")
    page.get_by_text("仅未匹配", exact=True).click()
    expect(page).to_have_url(re.compile(r"unmatched=1"))
    settled(page)  # a click while the list is drawn again can land on what replaces the button
    row = _rows(page).filter(has_text=shown)
    expect(row.locator(".ant-tag")).to_have_text(["已结束", "未匹配"])
    row.get_by_role("button", name=f"关联联系人 {shown}").click()
    dialog = page.get_by_role("dialog", name="关联联系人")
    expect(dialog).to_contain_text(f"没有联系人使用 {shown} 这个号码")
    dialog.get_by_role("button", name="关联联系人").click()
    field = dialog.locator(".ant-form-item").filter(has=page.get_by_label("联系人"))
    expect(field.locator(".ant-form-item-explain-error")).to_have_text("请填写联系人")
    choose(page, dialog, dialog.get_by_label("联系人"), "华为", f"{BUYER} · {HUAWEI}")
    dialog.get_by_role("button", name="关联联系人").click()
    expect(page.get_by_text("已关联：通话已记录在联系人的活动中")).to_be_visible()
    expect(row).to_have_count(0)  # no longer unmatched

    page.get_by_text("全部", exact=True).click()
    linked = _ended(stack, unknown["callId"], "rep1@example.com")
    assert (linked["accountId"], bool(linked["contactId"]), bool(linked["activityId"])) == (account, True, True)
    opened = row.get_by_role("link", name="查看客户")
    expect(opened).to_have_attribute("href", f"/accounts/{account}?tab=activities")
    page.mouse.move(0, 0)
    assert serious_violations(page) == []
    page.set_viewport_size(PHONE)
    fits_phone(page)
    expect(opened).to_be_in_viewport()  # the columns a phone has no room for drop out, the account's link stays
    page.screenshot(path=screenshots / "call-log-phone.png", full_page=True)

    opened.click()
    expect(page.get_by_role("tab", name="活动记录")).to_have_attribute("aria-selected", "true")
    expect(page.locator(f'a[href="{unknown["recordingUrl"]}"]')).to_have_text("通话录音")


def _mail(stack: Stack, subject: str, to: str, logging_address: str) -> None:
    """Mail a rep sends with their logging address in Bcc: only the envelope names it."""
    message = EmailMessage()
    message["From"] = "张销售 <rep2@example.com>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@example.com>"
    message.set_content(f"{subject}：详见附件。")
    with smtplib.SMTP("127.0.0.1", stack.ports.smtp, timeout=10) as smtp:
        smtp.send_message(message, "rep2@example.com", [logging_address])


def test_my_logging_address_is_there_to_copy_and_the_mail_sent_through_it_is_listed(
    page: Page, stack: Stack, screenshots: Path
):
    address = api(stack, "{ myEmailLoggingAddress }", email="rep2@example.com")["data"]["myEmailLoggingAddress"]
    tag = uuid.uuid4().hex[:6]
    quote, stray = f"报价单 {tag}", f"会议纪要 {tag}"
    _mail(stack, quote, f"{BUYER} <buyer@example.cn>", address)
    _mail(stack, stray, f"nobody-{tag}@elsewhere.example", address)

    def logged() -> dict[str, int] | None:
        edges = api(stack, MAILS, {"u": False}, email="rep2@example.com")["data"]["loggedMails"]["edges"]
        found = {e["node"]["subject"]: e["node"]["matched"] for e in edges}
        return found if {quote, stray} <= set(found) else None

    matched = wait_for(logged)
    assert matched[quote] > 0 and matched[stray] == 0
    unmatched = api(stack, MAILS, {"u": True}, email="rep2@example.com")["data"]["loggedMails"]["totalCount"]

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.console_url)
    sign_in(page, "rep2@example.com")
    page.get_by_role("link", name="邮件记录").click()
    card = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="我的邮件记录地址"))
    expect(card.get_by_text(address, exact=True)).to_be_visible()
    expect(card).to_contain_text("发送或抄送（含密送）到此地址的邮件，会记录在匹配的联系人及其客户的活动中。")
    card.get_by_role("button", name="复制地址").click()
    expect(card.get_by_role("button", name="已复制")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address
    expect(_rows(page).filter(has_text=quote).locator("td").last).to_have_text(f"{matched[quote]} 位联系人")
    expect(_rows(page).filter(has_text=stray).locator("td").last).to_have_text("未匹配")

    page.get_by_text("仅未匹配", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(f"共 {unmatched} 封邮件")
    expect(_rows(page).filter(has_text=quote)).to_have_count(0)
    expect(_rows(page).filter(has_text=stray)).to_have_count(1)
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / "logged-mail.png", full_page=True)


def test_an_administrator_sees_each_connectors_figures(page: Page, stack: Stack, screenshots: Path):
    _ended(stack, _ring(stack, f"139{uuid.uuid4().int % 10**8:08d}", None, answered=False), "admin@example.com")
    figures = api(stack, FIGURES, email="admin@example.com")["data"]["connectorStatus"]
    assert [f["connector"] for f in figures] == ["TELEPHONY", "ERP", "EMAIL"]
    assert figures[0]["received"] > 0 and figures[0]["unmatched"] > 0

    sign_in(page, "admin@example.com")
    page.get_by_role("link", name="集成连接器").click()
    settled(page)
    for label, f in zip(("电话系统（CTI）", "ERP", "邮件记录"), figures, strict=True):
        shown = page.get_by_role("list", name=label).get_by_role("listitem")
        expect(shown.locator(".ant-statistic-title")).to_have_text(["收到", "已处理", "未匹配", "失败"])
        values = [str(f[k]) for k in ("received", "applied", "unmatched", "failed")]
        expect(shown.locator(".ant-statistic-content-value")).to_have_text(values)
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / "connector-status.png", full_page=True)
