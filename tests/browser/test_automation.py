"""Automation screens in the console: an administrator writes a rule (the API's field error at its
field), dry-runs it and reads which conditions held; the header's bell counts a notification as it
arrives and none after "mark all read"; a webhook delivery is sent again from its log."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from crm_shared.devstack.run import Stack

from .conftest import PHONE, api, at_its_field, fits_phone, pick, serious_violations, sign_in

SAVE = "mutation($i: WorkflowInput!) { saveWorkflow(input: $i) { id } }"
SAMPLE_ID = "00000000-0000-4000-8000-000000000001"  # the console's sample event fills ids with it
DELIVERIES = """query($s: ID) { webhookDeliveries(subscriptionId: $s, status: SUCCEEDED) { totalCount } }"""
LOCAL = "本地接收端 Local receiver"


def _assign_a_new_lead_to(stack: Stack, email: str) -> str:
    """A lead the manager creates and gives to `email`: sales publishes lead.assigned."""
    owner = api(stack, "{ me { id } }", email=email)["data"]["me"]["id"]
    create = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"
    company = f"自动化测试 {uuid.uuid4().hex[:6]}"
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    lead = api(
        stack, create, {"i": {"company": company, "contactName": "钱先生", "phone": phone}}, email="manager@example.com"
    )
    assert "errors" not in lead, lead
    lead_id = lead["data"]["createLead"]["id"]
    assign = "mutation($id: ID!, $o: ID!) { assignLead(id: $id, ownerId: $o) { id } }"
    assert "errors" not in api(stack, assign, {"id": lead_id, "o": owner}, email="manager@example.com")
    return lead_id


def _fits_a_phone(page: Page) -> None:
    """No horizontal scrolling at 390 px, once the layout has answered the resize (columns drop out)."""
    page.set_viewport_size(PHONE)
    fits_phone(page)


def test_an_administrator_writes_a_rule_and_dry_runs_it_to_see_the_conditions_met(
    page: Page, stack: Stack, screenshots: Path
):
    name = f"浏览器规则 {uuid.uuid4().hex[:6]}"
    untitled = {
        "trigger": {"kind": "event", "topic": "crm.sales.lead", "type": "lead.assigned", "conditions": []},
        "conditions": [],
        "steps": [{"id": "task", "action": "create_task", "assignee": "{{ event.ownerId }}", "dueInHours": 24}],
    }
    [refused] = api(stack, SAVE, {"i": {"name": name, "definition": untitled}}, email="admin@example.com")["errors"]
    assert refused["extensions"]["field"] == "definition.steps[0].title"

    sign_in(page, "admin@example.com")
    page.get_by_role("link", name="自动化规则").click()
    expect(page.get_by_role("link", name="线索分配后跟进 Follow up assigned leads")).to_be_visible()
    page.get_by_role("button", name="新建规则").click()
    page.get_by_label("名称", exact=True).fill(name)
    # the trigger's topic and event type in words, the keys beside them
    for label, words in (("事件主题", "线索"), ("事件类型", "分配线索")):
        item = page.locator(".ant-form-item").filter(has=page.get_by_label(label, exact=True))
        expect(item.locator(".ant-select-content")).to_have_text(words)
    page.get_by_role("button", name="添加条件").first.click()
    expect(page.get_by_label("字段", exact=True)).to_have_value("")  # every field offered, none typed yet
    page.get_by_label("字段", exact=True).fill("event.ownerId")
    pick(page, page.get_by_label("比较", exact=True), "有值")
    page.get_by_role("button", name="保存草稿").click()
    title = page.locator(".ant-form-item").filter(has=page.get_by_label("标题", exact=True))
    expect(title.locator(".ant-form-item-explain-error")).to_have_text(at_its_field(refused["message"]))

    page.get_by_label("标题", exact=True).fill("跟进线索 {{ event.id }}")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_role("tab", name="JSON").click()
    expect(page.get_by_role("tabpanel", name="JSON")).to_contain_text('"op": "exists"')

    page.get_by_role("button", name="试运行", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="条件")).to_have_text("条件全部满足，将执行以下步骤")
    dry = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="试运行"))
    expect(dry.locator(".ant-table-tbody tr.ant-table-row td")).to_have_text(
        ["event.ownerId", "有值", SAMPLE_ID, "满足"]
    )
    steps = page.get_by_role("list", name="将执行的步骤")
    expect(steps.locator("li strong")).to_have_text(["创建任务 · task"])
    expect(steps).to_contain_text(f'"title": "跟进线索 {SAMPLE_ID}"')
    assert serious_violations(page) == []

    _fits_a_phone(page)
    page.screenshot(path=screenshots / "automation-rule-phone.png", full_page=True)


def test_the_bell_counts_a_notification_as_it_arrives_and_none_after_mark_all_read(page: Page, stack: Stack):
    api(stack, "mutation { markNotificationsRead }", email="rep2@example.com")
    sign_in(page, "rep2@example.com")
    bell = page.get_by_role("button", name="通知：0 条未读")
    expect(bell).to_be_visible()

    lead = _assign_a_new_lead_to(stack, "rep2@example.com")
    expect(page.get_by_role("button", name="通知：1 条未读")).to_be_visible(timeout=30_000)  # no reload: the stream
    page.get_by_role("button", name="通知：1 条未读").click()
    latest = page.get_by_role("link", name="新线索已分配给您 A lead was assigned to you").first
    expect(latest).to_have_attribute("href", f"/leads/{lead}")
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_role("button", name="通知：0 条未读")).to_be_visible()
    assert api(stack, "{ unreadNotificationCount }", email="rep2@example.com")["data"]["unreadNotificationCount"] == 0


def test_a_webhook_delivery_is_sent_again_from_its_log(page: Page, stack: Stack):
    subscriptions = api(stack, "{ webhookSubscriptions { id name } }", email="admin@example.com")["data"]
    [local] = [s["id"] for s in subscriptions["webhookSubscriptions"] if s["name"] == LOCAL]
    _assign_a_new_lead_to(stack, "rep1@example.com")
    for _ in range(300):  # until the receiver has taken the lead's delivery
        delivered = api(stack, DELIVERIES, {"s": local}, email="admin@example.com")["data"]["webhookDeliveries"]
        if delivered["totalCount"]:
            break
        time.sleep(0.1)
    every = api(stack, DELIVERIES.replace("status: SUCCEEDED", "status: null"), {"s": local}, email="admin@example.com")
    total = every["data"]["webhookDeliveries"]["totalCount"]

    sign_in(page, "admin@example.com")
    page.get_by_role("link", name="Webhook", exact=True).click()
    page.locator("tr", has_text=LOCAL).get_by_role("button", name="投递记录").click()
    card = page.locator(".ant-card").filter(has=page.get_by_role("heading", name=f"投递记录：{LOCAL}"))
    expect(card.get_by_role("status")).to_have_text(f"共 {total} 次投递")
    finished = card.locator(".ant-table-tbody tr.ant-table-row").filter(has_text="成功").first
    finished.get_by_role("button", name="重放").click()
    expect(card.get_by_role("status").filter(has_text="队列")).to_have_text("已重新加入投递队列（同一 webhook-id）")
    expect(card.get_by_role("status").filter(has_text="次投递")).to_have_text(f"共 {total + 1} 次投递")
    newest = card.locator(".ant-table-tbody tr.ant-table-row").first
    expect(newest.locator(".ant-tag")).to_have_text(["成功", "重放"])  # sent, and asked again until it was
    page.mouse.move(0, 0)
    assert serious_violations(page) == []

    page.get_by_role("button", name="新建订阅").click()  # the types offered are those that reach webhooks
    dialog = page.get_by_role("dialog", name="新建订阅")
    types = dialog.get_by_label("事件类型")
    types.fill("erp_order")
    expect(page.locator(".ant-select-item-option")).to_have_text(["erp_order.exported"])
    types.fill("user.")
    expect(page.locator(".ant-select-item-option")).to_have_count(0)
    page.keyboard.press("Escape")
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_have_count(0)
    _fits_a_phone(page)
