"""The applicant's online request to resume enforcement after a settlement was not performed (申请恢复执行,
执行和解规定 Arts 9, 11; CPL-2023 Art 241 para 2): filed on the party portal with its day and grounds, the
debtor refused, shown on the judge's settlement page and worklist, decided (resume on the original
instrument, or refuse with reasons) on the page or through the API, the outcome on the portal; frozen
time throughout."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.cases.models import EnforcementCase, Party, SettlementAgreement, SettlementResumeRequest
from zhixing.cases.services import settlement, settlement_requests
from zhixing.cases.worklist import items as worklist_items
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
APPLICANT_PHONE, DEBTOR_PHONE = "13900002222", "13900003333"


def at(y: int, m: int, d: int) -> Any:
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


def _breached(people: dict[str, Any]) -> SettlementAgreement:
    """Signed 2026-03-10, the case suspended; 30,000 due 03-31 unpaid (breached by the sweep on 04-01)."""
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        EnforcementCase.objects.filter(pk=case.pk).update(handler=people["judge"])
        Party.objects.filter(case=case, role="applicant").update(phone=APPLICANT_PHONE)
        Party.objects.filter(case=case, role="debtor").update(phone=DEBTOR_PHONE)
        a = settlement.record_settlement(
            people["judge"],
            case,
            parties="申请执行人张三；被执行人李四",
            signed_on=date(2026, 3, 10),
            document_ref="和解协议1号",
            instalments=[("2026-03-31", "30000.00"), ("2026-04-30", "30000.00")],
            suspend=True,
            suspension_ref="（2026）粤0106执1号之一",
        )
    with at(2026, 4, 1):
        assert settlement.sweep_settlements() == 1
    return a


def _portal(phone: str) -> Client:
    c = Client()
    session = c.session
    session["party_portal_phone"] = phone
    session.save()
    return c


def _applicant(a: SettlementAgreement) -> Party:
    return Party.objects.get(case_id=a.case_id, role="applicant")


def test_applicant_files_online_the_judge_resumes_and_the_portal_shows_it(people):
    a = _breached(people)
    url = reverse("party_settlement", args=[a.case_id])
    applicant = _portal(APPLICANT_PHONE)
    with at(2026, 4, 2):
        page = applicant.get(url).content.decode()
        assert 'id="resume-request-form"' in page and 'data-state="missed"' in page
        bad = applicant.post(url, {"agreement": a.pk, "grounds": "  "})
        assert bad.status_code == 422 and 'data-field="grounds"' in bad.content.decode()
        bad = applicant.post(url, {"agreement": "x", "grounds": "未付款"})
        assert bad.status_code == 422 and 'data-field="agreement"' in bad.content.decode()
        assert not SettlementResumeRequest.objects.exists()
        r = applicant.post(url, {"agreement": a.pk, "grounds": "第1期3万元到期未付"})
        assert r.status_code == 302
        again = applicant.post(url, {"agreement": a.pk, "grounds": "再次申请"})
        assert again.status_code == 409 and 'data-field="agreement"' in again.content.decode()
    req = SettlementResumeRequest.objects.get()
    assert (req.filed_on, req.grounds, req.status, req.party_id, req.channel) == (
        date(2026, 4, 2),
        "第1期3万元到期未付",
        "pending",
        _applicant(a).pk,
        "portal",
    )
    filed = AuditRecord.objects.get(action="case.settlement.resume_request")
    assert (filed.actor_id, filed.actor_name, filed.case_id) == (None, "系统", a.case_id)
    assert filed.after["party"] == _applicant(a).name and filed.after["filed_on"] == "2026-04-02"

    # The judge sees it on the settlement page and in the worklist.
    judge = Client()
    judge.force_login(people["judge"])
    with at(2026, 4, 3):
        page = judge.get(reverse("case_settlement", args=[a.case_id])).content.decode()
        line = next(i for i in worklist_items(people["judge"]) if i.key == "settlement-resume")
    assert f'id="resume-request-{req.pk}"' in page and 'data-testid="form-resume-request"' in page
    assert "系统核对：有逾期未履行的一期" in page
    assert (line.count, line.url) == (1, f"/cases/{a.case_id}/settlement/")
    assert next(i for i in worklist_items(people["judge2"]) if i.key == "settlement-resume").count == 0

    # Decided through the API: resume on the original instrument; the case runs again.
    with at(2026, 4, 3):
        api = f"/api/v1/cases/{a.case_id}/settlements/{a.pk}/resume-requests/{req.pk}/decision"
        r = judge.post(api, {"decision": "grant", "on": "2026-04-03", "document_ref": ""}, "application/json")
        assert r.status_code == 422 and r.json()["field"] == "document_ref"
        body = {"decision": "grant", "on": "2026-04-03", "document_ref": "恢复执行通知1号"}
        r = judge.post(api, body, "application/json")
        assert r.status_code == 200 and (r.json()["status"], r.json()["decided_on"]) == (
            "granted",
            "2026-04-03",
        )
        assert judge.post(api, body, "application/json").status_code == 409
    a.refresh_from_db()
    assert (a.status, a.ended_on, a.case.status) == ("resumed", date(2026, 4, 3), "in_progress")
    decided = AuditRecord.objects.get(action="case.settlement.resume_decide")
    assert decided.actor_id == people["judge"].pk and decided.after["request_status"] == "granted"
    with at(2026, 4, 4):
        mine = applicant.get(url).content.decode()
    assert f'id="my-resume-request-{req.pk}" data-status="granted"' in mine
    assert "（2026-04-03，恢复执行通知1号）" in mine and 'id="resume-request-form"' not in mine


def test_the_debtor_cannot_file_and_another_case_is_not_found(people):
    a = _breached(people)
    other = _breached(people)
    Party.objects.filter(case_id=other.case_id).update(phone="13900009999")
    debtor = _portal(DEBTOR_PHONE)
    with at(2026, 4, 2):
        page = debtor.get(reverse("party_settlement", args=[a.case_id]))
        assert page.status_code == 200 and 'id="resume-request-form"' not in page.content.decode()
        r = debtor.post(reverse("party_settlement", args=[a.case_id]), {"agreement": a.pk, "grounds": "x"})
        assert r.status_code == 403
        assert (
            _portal(APPLICANT_PHONE).get(reverse("party_settlement", args=[other.case_id])).status_code == 404
        )
        anon = Client().get(reverse("party_settlement", args=[a.case_id]))
        assert anon.status_code == 302 and anon["Location"].startswith(reverse("party_login"))
        debtor_party = Party.objects.get(case_id=a.case_id, role="debtor")
        with pytest.raises(NotPermitted):
            settlement_requests.file_resume_request(a.case, a.pk, party_id=debtor_party.pk, grounds="x")
        with pytest.raises(ServiceError) as exc:  # another case's agreement
            settlement_requests.file_resume_request(
                a.case, other.pk, party_id=_applicant(a).pk, grounds="未付款"
            )
        assert exc.value.field == "agreement"
    assert not SettlementResumeRequest.objects.exists()


def test_refusal_needs_reasons_and_a_request_before_any_breach_cannot_be_granted(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        a = settlement.record_settlement(
            people["judge"],
            case,
            parties="张三；李四",
            signed_on=date(2026, 3, 10),
            document_ref="和解2号",
            instalments=[("2026-04-30", "1000.00")],
        )
    with at(2026, 3, 20):  # nothing due yet (执行和解规定 Art 11(2)): the applicant may still ask
        req = settlement_requests.file_resume_request(
            case, a.pk, party_id=_applicant(a).pk, grounds="担心不付"
        )
    with at(2026, 3, 21):
        with pytest.raises(Conflict) as exc:
            settlement_requests.decide_resume_request(
                people["judge"], req, grant=True, on=date(2026, 3, 21), document_ref="恢复1号"
            )
        assert exc.value.field == "agreement" and "履行期限未届至" in exc.value.message
        with pytest.raises(ServiceError) as exc:
            settlement_requests.decide_resume_request(
                people["judge"], req, grant=False, on=date(2026, 3, 21), document_ref="裁1号"
            )
        assert exc.value.field == "reasons"
        with pytest.raises(ServiceError) as exc:
            settlement_requests.decide_resume_request(
                people["judge"], req, grant=False, on=date(2026, 3, 19), document_ref="裁1号", reasons="x"
            )
        assert exc.value.field == "on"
        with pytest.raises(NotPermitted):
            settlement_requests.decide_resume_request(
                people["clerk"], req, grant=False, on=date(2026, 3, 21), document_ref="裁1号", reasons="x"
            )
        req.refresh_from_db()
        assert req.status == "pending" and req.document_ref == ""
        done = settlement_requests.decide_resume_request(
            people["judge"],
            req,
            grant=False,
            on=date(2026, 3, 21),
            document_ref="（2026）粤0106执1号之二",
            reasons="履行期限尚未届至（执行和解规定第11条第2项）",
        )
    assert (done.status, done.decided_on, done.decided_by_id) == (
        "refused",
        date(2026, 3, 21),
        people["judge"].pk,
    )
    a.refresh_from_db()
    assert a.status == "active"


def test_resuming_at_the_counter_answers_the_pending_request(people):
    a = _breached(people)
    with at(2026, 4, 2):
        req = settlement_requests.file_resume_request(a.case, a.pk, party_id=_applicant(a).pk, grounds="未付")
        settlement.resume_enforcement(people["judge"], a, on=date(2026, 4, 2), document_ref="恢复2号")
    req.refresh_from_db()
    assert (req.status, req.decided_on, req.document_ref) == ("granted", date(2026, 4, 2), "恢复2号")
    audit = AuditRecord.objects.get(action="case.settlement.resume")
    assert audit.after["requests_granted"] == [req.pk]


# who: the page's decide POST, the API's decision POST.
CALLERS = [
    ("judge", "302", "200"),
    ("director", "302", "200"),
    ("assistant", "403", "403"),
    ("clerk", "403", "403"),
    ("gz_director", "403", "403"),
    ("yx_director", "404", "404"),
    ("anon", "L", "401"),
]


@pytest.mark.parametrize(("who", "page", "api"), CALLERS, ids=[c[0] for c in CALLERS])
def test_decision_page_and_api_permissions(people, who, page, api):
    c = Client()
    if who != "anon":
        c.force_login(people[who])
    got = []
    for via in ("page", "api"):
        a = _breached(people)
        with at(2026, 4, 2):
            req = settlement_requests.file_resume_request(
                a.case, a.pk, party_id=_applicant(a).pk, grounds="未付"
            )
            body = {"decision": "grant", "on": "2026-04-02", "document_ref": "恢复3号"}
            if via == "page":
                url = reverse("case_settlement_request_decide", args=[a.case_id, a.pk, req.pk])
                r = c.post(url, body)
                got.append(
                    "L"
                    if r.status_code == 302 and r["Location"].startswith("/login/")
                    else str(r.status_code)
                )
            else:
                url = f"/api/v1/cases/{a.case_id}/settlements/{a.pk}/resume-requests/{req.pk}/decision"
                got.append(str(c.post(url, body, "application/json").status_code))
        req.refresh_from_db()
        assert req.status == ("granted" if got[-1] in ("200", "302") else "pending")
    assert got == [page, api]
