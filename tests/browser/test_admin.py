"""The administration screens: a user created with a role who then signs in, the audit trail of it,
the API's field errors, what a representative is refused, phones and accessibility."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from crm_shared.devstack.run import Stack

from .conftest import DESKTOP, PHONE, api, fits_phone, serious_violations, settled, sign_in

CREATE_USER = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }"
SAVE_CHAIN = "mutation($i: ApprovalChainInput!) { saveApprovalChain(input: $i) { id } }"


def open_admin(page: Page, screen: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=screen, exact=True).click()


def test_an_administrator_creates_a_user_with_a_role_who_signs_in_and_the_audit_log_shows_it(
    page: Page, browser: Browser, stack: Stack, screenshots: Path
):
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    sign_in(page, "admin@example.com")
    open_admin(page, "用户")
    expect(page.get_by_role("heading", name="用户管理")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="个用户")).to_have_text("共 9 个用户")
    assert serious_violations(page) == []

    page.get_by_role("button", name="新建用户").click()
    dialog = page.get_by_role("dialog", name="新建用户")
    dialog.get_by_label("姓名").fill("赵新人")
    dialog.get_by_label("邮箱").fill(email)
    # the hint says identity's password policy as the API applies it
    expect(dialog.get_by_text("至少 8 个字符，包含字母以及至少一个数字或符号", exact=False)).to_be_visible()
    dialog.get_by_label("初始密码").fill("welcome-2026-crm")
    dialog.get_by_label("角色").fill("销售代表")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="个用户")).to_have_text("共 10 个用户")
    row = page.get_by_role("row").filter(has_text=email)
    expect(row).to_contain_text("赵新人")
    expect(row).to_contain_text("销售代表")

    found = api(
        stack,
        "query($s: String) { users(filter: {search: $s}) { edges { node { id roles } } } }",
        {"s": email},
        email="admin@example.com",
    )
    [user] = [e["node"] for e in found["data"]["users"]["edges"]]
    assert user["roles"] == ["sales_rep"]
    open_admin(page, "审计日志")
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    page.get_by_role("searchbox", name="对象 ID").fill(user["id"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{stack.console_url}/admin/audit?entityId={user['id']}")
    audit = api(
        stack,
        "query($id: String) { auditLog(filter: {entityId: $id}) { edges { node { action actor { displayName } } } } }",
        {"id": user["id"]},
        email="admin@example.com",
    )
    [entry] = [e["node"] for e in audit["data"]["auditLog"]["edges"]]
    assert entry["actor"] == {"displayName": "系统管理员 Admin"}
    expect(page.get_by_role("status").filter(has_text=re.compile("^共"))).to_have_text("共 1 条记录")
    assert entry["action"] == "user.created"
    row = page.get_by_role("row").filter(has_text="新建用户")  # the action and record type in words, not their codes
    expect(row).to_contain_text("用户")
    expect(row).not_to_contain_text("user.created")
    expect(row).not_to_contain_text("User")
    expect(row).to_contain_text(user["id"][:8])
    expect(row).not_to_contain_text(user["id"])  # the id shortened (whole on hover and when copied)
    expect(row).to_contain_text("系统管理员 Admin")
    expect(page.get_by_role("status").filter(has_text="完整")).to_contain_text("完整：已校验")
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / "admin-audit.png", full_page=True)

    newcomer = browser.new_context(base_url=stack.console_url, locale="zh-CN", viewport=DESKTOP)
    try:
        signed_in = newcomer.new_page()
        sign_in(signed_in, email, "welcome-2026-crm")
        expect(signed_in.get_by_role("heading", name="你好，赵新人")).to_be_visible()
        expect(signed_in.get_by_role("navigation").get_by_text("系统管理")).to_have_count(0)
    finally:
        newcomer.close()


def test_the_api_refusal_of_a_taken_email_shows_at_the_email_field(page: Page, stack: Stack):
    taken = {"i": {"email": "rep1@example.com", "displayName": "重复", "password": "welcome-2026-crm"}}
    [error] = api(stack, CREATE_USER, taken, email="admin@example.com")["errors"]
    assert error["extensions"]["field"] == "email"
    sign_in(page, "admin@example.com")
    page.goto("/admin/users")
    page.get_by_role("button", name="新建用户").click()
    dialog = page.get_by_role("dialog", name="新建用户")
    dialog.get_by_label("姓名").fill("重复")
    dialog.get_by_label("邮箱").fill("rep1@example.com")
    dialog.get_by_label("初始密码").fill("welcome-2026-crm")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog.locator("#email_help")).to_have_text(error["message"])
    expect(dialog).to_be_visible()


def test_a_rep_has_no_administration_menu_and_is_refused_by_url(page: Page):
    sign_in(page, "rep1@example.com")
    navigation = page.get_by_role("navigation")
    expect(navigation.get_by_role("link", name="线索")).to_be_visible()
    expect(navigation.get_by_text("系统管理")).to_have_count(0)
    page.goto("/admin/audit")
    expect(page.get_by_text("您无权查看此页面")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)
    page.goto("/admin/roles/sales_rep")
    expect(page.get_by_text("您无权查看此页面")).to_be_visible()


def test_the_role_screens_speak_chinese_and_the_admin_screens_fit_a_phone_and_pass_axe(
    page: Page, stack: Stack, screenshots: Path
):
    sign_in(page, "admin@example.com")
    for path, heading in (
        ("/admin/org", "组织架构"),
        ("/admin/roles", "角色与权限"),
        ("/admin/security", "安全设置"),
        ("/admin/dead-letters", "死信事件"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        settled(page)
        assert serious_violations(page) == [], path

    page.goto("/admin/roles")
    rep = page.get_by_role("row").filter(has=page.get_by_role("link", name="销售代表", exact=True))
    expect(rep).to_contain_text("只能查看和编辑自己负责的客户、线索与商机。")  # the built-in description in Chinese
    rep.get_by_role("link", name="销售代表", exact=True).click()
    expect(page.get_by_role("heading", name="编辑角色 sales_rep")).to_be_visible()
    expect(page.get_by_label("中文说明")).to_have_value("只能查看和编辑自己负责的客户、线索与商机。")
    expect(page.get_by_role("checkbox", name="sales:lead: 全部操作")).to_be_checked()
    expect(page.get_by_role("checkbox", name="sales:lead:read")).to_be_checked()
    expect(page.get_by_role("checkbox", name="identity:role:read")).not_to_be_checked()
    # services, resources and actions in words; their keys show on hover
    expect(page.get_by_role("heading", name="销售", exact=True)).to_have_attribute("title", "sales")
    opportunity = page.get_by_role("group", name="sales:opportunity")
    expect(opportunity.get_by_title("sales:opportunity", exact=True)).to_have_text("商机")
    expect(opportunity.locator(".ant-checkbox-label")).to_have_text(["全部操作", "查看", "新建", "编辑", "删除"])
    expect(opportunity.get_by_title("sales:opportunity:read", exact=True)).to_have_text("查看")
    catalogue = api(stack, "{ permissionCatalogue }", email="admin@example.com")["data"]["permissionCatalogue"]
    shown = page.locator("[role=group][aria-label*=':']").evaluate_all(
        """groups => groups.map((g) => [g.getAttribute('aria-label'), g.querySelector('strong').textContent,
            [...g.querySelectorAll('.ant-checkbox-label')].map((label) => label.textContent)])"""
    )
    assert sorted(key for key, _, _ in shown) == sorted({p.rsplit(":", 1)[0] for p in catalogue})
    chinese = re.compile(r"[\u4e00-\u9fff]")
    assert [(key, words) for key, words, _ in shown if not chinese.search(words)] == []
    assert [(key, actions) for key, _, actions in shown if not all(chinese.search(a) for a in actions)] == []
    assert serious_violations(page) == []
    page.set_viewport_size(PHONE)
    fits_phone(page)
    page.screenshot(path=screenshots / "role-editor-phone.png", full_page=True)

    page.goto("/admin/audit")
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^共 \d+ 条记录$"))).to_be_visible()
    fits_phone(page)
    page.screenshot(path=screenshots / "audit-phone.png", full_page=True)


def test_an_approval_chains_json_errors_show_at_their_box_in_words_and_go_once_the_json_is_right(
    page: Page, stack: Stack
):
    levels = [{"name": "未知角色", "approvers": [{"type": "role", "role": "no_such_role"}], "mode": "ANY"}]
    chain = {"name": "浏览器测试审批链", "subjectKind": "QUOTE", "levels": levels, "conditions": []}
    [refused] = api(stack, SAVE_CHAIN, {"i": chain}, email="admin@example.com")["errors"]
    assert refused["extensions"]["field"] == "levels[0].approvers[0].role"
    assert refused["message"].startswith("字段“levels[0].approvers[0].role”：没有角色“no_such_role”")

    sign_in(page, "admin@example.com")
    page.goto("/admin/approval-chains")
    page.get_by_role("button", name="新建审批链").click()
    dialog = page.get_by_role("dialog", name="新建审批链")
    dialog.get_by_label("名称", exact=True).fill(chain["name"])
    conditions = dialog.get_by_label(re.compile("^条件"))
    conditions_item = dialog.locator(".ant-form-item").filter(has=page.get_by_label(re.compile("^条件")))
    conditions_error = conditions_item.locator(".ant-form-item-explain-error")
    conditions.fill('[{"field": ')
    dialog.get_by_role("button", name="保存").click()
    expect(conditions_error).to_have_text("不是有效的 JSON")
    conditions.fill("[]")
    expect(conditions_error).to_have_count(0)  # gone as soon as the text parses

    box = dialog.get_by_label(re.compile("^审批级别"))
    box.fill(json.dumps(levels, ensure_ascii=False))
    dialog.get_by_role("button", name="保存").click()
    # the place in the JSON, then the API's words without its name for the field
    said = refused["message"].removeprefix("字段“levels[0].approvers[0].role”：")
    levels_item = dialog.locator(".ant-form-item").filter(has=page.get_by_label(re.compile("^审批级别")))
    levels_error = levels_item.locator(".ant-form-item-explain-error")
    expect(levels_error).to_have_text(f"levels[0].approvers[0].role：{said}")
    expect(conditions_error).to_have_count(0)
    expect(dialog.get_by_text("字段“")).to_have_count(0)
