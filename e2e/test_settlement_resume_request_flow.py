"""End to end in Debian's Chromium: the debtor missed a settlement instalment (执行和解); the applicant,
signed in to the party portal, asks online to resume enforcement (申请恢复执行, 执行和解规定 Art 9); the
judge sees the pending request on the case's settlement page and resumes the original instrument; the
applicant sees the decision on the portal."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from e2e.conftest import login
from tests import factories
from zhixing.cases.models import EnforcementCase, Party, SettlementResumeRequest
from zhixing.cases.services import settlement
from zhixing.portal.views_party import SESSION_KEY

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "13900004444"


def _party_session(page: Any, live_server: Any) -> None:
    """The cookie a phone signed in with its SMS code gets (the sign-in itself: test_party_portal_flow)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = PHONE
    store.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}]
    )


def test_applicant_asks_online_to_resume_and_the_judge_resumes(
    page: Any, live_server: Any, courts: dict[str, Any]
) -> None:
    th = courts["th"]
    clerk = factories.staff(th, "clerk", username="e2e_sr_clerk", full_name="李书记")
    judge = factories.staff(th, "judge", username="e2e_sr_judge", full_name="张法官")
    today = timezone.localdate()
    case = factories.case(
        clerk,
        applied_on=today - timedelta(days=40),
        filed_on=today - timedelta(days=38),
        effective_on=today - timedelta(days=120),
        performance_deadline=today - timedelta(days=100),
    )
    Party.objects.filter(case=case, role="applicant").update(phone=PHONE)
    settlement.record_settlement(
        judge,
        case,
        parties="申请执行人与被执行人",
        signed_on=today - timedelta(days=30),
        document_ref="和解协议1号",
        instalments=[(today - timedelta(days=10), "1000"), (today + timedelta(days=20), "2000")],
        suspend=True,
        suspension_ref="（2026）粤0106执1号之一",
    )
    settlement.sweep_settlements(today)

    # 1. The applicant, on the portal, files the request with its grounds.
    _party_session(page, live_server)
    page.goto(f"/party/cases/{case.pk}/")
    page.click("#party-settlement-link a")
    page.fill("#id_grounds", "第1期1000元逾期未付")
    page.click("#resume-request-submit")
    page.wait_for_selector("#resume-request-filed")
    req = SettlementResumeRequest.objects.get(case=case)
    assert page.get_attribute(f"#my-resume-request-{req.pk}", "data-status") == "pending"

    # 2. The judge resumes on the original instrument from the settlement page.
    page.context.clear_cookies()
    login(page, "e2e_sr_judge", factories.PASSWORD)
    page.goto(f"/cases/{case.pk}/settlement/")
    page.wait_for_selector(f"#resume-request-{req.pk}[data-status=pending]")
    page.fill(f"#id_req_ref_{req.pk}", "恢复执行通知1号")
    page.click(f"#form-resume-request-{req.pk} button[type=submit]")
    page.wait_for_selector("[data-testid=settlement][data-status=resumed]")
    assert EnforcementCase.objects.get(pk=case.pk).status != "suspended"

    # 3. The applicant sees the decision.
    page.context.clear_cookies()
    _party_session(page, live_server)
    page.goto(f"/party/cases/{case.pk}/settlement/")
    assert page.get_attribute(f"#my-resume-request-{req.pk}", "data-status") == "granted"
    assert "恢复执行通知1号" in page.inner_text("#my-resume-requests")
