"""End to end in Debian's Chromium: the case page loads the asset-report section (财产报告, R-0.8), a judge
records a debtor's report after the period the 报告财产令 fixed, and sees it flagged late in red."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from e2e.conftest import login, open_action
from tests import factories
from zhixing.cases.models import AssetReport, Node

pytestmark = pytest.mark.django_db(transaction=True)


def test_record_a_late_report_on_the_case_page(page: Any, courts: dict[str, Any]) -> None:
    th = courts["th"]
    clerk = factories.staff(th, "clerk", username="e2e_ar_clerk", full_name="李书记")
    factories.staff(th, "judge", username="e2e_ar_judge", full_name="张法官")
    today = timezone.localdate()
    case = factories.case(
        clerk,
        applied_on=today - timedelta(days=40),
        filed_on=today - timedelta(days=38),
        effective_on=today - timedelta(days=120),
        performance_deadline=today - timedelta(days=100),
    )
    notice = factories.serve_notice(case, clerk, on=today - timedelta(days=30))
    assert notice.report_due_on is not None and notice.report_due_on < today

    login(page, "e2e_ar_judge", factories.PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    section = page.wait_for_selector("[data-testid=asset-reports]")
    assert "尚未报告：张三" in section.inner_text()
    open_action(page, "#action-asset-report")
    page.fill("#id_asset_report_summary", "银行存款2万元；一年内无转让")
    page.click("#form-asset-report button[type=submit]")
    page.wait_for_selector("[data-testid=asset-report-late]")
    assert page.inner_text("[data-testid=asset-report-late]") == "逾期报告"
    colour = page.eval_on_selector(
        "[data-testid=asset-report-late]", "e => getComputedStyle(e).backgroundColor"
    )
    assert colour not in ("", "rgba(0, 0, 0, 0)")
    report = AssetReport.objects.get(case=case)
    assert (report.received_on, report.late) == (today, True)
    assert Node.objects.get(case=case, node_type__code="asset_report").status == "done"
