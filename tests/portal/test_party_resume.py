"""The applicant of a dormant (终本) case asks online, in the party portal, to resume it (终本规定 Art 9(1);
民诉解释 Art 517(2)): recorded once as the case's resumption request (channel portal), audited, the
handler told; a debtor, another party's case, an open case or an empty reason change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.portal.test_party_portal import A_PHONE, _world, signed_in
from zhixing.cases.models import CaseStatus, EnforcementCase, ResumptionRequest
from zhixing.core.models import AuditRecord, Notification
from zhixing.documents import eservice

pytestmark = pytest.mark.django_db

C_PHONE = "13600136003"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(people: dict[str, Any], gateways: Any) -> dict[str, Any]:
    w = _world(people)
    applicant = w["c1"].parties.get(role="applicant")
    eservice.confirm_address(
        people["judge"], w["c1"], applicant.pk, phone=C_PHONE, portal=True, electronic_consent=True
    )
    w["applicant"] = applicant
    return w


def _dormant(case: EnforcementCase) -> None:
    # Setup shortcut: the 终本 closing itself (preconditions, ruling) is tested in tests/services.
    EnforcementCase.objects.filter(pk=case.pk).update(status=CaseStatus.DORMANT, closed_on=case.filed_on)


def test_the_applicant_asks_to_resume_a_dormant_case_once(
    world: dict[str, Any], people: dict[str, Any]
) -> None:
    case, c = world["c1"], signed_in(C_PHONE)
    url = reverse("party_resume", args=[case.pk])
    open_case = c.post(url, {"reason": "被执行人名下新登记一辆轿车"})  # not dormant: refused
    assert (
        open_case.status_code == 409
        and "只有终结本次执行程序的案件可以申请恢复执行" in open_case.content.decode()
    )
    assert 'id="resume"' not in c.get(reverse("party_case", args=[case.pk])).content.decode()
    _dormant(case)
    page = c.get(reverse("party_case", args=[case.pk])).content.decode()
    assert 'id="resume"' in page and "不受申请执行时效期间的限制" in page
    empty = c.post(url, {"reason": "  "})
    assert empty.status_code == 422 and 'data-field="reason"' in empty.content.decode()
    too_long = c.post(url, {"reason": "线" * 2001})
    assert too_long.status_code == 422 and "申请事由不能超过2000字" in too_long.content.decode()
    assert not ResumptionRequest.objects.exists()
    done = c.post(url, {"reason": "被执行人名下新登记一辆轿车"})
    assert done.status_code == 302 and done["Location"].endswith("?resume=1#resume")
    row = ResumptionRequest.objects.get()
    assert (row.case_id, row.requested_by, row.channel, row.status, row.recorded_by) == (
        case.pk,
        world["applicant"].name,
        "portal",
        "open",
        None,
    )
    audit = AuditRecord.objects.get(action="case.dormant.resume_request")
    assert (audit.case_id, audit.after["channel"]) == (case.pk, "portal")
    note = Notification.objects.get(kind="resume_request")
    assert note.recipient_id == people["judge"].pk and note.url == reverse("case_dormant", args=[case.pk])
    again = c.post(url, {"reason": "再次申请"})  # a second click: one request
    assert again.status_code == 409 and "您已提交恢复执行申请" in again.content.decode()
    assert ResumptionRequest.objects.count() == 1
    page = c.get(reverse("party_case", args=[case.pk])).content.decode()
    assert 'data-testid="resume-request"' in page and "待审查" in page
    staff = people["judge"]
    from django.test import Client

    judge = Client()
    judge.force_login(staff)
    assert "被执行人名下新登记一辆轿车" in judge.get(reverse("case_dormant", args=[case.pk])).content.decode()


def test_a_debtor_cannot_ask_to_resume(world: dict[str, Any]) -> None:
    case = world["c1"]
    _dormant(case)
    c = signed_in(A_PHONE)
    assert 'id="resume"' not in c.get(reverse("party_case", args=[case.pk])).content.decode()
    r = c.post(reverse("party_resume", args=[case.pk]), {"reason": "恢复"})
    assert r.status_code == 403 and "只有申请执行人可以申请恢复执行" in r.content.decode()
    assert (
        not ResumptionRequest.objects.exists()
        and not AuditRecord.objects.filter(action="case.dormant.resume_request").exists()
    )


def test_signed_out_is_sent_to_sign_in(world: dict[str, Any]) -> None:
    from django.test import Client

    r = Client().post(reverse("party_resume", args=[world["c1"].pk]), {"reason": "x"})
    assert r.status_code == 302 and r["Location"].startswith(reverse("party_login"))
    assert not ResumptionRequest.objects.exists()


def test_the_applicant_sees_controls_and_money_and_no_payment_instructions(world: dict[str, Any]) -> None:
    """Issue 17 item 3 by role: the applicant's page shows the controls and the money received, the
    debtor's payment section (the case account) is not theirs."""
    page = signed_in(C_PHONE).get(reverse("party_case", args=[world["c1"].pk])).content.decode()
    assert 'id="controls"' in page and "财产控制情况" in page and "暂无已控制的财产" in page
    assert 'id="money"' in page and "已到账：" in page
    assert 'id="payment"' not in page and 'id="case-account"' not in page
    assert world["c2"].number not in page
