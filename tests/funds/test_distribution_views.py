"""Distribution pages and API: permission matrix, form errors naming the field, Excel import (all or
nothing), the template, the lifecycle over the API, and the plan page's query budget."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests import factories
from zhixing.funds import services
from zhixing.funds.models import DistributionClaim, DistributionPlan

from .conftest import receive

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")

READERS = {
    "judge": 200,
    "finance": 200,
    "clerk": 200,
    "director": 200,
    "gz_director": 200,
    "gd_president": 200,
    "yx_director": 404,
    "ft_director": 404,
}
WRITERS = {
    "judge": 302,
    "director": 302,
    "finance": 403,
    "clerk": 403,
    "assistant": 403,
    "gz_director": 403,
    "gd_president": 403,
    "yx_director": 404,
}


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=SH), tick=False) as t:
        yield t


def as_user(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


@pytest.fixture
def plan(case: Any, people: Any) -> DistributionPlan:
    receive(case, "1000.00", "V1")
    p = services.create_plan(people["judge"], case, costs="0", first_seizing_court=case.court.name)
    services.add_claim(
        people["judge"], p, {"party_id": case.parties.get(role="applicant").pk, "amount": "600"}
    )
    return p


@pytest.mark.parametrize(("who", "status"), READERS.items())
def test_plan_page_matrix(client, people, plan, who, status) -> None:
    r = as_user(client, people[who]).get(reverse("funds_plan", args=[plan.pk]))
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "草稿（登记债权）" in html and "600.00" in html
        assert ('id="claim-form"' in html) == (who in ("judge", "director"))


@pytest.mark.parametrize(("who", "status"), WRITERS.items())
def test_add_claim_matrix(client, people, plan, case, who, status) -> None:
    r = as_user(client, people[who]).post(
        reverse("funds_plan_claim", args=[plan.pk]),
        {
            "creditor_name": "案外甲",
            "creditor_id_number": factories.VALID_CREDIT,
            "amount": "100.00",
            "basis": "（2025）粤0104民初5号",
            "kind": "ordinary",
            "rank": "1",
            "applied_on": "2026-03-10",
        },
    )
    assert r.status_code == status
    assert plan.claims.count() == (2 if status == 302 else 1)


@pytest.mark.parametrize(("who", "status"), WRITERS.items())
def test_create_plan_matrix(client, people, case, who, status) -> None:
    receive(case, "10.00", "V2")
    r = as_user(client, people[who]).post(
        reverse("funds_create_plan", args=[case.pk]), {"first_seizing_court": case.court.name}
    )
    assert r.status_code == status
    assert DistributionPlan.objects.filter(case=case).count() == (1 if status == 302 else 0)


def test_form_error_names_the_field_and_keeps_the_input(client, people, plan) -> None:
    c = as_user(client, people["judge"])
    url = reverse("funds_plan", args=[plan.pk])
    r = c.post(
        reverse("funds_plan_claim", args=[plan.pk]),
        {"creditor_name": "案外乙", "creditor_id_number": "123", "amount": "5", "kind": "ordinary"},
    )
    assert r.status_code == 302 and r["Location"] == url
    html = c.get(url).content.decode()
    assert 'data-field="creditor_id_number"' in html and "办理未成功" in html
    assert 'value="案外乙"' in html
    assert plan.claims.count() == 1


def test_balance_refusal_on_the_case_page(client, people, case) -> None:
    c = as_user(client, people["judge"])
    c.post(
        reverse("funds_create_plan", args=[case.pk]),
        {"proceeds": "5000000", "first_seizing_court": case.court.name},
    )
    html = c.get(reverse("funds_case_money", args=[case.pk])).content.decode()
    assert "分配财产总额5,000,000.00元超过本案案款余额0.00元" in html
    assert "债权清单（JSON）" not in html


def xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "债权人",
            "证件号码",
            "债权种类",
            "顺位",
            "债权金额",
            "担保物权设立日",
            "查封日",
            "申请参与分配日",
            "执行依据",
            "证据说明",
        ]
    )
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_import_all_or_nothing(client, people, plan, case) -> None:
    c = as_user(client, people["judge"])
    url = reverse("funds_plan_import", args=[plan.pk])
    bad = xlsx(
        [
            [
                "案外丙",
                factories.VALID_CREDIT,
                "普通债权",
                1,
                100,
                None,
                None,
                date(2026, 3, 9),
                "（2025）粤0104民初5号",
                "",
            ],
            ["案外丁", factories.VALID_CREDIT, "普通债权", 1, "abc", None, None, "2026-03-09", "", ""],
            ["案外戊", "", "担保物权", 1, 50, None, None, "2026-03-09", "", ""],
        ]
    )
    c.post(url, {"file": SimpleUploadedFile("c.xlsx", bad)})
    html = c.get(reverse("funds_plan", args=[plan.pk])).content.decode()
    assert "第3行：" in html and "第4行：" in html and "未导入任何债权" in html
    assert plan.claims.count() == 1
    c.post(url, {"file": SimpleUploadedFile("c.txt", b"not excel")})
    assert "请上传Excel" in c.get(reverse("funds_plan", args=[plan.pk])).content.decode()
    good = xlsx(
        [
            [
                "案外丙",
                factories.VALID_CREDIT,
                "普通债权",
                1,
                100,
                None,
                None,
                date(2026, 3, 9),
                "（2025）粤0104民初5号",
                "",
            ],
            [
                case.parties.get(role="applicant").name,
                "",
                "担保物权",
                2,
                "300.50",
                "2024-01-02",
                None,
                "2026-03-09",
                "（2025）粤0106民初1号",
                "抵押登记",
            ],
        ]
    )
    r = c.post(url, {"file": SimpleUploadedFile("c.xlsx", good)})
    assert r.status_code == 302
    claims = list(plan.claims.order_by("position"))
    assert [(x.creditor_name, str(x.amount), x.kind, x.party_id is not None) for x in claims[1:]] == [
        ("案外丙", "100.00", "ordinary", False),
        (case.parties.get(role="applicant").name, "300.50", "secured", True),
    ]


def test_template_download(client, people) -> None:
    r = as_user(client, people["judge"]).get(reverse("funds_plan_template"))
    assert r.status_code == 200, (r.status_code, r.get("Location"), r.content[:300])
    body = b"".join(r.streaming_content) if r.streaming else r.content
    assert body[:2] == b"PK", body[:200]
    ws = load_workbook(io.BytesIO(body)).active
    assert [c.value for c in ws[1]][:5] == ["债权人", "证件号码", "债权种类", "顺位", "债权金额"]


def test_lifecycle_over_the_api(client, people, case, clock) -> None:
    receive(case, "500.00", "A1")
    c = as_user(client, people["judge"])
    r = c.post(
        f"/api/v1/funds/cases/{case.pk}/plans",
        {
            "costs": "0",
            "first_seizing_court": case.court.name,
            "claims": [{"party_id": case.parties.get(role="applicant").pk, "amount": "600.00"}],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    r = c.post(
        f"/api/v1/funds/plans/{pid}/claims",
        {"creditor_name": "案外甲", "amount": "400"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "creditor_id_number"
    r = c.post(
        f"/api/v1/funds/plans/{pid}/claims",
        {
            "creditor_name": "案外甲",
            "creditor_id_number": factories.VALID_CREDIT,
            "amount": "400",
            "basis": "（2025）粤0104民初5号",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and [ln["paid"] for ln in r.json()["lines"]] == ["300.00", "200.00", "0.00"]
    claim = r.json()["claims"][0]["id"]
    assert (
        c.post(
            f"/api/v1/funds/plans/{pid}/serve", {"served_on": "2026-03-10"}, content_type="application/json"
        ).json()["objection_due"]
        == "2026-03-25"
    )
    r = c.post(
        f"/api/v1/funds/plans/{pid}/objections",
        {
            "by_name": "案外甲",
            "claim_id": claim,
            "proposed_amount": "100",
            "reason": "虚构",
            "received_on": "2026-03-10",
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    oid = r.json()["objections"][0]["id"]
    assert r.json()["objections"][0]["disputed"] == "200.00"
    r = c.post(
        f"/api/v1/funds/plans/{pid}/objections/{oid}/counters",
        {"by_name": "广州某银行股份有限公司", "received_on": "2026-03-10"},
        content_type="application/json",
    )
    assert r.json()["status"] == "countered" and r.json()["objections"][0]["suit_due"] == "2026-03-25"
    r = c.post(
        f"/api/v1/funds/plans/{pid}/objections/{oid}/suit",
        {"sued_on": "2026-03-10", "suit_number": "（2026）粤0106民初5号"},
        content_type="application/json",
    )
    assert r.json()["status"] == "suing" and r.json()["held_amount"] == "200.00"
    held = c.get(f"/api/v1/funds/cases/{case.pk}/held").json()
    assert [h["amount"] for h in held] == ["200.00"]
    r = c.post(f"/api/v1/funds/plans/{pid}/conclude")
    assert r.status_code == 409
    other = as_user(client, people["yx_director"])
    assert other.get(f"/api/v1/funds/plans/{pid}").status_code == 404
    assert other.get(f"/api/v1/funds/cases/{case.pk}/held").status_code == 404
    fin = as_user(client, people["finance"])
    assert fin.get(f"/api/v1/funds/plans/{pid}").status_code == 200
    assert fin.post(f"/api/v1/funds/plans/{pid}/conclude").status_code == 403


def test_plan_page_query_budget(client, people, plan, case, django_assert_max_num_queries) -> None:
    c = as_user(client, people["judge"])
    url = reverse("funds_plan", args=[plan.pk])
    c.get(url)
    with django_assert_max_num_queries(30) as small:
        c.get(url)
    for i in range(8):
        DistributionClaim.objects.create(
            plan=plan,
            creditor_name=f"案外{i}",
            creditor_id_number="X",
            amount="1.00",
            applied_on=date(2026, 3, 9),
            position=i + 2,
        )
    services.serve_plan(people["judge"], plan, "2026-03-10")
    for i in range(3):
        services.record_objection(
            people["judge"],
            plan,
            by_name=f"异{i}",
            claim_id=plan.claims.first().pk,
            proposed_amount=str(i + 1),
            reason="x",
            received_on="2026-03-10",
        )
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        html = c.get(url).content.decode()
    assert "异2" in html and 'id="objection-form"' in html
