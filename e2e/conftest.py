"""Browser tests: Debian's Chromium driven by Playwright against Django's live test server.

Never `playwright install`: the browser is /usr/bin/chromium from Debian's packages.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The shared fixtures (a province of courts, staff in every role, fast hashing, fresh calendar).
from tests.conftest import _fast_password_hashing, _fresh_calendar, courts, people  # noqa: F401

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set up
# data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ZHIXING_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


# Module scope, not session: Playwright's sync API keeps its event loop marked running in the thread
# while it is open, and a later non-browser test on the same xdist worker that calls async_to_sync
# (WebSocket consumers, Channels) would fail. One Chromium launch per e2e file costs about a second.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Debian chromium not installed at {CHROMIUM} (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 1000}
    )
    context.set_default_timeout(30000)
    context.set_default_navigation_timeout(30000)
    pg = context.new_page()
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    rep = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{rep.when}", rep)


def login(page: Any, username: str, password: str) -> None:
    """Sign in from scratch. The previous page is left first and the cookies cleared after it: a page that
    is still open (its notification socket retrying, a fetch in flight) could otherwise be answered with a
    fresh CSRF cookie after the sign-in form was served, and the form's token would no longer match (a 403
    seen once on the CI machine)."""
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    # 60 s, not the default 30: on the 2-core CI machine the other xdist worker's heaviest tests run
    # beside the launcher, and a sign-in that waits behind them is not what these tests check.
    page.wait_for_url(lambda url: "/login/" not in url, timeout=60_000)


def accept_confirm(page: Any, expect: str | None = None) -> str:
    """Accept the confirmation dialog an irreversible action opens (confirm.js, ADR 0012).

    Call right after the click that submits; returns the consequence the dialog spelt out (and checks it
    contains `expect`). The dialog is a native <dialog>, not window.confirm, so Playwright's "dialog"
    event never sees it: the test presses 确定 as a user would.
    """
    dialog = page.locator("#confirm-dialog[open]")
    dialog.wait_for(state="visible")
    text = str(dialog.locator("#confirm-message").inner_text())
    if expect is not None:
        assert expect in text, text
    dialog.locator("#confirm-ok").click()
    return text


def cancel_confirm(page: Any) -> str:
    """Dismiss the confirmation dialog (取消): the action must not happen."""
    dialog = page.locator("#confirm-dialog[open]")
    dialog.wait_for(state="visible")
    text = str(dialog.locator("#confirm-message").inner_text())
    dialog.locator("#confirm-cancel").click()
    page.locator("#confirm-dialog[open]").wait_for(state="detached")
    return text


LAZY_JS = "() => !document.querySelector('.htmx-request, [hx-trigger=load]')"


def open_action(page: Any, details: str) -> None:
    """Open an action panel (a `<details>` such as ``#action-close``) as a user would.

    First the page's lazy panels (``hx-trigger="load"``, swapped in after the page's load event) are
    let arrive: each pushes the actions down as it lands, and a click during that shift can land beside
    the summary (seen once under load: the panel stayed shut and the test waited 30 s for its form).
    Then the summary is clicked, and clicked again if the panel did not open. Polled with `evaluate`:
    `wait_for_function` evaluates a string, which the pages' CSP refuses.
    """
    deadline = time.monotonic() + 10
    while not page.evaluate(LAZY_JS) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    panel = page.locator(details)
    for _ in range(3):
        panel.locator(":scope > summary").click()
        for _ in range(20):
            if panel.evaluate("d => d.open"):
                return
            page.wait_for_timeout(50)
    raise AssertionError(f"{details} did not open")
