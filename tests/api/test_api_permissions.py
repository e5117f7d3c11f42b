"""Permission matrix: every API endpoint × every kind of caller → the expected status.

The case under test belongs to 天河 (粤0106). Callers: each role of 粤0106; the bureau director of the
intermediate court above it (粤01) and the president of the high court (粤), who read but never write;
the director of the sibling court 粤0104, who may not even learn that the case exists (404); and an
anonymous client (401). Each endpoint is prepared in the state where its action is allowed, so the
status depends only on who calls.

`test_matrix_covers_every_route` fails when an endpoint is added to the API without a row here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
import time_machine

from zhixing.cases import services
from zhixing.cases.models import EnforcementCase, ExcludedPeriod, Extension, Node, Party
from zhixing.config.api import api as ninja_api

from .. import factories
from .conftest import NOW, Api, counts, filing_body

# backend_neutral: a role × route matrix decides the same on both databases; the PostgreSQL stage skips it
# (docs/adr/0029-postgresql-stage-runs-what-can-differ.md).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen"), pytest.mark.backend_neutral]


@pytest.fixture(scope="module")
def people(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The callers, made once for the module (at the `frozen` moment) and rolled back at its end: each of
    the ~600 cells runs in its own savepoint, and making a province of staff was most of a cell's cost."""
    from tests.conftest import rolled_back, staff_of

    with rolled_back(django_db_blocker), time_machine.travel(NOW, tick=False):
        yield staff_of(factories.province())


CALLERS = (
    "judge",
    "assistant",
    "clerk",
    "bailiff",
    "operator",
    "finance",
    "director",
    "president",
    "gz_director",
    "gd_president",
    "yx_director",
    "anonymous",
)

# fmt: off
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    #                                          judge asst clerk bail oper fin  dir  pres 粤01 粤  粤0104 anon
    ("GET", "/cases"):                         (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "/cases"):                        (201, 201, 201, 403, 403, 403, 201, 403, 403, 403, 403, 401),
    ("GET", "/cases/{case_id}"):               (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 401),
    ("GET", "/cases/{case_id}/parties"):       (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 401),
    ("GET", "/parties/{party_id}/identity"):   (200, 200, 403, 403, 403, 403, 200, 200, 200, 200, 404, 401),
    ("POST", "/cases/{case_id}/assign"):       (403, 403, 403, 403, 403, 403, 200, 200, 403, 403, 404, 401),
    ("POST", "/nodes/{node_id}/complete"):     (200, 200, 200, 403, 403, 403, 200, 403, 403, 403, 404, 401),
    ("POST", "/cases/{case_id}/nodes"):        (201, 201, 201, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("POST", "/cases/{case_id}/suspend"):      (200, 403, 403, 403, 403, 403, 200, 403, 403, 403, 404, 401),
    ("POST", "/cases/{case_id}/resume-execution"):
                                               (200, 403, 403, 403, 403, 403, 200, 403, 403, 403, 404, 401),
    ("POST", "/cases/{case_id}/excluded-periods"):
                                               (201, 403, 403, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("POST", "/excluded-periods/{period_id}/end"):
                                               (200, 403, 403, 403, 403, 403, 200, 403, 403, 403, 404, 401),
    ("POST", "/cases/{case_id}/extensions"):   (201, 201, 403, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("POST", "/extensions/{ext_id}/approve"):  (403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 404, 401),
    ("POST", "/extensions/{ext_id}/reject"):   (403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 404, 401),
    ("POST", "/cases/{case_id}/close"):        (200, 403, 403, 403, 403, 403, 200, 403, 403, 403, 404, 401),
    ("POST", "/cases/{case_id}/resume"):       (201, 403, 403, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("GET", "/cases/{case_id}/schedule"):      (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 401),
    ("GET", "/preservations"):                 (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "/cases/{case_id}/preservations"): (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 401),
    ("POST", "/cases/{case_id}/payment-order"):
                                               (201, 403, 403, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("POST", "/cases/{case_id}/judgment-terms"):
                                               (201, 403, 403, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("GET", "/cases/{case_id}/notice"):        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 401),
    ("POST", "/cases/{case_id}/notice"):       (201, 201, 201, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("POST", "/cases/{case_id}/notice/service"):
                                               (200, 200, 200, 403, 403, 403, 200, 403, 403, 403, 404, 401),
    ("GET", "/cases/{case_id}/asset-reports"): (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 401),
    ("POST", "/cases/{case_id}/asset-reports"):
                                               (201, 201, 201, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("GET", "/cases/{case_id}/costs"):         (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 401),
    ("POST", "/cases/{case_id}/costs"):        (201, 201, 201, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("GET", "/supervision"):                   (403, 403, 403, 403, 200, 403, 200, 200, 200, 200, 200, 401),
    ("POST", "/batch-assignments"):            (403, 403, 403, 403, 403, 403, 200, 200, 403, 403, 404, 401),
    ("GET", "/caseloads"):                     (403, 403, 403, 403, 200, 403, 200, 200, 200, 200, 200, 401),
    ("GET", "/supervision/charts/{name}"):     (403, 403, 403, 403, 200, 403, 200, 200, 200, 200, 404, 401),
    ("GET", "/cases/{case_id}/supervision-orders"):
                                               (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 401),
    ("POST", "/cases/{case_id}/supervision-orders"):
                                               (403, 403, 403, 403, 403, 403, 201, 201, 201, 201, 404, 401),
    ("POST", "/supervision-orders/{order_id}/reply"):
                                               (200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 404, 401),
    ("GET", "/supervision-orders"):            (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "/reference"):                     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401),
    # courts router (read-only); another court's staff list is refused, not hidden
    ("GET", "/courts"):                        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "/courts/{code}/staff"):           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401),
    ("GET", "/me"):                            (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401),
    # Issue 20: coercive measures (the president approves), the refusal referral, 执转破.
    ("GET", "/cases/{case_id}/coercive-measures"):
                                               (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 401),
    ("POST", "/cases/{case_id}/coercive-measures"):
                                               (201, 403, 403, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("POST", "/coercive-measures/{measure_id}/decision"):
                                               (403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 404, 401),
    ("POST", "/coercive-measures/{measure_id}/service"):
                                               (200, 403, 403, 403, 403, 403, 200, 403, 403, 403, 404, 401),
    ("POST", "/coercive-measures/{measure_id}/review"):
                                               (200, 403, 403, 403, 403, 403, 200, 403, 403, 403, 404, 401),
    ("POST", "/coercive-measures/{measure_id}/start"):
                                               (200, 403, 403, 403, 403, 403, 200, 403, 403, 403, 404, 401),
    ("POST", "/coercive-measures/{measure_id}/family-notice"):
                                               (200, 403, 403, 403, 403, 403, 200, 403, 403, 403, 404, 401),
    ("POST", "/cases/{case_id}/refusal-referrals"):
                                               (201, 403, 403, 403, 403, 403, 201, 403, 403, 403, 404, 401),
    ("GET", "/bankruptcy/candidates"):         (200, 403, 403, 403, 200, 403, 200, 200, 200, 200, 200, 401),
    ("POST", "/bankruptcy/transfers"):         (403, 403, 403, 403, 403, 403, 403, 201, 403, 403, 403, 401),
}
# fmt: on


def _case(people: dict[str, Any]) -> EnforcementCase:
    return factories.case(people["clerk"], filed_on=date(2026, 3, 9), applied_on=date(2026, 3, 9))


def _assigned(people: dict[str, Any]) -> EnforcementCase:
    return services.assign_case(people["director"], _case(people), people["judge"], on=date(2026, 3, 10))


def _reporting(people: dict[str, Any]) -> EnforcementCase:
    case = _case(people)
    factories.serve_notice(case, people["clerk"])  # the 报告财产令 served with the notice on the filing day
    return case


def _asset_report_post(case: EnforcementCase) -> tuple[str, dict[str, Any]]:
    debtor = case.parties.get(role="debtor")
    return (
        f"/cases/{case.pk}/asset-reports",
        {"debtor_id": debtor.pk, "received_on": "2026-03-10", "summary": "银行存款2万元"},
    )


def _noticed(people: dict[str, Any]) -> EnforcementCase:
    case = _case(people)
    services.issue_notice(people["clerk"], case)
    return case


def _order(people: dict[str, Any]) -> Any:
    return services.issue_supervision_order(
        people["director"], _assigned(people), text="请尽快完成网络查控", due_on=date(2026, 3, 13)
    )


def _extension(people: dict[str, Any]) -> Extension:
    # Requested by the second judge, so no caller is deciding their own request.
    return services.request_extension(people["judge2"], _case(people), reason="财产处置尚未完成")


def _closed(people: dict[str, Any]) -> EnforcementCase:
    case = _case(people)
    return services.close_case(
        people["judge"],
        case,
        mode="terminated",
        closed_on=date(2026, 3, 10),
        details={"document_ref": "终结裁定", "ground": "applicant_withdraws", "served_on": "2026-03-10"},
    )


def _suspended(people: dict[str, Any]) -> EnforcementCase:
    case = _case(people)
    services.suspend_case(
        people["judge"], case, ground="objection", start=date(2026, 3, 9), document_ref="中止裁定"
    )
    return case


def _excluded(people: dict[str, Any]) -> ExcludedPeriod:
    return services.start_excluded_period(
        people["judge"], _case(people), kind="deferral", start=date(2026, 3, 9), document_ref="暂缓执行决定书"
    )


Setup = Callable[[dict[str, Any]], tuple[str, Any]]


# -- issue 20 set-ups --------------------------------------------------------------------------------

COMPANY = "91440101590000000X"


def _debtor_id(case: EnforcementCase) -> int:
    return Party.objects.get(case=case, role=Party.Role.DEBTOR).pk


def _measure(
    p: dict[str, Any], kind: str, *, approve: bool = True, served: bool = False, started: bool = False
) -> Any:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from zhixing.cases.services import coercion

    case = _case(p)
    extra = {"amount": "1000"} if kind == "fine" else {"days": "5", "custody": "拘留所"}
    m = coercion.propose_measure(
        p["judge"], case, kind=kind, party_id=_debtor_id(case), act="拒不报告财产", **extra
    )
    if approve:
        m = coercion.decide_measure(p["president"], m, approve=True)
    if served:
        m = coercion.record_service(p["judge"], m, served_on=date(2026, 3, 10))
    if started:
        at = datetime(2026, 3, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
        m = coercion.record_start(p["judge"], m, started_at=at)
    return m


def _company(p: dict[str, Any]) -> str:
    for principal in ("200000.00", "100000.00"):
        factories.case(
            p["clerk"],
            principal=principal,
            parties=[
                services.PartyData(
                    role="applicant", kind="person", name="李四", id_number=factories.VALID_IDS[1]
                ),
                services.PartyData(
                    role="debtor", kind="organisation", name="广州某贸易有限公司", credit_code=COMPANY
                ),
            ],
        )
    return COMPANY


SETUPS: dict[tuple[str, str], Setup] = {
    ("GET", "/cases"): lambda p: ("/cases", None),
    ("POST", "/cases"): lambda p: ("/cases", filing_body(court="粤0106")),
    ("GET", "/cases/{case_id}"): lambda p: (f"/cases/{_case(p).pk}", None),
    ("GET", "/cases/{case_id}/parties"): lambda p: (f"/cases/{_case(p).pk}/parties", None),
    ("GET", "/parties/{party_id}/identity"): lambda p: (
        f"/parties/{Party.objects.filter(case=_case(p), role='debtor').first().pk}/identity",
        None,
    ),  # type: ignore[union-attr]
    ("POST", "/cases/{case_id}/assign"): lambda p: (
        f"/cases/{_case(p).pk}/assign",
        {"handler_id": p["judge"].pk},
    ),
    ("POST", "/nodes/{node_id}/complete"): lambda p: (
        f"/nodes/{Node.objects.get(case=_case(p), node_type__code='network_inquiry').pk}/complete",
        {"document_ref": "查控-1"},
    ),
    ("POST", "/cases/{case_id}/nodes"): lambda p: (
        f"/cases/{_case(p).pk}/nodes",
        {"node_type": "verify_lead"},
    ),
    ("POST", "/cases/{case_id}/suspend"): lambda p: (
        f"/cases/{_case(p).pk}/suspend",
        {"ground": "objection", "start": "2026-03-10", "document_ref": "中止裁定"},
    ),
    ("POST", "/cases/{case_id}/resume-execution"): lambda p: (
        f"/cases/{_suspended(p).pk}/resume-execution",
        {"on": "2026-03-10", "document_ref": "恢复执行通知"},
    ),
    ("POST", "/cases/{case_id}/excluded-periods"): lambda p: (
        f"/cases/{_case(p).pk}/excluded-periods",
        {"kind": "appraisal", "start": "2026-03-10", "document_ref": "委托评估书"},
    ),
    ("POST", "/excluded-periods/{period_id}/end"): lambda p: (
        f"/excluded-periods/{_excluded(p).pk}/end",
        {"end": "2026-03-10", "document_ref": "恢复执行"},
    ),
    ("POST", "/cases/{case_id}/extensions"): lambda p: (
        f"/cases/{_case(p).pk}/extensions",
        {"reason": "需评估拍卖"},
    ),
    ("POST", "/extensions/{ext_id}/approve"): lambda p: (f"/extensions/{_extension(p).pk}/approve", None),
    ("POST", "/extensions/{ext_id}/reject"): lambda p: (f"/extensions/{_extension(p).pk}/reject", None),
    ("POST", "/cases/{case_id}/close"): lambda p: (
        f"/cases/{_case(p).pk}/close",
        {
            "mode": "terminated",
            "closed_on": "2026-03-10",
            "details": {
                "document_ref": "终结裁定",
                "ground": "applicant_withdraws",
                "served_on": "2026-03-10",
            },
        },
    ),
    ("POST", "/cases/{case_id}/resume"): lambda p: (
        f"/cases/{_closed(p).pk}/resume",
        {"applied_on": "2026-03-10", "reason": "发现新财产"},
    ),
    ("GET", "/cases/{case_id}/schedule"): lambda p: (f"/cases/{_case(p).pk}/schedule?on=2026-04-01", None),
    ("GET", "/preservations"): lambda p: ("/preservations", None),
    ("GET", "/cases/{case_id}/preservations"): lambda p: (f"/cases/{_case(p).pk}/preservations", None),
    ("POST", "/cases/{case_id}/payment-order"): lambda p: (
        f"/cases/{_case(p).pk}/payment-order",
        {"order": "doubled,costs,interest,principal", "agreed_on": "2026-03-09", "document_ref": "和解协议"},
    ),
    ("POST", "/cases/{case_id}/judgment-terms"): lambda p: (
        f"/cases/{_case(p).pk}/judgment-terms",
        {"currency": "CNY", "document_ref": "判决书"},
    ),
    ("GET", "/cases/{case_id}/notice"): lambda p: (f"/cases/{_noticed(p).pk}/notice", None),
    ("POST", "/cases/{case_id}/notice"): lambda p: (f"/cases/{_case(p).pk}/notice", {}),
    ("POST", "/cases/{case_id}/notice/service"): lambda p: (
        f"/cases/{_noticed(p).pk}/notice/service",
        {"method": "personal", "act_on": "2026-03-10"},
    ),
    ("GET", "/cases/{case_id}/asset-reports"): lambda p: (f"/cases/{_reporting(p).pk}/asset-reports", None),
    ("POST", "/cases/{case_id}/asset-reports"): lambda p: _asset_report_post(_reporting(p)),
    ("GET", "/cases/{case_id}/costs"): lambda p: (f"/cases/{_case(p).pk}/costs", None),
    ("POST", "/cases/{case_id}/costs"): lambda p: (
        f"/cases/{_case(p).pk}/costs",
        {
            "kind": "media_publication",
            "amount": "800.00",
            "incurred_on": "2026-03-09",
            "advanced_by": "court",
            "document_ref": "广州日报公告费发票No.001",
        },
    ),
    ("GET", "/supervision"): lambda p: ("/supervision", None),
    ("POST", "/batch-assignments"): lambda p: (
        "/batch-assignments",
        {"case_ids": [_case(p).pk], "handler_id": p["judge"].pk},
    ),
    ("GET", "/caseloads"): lambda p: ("/caseloads", None),
    ("GET", "/supervision/charts/{name}"): lambda p: ("/supervision/charts/courts?court=粤0106", None),
    ("GET", "/cases/{case_id}/supervision-orders"): lambda p: (
        f"/cases/{_order(p).case_id}/supervision-orders",
        None,
    ),
    ("POST", "/cases/{case_id}/supervision-orders"): lambda p: (
        f"/cases/{_assigned(p).pk}/supervision-orders",
        {"text": "请尽快完成网络查控", "due_on": "2026-03-13"},
    ),
    ("POST", "/supervision-orders/{order_id}/reply"): lambda p: (
        f"/supervision-orders/{_order(p).pk}/reply",
        {"reply": "已发起查控"},
    ),
    ("GET", "/supervision-orders"): lambda p: ("/supervision-orders?view=mine", None),
    ("GET", "/reference"): lambda p: ("/reference", None),
    ("GET", "/courts"): lambda p: ("/courts", None),
    ("GET", "/courts/{code}/staff"): lambda p: ("/courts/粤0106/staff", None),
    ("GET", "/me"): lambda p: ("/me", None),
    ("GET", "/cases/{case_id}/coercive-measures"): lambda p: (
        f"/cases/{_case(p).pk}/coercive-measures",
        None,
    ),
    ("POST", "/cases/{case_id}/coercive-measures"): lambda p: (
        f"/cases/{(c := _case(p)).pk}/coercive-measures",
        {"kind": "fine", "party_id": _debtor_id(c), "act": "拒不报告财产", "amount": "1000"},
    ),
    ("POST", "/coercive-measures/{measure_id}/decision"): lambda p: (
        f"/coercive-measures/{_measure(p, 'fine', approve=False).pk}/decision",
        {"approve": True},
    ),
    ("POST", "/coercive-measures/{measure_id}/service"): lambda p: (
        f"/coercive-measures/{_measure(p, 'fine').pk}/service",
        {"served_on": "2026-03-10"},
    ),
    ("POST", "/coercive-measures/{measure_id}/review"): lambda p: (
        f"/coercive-measures/{_measure(p, 'fine', served=True).pk}/review",
        {"applied_on": "2026-03-10"},
    ),
    ("POST", "/coercive-measures/{measure_id}/start"): lambda p: (
        f"/coercive-measures/{_measure(p, 'detention').pk}/start",
        {"at": "2026-03-10T09:00:00+08:00"},
    ),
    ("POST", "/coercive-measures/{measure_id}/family-notice"): lambda p: (
        f"/coercive-measures/{_measure(p, 'detention', started=True).pk}/family-notice",
        {"at": "2026-03-10T09:30:00+08:00"},
    ),
    ("POST", "/cases/{case_id}/refusal-referrals"): lambda p: (
        f"/cases/{(c := _case(p)).pk}/refusal-referrals",
        {
            "party_id": _debtor_id(c),
            "situations": ["3.1"],
            "facts": "放弃债权",
            "receiver": "天河分局",
            "referred_on": "2026-03-10",
        },
    ),
    ("GET", "/bankruptcy/candidates"): lambda p: ("/bankruptcy/candidates", None),
    ("POST", "/bankruptcy/transfers"): lambda p: (
        "/bankruptcy/transfers",
        {
            "debtor_key": _company(p),
            "consent_by": "debtor",
            "consent_ref": "同意书",
            "decision_ref": "决定书",
            "receiving_court": "广州市中级人民法院",
        },
    ),
}

ROWS = [
    pytest.param(method, route, caller, expected, id=f"{method} {route} as {caller}")
    for (method, route), statuses in MATRIX.items()
    for caller, expected in zip(CALLERS, statuses, strict=True)
]


def test_matrix_covers_every_route() -> None:
    """Every cases and courts operation the API serves has a row (other domains keep their own matrix)."""
    paths = ninja_api.get_openapi_schema()["paths"]
    routes = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, ops in paths.items()
        for method, op in ops.items()
        if re.match(r"zhixing_(cases|courts)_api_", op["operationId"])
        # The 终本 checklist API keeps its own caller matrix with the checklist's setup
        # (tests/services/test_dormant_closing.py::test_dormant_api_and_its_permissions).
        and not op["operationId"].startswith("zhixing_cases_api_dormant_")
        # Settlement agreements too (tests/services/test_settlement.py::test_page_and_api_permissions).
        and not op["operationId"].startswith("zhixing_cases_api_settlement_")
    }
    assert routes == set(MATRIX)
    assert set(SETUPS) == set(MATRIX)


@pytest.mark.parametrize(("method", "route", "caller", "expected"), ROWS)
def test_permission(
    api: Api, people: dict[str, Any], method: str, route: str, caller: str, expected: int
) -> None:
    staff = None if caller == "anonymous" else people[caller]
    path, body = SETUPS[(method, route)](people)
    if staff is not None:
        api.token(staff)
    before = counts()
    r = api.get(path, staff) if method == "GET" else api.post(path, staff, body)
    assert r.status_code == expected, r.json()
    if expected >= 400:
        assert set(r.json()) >= {"detail", "field", "code"}
        assert counts() == before  # a refused request writes nothing
    if caller == "yx_director" and (method, route) == ("GET", "/cases"):
        assert r.json()["items"] == []  # the sibling court sees none of 天河's cases
