"""Browser tests of the web console: the whole stack on free ports plus the console server, driven
through Debian's Chromium by Playwright (the system browser, no download)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from crm_shared.devstack.run import Ports, Stack
from crm_shared.testing.plugin import watch_graphql

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CRM_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "crm-demo"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# What the console shows after a round trip through the gateway can take seconds on a busy two-core machine.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(ROOT, tmp_path_factory.mktemp("stack"), Ports.free(), console=True)
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots of the console: {folder}")
    return folder


@pytest.fixture(scope="session")
def browser(stack: Stack) -> Iterator[Browser]:
    """After the stack: Playwright's sync API keeps an event loop of its own in this thread."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, stack: Stack) -> Iterator[Page]:
    context = browser.new_context(base_url=stack.console_url, locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    opened = context.new_page()
    watch_graphql(opened)
    yield opened
    context.close()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/sign-in")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="你好", exact=False).wait_for()


def choose(page: Page, scope: Locator, field: Locator, typed: str, option: str) -> None:
    """Type into a searchable select and pick the option, until the select shows it. Once the option is offered
    first it is taken with Enter, as a keyboard user does: on a busy machine the list can be drawn again under a
    click, which then picks nothing, or drawn too narrow to click at all."""
    chosen = scope.locator(".ant-select-content").filter(has_text=option)
    first = page.locator(".ant-select-dropdown:visible .ant-select-item-option-active").filter(has_text=option)
    for _ in range(3):
        field.fill(typed)
        if first.count():
            field.press("Enter")
        else:
            page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text=option).first.click()
        if chosen.count():
            return
    expect(chosen).to_have_count(1)


def pick(page: Page, field: Locator, option: str) -> None:
    """Open a select and walk its list with the arrow keys to the option, then take it with Enter, as a keyboard
    user does: a click can land on a list that is being drawn again, or on one still opening."""
    field.focus()
    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-expanded", "true")
    listbox = page.locator(f'[id="{field.get_attribute("aria-controls")}"]')
    dropdown = page.locator(".ant-select-dropdown").filter(has=listbox)
    active = dropdown.locator(".ant-select-item-option-active")
    expect(active).to_have_count(1)
    seen: set[str] = set()
    while (title := active.get_attribute("title") or "") != option:
        assert title not in seen, f"{option!r} is not offered"
        seen.add(title)
        field.press("ArrowDown")
        expect(active).not_to_have_attribute("title", title)
    field.press("Enter")
    expect(dropdown).to_be_hidden()


def fits_phone(page: Page) -> None:
    """The page comes to fit the phone's width without scrolling sideways, once the grid has laid itself out
    again after the resize (wait_for_function fails the test if it never does)."""
    page.wait_for_function(f"document.documentElement.scrollWidth <= {PHONE['width']}")


def settled(page: Page) -> None:
    """The screen has drawn what it asked for: no spinner or skeleton left. (The network never idles: the
    notification bell keeps its stream open.)"""
    expect(page.locator(".ant-spin-spinning, .ant-skeleton-active")).to_have_count(0)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page once its opening animations have ended (a
    dialog fading in has not reached its colours yet)."""
    page.evaluate(
        """async () => Promise.all(document.getAnimations()
            .filter((a) => a.effect?.getTiming().iterations !== Infinity)
            .map((a) => a.finished.catch(() => null)))"""
    )
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run()).violations")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}) {[n['html'][:300] for n in v['nodes']]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def at_its_field(message: str) -> str:
    """An API message as the console shows it under its field: without the field's API name in front, in each
    form the API writes it (as `atItsField` in web/src/api/errors.ts)."""
    rest = re.sub(r"^字段“[^”]*”(?:的值无效：|：|的)?", "", message)
    rest = re.sub(r"^Invalid value for field '[^']*'$", "Invalid value", rest)
    rest = re.sub(r"^(?:Invalid value for field '[^']*': |Field '[^']*':? )", "", rest)
    return rest[:1].upper() + rest[1:] if rest else message


def api(stack: Stack, query: str, variables: dict | None = None, email: str | None = None) -> dict:
    """The gateway as another client sees it, for facts the console's answers are compared with."""
    headers = {"Accept-Language": "zh-CN"}
    if email:
        login = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }"
        token = api(stack, login, {"i": {"email": email, "password": PASSWORD}})["data"]["login"]["accessToken"]
        headers["Authorization"] = f"Bearer {token}"
    body = {"query": query, "variables": variables or {}}
    return httpx.post(stack.gateway_url, json=body, headers=headers, timeout=30).json()


def wait_for(check, timeout: float = 30.0):
    """Poll until `check()` returns something truthy (events cross services asynchronously)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")
