"""Console figure: a demo account's 360 page in Debian's Chromium, driven by Playwright as the
browser tests drive it, from navigation start until the account's heading, details and contacts
are on screen."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bench import memory
from bench.stats import row
from crm_shared.devstack.run import Stack

CHROMIUM = Path(os.environ.get("CRM_CHROMIUM", "/usr/bin/chromium"))
EMAIL, PASSWORD = "rep1@example.com", "crm-demo"
ACCOUNT, CONTACT, ACTIVITY = "华为技术有限公司", "王采购", "首次电话沟通"  # rep1's demo account and its seed data
GOAL_MS = 1500
# evaluated each animation frame: the time since navigation start once the page shows what a user
# waits for (a heading with the account's name, its details card and a contacts row), else false
READY = """([name, contact]) => {
  const shown = (found) => found !== undefined && found.checkVisibility();
  const has = (selector, text) => [...document.querySelectorAll(selector)].find((e) => e.textContent.includes(text));
  return shown(has('h1', name)) && shown(has('.ant-card-head-title', '基本信息')) && shown(has('td', contact))
    && performance.now();
}"""


def unavailable(root: Path) -> str | None:
    """Why the console figure cannot be measured on this machine, or None when it can."""
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} not found (CRM_CHROMIUM names another Chromium)"
    if not (root / "web" / "dist" / "index.html").is_file():
        return "web/dist is missing (`make web` builds the console)"
    return None


def account_id(stack: Stack) -> str:
    login = f'mutation {{ login(input: {{email: "{EMAIL}", password: "{PASSWORD}"}}) {{ accessToken }} }}'
    token = httpx.post(stack.gateway_url, json={"query": login}, timeout=30).json()["data"]["login"]["accessToken"]
    found = httpx.post(
        stack.gateway_url,
        json={"query": f'{{ accounts(filter: {{search: "{ACCOUNT}"}}) {{ edges {{ node {{ id name }} }} }} }}'},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()["data"]["accounts"]["edges"]
    [node] = [edge["node"] for edge in found if edge["node"]["name"] == ACCOUNT]
    return str(node["id"])


def signed_in(browser: Browser, stack: Stack) -> dict:
    """The storage of a browser that signed in once (the refresh token a returning user keeps)."""
    context = browser.new_context(base_url=stack.console_url, locale="zh-CN")
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("邮箱").fill(EMAIL)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="你好", exact=False).wait_for()
    state = dict(context.storage_state())
    context.close()
    return state


def visit(page: Page, path: str) -> float:
    """Milliseconds from navigation start until the 360 page is ready (the page's own clock)."""
    page.goto(path, wait_until="commit")
    return float(page.wait_for_function(READY, arg=[ACCOUNT, CONTACT], polling="raf", timeout=30_000).json_value())


def account_360(stack: Stack, visits: int = 20, first_visits: int = 5) -> None:
    path = f"/accounts/{account_id(stack)}"
    print(f"  the stack settled in {memory.settle(stack):.0f} s after it started", flush=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            cold = []
            for n in range(first_visits):
                # the browser's cache is per context: a new one with the signed-in storage starts empty (each
                # signs in once: a refresh token is good for one refresh, and one used twice ends its session)
                storage = signed_in(browser, stack)
                context = browser.new_context(base_url=stack.console_url, locale="zh-CN", storage_state=storage)
                page = context.new_page()
                cold.append(visit(page, path))
                if n == 0:  # the figure is only worth something if the page shows the account's data
                    expect(page.get_by_role("heading", name=ACCOUNT)).to_be_visible()
                    page.get_by_role("tab", name="活动记录").click()
                    expect(page.get_by_text(ACTIVITY)).to_be_visible()
                if n < first_visits - 1:
                    context.close()
            warm = []
            for _ in range(visits):  # the last context's cache holds the console now
                page = context.new_page()
                warm.append(visit(page, path))
                page.close()
            context.close()
        finally:
            browser.close()
    qs = statistics.quantiles(warm, n=100, method="inclusive")
    row(
        "account 360 in the console, warm cache",
        f"p50 {qs[49]:,.0f} ms  p95 {qs[94]:,.0f} ms  (n={visits}) [goal ≤ {GOAL_MS / 1000} s]",
    )
    row(
        "same, first visit, empty cache",
        f"p50 {statistics.median(cold):,.0f} ms  slowest {max(cold):,.0f} ms  (n={first_visits}) "
        f"[goal ≤ {GOAL_MS / 1000} s]",
    )
