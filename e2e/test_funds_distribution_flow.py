"""Distribution (参与分配) in the browser, on the demo's distribution court: the demo shows plans in
every stage; the judge makes a plan over the case's money, enters the claims in the form, serves it,
records an objection and a counter-objection, and the page shows the suit window with its due date
(rolled past holidays) and, once the objector sues, the disputed amount held."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from e2e.conftest import login
from tests import factories
from tests.funds.test_demo_distribution import demo_world
from zhixing.core.holidays import current_calendar
from zhixing.courts.roles import Role
from zhixing.funds import distribution_rules as dr
from zhixing.funds import queries, services
from zhixing.funds.models import DistributionPlan

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_distribution_objection_and_suit_window(page, live_server):
    w = demo_world(n_cases=9)
    call_command("funds_demo_distribution", verbosity=0)
    stages = set(DistributionPlan.objects.filter(court=w["court"]).values_list("status", flat=True))
    assert {"draft", "served", "objected", "countered", "suing", "amended", "final", "paid"} <= stages
    case = factories.case(w["staff"][Role.CLERK])
    services.book_receipt(
        idempotency_key="E2E-DIST", amount="500.00", value_date=timezone.localdate(), case=case
    )
    applicant = case.parties.get(role="applicant")
    today = timezone.localdate()
    due = dr.period_end(today, 15, current_calendar())

    login(page, "ft_judge", factories.PASSWORD)
    # The demo's counter-objected plan shows its suit window.
    demo = DistributionPlan.objects.get(court=w["court"], status="countered")
    page.goto(f"/funds/plans/{demo.pk}/")
    assert page.inner_text("#plan-stage") == "有反对意见（起诉期）"
    assert page.inner_text("tr[data-objection] .suit-due") != "—"

    # A new plan over the case's money, claims entered in the form.
    page.goto(f"/funds/cases/{case.pk}/")
    page.fill("#plan-create input[name=costs]", "0")
    page.fill("#plan-create input[name=first_seizing_court]", w["court"].name)
    page.click("#plan-create button[type=submit]")
    page.wait_for_url(lambda url: "/funds/plans/" in url)
    assert page.inner_text("#plan-stage") == "草稿（登记债权）"
    assert page.inner_text("#plan-proceeds") == "500.00"

    page.select_option("#claim-form select[name=party_id]", str(applicant.pk))
    page.fill("#claim-form input[name=amount]", "600.00")
    page.click("#claim-add")
    page.wait_for_selector("#plan-lines tr[data-line='1']")
    # A field error is named, and nothing is added.
    page.fill("#claim-form input[name=creditor_name]", "案外某公司")
    page.fill("#claim-form input[name=amount]", "400.00")
    page.click("#claim-add")
    page.wait_for_selector("#funds-error")
    assert "案外债权人须填写身份证号码或统一社会信用代码" in page.inner_text("#funds-error")
    assert page.get_attribute("#error-field", "data-field") == "creditor_id_number"
    page.fill("#claim-form input[name=creditor_id_number]", factories.VALID_CREDIT)
    page.fill("#claim-form input[name=basis]", "（2025）粤0104民初5号")
    page.click("#claim-add")
    page.wait_for_selector("#plan-lines tr[data-line='2']")
    rows = page.locator("#plan-lines tbody tr")
    assert rows.count() == 3
    assert "300.00" in rows.nth(0).inner_text() and "200.00" in rows.nth(1).inner_text()

    # Served: the objection period, rolled past holidays.
    page.click("#serve-form button[type=submit]")
    page.wait_for_selector("#objection-form")
    assert page.inner_text("#plan-stage") == "已送达（异议期）"
    assert page.inner_text("#objection-due") == due.isoformat()

    # An objection by the outside creditor against the applicant's claim.
    page.fill("#objection-form input[name=by_name]", "案外某公司")
    page.select_option("#objection-form select[name=claim_id]", index=0)
    page.fill("#objection-form input[name=proposed_amount]", "100.00")
    page.fill("#objection-form input[name=reason]", "部分债权已清偿")
    page.click("#objection-form button[type=submit]")
    page.wait_for_selector(".counter-form")
    assert page.inner_text("#plan-stage") == "有异议"
    assert page.inner_text("tr[data-objection] .counter-due") == due.isoformat()
    assert page.inner_text("tr[data-objection] .disputed") == "200.00"

    # The applicant counter-objects: the objector's 15 days to sue start.
    page.fill(".counter-form input[name=by_name]", applicant.name)
    page.click(".counter-form button")
    page.wait_for_selector(".suit-form")
    assert page.inner_text("#plan-stage") == "有反对意见（起诉期）"
    assert page.inner_text("tr[data-objection] .suit-due") == due.isoformat()
    assert page.inner_text("#plan-held") == "0.00"

    # The objector sues in time: the disputed amount is held.
    page.fill(".suit-form input[name=suit_number]", "（2026）粤0304民初77号")
    page.click(".suit-form button")
    page.wait_for_selector(".judgment-form")
    assert page.inner_text("#plan-stage") == "分配方案异议之诉审理中"
    assert page.inner_text("#plan-held") == "200.00"
    assert queries.case_money(case).held == Decimal("200.00")
