"""The result of each 终本 re-inquiry round is told to the applicants (终本规定 Art 9(2)) through the
e-service channel: made into the 财产查询结果告知书, served on every applicant whose confirmed address
consents, marked served on the first delivery; without such an address it stays to be served by other
means, and a document that cannot be made never blocks the round's settling."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.documents.eservice_fixtures import gateways, sandbox_server, smtp_sink  # noqa: F401
from tests.documents.reading import word_text
from tests.inquiry.test_dormant import CATEGORIES, make_dormant, run
from zhixing.cases.models import Party
from zhixing.core.errors import ServiceError
from zhixing.core.models import AuditRecord
from zhixing.documents import dispatch, eservice, queries
from zhixing.documents.models import Delivery, Document, Service
from zhixing.inquiry import services
from zhixing.inquiry.models import DormantRound, InquiryRequest, ReinquiryNotice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gateways")]

SH = ZoneInfo("Asia/Shanghai")
APPLICANT_PHONE, DEBTOR_PHONE = "13600136003", "13800138001"


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False, "dormant_categories": CATEGORIES}


def _settle(case: Any, found: int = 0) -> ReinquiryNotice:
    """The round of 2026-10-11 is filed, answered empty, and settled on 2026-10-12."""
    run(date(2026, 10, 11))
    InquiryRequest.objects.filter(case=case, requested_by__isnull=True).update(
        status="done", outcome={"found": found}
    )
    with time_machine.travel(datetime(2026, 10, 12, 9, tzinfo=SH), tick=False):
        assert services.settle_rounds() == 1
    return ReinquiryNotice.objects.get(case=case)


def test_the_applicant_is_served_the_result_and_the_notice_is_marked_served_once(
    people: dict[str, Any],
) -> None:
    case = make_dormant(people)
    applicant, debtor = case.parties.get(role="applicant"), case.parties.get(role="debtor")
    judge = people["judge"]
    eservice.confirm_address(
        judge, case, applicant.pk, phone=APPLICANT_PHONE, portal=True, electronic_consent=True
    )
    eservice.confirm_address(judge, case, debtor.pk, phone=DEBTOR_PHONE, portal=True, electronic_consent=True)
    notice = _settle(case)
    doc = Document.objects.get(kind="reinquiry_notice")
    assert (doc.case_id, doc.source, doc.created_by_id, doc.title) == (
        case.pk,
        str(notice.pk),
        None,
        "财产查询结果告知书",
    )
    made = AuditRecord.objects.get(action="document.generate", object_id=str(doc.pk))
    assert made.actor_name == "系统（终本定期查询结果告知）"
    text = word_text(queries.content(doc))
    assert "本院于2026年10月11日通过网络执行查控系统对被执行人" in text
    assert "未发现被执行人有可供执行的财产。" in text
    assert "可以随时向本院申请恢复执行" in text and "2026年10月12日" in text
    svc = Service.objects.get(document=doc)  # the applicant only: the debtor is not told
    assert (svc.party_id, svc.channels) == (applicant.pk, ["portal", "sms"])
    assert notice.status == "to_serve" and notice.served_at is None
    with time_machine.travel(datetime(2026, 10, 12, 9, 5, tzinfo=SH), tick=False):
        dispatch.drain()
    notice.refresh_from_db()
    svc.refresh_from_db()
    assert (svc.status, svc.served_on, notice.status) == ("served", date(2026, 10, 12), "served")
    assert notice.served_at == datetime(2026, 10, 12, 9, 5, tzinfo=SH)
    served = AuditRecord.objects.get(action="inquiry.dormant.notice_served")
    assert (served.case_id, served.object_id, served.after["channel"]) == (case.pk, str(notice.pk), "portal")
    # A second delivery proof (another channel, a repeated drain) marks nothing again.
    dispatch.drain()
    assert AuditRecord.objects.filter(action="inquiry.dormant.notice_served").count() == 1
    # The applicant reads it on the party portal, beside the right to ask to resume.
    from tests.portal.test_party_portal import signed_in

    c = signed_in(APPLICANT_PHONE)
    page = c.get(reverse("party_case", args=[case.pk])).content.decode()
    assert "财产查询结果告知书" in page and 'data-testid="reinquiry-notice"' in page and "已送达" in page
    # The judge sees the notice served in the dormant registry's case view.
    staff = Client()
    staff.force_login(judge)
    assert staff.get(reverse("case_documents", args=[case.pk])).status_code == 200


def test_without_a_consenting_address_the_notice_waits_for_other_means(people: dict[str, Any]) -> None:
    case = make_dormant(people)
    applicant = case.parties.get(role="applicant")
    # Phone recorded, but no consent to electronic service: served by other means.
    eservice.confirm_address(
        people["judge"], case, applicant.pk, phone=APPLICANT_PHONE, electronic_consent=False
    )
    notice = _settle(case)
    assert notice.status == "to_serve"
    assert not Document.objects.filter(kind="reinquiry_notice").exists() and not Service.objects.exists()
    assert DormantRound.objects.get(case=case).outcome == "empty"


def test_a_document_that_cannot_be_made_leaves_the_round_settled_and_nothing_half_written(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_dormant(people)
    applicant = case.parties.get(role="applicant")
    eservice.confirm_address(
        people["judge"], case, applicant.pk, phone=APPLICANT_PHONE, portal=True, electronic_consent=True
    )

    def broken(*_: Any, **__: Any) -> None:
        raise ServiceError("财产查询结果告知书模板第2版无法生成：字段缺失")

    monkeypatch.setattr(eservice, "serve", broken)  # the document is made, then serving fails: both undone
    notice = _settle(case)
    assert notice.status == "to_serve"
    assert not Document.objects.filter(kind="reinquiry_notice").exists() and not Service.objects.exists()
    assert not Delivery.objects.filter(purpose="service").exists()
    assert AuditRecord.objects.filter(action="inquiry.dormant.notice", case_id=case.pk).count() == 1
    assert not AuditRecord.objects.filter(action="document.generate").exists()


def test_only_applicants_with_a_consenting_address_are_served(people: dict[str, Any]) -> None:
    case = make_dormant(people)
    first = case.parties.get(role="applicant")
    second = Party.objects.create(case=case, role="applicant", name="赵六", kind=first.kind)
    eservice.confirm_address(people["judge"], case, first.pk, email="a@example.cn", electronic_consent=True)
    _settle(case, found=0)
    assert list(Service.objects.values_list("party_id", "channels")) == [(first.pk, ["email"])]
    assert second.pk not in Service.objects.values_list("party_id", flat=True)
