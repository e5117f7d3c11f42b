"""Network inquiry in the browser: a judge runs a one-click inquiry, the director approves a freeze, the
judge sees the frozen amount, and — near the end of the term — the renewal warning with one-click renewal.

Then the periodic re-inquiry of a 终本 case raising a resume lead. The partner sandbox runs as its own
uvicorn process; Huey runs in immediate mode, so the post-commit
dispatch job runs inside the request that created the requests.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from e2e.conftest import accept_confirm, login, open_action
from tests import factories
from tests.conftest import _fast_password_hashing, courts, people  # noqa: F401 - fixtures
from tests.inquiry.conftest import sandbox_process  # noqa: F401 - fixture
from tests.inquiry.test_dormant import CATEGORIES, SH, make_dormant
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.inquiry import rules, services
from zhixing.inquiry.models import Asset, InquiryRequest

# serialized_rollback: the flush after a transactional test must not take the reference data with it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ACCOUNT = "ICBC015388343998"  # the synthetic ICBC account of debtor 360426199101010071 (51,995.59 yuan)


@pytest.fixture
def platform(settings: Any, sandbox_process: str, live_server: Any) -> None:  # noqa: F811
    settings.ZHIXING_SANDBOX_URL = sandbox_process
    settings.ZHIXING_PLATFORM_URL = live_server.url
    settings.ZHIXING_INQUIRY = {"http_timeout": 5}


def test_inquiry_freeze_and_renewal_warning(page: Any, people: dict[str, Any], platform: None) -> None:  # noqa: F811
    case = factories.case(people["clerk"])
    case_services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))

    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{case.pk}/")
    page.click("#inquiry-start-button")
    page.wait_for_selector("#messages")
    assert "已发起网络查控" in page.inner_text("#messages")
    page.wait_for_selector(f"text={ACCOUNT}")
    asset = Asset.objects.get(case=case, ref=ACCOUNT)
    page.fill(f"[data-testid=freeze-amount-{asset.pk}]", "30000")
    page.click(f"[data-testid=freeze-{asset.pk}]")
    assert "提交审批" in page.inner_text("#messages")
    # The row shows the order in flight and offers no second control until it is answered (issue 11).
    assert page.get_attribute(f"#asset-{asset.pk}", "data-pending") == "awaiting_approval"
    assert "待审批" in page.inner_text(f"[data-testid=pending-{asset.pk}]")
    assert page.locator(f"[data-testid=freeze-{asset.pk}]").count() == 0
    # The inquiry completed the case's "发起网络查控" node, with a link back to it.
    page.goto(f"/cases/{case.pk}/")
    page.click("[data-testid=node-link-network_inquiry] a")
    page.wait_for_selector("#register")

    page.context.clear_cookies()
    login(page, "th_director", factories.PASSWORD)
    page.goto("/inquiry/approvals/")
    page.click("[data-testid^=approve-]")
    assert "已批准" in page.inner_text("#messages")

    page.context.clear_cookies()
    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{case.pk}/")
    assert page.inner_text(f"[data-testid=frozen-{asset.pk}]") == "30,000.00"
    assert page.get_attribute(f"#asset-{asset.pk}", "data-state") == "frozen"
    assert page.locator("#expiry-warnings").count() == 0

    near_expiry = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=350)
    with time_machine.travel(near_expiry, tick=True):
        page.context.clear_cookies()
        login(page, "th_judge", factories.PASSWORD)
        page.goto(f"/inquiry/cases/{case.pk}/")
        warning = page.inner_text("#expiry-warnings")
        assert "即将到期" in warning and ACCOUNT in warning
        page.click(f"[data-testid=renew-{asset.pk}]")
        assert "续行请求已发送" in page.inner_text("#messages")
        # The sandbox keeps real time, so it refuses messages signed 350 days ahead (replay window):
        # the renewal stays in flight and the warning says so instead of offering the button again.
        assert page.locator(f"[data-testid=renewing-{asset.pk}]").count() == 1


def test_dormant_reinquiry_lead_and_progress(
    page: Any,
    people: dict[str, Any],  # noqa: F811
    platform: None,
    settings: Any,
) -> None:
    """终本 case 7 months after its last round: the daily run files a round, the sandbox finds the debtor's
    accounts and house, the judge sees the resume lead, the director sees the court's progress."""
    settings.ZHIXING_INQUIRY = {"http_timeout": 5, "kick_on_commit": False, "dormant_categories": CATEGORIES}
    last = datetime.combine(rules.add_months(date.today(), -7), datetime.min.time(), SH) + timedelta(hours=10)
    case = make_dormant(people, last)
    settings.ZHIXING_INQUIRY = {**settings.ZHIXING_INQUIRY, "kick_on_commit": True}
    assert services.reinquiry_run().filed == 1  # Huey is immediate: the kick dispatches to the sandbox
    assert services.settle_rounds() == 1

    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{case.pk}/")
    assert "终本定期查询发现财产" in page.inner_text("#dormant-lead")
    assert page.inner_text("#dormant-lead-found") == "3"
    assert page.get_attribute("#dormant-rounds tbody tr", "data-outcome") == "found"
    page.click("#dormant-lead-resume")
    page.wait_for_url(f"**/cases/{case.pk}/**")

    page.context.clear_cookies()
    login(page, "th_director", factories.PASSWORD)
    page.goto("/inquiry/centralised/")
    assert page.inner_text("#dormant-progress") == "终本案件定期查询：本期待查 1 件，已查 1 件"
    assert page.locator(f"#dormant-leads tr[data-case='{case.pk}']").count() == 1

    # The court resumes (执恢, issue 20): the lead's link opens the case's 恢复执行 action; the resumed
    # case carries the property the re-inquiry found, and the judge orders its seizure there.
    page.context.clear_cookies()
    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{case.pk}/")
    page.click("#dormant-lead-resume")
    page.wait_for_url(f"**/cases/{case.pk}/#action-resume")
    if not page.locator("#form-resume").is_visible():
        open_action(page, "#action-resume")
    page.fill("#form-resume [name=applied_on]", date.today().isoformat())
    page.fill("#form-resume [name=reason]", "终本定期查询发现被执行人名下存款及房产")
    page.click("#form-resume button[type=submit]")
    if page.locator("#confirm-dialog[open]").count():
        accept_confirm(page)
    resumed = EnforcementCase.objects.get(origin=case)
    page.wait_for_url(f"**/cases/{resumed.pk}/**")
    house = Asset.objects.get(case=resumed, kind="house")
    page.goto(f"/inquiry/cases/{resumed.pk}/")
    assert house.ref in page.inner_text("#register")
    assert page.locator("#dormant-lead").count() == 0  # the lead is answered by the resumed case
    # A house is indivisible: seizing it whole needs the reason (no over-seizure, rules.md §6.2).
    page.fill(f"form:has([data-testid=seize-{house.pk}]) [name=reason]", "房产为不可分物，整体查封")
    page.click(f"[data-testid=seize-{house.pk}]")
    assert page.locator(f"[data-testid=seize-error-{house.pk}]").count() == 0
    page.wait_for_url(f"**/inquiry/cases/{resumed.pk}/**")
    seize = InquiryRequest.objects.get(asset=house, action="seize")
    assert (seize.case_id, seize.party_id) == (resumed.pk, resumed.parties.get(role="debtor").pk)
    # The sandbox registry answers at once (Huey immediate): the resumed case shows the house seized,
    # or — if its answer is still on the way — the seizure in flight, never a second control offered.
    page.reload()
    house.refresh_from_db()
    row = page.inner_text(f"#asset-{house.pk}")
    if house.state == Asset.State.SEIZED:
        assert "已查封" in row and page.locator(f"[data-testid=seize-{house.pk}]").count() == 0
    else:
        assert page.locator(f"[data-testid=pending-{house.pk}]").count() == 1
