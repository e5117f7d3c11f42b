"""One case, one truth (issue 11), in the browser: a judge follows an analysis lead to an inquiry request,
the sandbox finds the car, the judge seizes it, the debtor pays in full, the release proposal appears,
the judge releases, the case closes as performed, and the railway check answers "not restricted".

The partners run for real: the inquiry sandbox as its own uvicorn process (Huey immediate, so a request's
post-commit dispatch runs inside the click), the custody bank as a thread (its transfer notifies the
platform over the signed protocol). Steps that are not the subject here — the debtor's listing decided
earlier, paying the money out to the applicant so the account is empty — go through the services.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from e2e.conftest import accept_confirm, login, open_action
from tests import factories
from tests.analytics.leadflows import DEBTOR_ID, PLATE, statement
from tests.conftest import _fast_password_hashing, courts, people  # noqa: F401 - fixtures
from tests.funds.conftest import BankServer
from tests.funds.test_payouts import approve_all
from tests.inquiry.conftest import open_case_not_due, sandbox_process  # noqa: F401 - fixture
from zhixing.analytics import queries, services
from zhixing.cases.models import EnforcementCase
from zhixing.cases.services import PartyData
from zhixing.credit import services as credit
from zhixing.funds import services as funds
from zhixing.inquiry import queries as inquiry_queries
from zhixing.inquiry.models import Asset
from zhixing.measures.models import Proposal

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def platform(settings: Any, sandbox_process: str, live_server: Any, tmp_path: Path) -> Iterator[BankServer]:  # noqa: F811
    settings.DATA_DIR = tmp_path / "data"
    settings.ZHIXING_SANDBOX_URL = sandbox_process
    settings.ZHIXING_PLATFORM_URL = live_server.url
    settings.ZHIXING_INQUIRY = {"http_timeout": 5}
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


def railway_says(key: str) -> bool:
    body = Client().post(
        "/api/v1/screening/check",
        data=json.dumps({"id": DEBTOR_ID}),
        content_type="application/json",
        HTTP_X_PARTNER_KEY=key,
    )
    assert body.status_code == 200, body.content
    return bool(body.json()["restricted"])


def as_user(page: Any, username: str) -> None:
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    login(page, username, factories.PASSWORD)


def test_lead_to_seizure_to_payment_to_release_to_closing(
    page: Any,
    people: dict[str, Any],  # noqa: F811
    platform: BankServer,
) -> None:
    th = people["judge"].court
    funds.set_custody_account(
        None,
        th,
        bank_name="沙箱托管银行",
        account_name=th.name,
        account_no="44001000106",
        sub_prefix="880106",
    )
    applicant = factories.filing().parties[0]
    case = open_case_not_due(
        people,
        date(2026, 12, 31),
        parties=[applicant, PartyData(role="debtor", kind="person", name="李四", id_number=DEBTOR_ID)],
    )
    debtor = next(p for p in case.parties.all() if p.role == "debtor")
    # Decided earlier in the case: the enforcement notice served on filing (失信规定 Art 5(1)), then the
    # debtor is listed (and so restricted); the railway screens her.
    factories.serve_notice(case)
    credit.list_debtor(
        people["judge"], case, debtor, credit.ListingData(ground=4, dishonest_act="拒不报告财产")
    )
    _, railway_key = credit.create_partner(None, name="国铁集团", kind="railway", rate_per_minute=600)
    assert railway_says(railway_key) is True

    ref = queries.debtor(people["judge"], case.pk, debtor.pk)
    assert ref is not None
    services.install_builtin_presets()
    preset = queries.preset_by_code(people["judge"], "cmb")
    job = services.create_import(
        people["judge"], ref, kind="statement", file_name="s.csv", data=statement(), preset=preset
    )
    services.run_import(job.pk)
    prof = services.compute_profile(people["judge"], ref, start=date(2025, 1, 1), end=date(2026, 3, 1))
    lead = next(x for x in queries.leads_of(prof) if x.target == PLATE)

    # 1. The judge follows the vehicle lead; the sandbox's vehicle register finds the car.
    as_user(page, "th_judge")
    page.goto(f"/analytics/profiles/{prof.pk}/")
    page.click(f"#lead-follow-{lead.pk}")
    assert "已发起定向查询" in page.inner_text("#messages")
    assert page.locator(f"#lead-{lead.pk}").get_attribute("data-state") == "found"

    # 2. The judge seizes it; the director approves; the register answers.
    page.click(f"[data-testid=lead-asset-{lead.pk}]")
    page.wait_for_url(f"**/inquiry/cases/{case.pk}/**")
    car = Asset.objects.get(case=case, ref=PLATE)
    page.click(f"[data-testid=seize-{car.pk}]")
    # The seizure's POST must finish before the user switches: a response landing after the cookies
    # are cleared would set a fresh CSRF cookie under the next login form (a flaky 403 in CI).
    page.wait_for_selector(f"[data-testid=locked-{car.pk}]")
    as_user(page, "th_director")
    page.goto("/inquiry/approvals/")
    page.click("[data-testid^=approve-]")
    assert "已批准" in page.inner_text("#messages")
    car.refresh_from_db()
    assert car.state == "seized"

    # 3. The debtor pays the whole claim into the case's sub-account; the bank notifies the platform.
    case = EnforcementCase.objects.get(pk=case.pk)
    owed = inquiry_queries.case_claim(case).outstanding
    post_json(
        platform.url + "/transfers",
        {"to_account": funds.case_account(case).number, "amount": str(owed), "payer_name": "李四"},
    )
    for _ in range(100):  # the bank notifies asynchronously, within seconds
        case.refresh_from_db()
        if case.paid_amount == owed:
            break
        time.sleep(0.1)
    assert case.paid_amount == owed

    # 4. The release proposal appears on the case; the judge releases the car in one click.
    as_user(page, "th_judge")
    page.goto(f"/cases/{case.pk}/")
    page.wait_for_selector("[data-testid=measures-open]")
    page.click("#link-measures")
    page.wait_for_url(f"**/measures/cases/{case.pk}/**")
    proposal = page.locator("[data-testid=proposal-seizure]")
    assert PLATE in proposal.inner_text() and "尚欠0.00元" in proposal.inner_text()
    page.click("[data-testid=accept-seizure]")
    assert "已采纳" in page.inner_text("#messages")
    car.refresh_from_db()
    assert car.state == "released"
    assert "已完成" in page.inner_text("#consequences")
    # Still listed until the judge says so (or the case closes): the railway still refuses.
    assert railway_says(railway_key) is True

    # 5. The money goes out to the applicant (funds' own flow), so the account is empty.
    balance = funds.case_account(case)
    payout = funds.propose(
        people["judge"],
        case,
        party_id=case.parties.get(role="applicant").pk,
        amount=str(owed - case.application_fee),
        account_name=applicant.name,
        account_no="6222020000001",
    )
    approve_all(payout, people)
    assert funds.send(people["finance"], payout.pk).status == "paid", balance

    # 6. The judge closes the case as performed on its page.
    page.goto(f"/cases/{case.pk}/")
    open_action(page, "#action-close")
    page.select_option("#form-close [name=mode]", "performed")
    page.fill("#form-close [name=closed_on]", timezone.localdate().isoformat())
    page.fill("#form-close [name=performed__document_ref]", "（2026）粤0106执1号结案通知书")
    page.fill("#form-close [name=performed__performed_amount]", str(owed))
    page.select_option("#form-close [name=performed__how]", "voluntary")
    page.click("#form-close button[type=submit]")
    accept_confirm(page, "结案")
    assert "已结案" in page.inner_text("#messages")

    # 7. The restriction went with the closing: the railway no longer refuses her. (The ground-4 listing has
    # a term and stays until it expires or the court deletes it early: 失信规定 Arts 10(2), 2(2).)
    assert railway_says(railway_key) is False
    assert not Proposal.objects.filter(case=case, status="open").exists()
    assert Decimal(owed) > 0
