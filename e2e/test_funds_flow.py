"""Case funds in the browser: a debtor's transfer appears within seconds of the bank's notice; the
handler proposes a payout, two approvers approve, finance sends it, the applicant sees it paid."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from e2e.conftest import accept_confirm, login
from tests import factories
from tests.funds.conftest import BankServer
from zhixing.courts.roles import Role
from zhixing.funds import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def bank(live_server: Any, settings: Any) -> Iterator[BankServer]:
    srv = BankServer().start()
    settings.FUNDS_BANK_URL = srv.url
    srv.app.bank.notify_url = live_server.url + "/api/v1/funds/bank/notices"
    srv.app.bank.custody_account_no = "44001000106"
    yield srv
    srv.stop()


def post_json(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(
        url, data=json.dumps(payload).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return dict(json.loads(resp.read()))


def user_page(browser: Any, live_server: Any, username: str) -> Any:
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN")
    ctx.set_default_timeout(15000)
    pg = ctx.new_page()
    login(pg, username, factories.PASSWORD)
    return pg


def test_transfer_to_payout_paid(page, browser, live_server, bank, settings):
    settings.FUNDS_APPROVAL_CHAIN = "director,president"
    courts = factories.province()
    th = courts["th"]
    staff = {
        r: factories.staff(th, r, username=f"e2e_{r}")
        for r in (Role.CLERK, Role.JUDGE, Role.DIRECTOR, Role.PRESIDENT, Role.FINANCE)
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
    account = services.case_account(case).number
    applicant = case.parties.get(role="applicant")

    # The handler opens the money page and issues the applicant's portal link.
    login(page, "e2e_judge", factories.PASSWORD)
    page.goto(f"/funds/cases/{case.pk}/")
    assert page.inner_text("#sub-account") == account
    page.click("#portal-links button")
    portal_url = page.get_attribute(".portal-link", "href")

    # The applicant verifies identity and confirms the receiving account on the portal.
    applicant_ctx = browser.new_context(base_url=live_server.url, locale="zh-CN")
    portal = applicant_ctx.new_page()
    portal.goto(portal_url)
    portal.fill("#id_id_number", applicant.credit_code)
    portal.click("#verify-submit")
    portal.wait_for_selector("#verified")
    portal.fill("#id_account_no", "6222 0200 0000 8888")
    portal.click("#account-submit")
    portal.wait_for_selector("#confirmed")

    # A debtor transfers to the case's own sub-account; the bank notifies the platform.
    t0 = time.monotonic()
    post_json(bank.url + "/transfers", {"to_account": account, "amount": "120000.00", "payer_name": "张三"})
    for _ in range(50):
        page.reload()
        if page.inner_text("#m-balance") == "120,000.00":
            break
        time.sleep(0.1)
    assert page.inner_text("#m-received") == "120,000.00"
    assert time.monotonic() - t0 < 10

    # The handler proposes a payout to the confirmed account.
    page.select_option("#id_party_id", str(applicant.pk))
    page.fill("#id_amount", "50000.00")
    page.fill("#id_account_name", applicant.name)
    page.fill("#id_account_no", "622202000000008888")
    page.click("#propose-submit")
    page.wait_for_selector("#payouts [data-payout]")

    # Two approvers approve.
    for who in ("e2e_director", "e2e_president"):
        pg = user_page(browser, live_server, who)
        pg.goto("/funds/approvals/")
        pg.click("#approval-list .approve-btn")
        accept_confirm(pg, "发款")
        pg.wait_for_selector("text=已审批")
        pg.context.close()

    # Finance sends the payment order; the bank pays it.
    fin = user_page(browser, live_server, "e2e_finance")
    fin.goto("/funds/finance/")
    fin.click("#to-send .send-btn")
    accept_confirm(fin, "不可撤销")
    fin.wait_for_selector("text=支付指令已发送")
    fin.context.close()

    # The applicant sees it paid.
    portal.reload()
    assert "已支付" in portal.inner_text("#portal-payouts")
    page.reload()
    assert page.inner_text("#m-paid") == "50,000.00"
    assert page.inner_text("#m-balance") == "68,600.00"  # 120,000 − fee 1,400 − 50,000
    applicant_ctx.close()
