"""Issue 14 (Tests): a judge serves the enforcement notice (issue 15: the listing needs it first), lists a
debtor with the court president's approval, the decision is served, the
railway partner's check says restricted (and knows nothing of the exit ban), the debtor pays in full, the
listing is removed within 3 working days and the check says free.

The product's own pages throughout; the partner check is the partner API URL on the live server.
"""

from __future__ import annotations

import importlib
import json
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from e2e.conftest import ARTIFACTS, accept_confirm, login
from tests import factories
from tests.funds.conftest import BankServer
from zhixing.cases import services as case_services
from zhixing.credit import queries, services
from zhixing.credit.models import Listing, Proposal
from zhixing.funds import services as funds
from zhixing.inquiry import queries as inquiry_queries

TZ = ZoneInfo("Asia/Shanghai")
DEBTOR_ID = factories.make_id(date(1981, 7, 9), seq=135)


def _reference_data() -> None:
    """Transactional tests flush the database; put the cases reference data (a data migration) back."""
    from django.apps import apps

    importlib.import_module("zhixing.cases.migrations.0003_reference_data").load(apps, None)


@pytest.fixture
def bank(settings: Any, live_server: Any) -> Iterator[BankServer]:
    """The custody bank as a thread: a transfer into a case's sub-account notifies the live platform."""
    srv = BankServer().start()
    settings.FUNDS_BANK_URL = srv.url
    srv.app.bank.notify_url = live_server.url + "/api/v1/funds/bank/notices"
    srv.app.bank.custody_account_no = "44001000106"
    yield srv
    srv.stop()


@pytest.fixture
def world(transactional_db: Any, bank: BankServer) -> Iterator[dict[str, Any]]:
    _reference_data()
    queries.reset_index()
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=True):
        courts = factories.province()
        clerk = factories.staff(courts["th"], "clerk", username="walk_clerk")
        judge = factories.staff(courts["th"], "judge", username="walk_judge", full_name="王法官")
        factories.staff(courts["th"], "president", username="walk_president", full_name="李院长")
        case = factories.case(
            clerk,
            parties=[
                case_services.PartyData(
                    role="applicant",
                    kind="organisation",
                    name="广州某银行股份有限公司",
                    credit_code=factories.VALID_CREDIT,
                    legal_representative="陈行长",
                ),
                case_services.PartyData(role="debtor", kind="person", name="赵六", id_number=DEBTOR_ID),
            ],
        )
        funds.set_custody_account(
            None,
            courts["th"],
            bank_name="沙箱托管银行",
            account_name=courts["th"].name,
            account_no="44001000106",
            sub_prefix="880106",
        )
        _, key = services.create_partner(None, name="国铁集团12306", kind="railway")
        yield {"judge": judge, "case": case, "key": key, "bank": bank}
    queries.reset_index()


def check(page: Any, key: str) -> dict[str, Any]:
    r = page.request.post("/api/v1/screening/check", data={"id": DEBTOR_ID}, headers={"X-Partner-Key": key})
    assert r.status == 200, r.text()
    return dict(r.json())


def test_listing_with_the_presidents_approval_served_then_paid(page: Any, world: dict[str, Any]) -> None:
    case, key = world["case"], world["key"]
    login(page, "walk_judge", factories.PASSWORD)

    # 0. The enforcement notice with its listing warning is made and its service recorded first
    #    (失信规定 Art 5(1)): the case's flow links to it; serving it completes the `notice` node.
    page.goto(f"/cases/{case.pk}/")
    page.click('[data-testid="notice-link"]')
    page.wait_for_selector('[data-testid="notice-none"]')
    page.click('[data-testid="form-notice-issue"] button[type=submit]')
    page.wait_for_selector('[data-testid="notice"][data-served="no"]')
    assert "纳入失信被执行人名单" in page.inner_text('[data-testid="notice-listing-warning"]')
    assert "第四百八十条" in page.inner_text('[data-testid="notice-delay-warning"]')
    assert "报告财产令" in page.inner_text('[data-testid="notice-asset-report"]')
    page.select_option("#id_notice_method", "personal")
    page.fill("#id_notice_act_on", "2026-03-10")
    page.click('[data-testid="form-notice-service"] button[type=submit]')
    page.wait_for_selector('[data-testid="notice"][data-served="yes"]')
    assert "履行期间至2026-03-13届满" in page.inner_text("#messages")
    page.goto(f"/cases/{case.pk}/")
    assert page.get_attribute('[data-node="notice"]', "data-color") == "done"

    # 1. The judge restricts the debtor's exit (no approval needed) and proposes the listing.
    page.goto(f"/cases/{case.pk}/credit/")
    page.locator("form[action$='/credit/exit/'] button[type=submit]").click()
    page.wait_for_selector('[data-testid="restriction"][data-kind="exit"]')
    form = page.locator('[data-testid="list-form"]')
    # Ground (1), no fixed term: full performance deletes it (失信规定 Art 10(1)(1); Art 10(2) excludes 2–6).
    form.locator('[data-testid="ground"]').select_option("1")
    form.locator('[data-testid="dishonest-act"]').fill("有履行能力而拒不履行")
    for confirm in ("guarantee_confirmed", "order_confirmed", "ability_confirmed"):
        form.locator(f'[data-testid="confirm-{confirm}"]').check()
    assert form.locator('[data-testid="list-submit"]').inner_text() == "提请院长审批"
    form.locator('[data-testid="list-submit"]').click()
    accept_confirm(page, "将提请院长审批把赵六纳入失信被执行人名单")
    page.wait_for_selector('[data-testid="proposal"][data-status="pending"]')
    assert "已提请院长审批" in page.inner_text("#messages")
    assert page.locator('[data-testid="listed"]').count() == 0
    # Nothing takes effect before the president signs: the railway sees nothing (the exit ban is not its).
    body = check(page, key)
    assert (body["restricted"], body["restrictions"], body["cases"]) == (False, [], [])

    # 2. The president opens it from his worklist and signs it.
    page.context.clear_cookies()
    login(page, "walk_president", factories.PASSWORD)
    page.goto("/")
    todo = page.locator("[data-testid='todo-credit-approvals']")
    assert todo.locator("b").inner_text() == "1"
    todo.click()
    page.wait_for_url("**/credit/approvals/")
    page.click('[data-testid="proposal-link"]')
    assert "有履行能力而拒不履行" in page.inner_text('[data-testid="proposal-summary"]')
    page.click('[data-testid="approve"]')
    accept_confirm(page, "将签发纳入失信被执行人名单决定书")
    page.wait_for_selector('[data-testid="credit-proposal"][data-status="approved"]')
    assert page.inner_text('[data-testid="proposal-signer"]') == "院长 李院长 · 2026-03-10"
    page.click('[data-testid="proposal-document"]')
    page.wait_for_selector('[data-testid="decision"]')
    assert page.inner_text('[data-testid="decision-signer"]') == "签发人：院长 李院长"
    page.screenshot(path=str(ARTIFACTS / "credit-decision-signed.png"), full_page=True)

    # 3. The judge serves it on the debtor; the 限制消费令 binds from service.
    page.context.clear_cookies()
    login(page, "walk_judge", factories.PASSWORD)
    page.goto(f"/cases/{case.pk}/credit/")
    page.wait_for_selector('[data-testid="listed"]')
    assert page.locator('[data-testid="awaiting-service"]').count() == 1
    svc = page.locator('[data-testid="service-form"]')
    svc.locator('[data-testid="service-method"]').select_option("personal")
    svc.locator('[data-testid="service-date"]').fill("2026-03-10")
    svc.locator('[data-testid="service-submit"]').click()
    page.wait_for_selector('[data-testid="served"]')
    assert "直接送达 2026-03-10，2026-03-10视为送达" in page.inner_text('[data-testid="served"]')
    assert page.locator('[data-testid="awaiting-service"]').count() == 0

    # 4. The railway's check: restricted for its business, and nothing of the exit ban.
    body = check(page, key)
    assert body["restricted"] is True and body["restrictions"] == ["soft_sleeper", "hsr"]
    assert [m["measure"] for m in body["cases"]] == ["限制消费"]
    assert "exit" not in str(body) and "限制出境" not in str(body)

    # 5. The debtor pays in full into the case's sub-account; the custody bank notifies the platform, the
    #    payment event proposes the listing's deletion (失信规定 Art 10(1)(1): a ground-(1) listing), and the
    #    judge accepts the proposal on the case's measures page.
    owed = inquiry_queries.case_claim(case).outstanding
    transfer = {"to_account": funds.case_account(case).number, "amount": str(owed), "payer_name": "赵六"}
    req = urllib.request.Request(
        world["bank"].url + "/transfers",
        data=json.dumps(transfer).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 201
    for _ in range(100):  # the bank notifies asynchronously, within seconds
        case.refresh_from_db()
        if case.paid_amount == owed:
            break
        time.sleep(0.1)
    assert case.paid_amount == owed
    page.goto(f"/cases/{case.pk}/")
    page.wait_for_selector("[data-testid=measures-open]")
    page.click("#link-measures")
    page.wait_for_url(f"**/measures/cases/{case.pk}/**")
    assert "删除失信信息：赵六" in page.inner_text("[data-testid=proposal-listing]")
    page.click("[data-testid=accept-listing]")
    assert "已采纳" in page.inner_text("#messages")

    # 6. The listing is deleted within 3 working days of the payment; the railway's check says free.
    listing = Listing.objects.get(case=case)
    assert (listing.status, listing.removal_trigger, listing.removed_on) == (
        "removed",
        "performed",
        date(2026, 3, 10),
    )
    assert Proposal.objects.get().listing == listing
    body = check(page, key)
    assert (body["restricted"], body["restrictions"]) == (False, [])
