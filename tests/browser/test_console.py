"""What people see in the console: each role's dashboard, accounts, errors, phones and accessibility."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from crm_shared.devstack.run import Stack

from .conftest import PASSWORD, PHONE, api, fits_phone, serious_violations, settled, sign_in

DASHBOARDS = {
    "rep1@example.com": ["今日任务与提醒", "逾期任务", "最近活动", "我的商机（按阶段）", "本月目标完成率"],
    "manager@example.com": ["团队销售漏斗", "本季度预测", "销售排名（本月目标）", "应收账龄"],
    "admin@example.com": ["用户", "审计日志完整性", "最近安全事件"],
    "marketer@example.com": ["我的市场活动", "待审批的预算", "发送中的邮件活动"],
    "marketing.manager@example.com": ["待我审批的预算", "发送中的邮件活动"],
    "agent@example.com": ["我的未结工单", "SLA 即将超时", "SLA 已超时"],
}


def panels(page: Page) -> list[str]:
    return page.locator("main h2").all_inner_texts()


@pytest.mark.parametrize("email", DASHBOARDS)
def test_each_role_sees_its_dashboard_on_desktop_and_phone(page: Page, email: str, screenshots: Path):
    sign_in(page, email)
    expect(page.locator("main h2")).to_have_count(len(DASHBOARDS[email]))
    assert panels(page) == DASHBOARDS[email]
    if not DASHBOARDS[email]:
        expect(page.get_by_text("您可以从左侧导航进入客户列表。")).to_be_visible()
    settled(page)
    assert serious_violations(page) == []
    page.screenshot(path=screenshots / f"{email.split('@')[0]}-desktop.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="打开导航").wait_for()
    fits_phone(page)
    page.screenshot(path=screenshots / f"{email.split('@')[0]}-phone.png", full_page=True)


def test_a_dashboard_card_whose_figures_fail_says_so_in_the_card_and_the_others_still_show(page: Page):
    failed = {"data": None, "errors": [{"message": "服务器内部错误", "extensions": {"code": "INTERNAL"}}]}

    def aging_fails(route: Route) -> None:
        if (route.request.post_data_json or {}).get("operationName") == "ManagerAging":
            route.fulfill(json=failed)
        else:
            route.fallback()

    page.route("**/graphql", aging_fails)
    sign_in(page, "manager@example.com")
    aging = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="应收账龄"))
    expect(aging.get_by_role("alert")).to_have_text("服务器内部错误")
    expect(page.get_by_role("img", name="团队销售漏斗")).to_be_visible()
    expect(page.get_by_role("img", name="本季度预测")).to_be_visible()
    ranking = page.locator(".ant-card").filter(has=page.get_by_role("heading", name="销售排名（本月目标）"))
    expect(ranking.get_by_role("table")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(1)
    assert panels(page) == DASHBOARDS["manager@example.com"]


def test_the_rep_pipeline_chart_drills_into_its_opportunities(page: Page, stack: Stack):
    rep1 = api(stack, "{ me { id } }", email="rep1@example.com")["data"]["me"]["id"]
    mine = 'query($me: ID!) { opportunities(filter: {ownerId: $me, status: "open"}) { totalCount } }'
    count = api(stack, mine, {"me": rep1}, email="rep1@example.com")["data"]["opportunities"]["totalCount"]
    sign_in(page, "rep1@example.com")
    expect(page.get_by_role("link", name=f"商机 ({count})")).to_be_visible()  # every open one, counted by stage
    chart = page.get_by_role("img", name="我的商机（按阶段）")
    chart.wait_for()
    page.wait_for_timeout(500)  # the chart's entry animation places the bars
    box = chart.bounding_box()
    assert box
    # the first bar stands in the left part of the plot, rising from its bottom
    for x in range(1, 10):
        chart.click(position={"x": box["width"] * x / 20, "y": box["height"] * 0.75})
        if "/opportunities" in page.url:
            break
    expect(page).to_have_url(re.compile(r"/opportunities\?stageId=.+&status=open"))
    expect(page.get_by_role("heading", name="商机")).to_be_visible()
    expect(page.get_by_role("button", name="清除筛选")).to_be_visible()


def test_a_rep_creates_an_account_and_finds_it_by_chinese_and_by_pinyin_initials(page: Page):
    name = "云杉数据科技有限公司"
    sign_in(page, "rep1@example.com")
    page.get_by_role("link", name="客户", exact=True).click()
    page.get_by_role("button", name="新建客户").click()
    expect(page.get_by_role("heading", name="新建客户")).to_be_visible()
    page.get_by_label("客户名称").fill(name)
    page.get_by_label("城市").fill("杭州")
    assert serious_violations(page) == []
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    assert serious_violations(page) == []

    for term in ("云杉", "yssj"):
        page.goto("/accounts")
        page.get_by_role("searchbox", name="搜索客户名称、拼音首字母、联系人或标签").fill(term)
        page.keyboard.press("Enter")
        expect(page.get_by_role("status").filter(has_text="个客户")).to_have_text("共 1 个客户")
        expect(page.get_by_role("link", name=name)).to_be_visible()
    assert serious_violations(page) == []


def test_a_rep_cannot_open_another_reps_account_by_its_address(page: Page, stack: Stack):
    found = api(stack, '{ accounts(filter: {search: "腾讯"}) { edges { node { id } } } }', email="rep2@example.com")
    theirs = found["data"]["accounts"]["edges"][0]["node"]["id"]
    sign_in(page, "rep1@example.com")
    page.goto(f"/accounts/{theirs}")
    expect(page.get_by_text("找不到该页面或记录")).to_be_visible()
    expect(page.get_by_text("找不到该记录，或您无权查看。")).to_be_visible()
    expect(page.get_by_text("腾讯科技")).to_have_count(0)


def test_a_screen_outside_ones_roles_says_so_when_opened_by_its_address(page: Page):
    sign_in(page, "agent@example.com")
    page.goto("/marketing/templates")
    expect(page.get_by_text("您无权查看此页面")).to_be_visible()
    expect(page.get_by_text("出错了，请稍后重试。")).to_have_count(0)
    page.get_by_role("link", name="返回工作台").click()
    expect(page.get_by_role("heading", name="我的未结工单")).to_be_visible()


def test_a_field_error_from_the_api_shows_next_to_its_field(page: Page, stack: Stack):
    create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }"
    answer = api(stack, create, {"i": {"name": "错误邮箱测试公司", "email": "not-an-email"}}, email="rep1@example.com")
    [error] = answer["errors"]
    assert error["extensions"]["field"] == "email"

    sign_in(page, "rep1@example.com")
    page.goto("/accounts/new")
    page.get_by_label("客户名称").fill("错误邮箱测试公司")
    page.get_by_label("邮箱").fill("not-an-email")
    page.get_by_role("button", name="保存").click()
    item = page.locator(".ant-form-item").filter(has=page.get_by_label("邮箱"))
    assert error["message"] == "字段“email”的值无效：不是有效的邮箱地址"
    # the label says which field it is
    expect(item.locator(".ant-form-item-explain-error")).to_have_text("不是有效的邮箱地址")
    expect(page).to_have_url(re.compile(r"/accounts/new$"))


def test_a_form_says_so_when_the_network_fails(page: Page):
    sign_in(page, "rep1@example.com")
    page.route(
        "**/graphql",
        lambda route: route.abort("failed") if "createAccount" in (route.request.post_data or "") else route.fallback(),
    )
    page.goto("/accounts/new")
    page.get_by_label("客户名称").fill("网络中断测试公司")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_have_text("无法连接服务器，请检查网络后重试。")
    expect(page).to_have_url(re.compile(r"/accounts/new$"))


def test_account_360_shows_contacts_and_opportunities(page: Page):
    sign_in(page, "rep1@example.com")
    page.goto("/accounts")
    page.get_by_role("link", name="华为技术有限公司").click()
    expect(page.get_by_role("heading", name="华为技术有限公司")).to_be_visible()
    for tab in ("联系人", "活动记录", "任务", "关系网络", "生命周期历程", "商机"):
        expect(page.get_by_role("tab", name=tab)).to_be_visible()
    assert serious_violations(page) == []


def test_english_is_one_click_away_and_sent_to_the_api(page: Page):
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.headers.get("accept-language", "")) if "/graphql" in r.url else None)
    sign_in(page, "manager@example.com")
    page.get_by_role("button", name="切换语言").click()
    expect(page.get_by_role("heading", name="Team sales funnel")).to_be_visible()
    page.get_by_role("link", name="Accounts").click()
    expect(page.get_by_role("heading", name="Accounts")).to_be_visible()
    assert sent[0] == "zh-CN"
    assert sent[-1] == "en"


def test_a_reload_keeps_the_session_and_sign_out_ends_it(page: Page):
    sign_in(page, "rep2@example.com")
    page.reload()
    expect(page.get_by_role("heading", name="你好，张销售 Rep Two")).to_be_visible()
    page.get_by_role("button", name="用户菜单").click()
    page.get_by_text("退出登录").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.goto("/accounts")
    expect(page).to_have_url(re.compile(r"/sign-in$"))


def test_signing_in_returns_to_the_screen_asked_for_and_from_an_address_that_is_none_to_home(page: Page):
    def sign_in_from(address: str) -> None:
        page.goto(address)
        expect(page).to_have_url(re.compile(r"/sign-in$"))
        page.get_by_label("邮箱").fill("rep1@example.com")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()

    sign_in_from("/login")
    expect(page.get_by_role("heading", name="你好，李销售 Rep One")).to_be_visible()
    expect(page).to_have_url(re.compile(r"^[^?#]*://[^/]+/$"))
    expect(page.get_by_text("找不到该页面或记录")).to_have_count(0)

    page.get_by_role("button", name="用户菜单").click()
    page.get_by_text("退出登录").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    sign_in_from("/tasks?mode=week")
    expect(page).to_have_url(re.compile(r"/tasks\?mode=week$"))


def test_an_identity_outage_while_refreshing_does_not_sign_the_user_out(page: Page):
    unavailable = {"data": None, "errors": [{"message": "unavailable", "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}

    def outage(route: Route) -> None:
        if "refreshToken(" in (route.request.post_data or ""):
            route.fulfill(status=503, json=unavailable)
        else:
            route.fallback()

    sign_in(page, "rep2@example.com")
    page.route("**/graphql", outage)
    page.reload()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.unroute("**/graphql", outage)
    page.goto("/")
    expect(page.get_by_role("heading", name="你好，张销售 Rep Two")).to_be_visible()


def test_wrong_password_is_said_in_the_users_language(page: Page):
    page.goto("/sign-in")
    assert serious_violations(page) == []
    page.get_by_label("邮箱").fill("rep1@example.com")
    page.get_by_label("密码").fill("guess")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("邮箱或密码错误")


def test_a_password_reset_mail_links_to_the_console_where_the_new_password_works(page: Page, stack: Stack):
    page.goto("/sign-in")
    page.get_by_role("link", name="忘记密码？").click()
    expect(page.get_by_role("heading", name="找回密码")).to_be_visible()
    page.get_by_label("邮箱").fill("agent@example.com")
    page.get_by_role("button", name="发送重置链接").click()
    expect(page.get_by_text("如果该邮箱已注册，重置链接已发送，30 分钟内有效。")).to_be_visible()
    for _ in range(100):  # the mail leaves once the request's transaction committed
        if stack.smtp.to("agent@example.com"):
            break
        time.sleep(0.1)
    [mail] = stack.smtp.to("agent@example.com")
    body = mail.get_body(("plain",))
    assert body is not None
    link = re.search(r"http\S+/reset-password\?token=\S+", body.get_content())
    assert link and link.group().startswith(stack.console_url)

    page.goto(link.group())
    page.get_by_label("新密码", exact=True).fill("Neue-Passw0rt-2026")
    page.get_by_label("确认新密码").fill("Neue-Passw0rt-2026")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_text("密码已重置，请用新密码登录。")).to_be_visible()
    sign_in(page, "agent@example.com", "Neue-Passw0rt-2026")
