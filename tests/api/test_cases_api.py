"""The cases API end to end with bearer tokens: filing, reading, every node action, and bad input.

"Today" is frozen at Tuesday 10 March 2026 (see `frozen` in conftest.py). Every rejected request is
checked to have written nothing: the case count and the audit-record count are unchanged.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhixing.cases import services
from zhixing.cases.models import EnforcementCase, Node
from zhixing.core.models import AuditRecord
from zhixing.courts.models import ApiToken

from .. import factories
from .conftest import Api, counts, filing_body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _file(api: Api, staff: Any, **overrides: Any) -> dict[str, Any]:
    r = api.post("/cases", staff, filing_body(**overrides))
    assert r.status_code == 201, r.json()
    return r.json()


def _node(case: dict[str, Any], code: str) -> dict[str, Any]:
    return next(n for n in case["nodes"] if n["type"] == code)


def _error(r: Any, status: int, field: str | None) -> dict[str, Any]:
    body = r.json()
    assert r.status_code == status, body
    assert body["field"] == field, body
    assert body["detail"] and body["code"]
    return body


# -- filing ------------------------------------------------------------------------------------------


def test_file_case_with_two_debtors(api: Api, people: dict[str, Any]) -> None:
    api.token(people["clerk"])
    before = counts()
    r = api.post("/cases", people["clerk"], filing_body(principal="100000.00"))
    assert r.status_code == 201, r.json()
    case = r.json()

    assert case["number"] == "（2026）粤0106执1号"
    assert case["court"] == "粤0106"
    assert case["case_type"] == "执"
    assert case["status"] == "registered"
    assert case["filed_on"] == "2026-03-10"
    assert case["handler"] is None
    assert case["basis"]["instrument_type"] == "civil_judgment"
    assert case["basis"]["performance_deadline"] == "2025-12-15"
    assert case["claim"] == {
        "principal": "100000.00",
        "adjudged_interest": "2500.50",
        "litigation_costs": "1200.00",
        # 诉讼费用交纳办法 Art 14: 50 + (103,700.50 − 10,000) × 1.5 % = 1,455.51 (half-up)
        "application_fee": "1455.51",
        "paid_amount": "0.00",
        "claim_amount": "103700.50",
        # (100,000 + 1,200 litigation costs: the money debt other than general interest, 迟延履行利息解释
        # Art 1) × 85 days (16 Dec 2025 – 10 Mar 2026) × 0.0175 %
        "delay_interest": "1505.35",
        "delay_interest_on": "2026-03-10",
        "obligation": "money",
        "obligation_display": "金钱给付",
        "obligation_detail": "",
        "delay_charge": "",
    }
    assert case["excluded_periods"] == []
    # CPL-2023 Art 250: 2 years from 2025-12-15; applied 2026-03-09, in time.
    assert case["limitation"] == {"last_day": "2027-12-15", "expired": False, "message": ""}
    # CPL-2023 Art 237: 6 months from receipt (2026-03-09) → may apply to the higher court from 09-10.
    assert case["higher_court"] == {"last_day": "2026-09-09", "may_apply_from": "2026-09-10"}
    assert case["term_due"] == "2026-09-10"
    assert case["next_due_on"] == "2026-03-13"
    assert case["extension_months"] == 0
    nodes = {n["type"]: (n["started_on"], n["due_on"], n["status"], n["color"]) for n in case["nodes"]}
    assert nodes == {
        "decide_filing": ("2026-03-09", "2026-03-16", "done", "done"),
        "assign_handler": ("2026-03-10", "2026-03-17", "pending", "green"),
        "network_inquiry": ("2026-03-10", "2026-03-13", "pending", "green"),
        # 民诉解释 Art 480 (2022): from receipt of the application (9 March), not filing (issue 15).
        "notice": ("2026-03-09", "2026-03-19", "pending", "green"),
        "investigation": ("2026-03-10", "2026-04-10", "pending", "green"),
        "term": ("2026-03-10", "2026-09-10", "pending", "green"),
    }
    assert [(p["role"], p["name"], p["id_masked"]) for p in case["parties"]] == [
        ("applicant", "广州某银行股份有限公司", "9111**********341L"),
        ("debtor", "张三", "3604**********0071"),
        ("debtor", "李四", "1101**********002X"),
    ]
    assert case["parties"][1]["former_names"] == ["张叁"]
    assert case["suspensions"] == [] and case["extensions"] == [] and case["closing"] is None
    assert case["origin"] is None and case["resumed_cases"] == []
    # One case and one audit record ("case.file") written.
    assert counts() == (before[0] + 1, before[1] + 1)
    assert AuditRecord.objects.order_by("-id").first().action == "case.file"  # type: ignore[union-attr]

    second = _file(api, people["judge"], court="粤0106")
    assert second["number"] == "（2026）粤0106执2号"


def test_amount_as_json_number_is_exact(api: Api, people: dict[str, Any]) -> None:
    case = _file(api, people["clerk"], principal=1234.56, adjudged_interest=0, litigation_costs=0.1)
    assert case["claim"]["principal"] == "1234.56"
    assert case["claim"]["litigation_costs"] == "0.10"
    assert case["claim"]["claim_amount"] == "1234.66"


def test_detail_delay_interest_on_a_date(api: Api, people: dict[str, Any]) -> None:
    case = _file(api, people["clerk"])
    r = api.get(f"/cases/{case['id']}", people["bailiff"], on="2026-01-14")
    assert r.status_code == 200
    # (100,000 principal + 1,200 litigation costs: Art 1's money debt other than general interest)
    # × 30 days × 0.0175 %
    assert r.json()["claim"]["delay_interest"] == "531.30"
    assert r.json()["claim"]["delay_interest_on"] == "2026-01-14"
    assert (
        api.get(f"/cases/{case['id']}", people["bailiff"], on="2025-12-15").json()["claim"]["delay_interest"]
        == "0.00"
    )
    _error(api.get(f"/cases/{case['id']}", people["bailiff"], on="14/01/2026"), 422, "on")
    _error(api.get(f"/cases/{case['id']}", people["bailiff"], on="2026-02-30"), 422, "on")
    _error(api.get(f"/cases/{case['id']}", people["bailiff"], on="9999-12-31"), 422, "on")


def test_parties_masked_and_identity_audited(api: Api, people: dict[str, Any]) -> None:
    case = _file(api, people["clerk"])
    r = api.get(f"/cases/{case['id']}/parties", people["clerk"])
    assert r.status_code == 200
    debtor = r.json()[1]
    assert debtor["id_masked"] == "3604**********0071"
    assert "id_number" not in debtor and "phone" not in debtor

    api.token(people["judge"]), api.token(people["clerk"])
    before = counts()
    r = api.get(f"/parties/{debtor['id']}/identity", people["judge"])
    assert r.status_code == 200
    full = r.json()
    assert full["id_number"] == factories.VALID_IDS[2]
    assert full["birth_date"] == "1991-01-01" and full["sex"] == "M"
    assert full["phone"] == "13800000000"
    assert counts() == (before[0], before[1] + 1)
    rec = AuditRecord.objects.order_by("-id").first()
    assert rec is not None and rec.action == "party.view_identity" and rec.actor_id == people["judge"].pk

    before = counts()
    _error(api.get(f"/parties/{debtor['id']}/identity", people["clerk"]), 403, None)
    _error(api.get("/parties/999999/identity", people["judge"]), 404, None)
    assert counts() == before


def test_default_court_and_unaffiliated_user(
    api: Api, people: dict[str, Any], courts: dict[str, Any]
) -> None:
    case = _file(api, people["yx_judge"])
    assert case["number"] == "（2026）粤0104执1号"
    admin = factories.staff(None, "judge", username="nocourt")
    api.token(admin)
    before = counts()
    _error(api.post("/cases", admin, filing_body()), 403, None)
    assert counts() == before


# -- bad input -----------------------------------------------------------------------------------------


def _party(i: int, **changes: Any) -> list[dict[str, Any]]:
    parties = filing_body()["parties"]
    parties[i] = {**parties[i], **changes}
    return parties


BAD_FILINGS = [
    pytest.param(
        {"parties": _party(1, id_number="360426199101010072")}, 422, "parties[1].id_number", id="id-checksum"
    ),
    pytest.param(
        {"parties": _party(2, id_number="11010519491331002X")},
        422,
        "parties[2].id_number",
        id="id-birth-date",
    ),
    pytest.param(
        {"parties": _party(0, credit_code="91110000600037341M")},
        422,
        "parties[0].credit_code",
        id="credit-code-checksum",
    ),
    pytest.param(
        {"parties": _party(0, credit_code="91110000I00037341L")},
        422,
        "parties[0].credit_code",
        id="credit-code-letter",
    ),
    pytest.param({"parties": _party(1, id_number="")}, 422, "parties[1].id_number", id="person-without-id"),
    pytest.param({"parties": _party(1, name="张\x00三")}, 422, "parties[1].name", id="nul-in-name"),
    pytest.param({"parties": _party(1, role="witness")}, 422, "parties[1].role", id="unknown-role"),
    pytest.param({"parties": filing_body()["parties"][:1]}, 422, "parties", id="no-debtor"),
    pytest.param({"parties": []}, 422, "parties", id="no-parties"),
    pytest.param({"principal": "-100.00"}, 422, "principal", id="negative"),
    pytest.param({"principal": "100.005"}, 422, "principal", id="three-decimals"),
    pytest.param({"principal": 0.125}, 422, "principal", id="three-decimals-number"),
    pytest.param({"principal": "1000000000000.01"}, 422, "principal", id="absurd"),
    pytest.param({"principal": 1e300}, 422, "principal", id="absurd-number"),
    pytest.param({"principal": "1e5"}, 422, "principal", id="exponent"),
    pytest.param({"principal": "NaN"}, 422, "principal", id="nan"),
    pytest.param({"principal": True}, 422, "principal", id="boolean"),
    pytest.param({"principal": "1" * 33}, 422, "principal", id="too-long"),
    pytest.param({"litigation_costs": "-0.01"}, 422, "litigation_costs", id="negative-costs"),
    pytest.param(
        {"principal": "0", "adjudged_interest": "0", "litigation_costs": "0"},
        422,
        "principal",
        id="zero-claim",
    ),
    pytest.param(
        {"performance_deadline": "2025-11-30"}, 422, "performance_deadline", id="deadline-before-effective"
    ),
    pytest.param(
        {"performance_deadline": "2026-03-09"}, 422, "performance_deadline", id="period-not-expired"
    ),
    pytest.param({"filed_on": "2026-03-11"}, 422, "filed_on", id="filed-in-future"),
    pytest.param({"applied_on": "2026-03-11"}, 422, "applied_on", id="applied-after-filed"),
    pytest.param({"filed_on": "2026/03/10"}, 422, "filed_on", id="date-not-iso"),
    pytest.param({"filed_on": "2026-02-30"}, 422, "filed_on", id="date-impossible"),
    pytest.param({"filed_on": 1773072000}, 422, "filed_on", id="date-timestamp"),
    pytest.param({"effective_on": "1066-10-14"}, 422, "effective_on", id="date-out-of-range"),
    pytest.param({"court": "粤9999"}, 422, "court", id="unknown-court"),
    pytest.param({"court": "粤0104"}, 403, None, id="other-court"),
    pytest.param({"court": "粤01"}, 403, None, id="higher-court"),
    pytest.param({"instrument_type": "napkin"}, 422, "instrument_type", id="unknown-instrument"),
    pytest.param({"case_type": "执恢"}, 422, "case_type", id="resumption-type-directly"),
    pytest.param({"issuing_body": "院" * 65}, 422, "issuing_body", id="oversized-string"),
    pytest.param({"basis_number": "   "}, 422, "basis_number", id="blank-basis"),
]


@pytest.mark.parametrize(("overrides", "status", "field"), BAD_FILINGS)
def test_bad_filing_writes_nothing(
    api: Api, people: dict[str, Any], overrides: dict[str, Any], status: int, field: str | None
) -> None:
    api.token(people["clerk"])
    before = counts()
    _error(api.post("/cases", people["clerk"], filing_body(**overrides)), status, field)
    assert counts() == before


def test_missing_and_malformed_bodies(api: Api, people: dict[str, Any]) -> None:
    clerk = people["clerk"]
    api.token(clerk)
    before = counts()
    body = filing_body()
    del body["principal"]
    assert _error(api.post("/cases", clerk, body), 422, "principal")["detail"] == "参数“principal”为必填项"
    r = api.client.post(
        "/api/v1/cases", "{not json", content_type="application/json", headers=api.headers(clerk)
    )
    assert r.status_code == 400 and r.json()["code"] == "bad_json"
    r = api.client.post(
        "/api/v1/cases", "[1, 2]", content_type="application/json", headers=api.headers(clerk)
    )
    assert r.status_code == 422
    assert counts() == before


def test_duplicate_basis_and_debtor_needs_confirmation(api: Api, people: dict[str, Any]) -> None:
    first = _file(api, people["clerk"], basis_number="（2025）粤0106民初77号")
    # Same basis, one of the same debtors (李四), different applicant set-up.
    body = filing_body(
        basis_number="（2025）粤0106民初77号",
        parties=[filing_body()["parties"][0], filing_body()["parties"][2]],
    )
    before = counts()
    r = api.post("/cases", people["clerk"], body)
    err = _error(r, 409, "confirm_duplicate")
    assert err["code"] == "needs_confirmation"
    assert first["number"] in err["detail"]
    assert counts() == before

    r = api.post("/cases", people["clerk"], {**body, "confirm_duplicate": True})
    assert r.status_code == 201
    assert r.json()["number"] == "（2026）粤0106执2号"


def test_hostile_inputs_answer_4xx_json(api: Api, people: dict[str, Any]) -> None:
    """Inputs some databases refuse (NUL, lone surrogates, over-long text) never reach them."""
    clerk, judge = people["clerk"], people["judge"]
    cid = _file(api, clerk)["id"]
    headers = api.headers(judge)
    before = counts()

    def raw(path: str, body: str) -> Any:
        return api.client.post(f"/api/v1{path}", body, content_type="application/json", headers=headers)

    _error(raw(f"/cases/{cid}/extensions", '{"reason": "\\ud800"}'), 422, "reason")
    _error(raw(f"/cases/{cid}/extensions", '{"reason": "a\\u0000b"}'), 422, "reason")
    _error(raw(f"/cases/{cid}/extensions", '{"reason": Infinity}'), 422, "reason")
    _error(raw(f"/cases/{cid}/extensions", '"just a string"'), 422, "reason")
    assert (
        _error(raw(f"/cases/{cid}/extensions", "[" * 100_000 + "]" * 100_000), 400, None)["code"]
        == "bad_json"
    )
    big = raw(f"/cases/{cid}/extensions", '{"reason": "' + "x" * 3_000_000 + '"}')
    assert _error(big, 413, None)["code"] == "too_large"
    _error(
        api.post(
            f"/cases/{cid}/close",
            judge,
            {
                "mode": "terminated",
                "closed_on": "2026-03-10",
                "details": {"document_ref": "文" * 129, "ground": "other", "served_on": "2026-03-10"},
            },
        ),
        422,
        "details.document_ref",
    )
    _error(
        api.post(
            f"/cases/{cid}/close",
            judge,
            {
                "mode": "performed",
                "closed_on": "2026-03-10",
                "details": {"document_ref": "结案通知", "performed_amount": "abc", "how": "voluntary"},
            },
        ),
        422,
        "details.performed_amount",
    )
    _error(
        api.post(
            f"/cases/{cid}/close",
            judge,
            {"mode": "performed", "closed_on": "2026-03-10", "details": {"document_ref": "x", "\x00": "y"}},
        ),
        422,
        "details",
    )
    _error(api.get("/cases", judge, court="\x00"), 422, "court")
    _error(api.get("/cases", judge, debtor="张\x00"), 422, "debtor")
    _error(api.client.get("/api/v1/courts/%00/staff", headers=headers), 422, None)
    assert counts() == before

    r = api.post(
        f"/cases/{cid}/close",
        judge,
        {
            "mode": "performed",
            "closed_on": "2026-03-10",
            "details": {"document_ref": "结案通知", "performed_amount": "1,234.5", "how": "voluntary"},
        },
    )
    assert r.status_code == 200, r.json()
    assert r.json()["closing"]["details"]["performed_amount"] == "1234.50"


# -- list --------------------------------------------------------------------------------------------


@pytest.fixture
def listed(api: Api, people: dict[str, Any]) -> dict[str, Any]:
    """A: assigned to the judge, two debtors. B: registered. C: overdue (filed in February). D: 粤0104."""
    a = _file(api, people["clerk"])
    services.assign_case(people["director"], EnforcementCase.objects.get(pk=a["id"]), people["judge"])
    wang = {
        "role": "debtor",
        "kind": "person",
        "name": "王五",
        "id_number": factories.make_id(date(1980, 5, 6)),
    }
    zhao_id = factories.make_id(date(1975, 7, 8), seq=456)
    zhao = {"role": "debtor", "kind": "person", "name": "赵六", "id_number": zhao_id}
    applicant = filing_body()["parties"][0]
    b = _file(api, people["clerk"], filed_on="2026-03-09", applied_on="2026-03-09", parties=[applicant, wang])
    c = _file(api, people["clerk"], filed_on="2026-02-02", applied_on="2026-02-02", parties=[applicant, zhao])
    d = _file(api, people["yx_judge"], parties=[applicant, {**wang, "name": "钱七"}])
    return {"a": a["id"], "b": b["id"], "c": c["id"], "d": d["id"], "zhao_id": zhao_id}


def _ids(r: Any) -> list[int]:
    assert r.status_code == 200, r.json()
    return [c["id"] for c in r.json()["items"]]


def test_list_filters(api: Api, people: dict[str, Any], listed: dict[str, Any]) -> None:
    a, b, c, d = listed["a"], listed["b"], listed["c"], listed["d"]
    clerk, judge, gz = people["clerk"], people["judge"], people["gz_director"]
    assert _ids(api.get("/cases", clerk)) == [a, b, c]
    assert _ids(api.get("/cases", gz)) == [d, a, b, c]  # the intermediate court reads both basic courts
    assert _ids(api.get("/cases", people["yx_director"])) == [d]
    # court
    assert _ids(api.get("/cases", gz, court="粤0104")) == [d]
    assert _ids(api.get("/cases", clerk, court="粤0104")) == []
    # handler
    assert _ids(api.get("/cases", clerk, handler=judge.pk)) == [a]
    assert _ids(api.get("/cases", clerk, handler=people["judge2"].pk)) == []
    # mine
    assert _ids(api.get("/cases", judge, mine="true")) == [a]
    assert _ids(api.get("/cases", clerk, mine="true")) == []
    # status
    assert _ids(api.get("/cases", clerk, status="in_progress")) == [a]
    assert _ids(api.get("/cases", clerk, status="registered")) == [b, c]
    # overdue
    assert _ids(api.get("/cases", clerk, overdue="true")) == [c]
    item = api.get("/cases", clerk, overdue="true").json()["items"][0]
    assert item["overdue"] is True and item["debtors"] == "赵六"
    # debtor: name prefix, former name, exact ID number
    assert _ids(api.get("/cases", clerk, debtor="王")) == [b]
    assert _ids(api.get("/cases", clerk, debtor="张叁")) == [a]
    assert _ids(api.get("/cases", clerk, debtor=listed["zhao_id"])) == [c]
    # filed_from / filed_to
    assert _ids(api.get("/cases", clerk, filed_from="2026-03-09")) == [a, b]
    assert _ids(api.get("/cases", clerk, filed_to="2026-03-01")) == [c]
    assert _ids(api.get("/cases", clerk, filed_from="2026-03-01", filed_to="2026-03-09")) == [b]
    # combined
    assert _ids(api.get("/cases", gz, status="registered", filed_from="2026-03-01")) == [d, b]
    assert _ids(api.get("/cases", gz, status="registered", court="粤0106", filed_from="2026-03-01")) == [b]
    # bad filter values
    _error(api.get("/cases", clerk, status="lost"), 422, "status")
    _error(api.get("/cases", clerk, filed_from="2026/03/01"), 422, "filed_from")
    _error(api.get("/cases", clerk, handler="x"), 422, "handler")
    _error(api.get("/cases", clerk, handler=2**64), 422, "handler")
    _error(api.get("/cases", clerk, overdue="maybe"), 422, "overdue")
    _error(api.get("/cases", clerk, debtor="张" * 129), 422, "debtor")


def test_list_paging_with_cursor(api: Api, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    clerk = people["clerk"]
    made = []
    for day in ("2026-03-05", "2026-03-06", "2026-03-06", "2026-03-09", "2026-03-10"):
        made.append(_file(api, clerk, filed_on=day, applied_on="2026-03-05")["id"])
    expected = [made[4], made[3], made[2], made[1], made[0]]  # newest filing first, then newest id
    seen: list[int] = []
    cursor = ""
    pages = 0
    while True:
        r = api.get("/cases", clerk, size=2, cursor=cursor)
        seen += _ids(r)
        pages += 1
        cursor = r.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == expected and pages == 3
    assert api.get("/cases", clerk, size=2).json()["next_cursor"] == f"2026-03-09_{made[3]}"
    # size is capped, never refused for being large
    monkeypatch.setattr("zhixing.cases.api.MAX_PAGE_SIZE", 3)
    r = api.get("/cases", clerk, size=10_000)
    assert len(_ids(r)) == 3 and r.json()["next_cursor"] is not None
    _error(api.get("/cases", clerk, size=0), 422, "size")
    for bad in ("garbage", "2026-13-01_5", "2026-03-09_99999999999999999999", "2026-03-09_1_2"):
        _error(api.get("/cases", clerk, cursor=bad), 422, "cursor")


# -- node actions ------------------------------------------------------------------------------------


def test_every_node_action(api: Api, people: dict[str, Any], frozen: date) -> None:
    clerk, judge, director, president = (
        people["clerk"],
        people["judge"],
        people["director"],
        people["president"],
    )
    for s in (clerk, judge, director, president, people["judge2"], people["yx_judge"]):
        api.token(s)
    case = _file(api, clerk, filed_on="2026-03-02", applied_on="2026-03-02")
    cid = case["id"]
    assert case["number"] == "（2026）粤0106执1号"
    colors = {n["type"]: n["color"] for n in case["nodes"]}
    assert colors == {
        "decide_filing": "done",
        "assign_handler": "red",
        "network_inquiry": "red",
        "notice": "yellow",
        "investigation": "green",
        "term": "green",
    }
    assert case["term_due"] == "2026-09-02"

    # assign
    before = counts()
    _error(
        api.post(f"/cases/{cid}/assign", director, {"handler_id": people["yx_judge"].pk}), 422, "handler_id"
    )
    _error(
        api.post(f"/cases/{cid}/assign", director, {"handler_id": judge.pk, "team_id": 999}), 422, "team_id"
    )
    _error(api.post(f"/cases/{cid}/assign", judge, {"handler_id": judge.pk}), 403, None)
    assert counts() == before
    r = api.post(f"/cases/{cid}/assign", director, {"handler_id": judge.pk})
    assert r.status_code == 200, r.json()
    case = r.json()
    assert case["status"] == "in_progress" and case["handler"] == {"id": judge.pk, "name": judge.full_name}
    assert case["assigned_on"] == "2026-03-10"
    assert _node(case, "assign_handler")["status"] == "done"

    # complete a node
    inquiry = _node(case, "network_inquiry")
    before = counts()
    _error(api.post(f"/nodes/{inquiry['id']}/complete", clerk, {"document_ref": "  "}), 422, "document_ref")
    _error(
        api.post(
            f"/nodes/{inquiry['id']}/complete",
            clerk,
            {"document_ref": "查控-1", "completed_on": "2026-03-11"},
        ),
        422,
        "completed_on",
    )
    _error(api.post(f"/nodes/{inquiry['id']}/complete", clerk, {}), 422, "document_ref")
    assert counts() == before
    r = api.post(f"/nodes/{inquiry['id']}/complete", clerk, {"document_ref": "查控-1", "note": "已发起"})
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "done" and r.json()["color"] == "done"
    assert r.json()["document_ref"] == "查控-1" and r.json()["completed_on"] == "2026-03-10"
    before = counts()
    _error(api.post(f"/nodes/{inquiry['id']}/complete", clerk, {"document_ref": "查控-2"}), 409, None)
    auto = _node(case, "term")
    _error(api.post(f"/nodes/{auto['id']}/complete", clerk, {"document_ref": "x"}), 409, None)
    _error(api.post("/nodes/424242/complete", clerk, {"document_ref": "x"}), 404, None)
    assert counts() == before

    # add a node
    before = counts()
    _error(api.post(f"/cases/{cid}/nodes", judge, {"node_type": "tea_break"}), 422, "node_type")
    _error(api.post(f"/cases/{cid}/nodes", judge, {"node_type": "term"}), 422, "node_type")
    _error(
        api.post(f"/cases/{cid}/nodes", judge, {"node_type": "verify_lead", "started_on": "2026-03-01"}),
        422,
        "started_on",
    )
    assert counts() == before
    r = api.post(f"/cases/{cid}/nodes", judge, {"node_type": "verify_lead", "note": "申请人提供车辆线索"})
    assert r.status_code == 201, r.json()
    lead = r.json()
    assert (lead["type"], lead["started_on"], lead["due_on"], lead["status"]) == (
        "verify_lead",
        "2026-03-10",
        "2026-03-17",
        "pending",
    )

    # suspend
    before = counts()
    _error(
        api.post(
            f"/cases/{cid}/suspend", judge, {"ground": "whim", "start": "2026-03-03", "document_ref": "裁定"}
        ),
        422,
        "ground",
    )
    _error(
        api.post(
            f"/cases/{cid}/suspend",
            judge,
            {"ground": "objection", "start": "2026-03-01", "document_ref": "裁定"},
        ),
        422,
        "start",
    )
    _error(
        api.post(
            f"/cases/{cid}/suspend",
            clerk,
            {"ground": "objection", "start": "2026-03-03", "document_ref": "裁定"},
        ),
        403,
        None,
    )
    assert counts() == before
    r = api.post(
        f"/cases/{cid}/suspend",
        judge,
        {"ground": "objection", "start": "2026-03-03", "document_ref": "（2026）粤0106执1号之一"},
    )
    assert r.status_code == 200, r.json()
    case = r.json()
    assert case["status"] == "suspended" and case["term_due"] is None
    assert {n["color"] for n in case["nodes"] if n["status"] == "pending"} == {"paused"}
    assert case["suspensions"][0]["ground"] == "objection" and case["suspensions"][0]["end"] is None
    before = counts()
    _error(
        api.post(
            f"/cases/{cid}/suspend",
            judge,
            {"ground": "objection", "start": "2026-03-10", "document_ref": "裁定"},
        ),
        409,
        None,
    )
    _error(api.post(f"/nodes/{lead['id']}/complete", clerk, {"document_ref": "核查-1"}), 409, None)
    assert counts() == before

    # resume execution: 7 suspended days (3–9 March) push every pausable deadline
    before = counts()
    _error(
        api.post(f"/cases/{cid}/resume-execution", judge, {"on": "2026-03-02", "document_ref": "通知"}),
        422,
        "on",
    )
    _error(api.post(f"/cases/{cid}/resume-execution", judge, {"on": "2026-03-10"}), 422, "document_ref")
    assert counts() == before
    r = api.post(f"/cases/{cid}/resume-execution", judge, {"on": "2026-03-10", "document_ref": "恢复通知-1"})
    assert r.status_code == 200, r.json()
    case = r.json()
    assert case["status"] == "in_progress"
    assert case["term_due"] == "2026-09-09"
    assert case["suspensions"][0]["end"] == "2026-03-10"
    # a third-party objection does not stop the doubled interest (迟延履行利息解释 Art 3(3) names only
    # review and retrial): 85 days on 101,200 (principal + litigation costs)
    assert case["claim"]["delay_interest"] == "1505.35"
    before = counts()
    _error(
        api.post(f"/cases/{cid}/resume-execution", judge, {"on": "2026-03-10", "document_ref": "x"}),
        409,
        None,
    )
    assert counts() == before

    # extensions: request, approve; request, reject
    before = counts()
    _error(api.post(f"/cases/{cid}/extensions", judge, {"reason": " "}), 422, "reason")
    _error(api.post(f"/cases/{cid}/extensions", judge, {"reason": "理" * 201}), 422, "reason")
    assert counts() == before
    r = api.post(f"/cases/{cid}/extensions", judge, {"reason": "财产处置尚未完成"})
    assert r.status_code == 201, r.json()
    ext = r.json()
    assert ext["status"] == "requested" and ext["months"] == 3 and ext["requested_by"] == judge.full_name
    before = counts()
    _error(api.post(f"/cases/{cid}/extensions", judge, {"reason": "再次申请"}), 409, None)
    _error(api.post(f"/extensions/{ext['id']}/approve", director), 403, None)
    assert counts() == before
    r = api.post(f"/extensions/{ext['id']}/approve", president)
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "approved" and r.json()["decided_by"] == president.full_name
    case = api.get(f"/cases/{cid}", judge).json()
    assert case["extension_months"] == 3 and case["term_due"] == "2026-12-09"
    before = counts()
    _error(api.post(f"/extensions/{ext['id']}/approve", president), 409, None)
    _error(api.post(f"/extensions/{ext['id']}/reject", president), 409, None)
    assert counts() == before
    ext2 = api.post(f"/cases/{cid}/extensions", people["judge2"], {"reason": "第二次延长"}).json()
    r = api.post(f"/extensions/{ext2['id']}/reject", president)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    case = api.get(f"/cases/{cid}", judge).json()
    assert case["extension_months"] == 3 and [e["status"] for e in case["extensions"]] == [
        "rejected",
        "approved",
    ]

    # close: every missing or wrong field is named
    before = counts()
    close = f"/cases/{cid}/close"
    _error(
        api.post(close, judge, {"mode": "terminated", "closed_on": "2026-03-10"}), 422, "details.document_ref"
    )
    _error(
        api.post(
            close,
            judge,
            {"mode": "terminated", "closed_on": "2026-03-10", "details": {"document_ref": "终结裁定"}},
        ),
        422,
        "details.ground",
    )
    _error(
        api.post(
            close,
            judge,
            {
                "mode": "terminated",
                "closed_on": "2026-03-10",
                "details": {"document_ref": "终结裁定", "ground": "boredom"},
            },
        ),
        422,
        "details.ground",
    )
    _error(
        api.post(
            close,
            judge,
            {
                "mode": "dormant",
                "closed_on": "2026-03-10",
                "details": {
                    "document_ref": "终本裁定",
                    "interview_on": "2026-03-11",
                    "approval": "applicant_confirmed",
                    "investigation_summary": "无",
                },
            },
        ),
        422,
        "details.interview_on",
    )
    _error(
        api.post(
            close,
            judge,
            {
                "mode": "dormant",
                "closed_on": "2026-03-10",
                "details": {
                    "document_ref": "终本裁定",
                    "interview_on": "2026-03-09",
                    "approval": "applicant_confirmed",
                    "investigation_summary": "无",
                },
            },
        ),
        422,
        "closed_on",
    )
    _error(
        api.post(close, judge, {"mode": "performed", "closed_on": "2026-03-11", "details": {}}),
        422,
        "closed_on",
    )
    _error(api.post(close, judge, {"mode": "vanished", "closed_on": "2026-03-10"}), 422, "mode")
    _error(
        api.post(
            close,
            judge,
            {"mode": "terminated", "closed_on": "2026-03-10", "details": {"document_ref": ["not", "text"]}},
        ),
        422,
        "details.document_ref",
    )
    _error(
        api.post(
            close,
            clerk,
            {
                "mode": "terminated",
                "closed_on": "2026-03-10",
                "details": {"document_ref": "终结裁定", "ground": "applicant_withdraws"},
            },
        ),
        403,
        None,
    )
    assert counts() == before
    r = api.post(
        close,
        judge,
        {
            "mode": "terminated",
            "closed_on": "2026-03-10",
            "details": {
                "document_ref": "（2026）粤0106执1号之二",
                "ground": "applicant_withdraws",
                "served_on": "2026-03-10",
            },
        },
    )
    assert r.status_code == 200, r.json()
    case = r.json()
    assert case["status"] == "closed"
    assert case["closing"] == {
        "mode": "terminated",
        "mode_display": "终结执行",
        "closed_on": "2026-03-10",
        "details": {
            "document_ref": "（2026）粤0106执1号之二",
            "ground": "applicant_withdraws",
            "served_on": "2026-03-10",
        },
    }
    assert _node(case, "term")["status"] == "done"
    assert next(n for n in case["nodes"] if n["id"] == lead["id"])["color"] == "cancelled"

    # wrong state after closing
    before = counts()
    _error(
        api.post(
            close,
            judge,
            {
                "mode": "terminated",
                "closed_on": "2026-03-10",
                "details": {"document_ref": "x", "ground": "other"},
            },
        ),
        409,
        None,
    )
    _error(api.post(f"/cases/{cid}/assign", director, {"handler_id": people["judge2"].pk}), 409, None)
    _error(api.post(f"/cases/{cid}/nodes", judge, {"node_type": "verify_lead"}), 409, None)
    _error(api.post(f"/cases/{cid}/extensions", judge, {"reason": "结案后申请"}), 409, None)
    _error(
        api.post(
            f"/cases/{cid}/suspend",
            judge,
            {"ground": "objection", "start": "2026-03-10", "document_ref": "x"},
        ),
        409,
        None,
    )
    _error(
        api.post(f"/cases/{cid}/resume", judge, {"applied_on": "2026-03-11", "reason": "新财产"}),
        422,
        "applied_on",
    )
    _error(api.post(f"/cases/{cid}/resume", judge, {"applied_on": "2026-03-10", "reason": ""}), 422, "reason")
    assert counts() == before

    # resume (执恢): a new linked case
    r = api.post(
        f"/cases/{cid}/resume", judge, {"applied_on": "2026-03-10", "reason": "申请人发现被执行人新财产"}
    )
    assert r.status_code == 201, r.json()
    new = r.json()
    assert new["number"] == "（2026）粤0106执恢1号"
    assert new["origin"] == {"id": cid, "number": "（2026）粤0106执1号"}
    assert new["status"] == "registered" and len(new["parties"]) == 3
    original = api.get(f"/cases/{cid}", judge).json()
    assert original["resumed_cases"] == [{"id": new["id"], "number": new["number"]}]
    before = counts()
    _error(
        api.post(f"/cases/{new['id']}/resume", judge, {"applied_on": "2026-03-10", "reason": "再恢复"}),
        409,
        None,
    )
    assert counts() == before
    assert Node.objects.filter(case_id=new["id"]).count() == 6


def test_supervision(api: Api, people: dict[str, Any]) -> None:
    _file(api, people["clerk"], filed_on="2026-02-02", applied_on="2026-02-02")
    r = api.get("/supervision", people["director"])
    assert r.status_code == 200
    assert r.json() == [
        {
            "court": "粤0106",
            "court_name": "广州市天河区人民法院",
            "open_cases": 1,
            "overdue_nodes": 4,
            "term_overdue": 0,
            "handlers": [{"name": "未分案", "overdue_nodes": 4}],
        }
    ]
    rows = api.get("/supervision", people["gd_president"]).json()
    assert [row["court"] for row in rows] == ["粤", "粤01", "粤0104", "粤0106", "粤03", "粤0304"]
    _error(api.get("/supervision", people["judge"]), 403, None)


def test_reference(api: Api, people: dict[str, Any]) -> None:
    r = api.get("/reference", people["bailiff"])
    assert r.status_code == 200
    ref = r.json()
    assert "执" in [t["code"] for t in ref["case_types"]]
    assert "civil_judgment" in [t["code"] for t in ref["instrument_types"]]
    assert "verify_lead" in [t["code"] for t in ref["node_types"]]
    modes = {m["code"]: m for m in ref["closing_modes"]}
    assert set(modes) == {"performed", "dormant", "terminated", "withdrawn", "refused", "dismissed"}
    assert [f["name"] for f in modes["dormant"]["fields"]] == [
        "document_ref",
        "interview_on",
        "approval",
        "investigation_summary",
    ]
    assert {"code": "applicant_withdraws", "name": "申请人撤销申请"} in modes["terminated"]["fields"][1][
        "choices"
    ]
    assert {g["code"] for g in ref["suspension_grounds"]} == {
        "applicant_agrees",
        "objection",
        "heir_pending",
        "successor_pending",
        "retrial",
        "bankruptcy",
        "other",
    }


def test_unauthenticated_and_revoked(api: Api, people: dict[str, Any]) -> None:
    assert api.get("/cases", None).status_code == 401
    r = api.client.get("/api/v1/cases", headers={"Authorization": "Bearer zx_forged"})
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    api.token(people["clerk"])
    ApiToken.objects.update(revoked_at=timezone.now())
    assert api.get("/cases", people["clerk"]).status_code == 401


def test_issue_token_command(people: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("issue_token", "th_clerk", "案件管理系统对接")
    token = capsys.readouterr().out.strip()
    assert token.startswith("zx_")
    api = Api()
    r = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["username"] == "th_clerk"
    with pytest.raises(Exception, match="不存在"):
        call_command("issue_token", "nobody", "x")


def test_file_case_with_running_interest_and_instalments(api: Api, people: dict[str, Any]) -> None:
    """Issue 15 item 3: the API takes the rate and the instalments and shows them on the case."""
    body = filing_body(
        adjudged_interest="0",
        litigation_costs="0",
        effective_on="2025-11-01",
        performance_deadline="2026-06-30",
        interest_rate="3.65",
        interest_from="2025-11-01",
        instalments=[
            {"due_on": "2025-12-15", "amount": "40000"},
            {"due_on": "2026-06-30", "amount": "60000"},
        ],
    )
    r = api.post("/cases", people["clerk"], body)
    assert r.status_code == 201, r.json()
    basis = r.json()["basis"]
    assert (basis["interest_rate"], basis["interest_from"], basis["instalments"]) == (
        "3.6500",
        "2025-11-01",
        [
            {"seq": "1", "due_on": "2025-12-15", "amount": "40000.00"},
            {"seq": "2", "due_on": "2026-06-30", "amount": "60000.00"},
        ],
    )
    bad = api.post(
        "/cases",
        people["clerk"],
        {
            **body,
            "basis_number": "（2025）粤0106民初1号",
            "instalments": [{"due_on": "2025-12-15", "amount": "40000"}],
        },
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "instalments")
