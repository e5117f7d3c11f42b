"""终本 closing only when the preconditions hold (终本规定 Arts 1–3, rules.md §5), the judge's
confirmations, the review and ruling kept at closing, the compliance check, the resume request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.credit.conftest import debtor, debtor_case, listing_data
from tests.documents.reading import word_text
from zhixing.cases import services
from zhixing.cases.models import DormantReview, EnforcementCase, ResumptionRequest
from zhixing.cases.queries_dormant import dormant_compliance
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.credit import services as credit
from zhixing.documents import queries as document_queries
from zhixing.documents.models import Document
from zhixing.inquiry import services as inquiry
from zhixing.inquiry.models import InquiryRequest

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
DETAILS = {
    "document_ref": "终本裁定1号",
    "interview_on": "2026-05-20",
    "approval": "applicant_confirmed",
    "investigation_summary": "网络查控无财产",
}


def at(y: int, m: int, d: int) -> Any:
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def case(people: dict[str, Any]) -> EnforcementCase:
    with at(2026, 3, 4):
        return debtor_case(people["clerk"])  # filed and its notice (with the asset-report order) served


def close(people: dict[str, Any], case: EnforcementCase, on: date = date(2026, 6, 5)) -> EnforcementCase:
    with at(on.year, on.month, on.day):
        return services.close_case(people["judge"], case, mode="dormant", closed_on=on, details=DETAILS)


def answered_query(case: EnforcementCase, judge: Any) -> None:
    inquiry.start_inquiry(judge, case, ["deposit"])
    InquiryRequest.objects.filter(case=case).update(status="done", outcome={"found": 0})


def test_refused_naming_each_missing_precondition_and_nothing_changes(people, case):
    before = AuditRecord.objects.count()
    with pytest.raises(ServiceError) as err:
        close(people, case)
    assert err.value.field == "preconditions"
    msg = err.value.message
    for label in (
        "已发出限制消费令",
        "符合条件的已纳入失信被执行人名单",
        "已通过网络执行查控系统查询财产",
        "申请执行人或他人提供的财产线索已核查",
        "已到被执行人住所地或财产所在地实地调查",
        "被执行人下落不明的，已依法查找",
        "妨害执行的，已依法采取罚款、拘留等强制措施或追究刑事责任",
        "已约谈申请执行人并听取意见",
    ):
        assert label in msg
    assert "执行通知书已送达" not in msg and "超过3个月" not in msg  # those hold from the record
    case.refresh_from_db()
    assert (case.status, case.closing_mode) == ("registered", "")
    assert AuditRecord.objects.count() == before
    assert DormantReview.objects.count() == 0 and Document.objects.filter(case=case).count() == 0


def test_record_facts_from_credit_and_inquiry_and_the_judges_evidence(people, case, settings):
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}
    judge = people["judge"]
    with at(2026, 3, 20):
        credit.restrict_consumption(judge, case, debtor(case), items=[1], bound_persons=[])
        credit.list_debtor(judge, case, debtor(case), listing_data())
        answered_query(case, judge)
    with at(2026, 6, 1):
        photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8photo", content_type="image/jpeg")
        factories.dormant_ready(
            judge,
            case,
            done_on=date(2026, 5, 6),
            skip=("consumption_restriction", "listing", "network_inquiry"),
        )
        services.confirm_precondition(
            judge, case, key="on_site", done_on=date(2026, 5, 7), note="到住所地调查，无财产", evidence=photo
        )
        states = {c.key: c.state for c in services.dormant_checklist(case, date(2026, 6, 5))}
    assert states == {
        "notice_served": "met",
        "asset_report_order": "met",
        "consumption_restriction": "met",
        "listing": "met",
        "network_inquiry": "met",
        "leads_verified": "confirmed",
        "on_site": "confirmed",
        "three_months": "met",
        "missing_debtor_searched": "confirmed",
        "obstruction_punished": "confirmed",
        "interview": "confirmed",
    }
    closed = close(people, case)
    assert (closed.status, closed.closing_mode) == ("dormant", "dormant")
    review = DormantReview.objects.get(case=case)
    assert (review.met, review.total, review.compliant, review.closed_on) == (11, 11, True, date(2026, 6, 5))
    assert review.ruling is not None and review.ruling.kind == "dormant_ruling"
    # The ruling states the investigation's outcome, not the closing form's other fields (the approval
    # route's code "applicant_confirmed" once appeared in the ruling and on the public portal).
    text = word_text(document_queries.content(review.ruling))
    assert "调查被执行人的财产，网络查控无财产。" in text
    assert "applicant_confirmed" not in text and "终本裁定1号；" not in text and "2026-05-20" not in text
    assert AuditRecord.objects.filter(action="case.dormant.review", case_id=case.pk).count() == 1
    conf = case.dormant_confirmations.filter(key="on_site").latest("id")
    assert conf.evidence.name.endswith(".jpg")


def test_confirmation_refusals(people, case):
    judge = people["judge"]
    with at(2026, 4, 1):
        with pytest.raises(ServiceError) as err:
            services.confirm_precondition(judge, case, key="three_months", done_on=date(2026, 4, 1), note="x")
        assert err.value.field == "key"
        with pytest.raises(ServiceError) as err:
            services.confirm_precondition(judge, case, key="on_site", done_on=date(2026, 4, 1), note=" ")
        assert err.value.field == "note"
        with pytest.raises(ServiceError) as err:
            services.confirm_precondition(judge, case, key="on_site", done_on=date(2026, 4, 2), note="x")
        assert err.value.field == "done_on"  # the future
        with pytest.raises(NotPermitted):
            services.confirm_precondition(
                people["clerk"], case, key="on_site", done_on=date(2026, 4, 1), note="x"
            )
        with pytest.raises(NotPermitted):
            services.confirm_precondition(
                people["yx_judge"], case, key="on_site", done_on=date(2026, 4, 1), note="x"
            )
    assert case.dormant_confirmations.count() == 0


def test_compliance_scores_every_dormant_case(people, case, courts):
    judge = people["judge"]
    with at(2026, 6, 1):
        factories.dormant_ready(judge, case)
    close(people, case)
    # A second case closed as 终本 outside the service (a legacy closing): scored, non-compliant.
    with at(2026, 3, 4):
        legacy = factories.case(people["clerk"])
    EnforcementCase.objects.filter(pk=legacy.pk).update(
        status="dormant", closing_mode="dormant", closed_on=date(2026, 6, 20)
    )
    th = courts["th"].pk
    result = dormant_compliance([th], date(2026, 6, 1), date(2026, 6, 30))
    assert (result.total, result.compliant, result.rate, result.by_court) == (2, 1, 0.5, {th: (1, 2)})
    good, bad = result.cases
    assert (good.number, good.compliant, good.met, good.missing) == (case.number, True, 11, ())
    assert (bad.number, bad.compliant, bad.met) == (legacy.number, False, 0)
    assert bad.missing[-1] == "终本裁定书已生成" and len(bad.missing) == 12
    assert dormant_compliance([th], date(2026, 7, 1), date(2026, 7, 31)).rate is None
    assert dormant_compliance([courts["yx"].pk], date(2026, 6, 1), date(2026, 6, 30)).total == 0


def test_request_resumption_then_resume(people, case):
    with at(2026, 6, 1):
        factories.dormant_ready(people["judge"], case)
    close(people, case)
    with at(2026, 7, 1):
        with pytest.raises(ServiceError) as err:
            services.request_resumption(case, "张三", " ")
        assert err.value.field == "reason"
        req = services.request_resumption(case, "张三", "发现被执行人有一辆车", actor=people["clerk"])
        assert (req.status, req.channel, req.court_id) == ("open", "staff", case.court_id)
        portal = services.request_resumption(case, "张三", "又发现存款", channel="portal")
        assert portal.recorded_by is None
        resumed = services.resume_case(people["judge"], case, applied_on=date(2026, 7, 1), reason=req.reason)
    assert set(ResumptionRequest.objects.values_list("status", flat=True)) == {"resumed"}
    assert resumed.origin_id == case.pk
    with at(2026, 7, 2), pytest.raises(Conflict):
        services.request_resumption(case, "张三", "再次申请")


@pytest.mark.parametrize(
    ("who", "get", "confirm", "resume"),
    [
        ("judge", 200, 201, 201),
        ("clerk", 200, 403, 201),
        ("bailiff", 200, 403, 403),
        ("gz_director", 200, 403, 403),
        ("yx_director", 404, 404, 404),
        ("anon", 401, 401, 401),
    ],
)
def test_dormant_api_and_its_permissions(people, case, who, get, confirm, resume):
    from django.test import Client

    c = Client()
    if who != "anon":
        c.force_login(people[who])
    with at(2026, 4, 1):
        got = c.get(f"/api/v1/cases/{case.pk}/dormant")
        assert got.status_code == get
        if get == 200:
            body = got.json()
            assert body["ready"] is False and [x["key"] for x in body["checks"]][:2] == [
                "notice_served",
                "asset_report_order",
            ]
        posted = c.post(
            f"/api/v1/cases/{case.pk}/dormant/confirmations",
            {"key": "on_site", "done_on": "2026-03-30", "note": "实地调查无财产"},
            content_type="application/json",
        )
        assert posted.status_code == confirm
        if confirm == 201:
            assert posted.json()["state"] == "confirmed"
        EnforcementCase.objects.filter(pk=case.pk).update(status="dormant", closing_mode="dormant")
        asked = c.post(
            f"/api/v1/cases/{case.pk}/dormant/resume-requests",
            {"by": "张三", "reason": "发现车辆"},
            content_type="application/json",
        )
        assert asked.status_code == resume
        assert ResumptionRequest.objects.count() == (1 if resume == 201 else 0)


def test_evidence_over_the_evidence_limit_is_refused(people, case, settings):
    """core.upload_limits: the evidence kind's limit (the setting; 10 MiB by default)."""
    settings.ZHIXING_UPLOAD_MAX_MB = {"evidence": 1}
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8" + b"x" * (1024 * 1024), content_type="image/jpeg")
    with at(2026, 4, 1), pytest.raises(ServiceError) as err:
        services.confirm_precondition(
            people["judge"],
            case,
            key="on_site",
            done_on=date(2026, 4, 1),
            note="到住所地调查",
            evidence=photo,
        )
    assert (err.value.field, err.value.message) == (
        "evidence",
        "证据材料过大（1.0 MB）：每个文件不超过1 MB，未保存",
    )
    assert case.dormant_confirmations.count() == 0
