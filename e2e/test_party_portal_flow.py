"""Issue 17 items 2-3: a debtor signs in to the party portal on a phone (390 × 844) with the code the SMS
partner delivered (read from the sandbox's outbox over its HTTP API), reads the enforcement notice served
on them, sees the case account, and the judge then sees "已查阅" in the case's e-service proof."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from e2e.conftest import ARTIFACTS, login
from tests import factories
from tests.documents.eservice_fixtures import gateways as gateways  # fixtures
from tests.documents.eservice_fixtures import sandbox_call
from tests.documents.eservice_fixtures import sandbox_server as sandbox_server
from tests.documents.eservice_fixtures import smtp_sink as smtp_sink
from zhixing.cases import services as case_services
from zhixing.documents import dispatch, eservice, services
from zhixing.funds import services as funds

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = "13800138009"


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(30000)
    yield context.new_page()
    context.close()


@pytest.mark.usefixtures("gateways")
def test_debtor_reads_the_served_notice_on_a_phone_and_the_judge_sees_opened(
    people: dict[str, Any], phone: Any, page: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    judge = people["judge"]
    funds.set_custody_account(
        None,
        judge.court,
        bank_name="沙箱托管银行",
        account_name="广州市天河区人民法院",
        account_no="44001000106",
        sub_prefix="880106",
    )
    case = factories.case(people["clerk"])
    case = case_services.assign_case(people["director"], case, judge, on=case.filed_on)
    case_services.issue_notice(judge, case, on=date.today())
    debtor = case.parties.get(role="debtor")
    eservice.confirm_address(judge, case, debtor.pk, phone=PHONE, portal=True, electronic_consent=True)
    doc = services.generate(judge, case, "enforcement_notice")
    eservice.serve(judge, doc, debtor.pk)
    dispatch.drain()

    page_ = phone
    page_.goto("/party/login/")
    page_.fill("#id_phone", PHONE)
    page_.click("#send-code")
    page_.locator("#code-sent").wait_for()
    text = sandbox_call(f"/_sandbox/sms?phone={PHONE}")["outbox"][-1]["text"]
    code = re.search(r"验证码为(\d{6})", text).group(1)  # type: ignore[union-attr]
    page_.fill("#id_code", code)
    page_.click("#sign-in")
    page_.locator('[data-testid="party-case"] a').first.click()
    account = page_.locator("#case-account")
    assert account.inner_text().startswith("880106")
    page_.locator('[data-testid="served-document"] a').first.click()
    body = page_.locator("#document-text").inner_text()
    assert "执" in body and case.number in body
    assert page_.locator("#case-account").inner_text() == account_text(case)
    assert page_.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page_.screenshot(path=str(ARTIFACTS / "party-portal-notice-390.png"), full_page=True)
    # From the case page, the party's own act objections (民事诉讼法 Art 236): no control touches the
    # debtor yet, so the page says so instead of offering an empty form, and it still fits the phone.
    page_.go_back()
    page_.locator("#party-objection-link a").click()
    assert page_.locator("#party-objection h1").inner_text().endswith(case.number)
    assert page_.locator("#no-acts").is_visible()
    assert page_.evaluate("document.documentElement.scrollWidth") <= 390

    login(page, judge.username, factories.PASSWORD)
    page.goto(f"/cases/{case.pk}/documents/")
    row = page.locator('[data-testid="service-row"]').first
    assert "已查阅" in row.inner_text()


def account_text(case: Any) -> str:
    from zhixing.funds import queries

    view = queries.account_view(case)
    assert view is not None
    return view.number
