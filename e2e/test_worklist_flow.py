"""The finance officer's worklist in the browser (issue 13): a payout that needs her approval raises
her queue count and a notification appears without a reload; approving it brings the count down.

The live test server speaks WSGI only, so the bell falls back to polling (every second here, 30 s by
default); the WebSocket path is covered by tests/web/test_nav_worklist.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import ARTIFACTS, accept_confirm, login
from tests import factories
from tests.funds.conftest import receive
from zhixing.courts.roles import Role
from zhixing.funds import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

APPROVALS = "#funds-todo [data-todo='approvals'] b"


def test_finance_queue_goes_up_and_down_with_a_live_notification(page: Any, settings: Any) -> None:
    settings.FUNDS_APPROVAL_CHAIN = "director,finance"
    settings.ZHIXING_NOTIFY_POLL_SECONDS = 1
    courts = factories.province()
    th = courts["th"]
    staff = {
        r: factories.staff(th, r, username=f"wl_{r}")
        for r in (Role.CLERK, Role.JUDGE, Role.DIRECTOR, Role.FINANCE)
    }
    services.set_custody_account(
        None,
        th,
        bank_name="沙箱托管银行",
        account_name=th.name,
        account_no="44001000106",
        sub_prefix="880106",
    )
    case = factories.case(staff[Role.CLERK])
    receive(case, "80000.00", "WL-1")
    applicant = case.parties.get(role="applicant")

    login(page, "wl_finance", factories.PASSWORD)
    page.goto("/")
    assert page.inner_text(APPROVALS) == "0"
    assert page.locator("#bell-count").is_hidden()
    ARTIFACTS.mkdir(exist_ok=True)

    # The judge proposes, the director approves: the payout now waits for finance.
    payout = services.propose(
        staff[Role.JUDGE],
        case,
        party_id=applicant.pk,
        amount="30000.00",
        account_name=applicant.name,
        account_no="6222020000001",
    )
    services.decide(staff[Role.DIRECTOR], payout.pk)

    # Without a reload: the bell counts it, a toast says it, the worklist count goes up.
    page.wait_for_selector("#bell-count:not([hidden])", timeout=15_000)
    assert page.inner_text("#bell-count") == "1"
    toast = page.wait_for_selector("[data-testid=toast]", timeout=15_000)
    assert f"{case.number}的发款30,000.00元等待您（财务人员）审批" in toast.inner_text()
    # A locator, not wait_for_function: its polling evaluates a string, which the CSP (no unsafe-eval) refuses
    # whenever the count was not already up at the first look.
    expect(page.locator("#funds-todo [data-todo='approvals'] b")).to_have_text("1", timeout=15_000)
    page.screenshot(path=str(ARTIFACTS / "worklist-finance-waiting.png"), full_page=True)

    # She opens it from the worklist and approves it; back home the count is down.
    page.click("#funds-todo [data-todo='approvals']")
    page.wait_for_url("**/funds/approvals/")
    page.click("#approval-list .approve-btn")
    accept_confirm(page, "发款")  # the <dialog> of confirm.js (ADR 0012), not window.confirm
    page.wait_for_selector("text=已审批")
    page.goto("/")
    assert page.inner_text(APPROVALS) == "0"
    assert page.inner_text("#funds-todo [data-todo='to_send'] b") == "1"

    # The notification is listed on its page; opening it marks it read.
    page.click("#bell")
    page.wait_for_url("**/notifications/")
    assert "等待您（财务人员）审批" in page.inner_text("#notification-list")
    page.click("[data-testid=open-notification]")
    page.wait_for_url("**/funds/approvals/")
    page.goto("/")
    page.wait_for_timeout(1500)
    assert page.locator("#bell-count").is_hidden()


def test_the_menu_opens_from_its_button_on_a_phone(page: Any) -> None:
    courts = factories.province()
    factories.staff(courts["th"], Role.FINANCE, username="wl_phone")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "wl_phone", factories.PASSWORD)
    page.goto("/")
    assert page.locator("#mainnav").is_hidden()
    page.click("#menu-toggle")
    assert page.locator("#mainnav").is_visible()
    assert page.locator("#nav-funds-finance").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "menu-phone-finance.png"), full_page=True)


@pytest.mark.parametrize("role", [Role.JUDGE, Role.CLERK, Role.FINANCE, Role.DIRECTOR, Role.PRESIDENT])
def test_each_roles_home_has_work_and_fits(page: Any, role: str) -> None:
    """Each role's home lists its work (never an empty page); screenshots at 1,366 and 390 px."""
    courts = factories.province()
    clerk = factories.staff(courts["th"], Role.CLERK, username="wl_home_clerk")
    factories.case(clerk)
    user = clerk if role == Role.CLERK else factories.staff(courts["th"], role, username=f"wl_home_{role}")
    login(page, user.username, factories.PASSWORD)
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        page.wait_for_selector("#worklist [data-todo]")
        # The top bar and the worklist fit (the page's other panels are the layout slice's: .grid2).
        assert page.evaluate("document.querySelector('.topbar').scrollWidth") <= width
        assert page.evaluate("document.getElementById('worklist').getBoundingClientRect().right") <= width
        page.screenshot(path=str(ARTIFACTS / f"home-{role}-{width}.png"), full_page=True)
