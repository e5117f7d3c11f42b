"""Issue 13 (finder): batch assignment and caseloads over the API, and the case list's search over the API."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from zhixing.cases import services
from zhixing.cases.models import EnforcementCase
from zhixing.core.models import AuditRecord

from .. import factories
from .conftest import Api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _cases(people: dict[str, Any], n: int) -> list[EnforcementCase]:
    return [factories.case(people["clerk"]) for _ in range(n)]


def test_batch_assign(api: Api, people: dict[str, Any]) -> None:
    cases = _cases(people, 3)
    r = api.post(
        "/batch-assignments",
        people["director"],
        {"case_ids": [c.pk for c in cases], "handler_id": people["judge"].pk},
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["assigned"] == 3
    assert body["handler"] == {"id": people["judge"].pk, "name": people["judge"].full_name}
    assert [c["number"] for c in body["cases"]] == [c.number for c in cases]
    assert EnforcementCase.objects.filter(handler=people["judge"], status="in_progress").count() == 3
    assert AuditRecord.objects.filter(action="case.assign").count() == 3


def test_batch_assign_is_atomic_and_names_the_case(api: Api, people: dict[str, Any]) -> None:
    good, bad = _cases(people, 2)
    services.close_case(
        people["judge"],
        bad,
        mode="terminated",
        closed_on=date(2026, 3, 10),
        details={"document_ref": "终结裁定", "ground": "applicant_withdraws", "served_on": "2026-03-10"},
    )
    api.token(people["director"])  # issuing the token is audited
    before = AuditRecord.objects.count()
    r = api.post(
        "/batch-assignments",
        people["director"],
        {"case_ids": [good.pk, bad.pk], "handler_id": people["judge"].pk},
    )
    assert r.status_code == 409, r.json()
    assert r.json()["field"] == "case_ids"
    assert r.json()["detail"].startswith(f"{bad.number}：案件已结案")
    assert EnforcementCase.objects.get(pk=good.pk).handler_id is None
    assert AuditRecord.objects.count() == before


def test_batch_assign_unknown_case_and_judge(api: Api, people: dict[str, Any]) -> None:
    (case,) = _cases(people, 1)
    r = api.post(
        "/batch-assignments",
        people["director"],
        {"case_ids": [case.pk, 987654], "handler_id": people["judge"].pk},
    )
    assert r.status_code == 404
    assert "987654" in r.json()["detail"]
    r = api.post(
        "/batch-assignments", people["director"], {"case_ids": [case.pk], "handler_id": people["yx_judge"].pk}
    )
    assert r.status_code == 422
    assert r.json()["detail"].startswith(f"{case.number}：承办人须为本院在职的执行法官")
    r = api.post(
        "/batch-assignments",
        people["director"],
        {"case_ids": list(range(1, 202)), "handler_id": people["judge"].pk},
    )
    assert r.status_code == 422 and "一次最多分案200件" in r.json()["detail"]
    assert EnforcementCase.objects.get(pk=case.pk).handler_id is None


def test_caseloads(api: Api, people: dict[str, Any]) -> None:
    cases = _cases(people, 3)
    services.assign_cases(people["director"], [c.pk for c in cases[:2]], people["judge"])
    services.assign_cases(people["director"], [cases[2].pk], people["judge2"])
    r = api.get("/caseloads", people["director"])
    assert r.status_code == 200
    rows = {row["judge"]["id"]: row for row in r.json()}
    assert rows[people["judge"].pk]["open_cases"] == 2
    assert rows[people["judge"].pk]["label"] == f"{people['judge'].full_name}（在办 2 件）"
    assert rows[people["judge2"].pk]["open_cases"] == 1
    assert rows[people["director"].pk]["open_cases"] == 0  # directors may take cases too
    assert r.json()[0]["open_cases"] == 0  # lightest first
    # a higher court reads a subordinate court's caseloads; a sibling court cannot
    r = api.get("/caseloads", people["gz_director"], court="粤0106")
    assert (
        r.status_code == 200
        and {row["judge"]["id"]: row["open_cases"] for row in r.json()}[people["judge"].pk] == 2
    )
    assert api.get("/caseloads", people["yx_director"], court="粤0106").status_code == 404
    assert api.get("/caseloads", people["director"], court="粤01").status_code == 404


def test_case_list_search_over_api(api: Api, people: dict[str, Any]) -> None:
    c1, c2 = _cases(people, 2)
    r = api.get("/cases", people["judge"], q="（2026）粤0106执2")
    assert [i["number"] for i in r.json()["items"]] == [c2.number]
    r = api.get("/cases", people["judge"], q=factories.VALID_IDS[2][-4:])
    assert {i["number"] for i in r.json()["items"]} == {c1.number, c2.number}
    r = api.get("/cases", people["judge"], applicant="广州某银行")
    assert len(r.json()["items"]) == 2
    r = api.get("/cases", people["judge"], applicant="张三")
    assert r.json()["items"] == []
