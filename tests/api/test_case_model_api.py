"""API of issue 11 item 9: act cases and ID documents at filing, excluded periods, the limitation field."""

from __future__ import annotations

from typing import Any

import pytest

from zhixing.cases import services
from zhixing.cases.models import ExcludedPeriod

from .. import factories
from .conftest import Api, counts, filing_body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PASSPORT = {
    "role": "debtor",
    "kind": "person",
    "name": "John Smith",
    "id_type": "passport",
    "id_number": "E12345678",
    "nationality": "USA",
    "birth_date": "1980-05-04",
}


def test_file_act_case_with_a_passport_holder(api: Api, people: dict[str, Any]) -> None:
    body = filing_body(
        obligation="act",
        obligation_detail="在《南方日报》刊登致歉声明",
        principal="0",
        adjudged_interest="0",
        litigation_costs="0",
        application_fee=120,
    )
    body["parties"] = [body["parties"][0], PASSPORT]
    r = api.post("/cases", people["clerk"], body)
    assert r.status_code == 201, r.json()
    case = r.json()
    claim = case["claim"]
    assert (claim["principal"], claim["application_fee"], claim["delay_interest"]) == (
        "0.00",
        "120.00",
        "0.00",
    )
    assert (claim["obligation"], claim["obligation_display"], claim["delay_charge"]) == (
        "act",
        "完成指定行为",
        "由法院确定",
    )
    assert claim["obligation_detail"] == "在《南方日报》刊登致歉声明"
    debtor = next(p for p in case["parties"] if p["role"] == "debtor")
    assert (debtor["id_type"], debtor["id_type_display"], debtor["nationality"], debtor["id_masked"]) == (
        "passport",
        "护照",
        "USA",
        "*********",
    )
    full = api.get(f"/parties/{debtor['id']}/identity", people["judge"]).json()
    assert (full["id_type"], full["id_number"], full["nationality"], full["birth_date"]) == (
        "passport",
        "E12345678",
        "USA",
        "1980-05-04",
    )


@pytest.mark.parametrize(
    ("change", "field", "detail"),
    [
        ({"obligation": "act", "principal": "0"}, "obligation_detail", "行为履行案件（完成指定行为）须写明"),
        (
            {"obligation": "act", "principal": "0", "obligation_detail": "x", "application_fee": "40"},
            "application_fee",
            "50至500元",
        ),
        ({"principal": "0"}, "principal", "金钱给付案件的本金须大于0"),
    ],
)
def test_filing_refusals(
    api: Api, people: dict[str, Any], change: dict[str, Any], field: str, detail: str
) -> None:
    api.token(people["clerk"])  # issuing the token is audited; the refusal must add nothing
    before = counts()
    r = api.post("/cases", people["clerk"], filing_body(**change))
    assert r.status_code == 422
    assert r.json()["field"] == field and detail in r.json()["detail"]
    assert counts() == before


def test_bad_nationality_names_the_party_field(api: Api, people: dict[str, Any]) -> None:
    body = filing_body()
    body["parties"] = [body["parties"][0], {**PASSPORT, "nationality": "ZZZ"}]
    r = api.post("/cases", people["clerk"], body)
    assert r.status_code == 422
    assert r.json()["field"] == "parties[1].nationality"


def test_unknown_id_type_is_a_422(api: Api, people: dict[str, Any]) -> None:
    body = filing_body()
    body["parties"] = [body["parties"][0], {**PASSPORT, "id_type": "library_card"}]
    assert api.post("/cases", people["clerk"], body).status_code == 422


def test_excluded_period_endpoints(api: Api, people: dict[str, Any]) -> None:
    case = services.assign_case(people["director"], factories.case(people["clerk"]), people["judge"])
    r = api.post(
        f"/cases/{case.pk}/excluded-periods",
        people["judge"],
        {"kind": "jurisdiction", "start": "2026-03-05", "document_ref": "管辖异议裁定"},
    )
    assert r.status_code == 201
    period = r.json()
    assert (period["kind_display"], period["end"], period["days"]) == ("管辖争议处理期间", None, None)
    detail = api.get(f"/cases/{case.pk}", people["judge"]).json()
    assert detail["term_due"] is None and detail["excluded_periods"][0]["id"] == period["id"]
    bad = api.post(f"/excluded-periods/{period['id']}/end", people["judge"], {"end": "2026-03-11"})
    assert bad.status_code == 422 and bad.json()["field"] == "end"
    r = api.post(f"/excluded-periods/{period['id']}/end", people["judge"], {"end": "2026-03-09"})
    assert r.status_code == 200 and r.json()["days"] == 4
    assert api.get(f"/cases/{case.pk}", people["judge"]).json()["term_due"] == "2026-09-08"
    again = api.post(f"/excluded-periods/{period['id']}/end", people["judge"], {"end": "2026-03-10"})
    assert again.status_code == 409
    assert api.post("/excluded-periods/999999/end", people["judge"], {"end": "2026-03-10"}).status_code == 404
    assert ExcludedPeriod.objects.count() == 1


def test_reference_lists_the_new_choices(api: Api, people: dict[str, Any]) -> None:
    ref = api.get("/reference", people["clerk"]).json()
    assert {c["code"] for c in ref["obligations"]} == {"money", "deliver", "vacate", "act"}
    assert "foreign_registration" in {c["code"] for c in ref["id_types"]}
    # + 对生效法律文书审查而暂缓执行 (迟延履行利息解释 Art 3(3)), + 执行争议协调期间 (执行程序解释 Art 13)
    assert len(ref["excluded_period_kinds"]) == 9
