"""Objection pages, the public form and the API: the permission matrix, the flows, bad input, masking."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.inquiry.expiry_support import seized
from zhixing.inquiry.models import Asset
from zhixing.objections import services
from zhixing.objections.models import Objection

from .conftest import FLAT, THIRD_PARTY_ID, at, objector

pytestmark = pytest.mark.django_db

USERS = ["clerk", "judge", "bailiff", "operator", "finance", "director", "president"]
USERS += ["gz_director", "yx_director", "anon"]


class Rollback(Exception):
    pass


def _flat(p: dict[str, Any]) -> Asset:
    case = factories.case(p["clerk"])
    return seized(case, date(2026, 3, 5), ref=FLAT)


def _objection(p: dict[str, Any]) -> Objection:
    flat = _flat(p)
    return services.file_third_party(None, flat.case, flat.pk, objector())


def case_page(p: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    return reverse("objections_case", args=[_flat(p).case_id]), None


def detail(p: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    return reverse("objection_detail", args=[_objection(p).pk]), None


def supervision(p: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    _objection(p)
    return reverse("objections_supervision"), None


def file(p: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    flat = _flat(p)
    data = {
        "asset": flat.pk,
        "objector_name": "李秀英",
        "objector_id_number": THIRD_PARTY_ID,
        "claim": "本人所有",
        "grounds": "购房合同",
    }
    return reverse("objections_case", args=[flat.case_id]), data


def decide(p: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    o = _objection(p)
    panel = [p["judge"].pk, p["judge2"].pk, p["director"].pk]
    data = {"outcome": "rejected", "panel": panel, "reason": "证据不足"}
    return reverse("objection_act", args=[o.pk, "decide"]), data


L, OK, DONE, NO, GONE = "L", 200, 302, 403, 404
#                  clerk judge bailiff operator finance director president gz_dir yx_dir anon
MATRIX = {
    case_page: [OK, OK, OK, OK, OK, OK, OK, OK, GONE, L],
    detail: [OK, OK, OK, OK, OK, OK, OK, OK, GONE, L],
    supervision: [NO, NO, NO, OK, NO, OK, OK, OK, OK, L],
    file: [DONE, DONE, NO, NO, NO, DONE, NO, NO, GONE, L],
    decide: [NO, DONE, NO, NO, NO, DONE, NO, NO, GONE, L],
}


@pytest.mark.parametrize("setup", list(MATRIX), ids=lambda f: f.__name__)
def test_permission_matrix(setup: Any, people: dict[str, Any]) -> None:
    got = []
    with at(date(2026, 9, 21)):
        for who in USERS:
            client = Client()
            if who != "anon":
                client.force_login(people[who])
            try:
                with transaction.atomic():
                    url, data = setup(people)
                    r = client.post(url, data) if data is not None else client.get(url)
                    got.append(L if r.status_code == 302 and "/login/" in r["Location"] else r.status_code)
                    raise Rollback
            except Rollback:
                pass
    assert got == MATRIX[setup]


def test_counter_filing_ruling_service_and_supervision(people: dict[str, Any]) -> None:
    flat = _flat(people)
    judge, director = Client(), Client()
    judge.force_login(people["judge"])
    director.force_login(people["director"])
    with at(date(2026, 9, 21)):
        url = reverse("objections_case", args=[flat.case_id])
        page = judge.get(url).content.decode()
        assert FLAT in page and "登记案外人异议" in page
        bad = judge.post(
            url,
            {
                "asset": flat.pk,
                "objector_name": "李秀英",
                "objector_id_number": "123",
                "claim": "本人所有",
                "grounds": "合同",
            },
        )
        assert bad.status_code == 400 and "身份证号码格式错误" in bad.content.decode()
        assert not Objection.objects.exists()
        r = judge.post(
            url,
            {
                "asset": flat.pk,
                "objector_name": "李秀英",
                "objector_id_number": THIRD_PARTY_ID,
                "claim": "本人所有",
                "grounds": "合同",
                "received_on": "2026-09-21",
            },
        )
        o = Objection.objects.get()
        assert r.status_code == 302 and r["Location"] == reverse("objection_detail", args=[o.pk])
        page = judge.get(r["Location"]).content.decode()
        assert "正在审查，不得处分该财产" in page and THIRD_PARTY_ID not in page
        assert "4401**********" in page and "2026-10-08" in page
        sup = director.get(reverse("objections_supervision")).content.decode()
        assert o.number in sup and "审查期限" in sup and 'id="stat-pending">1<' in sup
    with at(date(2026, 9, 28)):
        act = reverse("objection_act", args=[o.pk, "decide"])
        panel = [people["judge"].pk, people["judge2"].pk, people["director"].pk]
        judge.post(act, {"outcome": "rejected", "panel": panel, "reason": "证据不足"})
        o.refresh_from_db()
        assert o.status == "rejected" and o.ruling_document_id
        docx = judge.get(reverse("document_docx", args=[o.ruling_document_id]))
        assert docx.status_code == 200
        judge.post(reverse("objection_act", args=[o.pk, "service"]), {"served_on": "2026-09-28"})
        o.refresh_from_db()
        assert o.suit_due == date(2026, 10, 13)
        stats = director.get(reverse("objections_supervision")).content.decode()
        assert 'id="stat-rejected">1<' in stats and "起诉期限" in stats and 'id="stat-days">7.0天<' in stats


def test_public_form_files_online_masks_and_is_rate_limited(people: dict[str, Any], settings: Any) -> None:
    flat = _flat(people)
    settings.ZHIXING_OBJECTIONS = {"public_per_window": 3, "public_window_seconds": 600}
    url = reverse("objections_public")
    form = {
        "case_number": flat.case.number,
        "asset_ref": FLAT,
        "objector_name": "李秀英",
        "objector_id_number": THIRD_PARTY_ID,
        "claim": "本人所有",
        "grounds": "购房合同",
    }
    c = Client()
    with at(date(2026, 9, 21)):
        assert c.get(url).status_code == 200
        wrong = c.post(url, {**form, "asset_ref": "粤(2024)不存在"})
        assert wrong.status_code == 400 and "未找到" in wrong.content.decode()
        assert not Objection.objects.exists()
        ok = c.post(url, form)
        body = ok.content.decode()
        o = Objection.objects.get()
        assert ok.status_code == 200 and o.number in body and o.channel == "online" and o.filed_by is None
        assert THIRD_PARTY_ID not in body and "4401**********" in body and "2026-10-08" in body
        assert "张三" not in body  # nothing of the case's parties
        again = c.post(url, form)  # the third call of the window: admitted, refused as a duplicate
        assert again.status_code == 400 and "请勿重复提交" in again.content.decode()
        assert c.post(url, form).status_code == 429  # the fourth: rate-limited
        assert Objection.objects.count() == 1


def test_api_files_decides_and_answers_refusals(people: dict[str, Any]) -> None:
    flat = _flat(people)
    c = Client()
    c.force_login(people["judge"])
    post = lambda url, body: c.post(url, json.dumps(body), content_type="application/json")  # noqa: E731
    with at(date(2026, 9, 21)):
        bad = post(
            f"/api/v1/objections/cases/{flat.case_id}/third-party",
            {
                "asset_id": 999999,
                "objector_name": "李秀英",
                "objector_id_number": THIRD_PARTY_ID,
                "claim": "本人所有",
                "grounds": "合同",
            },
        )
        assert bad.status_code == 422 and bad.json()["field"] == "asset", bad.content
        r = post(
            f"/api/v1/objections/cases/{flat.case_id}/third-party",
            {
                "asset_id": flat.pk,
                "objector_name": "李秀英",
                "objector_id_number": THIRD_PARTY_ID,
                "claim": "本人所有",
                "grounds": "合同",
            },
        )
        assert r.status_code == 201, r.content
        out = r.json()
        assert out["objector_id_masked"].startswith("4401") and "*" in out["objector_id_masked"]
        assert out["decision_due"] == "2026-10-08" and "正在审查" in out["blocks_disposal"]
        ref = c.get(f"/api/v1/objections/assets/{flat.pk}/refusals").json()
        assert ref["refusals"] == [out["blocks_disposal"]]
        panel = [people["judge"].pk, people["judge2"].pk, people["director"].pk]
        d = post(
            f"/api/v1/objections/{out['id']}/decision",
            {"upheld": False, "panel": panel, "reason": "证据不足"},
        )
        assert d.status_code == 200 and d.json()["status"] == "rejected"
        late = post(f"/api/v1/objections/{out['id']}/suit", {"filed_on": "2026-09-21", "number": "民初1号"})
        assert late.status_code == 409
    yx = Client()
    yx.force_login(people["yx_director"])
    assert yx.get(f"/api/v1/objections/{out['id']}").status_code == 404
    assert yx.get(f"/api/v1/objections/assets/{flat.pk}/refusals").status_code == 404
    gz = Client()
    gz.force_login(people["gz_director"])
    assert gz.get(f"/api/v1/objections/cases/{flat.case_id}").json()[0]["number"] == out["number"]
    assert gz.get("/api/v1/objections/statistics").json()["filed"] == 1
    assert c.get("/api/v1/objections/statistics").status_code == 403


@pytest.mark.parametrize("rows", [2, 8])
def test_supervision_page_query_budget_is_constant(
    people: dict[str, Any], rows: int, django_assert_max_num_queries: Any
) -> None:
    with at(date(2026, 9, 21)):
        for _ in range(rows):
            _objection(people)
        c = Client()
        c.force_login(people["gz_director"])  # the higher court reads its subordinates' objections
        with django_assert_max_num_queries(8):
            page = c.get(reverse("objections_supervision")).content.decode()
    # each pending objection has two clocks: its review and the notice to the parties (none consented to
    # electronic service here, so the clerk still has to tell them)
    assert page.count('id="clock-') == 2 * rows and f'id="stat-filed">{rows}<' in page
