"""诉执衔接 on the pages and the API: the demo's preservation cases, the filing form listing the open ones,
the carried seizure on the new case's register (诉讼保全转入 with the original date), a bad link refused
on the form with nothing changed, and who may read the preservation endpoints."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests import factories
from zhixing.cases.models import EnforcementCase, Preservation
from zhixing.core.models import AuditRecord
from zhixing.courts.services import issue_token
from zhixing.inquiry import demo_preservation
from zhixing.inquiry.models import Asset

from .conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def demo(people: dict[str, Any]) -> tuple[Preservation, Preservation]:
    assert demo_preservation.seed() == 2
    assert demo_preservation.seed() == 0  # idempotent
    waiting, carried = Preservation.objects.select_related("case").order_by("case_id")
    return waiting, carried


def test_demo_form_register_and_api(demo: Any, people: dict[str, Any], login: Any) -> None:
    waiting, carried = demo
    assert (waiting.carried_into_id, carried.carried_into_id is not None) == (None, True)
    case = carried.carried_into
    house = Asset.objects.get(case=case)
    start = TODAY - timedelta(days=298)
    assert (house.preserved_in, house.seizure_rank, house.registered_on) == (carried.case.number, 1, start)
    assert Asset.objects.filter(case=waiting.case).count() == 2
    page = login(people["clerk"]).get("/cases/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-testid="preservation-{waiting.case_id}"' in html
    assert f'data-testid="preservation-{carried.case_id}"' not in html
    detail = login(people["judge"]).get(f"/cases/{case.pk}/").content.decode()
    assert (
        f"{carried.case.number}</a>（诉讼案号{carried.lawsuit_number}，查封冻结措施按原顺位、期限转入本案）"
        in detail
    )
    origin = login(people["judge"]).get(f"/cases/{carried.case_id}/").content.decode()
    assert f'id="preservation-carried-into">{case.number}</a>' in origin
    register = login(people["judge"]).get(f"/inquiry/cases/{case.pk}/").content.decode()
    assert f'data-testid="preserved-{house.pk}"' in register
    assert f"诉讼保全转入</span> {carried.case.number} · 原查封日 {start:%Y-%m-%d}" in register
    token = issue_token(None, people["judge"], "t")
    assets = Client().get(
        f"/api/v1/inquiry/cases/{case.pk}/assets", headers={"Authorization": f"Bearer {token}"}
    )
    assert [(a["ref"], a["preserved_in"], a["registered_on"]) for a in assets.json()] == [
        (house.ref, carried.case.number, start.isoformat())
    ]


def test_bad_link_on_the_form_changes_nothing(demo: Any, people: dict[str, Any], login: Any) -> None:
    waiting, _ = demo
    before = (EnforcementCase.objects.count(), AuditRecord.objects.count())
    f = factories.filing()
    form = {
        "case_type": "执",
        "applied_on": "2026-03-02",
        "filed_on": "2026-03-04",
        "instrument_type": "civil_judgment",
        "issuing_body": "广州市天河区人民法院",
        "basis_number": f.basis_number,
        "effective_on": "2025-12-01",
        "performance_deadline": "2025-12-15",
        "principal": "1000",
        "preservation_case": waiting.case.number,
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-0-role": "applicant",
        "parties-0-kind": "person",
        "parties-0-name": "王五",
        "parties-0-id_number": factories.VALID_IDS[0],
        "parties-1-role": "debtor",
        "parties-1-kind": "person",
        "parties-1-name": "张三",
        "parties-1-id_number": factories.VALID_IDS[2],
    }
    r = login(people["clerk"]).post("/cases/new/", form)
    assert r.status_code == 200
    html = r.content.decode()
    assert "不是本案的申请执行人，当事人不一致的不能转入" in html
    assert (EnforcementCase.objects.count(), AuditRecord.objects.count()) == before
    assert Preservation.objects.get(pk=waiting.pk).carried_into_id is None


@pytest.mark.parametrize(
    ("who", "listed", "own"),
    [
        (None, 401, 401),
        ("clerk", 200, 200),
        ("judge", 200, 200),
        ("finance", 200, 200),  # 查看案件: reads its court's cases
        ("gz_director", 200, 200),
        ("yx_judge", 200, 404),
    ],
)
def test_permission_matrix(demo: Any, people: dict[str, Any], who: str | None, listed: int, own: int) -> None:
    waiting, carried = demo
    headers = {"Authorization": f"Bearer {issue_token(None, people[who], 't')}"} if who else {}
    c = Client()
    r = c.get("/api/v1/preservations", headers=headers)
    assert r.status_code == listed
    if who in ("clerk", "judge", "finance"):
        assert [p["number"] for p in r.json()] == [waiting.case.number]
    if who in ("gz_director", "yx_judge"):
        assert r.json() == []  # their own court's only
    r = c.get(f"/api/v1/cases/{carried.carried_into_id}/preservations", headers=headers)
    assert r.status_code == own
    if own == 200:
        assert [(p["number"], p["carried_into"]) for p in r.json()] == [
            (carried.case.number, carried.carried_into.number)
        ]


def test_api_filing_names_the_field_and_carries(demo: Any, people: dict[str, Any]) -> None:
    from tests.api.conftest import filing_body

    waiting, _ = demo
    headers = {"Authorization": f"Bearer {issue_token(None, people['clerk'], 't')}"}
    c = Client()
    before = (EnforcementCase.objects.count(), AuditRecord.objects.count())
    bad = c.post(
        "/api/v1/cases",
        filing_body(case_type="执保", instrument_type="civil_ruling"),
        content_type="application/json",
        headers=headers,
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "lawsuit_number")
    other = c.post(
        "/api/v1/cases",
        filing_body(preservation_case=waiting.case.number),
        content_type="application/json",
        headers=headers,
    )
    assert (other.status_code, other.json()["field"]) == (422, "preservation_case")
    assert (EnforcementCase.objects.count(), AuditRecord.objects.count()) == before
    body = filing_body(basis_number=waiting.lawsuit_number, confirm_duplicate=True)
    body["parties"] = [
        {
            "role": "applicant",
            "kind": "organisation",
            "name": "广州市天河建材贸易有限公司",
            "credit_code": "91440101MA5CYX5W0N",
            "legal_representative": "周经理",
        },
        {
            "role": "debtor",
            "kind": "person",
            "name": "刘保全",
            "id_number": waiting.case.parties.get(role="debtor").id_number,
        },
    ]
    ok = c.post("/api/v1/cases", body, content_type="application/json", headers=headers)
    assert ok.status_code == 201, ok.json()
    new_id = ok.json()["id"]
    assert Asset.objects.filter(case_id=new_id, preserved_in=waiting.case.number).count() == 2
    out = c.get(f"/api/v1/cases/{new_id}/preservations", headers=headers).json()
    assert [(p["number"], p["carried_into_id"]) for p in out] == [(waiting.case.number, new_id)]
