"""End to end in Debian's Chromium: a judge records a settlement agreement (执行和解) with two instalments
on the case's settlement page, the applicant's suspension with it; the first instalment's due day has
passed unpaid, so the page offers 恢复执行, and the judge resumes enforcement of the original instrument."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from e2e.conftest import login
from tests import factories
from zhixing.cases.models import EnforcementCase, SettlementAgreement

pytestmark = pytest.mark.django_db(transaction=True)


def test_record_a_settlement_then_resume_after_a_missed_instalment(page: Any, courts: dict[str, Any]) -> None:
    th = courts["th"]
    clerk = factories.staff(th, "clerk", username="e2e_st_clerk", full_name="李书记")
    factories.staff(th, "judge", username="e2e_st_judge", full_name="张法官")
    today = timezone.localdate()
    case = factories.case(
        clerk,
        applied_on=today - timedelta(days=40),
        filed_on=today - timedelta(days=38),
        effective_on=today - timedelta(days=120),
        performance_deadline=today - timedelta(days=100),
    )
    login(page, "e2e_st_judge", factories.PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.click("#link-settlement")
    page.wait_for_selector("[data-testid=form-settlement]")
    page.fill("#id_parties", "申请执行人张三；被执行人李四")
    page.fill("#id_signed_on", (today - timedelta(days=30)).isoformat())
    page.fill("#id_document_ref", "和解协议1号")
    page.fill("#id_due_on_1", (today - timedelta(days=10)).isoformat())
    page.fill("#id_amount_1", "1000")
    page.fill("#id_due_on_2", (today + timedelta(days=20)).isoformat())
    page.fill("#id_amount_2", "2000")
    page.check("#id_suspend")
    page.fill("#id_suspension_ref", "（2026）粤0106执1号之一")
    page.click("#form-settlement button[type=submit]")
    card = page.wait_for_selector("[data-testid=settlement]")
    assert card.get_attribute("data-status") == "active"
    assert page.get_attribute("tr[data-seq='1']", "data-state") == "missed"
    assert page.get_attribute("tr[data-seq='2']", "data-state") == "pending"
    assert EnforcementCase.objects.get(pk=case.pk).status == "suspended"
    page.fill("#id_resume_ref", "恢复执行通知1号")
    page.click("#form-settlement-resume button[type=submit]")
    page.wait_for_selector("[data-testid=settlement][data-status=resumed]")
    assert SettlementAgreement.objects.get(case=case).status == "resumed"
    assert EnforcementCase.objects.get(pk=case.pk).status == "registered"
