"""Issue 15 (gaps): a 终结执行 ruling takes effect on service (CPL-2023 Art 269) — the closing records the
day the termination ruling was served and cannot close before it (rule R-2.4.6)."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.cases import services
from zhixing.cases.closing import CLOSING_FIELDS, check_closing, check_served
from zhixing.cases.models import CaseStatus
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import ServiceError

TZ = ZoneInfo("Asia/Shanghai")
ART_269 = "结案日期不能早于终结执行裁定送达之日：终结执行裁定送达后立即生效（民事诉讼法第269条）"


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def case(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])  # filed 2026-03-04
        return services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))


def _details(served_on: str) -> dict[str, str]:
    return {
        "document_ref": "（2026）粤0106执1号之二",
        "ground": "applicant_withdraws",
        "served_on": served_on,
    }


def _check(served_on: str, closed_on: date) -> list[tuple[str, str]]:
    return check_closing(
        "terminated", _details(served_on), filed_on=date(2026, 3, 4), closed_on=closed_on, notice_done=True
    )


def test_the_rule_at_the_edge():
    assert check_served("terminated", date(2026, 4, 1), date(2026, 4, 1)) is None
    assert check_served("terminated", date(2026, 4, 1), date(2026, 4, 2)) is None
    assert check_served("terminated", date(2026, 4, 2), date(2026, 4, 1)) == ART_269
    # only 终结执行: other modes have no served ruling to wait for
    assert check_served("withdrawn", date(2026, 4, 2), date(2026, 4, 1)) is None


def test_check_closing_needs_the_service_day_and_refuses_closing_before_it():
    assert [s.name for s in CLOSING_FIELDS["terminated"]] == ["document_ref", "ground", "served_on"]
    assert _check("2026-04-01", date(2026, 4, 1)) == []
    assert _check("2026-03-31", date(2026, 4, 1)) == []
    assert _check("2026-04-02", date(2026, 4, 1)) == [("closed_on", ART_269)]
    assert _check("", date(2026, 4, 1)) == [("served_on", "请填写“终结执行裁定送达日期”")]
    assert _check("4/1/2026", date(2026, 4, 1)) == [
        ("served_on", "“终结执行裁定送达日期”应为YYYY-MM-DD格式的日期")
    ]


def test_closing_on_the_day_of_service_records_it(people, case):
    with at(2026, 4, 1):
        closed = services.close_case(
            people["judge"],
            case,
            mode="terminated",
            closed_on=date(2026, 4, 1),
            details=_details("2026-04-01"),
        )
    assert (closed.status, closed.closed_on) == (CaseStatus.CLOSED, date(2026, 4, 1))
    assert closed.closing_details["served_on"] == "2026-04-01"


def test_closing_the_day_before_service_is_refused_and_writes_nothing(people, case):
    before = AuditRecord.objects.count()
    with at(2026, 4, 2), pytest.raises(ServiceError) as err:
        services.close_case(
            people["judge"],
            case,
            mode="terminated",
            closed_on=date(2026, 4, 1),
            details=_details("2026-04-02"),
        )
    assert (err.value.field, str(err.value)) == ("closed_on", ART_269)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert AuditRecord.objects.count() == before


def test_the_closing_form_asks_for_the_day_of_service(people, case):
    client = Client()
    client.force_login(people["judge"])
    with at(2026, 4, 2):
        page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
        assert 'name="terminated__served_on"' in page
        assert "终结执行裁定送达日期" in page
        response = client.post(
            reverse("case_close", args=[case.pk]),
            {
                "mode": "terminated",
                "closed_on": "2026-04-01",
                "terminated__document_ref": "（2026）粤0106执1号之二",
                "terminated__ground": "applicant_withdraws",
                "terminated__served_on": "2026-04-02",
            },
        )
        assert ART_269 in response.content.decode()
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_PROGRESS
        response = client.post(
            reverse("case_close", args=[case.pk]),
            {
                "mode": "terminated",
                "closed_on": "2026-04-02",
                "terminated__document_ref": "（2026）粤0106执1号之二",
                "terminated__ground": "applicant_withdraws",
                "terminated__served_on": "2026-04-02",
            },
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closing_details["served_on"]) == (CaseStatus.CLOSED, "2026-04-02")


def test_the_api_takes_the_day_of_service(people, case):
    client = Client()
    client.force_login(people["judge"])
    url = f"/api/v1/cases/{case.pk}/close"
    with at(2026, 4, 2):
        r = client.post(
            url,
            json.dumps({"mode": "terminated", "closed_on": "2026-04-01", "details": _details("2026-04-02")}),
            content_type="application/json",
        )
        assert r.status_code == 422, r.content
        assert (r.json()["field"], r.json()["detail"]) == ("closed_on", ART_269)
        r = client.post(
            url,
            json.dumps(
                {
                    "mode": "terminated",
                    "closed_on": "2026-04-01",
                    "details": {"document_ref": "（2026）粤0106执1号之二", "ground": "applicant_withdraws"},
                }
            ),
            content_type="application/json",
        )
        assert r.status_code == 422, r.content
        assert r.json()["field"] == "details.served_on"
        r = client.post(
            url,
            json.dumps({"mode": "terminated", "closed_on": "2026-04-02", "details": _details("2026-04-02")}),
            content_type="application/json",
        )
    assert r.status_code == 200, r.content
    assert r.json()["closing"]["details"] == _details("2026-04-02")
