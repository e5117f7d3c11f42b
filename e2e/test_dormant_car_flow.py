"""终本 to 执恢 with a car, end to end in the browser (issue 20's Playwright scenario): a judge closes a
case as dormant on its page; seven months pass; the product's own daily re-inquiry task asks the vehicle
registry (the partner sandbox, its own uvicorn process) and the registry answers the debtor's cars; the
judge sees the resume lead, resumes the case on its page, and on the resumed case orders the car seized;
the director approves, and the resumed case's property page then shows the car seized (终本规定 Art 9;
2014 立结案意见 Art 6).

Time: the case is filed and closed in the past (time_machine, ticking, so the live server's thread sees
it too); the re-inquiry and everything after run at real time, because the sandbox signs and checks its
messages against the real clock. Huey runs in immediate mode (root conftest).
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from e2e.conftest import accept_confirm, login, open_action
from tests import factories
from tests.conftest import _fast_password_hashing, courts, people  # noqa: F401 - fixtures
from tests.inquiry.conftest import sandbox_process  # noqa: F401 - fixture
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.inquiry import tasks
from zhixing.inquiry.models import Asset, DormantRound, InquiryRequest
from zhixing.inquiry.rules import add_months

# serialized_rollback: the flush after a transactional test must not take the reference data with it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SH = ZoneInfo("Asia/Shanghai")
# The factory debtor 360426199101010071: the sandbox vehicle registry (MPS-VEHICLE) holds two cars for him.
CAR = "粤C08775"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), SH) + timedelta(hours=hour)


def _wait(check: Any, what: str, tries: int = 40) -> None:
    """The sandbox answers on its own process; poll the product's periodic tasks until `check()` holds."""
    for _ in range(tries):
        if check():
            return
        tasks.dispatch_periodic_task.call_local()
        tasks.inquiry_upkeep_task.call_local()
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def test_dormant_case_resumed_with_the_car_the_reinquiry_found(
    page: Any,
    people: dict[str, Any],  # noqa: F811
    settings: Any,
    sandbox_process: str,  # noqa: F811
    live_server: Any,
) -> None:
    settings.ZHIXING_SANDBOX_URL = sandbox_process
    settings.ZHIXING_PLATFORM_URL = live_server.url
    settings.ZHIXING_INQUIRY = {"http_timeout": 5, "kick_on_commit": True, "dormant_categories": ["vehicle"]}
    judge = people["judge"]
    today = date.today()
    filed_on, closed_on = add_months(today, -11), add_months(today, -7)

    # 1. Filed eleven months ago, its notice and asset-report order served that day.
    with time_machine.travel(_at(filed_on, 10), tick=False):
        case = factories.case(
            people["clerk"],
            applied_on=filed_on - timedelta(days=2),
            filed_on=filed_on,
            effective_on=filed_on - timedelta(days=90),
            performance_deadline=filed_on - timedelta(days=75),
        )
        case = case_services.assign_case(people["director"], case, judge, on=filed_on)
        factories.serve_notice(case)

    # 2. Seven months ago the judge closes it as dormant on its page (the preconditions recorded first;
    #    the checklist itself is e2e/test_dormant_closing_flow.py).
    with time_machine.travel(_at(closed_on, 9), tick=True):
        factories.dormant_ready(judge, case, done_on=closed_on - timedelta(days=10))
        login(page, "th_judge", factories.PASSWORD)
        page.goto(f"/cases/{case.pk}/dormant/")
        assert page.locator("#dormant-checklist").get_attribute("data-ready") == "yes"
        page.click("#dormant-ready a")
        page.wait_for_url(f"**/cases/{case.pk}/**")
        if not page.locator("#form-close").is_visible():
            open_action(page, "#action-close")
        page.select_option("#form-close [name=mode]", "dormant")
        page.fill("#form-close [name=closed_on]", closed_on.isoformat())
        page.fill("#form-close [name=dormant__document_ref]", f"{case.number[:-1]}之一号")
        page.fill("#form-close [name=dormant__interview_on]", (closed_on - timedelta(days=3)).isoformat())
        page.select_option("#form-close [name=dormant__approval]", "applicant_confirmed")
        summary = "网络查控、实地调查均未发现可供执行财产"
        page.fill("#form-close [name=dormant__investigation_summary]", summary)
        page.click("#form-close button[type=submit]")
        accept_confirm(page, "结案")
        assert "已结案" in page.inner_text("#messages")
    case.refresh_from_db()
    assert (case.status, case.closing_mode, case.closed_on) == ("dormant", "dormant", closed_on)
    page.context.clear_cookies()

    # 3. Time has passed (real today): the product's daily task files the case's 6-monthly re-inquiry, the
    #    dispatch sends it to the vehicle registry, and the upkeep task settles the round with its lead.
    assert tasks.dormant_reinquiry_task.call_local() == 1  # one case selected and dispatched
    rnd = DormantRound.objects.get(case=case)
    _wait(lambda: DormantRound.objects.get(pk=rnd.pk).settled_at is not None, "the re-inquiry round")
    cars = Asset.objects.filter(case=case, kind="vehicle")
    assert sorted(cars.values_list("ref", flat=True)) == ["粤C03885", CAR]

    # 4. The judge sees the lead on the case's property page and resumes the case (执恢) on its page.
    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{case.pk}/")
    assert "终本定期查询发现财产" in page.inner_text("#dormant-lead")
    assert page.inner_text("#dormant-lead-found") == "2"
    page.click("#dormant-lead-resume")
    page.wait_for_url(f"**/cases/{case.pk}/#action-resume")
    if not page.locator("#form-resume").is_visible():
        open_action(page, "#action-resume")
    page.fill("#form-resume [name=applied_on]", today.isoformat())
    page.fill("#form-resume [name=reason]", "终本定期查询发现被执行人名下车辆")
    page.click("#form-resume button[type=submit]")
    if page.locator("#confirm-dialog[open]").count():
        accept_confirm(page)
    resumed = EnforcementCase.objects.get(origin=case)
    page.wait_for_url(f"**/cases/{resumed.pk}/**")
    assert resumed.case_type.code == "执恢"

    # 5. On the resumed case the car is on the register; the judge seizes it there.
    car = Asset.objects.get(ref=CAR)
    assert car.case_id == resumed.pk
    page.goto(f"/inquiry/cases/{resumed.pk}/")
    assert CAR in page.inner_text("#register")
    assert page.locator("#dormant-lead").count() == 0  # the lead is answered by the resumed case
    reason = page.locator(f"form:has([data-testid=seize-{car.pk}]) [name=reason]")
    if reason.count():  # an indivisible car is seized whole, with the reason (rules.md §6.2)
        reason.fill("车辆为不可分物，整体查封")
    page.click(f"[data-testid=seize-{car.pk}]")
    page.wait_for_url(f"**/inquiry/cases/{resumed.pk}/**")
    assert page.locator(f"[data-testid=seize-error-{car.pk}]").count() == 0
    seize = InquiryRequest.objects.get(asset=car, action="seize")
    assert (seize.case_id, seize.party_id) == (resumed.pk, resumed.parties.get(role="debtor").pk)

    assert seize.status == InquiryRequest.Status.AWAITING_APPROVAL

    # 6. The director approves the seizure; the registry's answer arrives; the resumed case shows the car
    #    seized.
    page.context.clear_cookies()
    login(page, "th_director", factories.PASSWORD)
    page.goto("/inquiry/approvals/")
    page.click(f"[data-testid=approve-{seize.pk}]")
    assert "已批准" in page.inner_text("#messages")
    _wait(lambda: Asset.objects.get(pk=car.pk).state == Asset.State.SEIZED, "the seizure")
    page.context.clear_cookies()
    login(page, "th_judge", factories.PASSWORD)
    page.goto(f"/inquiry/cases/{resumed.pk}/")
    row = page.inner_text(f"#asset-{car.pk}")
    assert CAR in row and "已查封" in row
    assert page.locator(f"[data-testid=seize-{car.pk}]").count() == 0
