"""Permission matrix: every page and action URL × each 粤0106 role, the higher courts, a sibling, anonymous.

Each cell is the status the user gets for a *valid* request on a 粤0106 case in the state the action needs:
200 page / 302 done (redirect, not to the login page) / L redirect to the login page / 403 refused / 404 not
readable. Each row's data is made once and every cell runs on it fresh (a savepoint rolled back after each
request).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, reverse

from tests import factories
from tests.web.conftest import TODAY, close_withdrawn, filing_post, node, request_extension, suspend
from zhixing.cases import services, urls
from zhixing.cases.models import EnforcementCase

# backend_neutral: a role × route matrix decides the same on both databases; the PostgreSQL stage skips it
# (docs/adr/0029-postgresql-stage-runs-what-can-differ.md).
pytestmark = [pytest.mark.django_db, pytest.mark.backend_neutral]

USERS = [
    "clerk",
    "judge",
    "assistant",
    "bailiff",
    "operator",
    "finance",
    "director",
    "president",
    "gz_director",
    "gd_president",
    "yx_director",
    "anon",
]


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    setup: Callable[[dict[str, Any]], tuple[str, dict[str, str]]]  # people → (url, POST data)
    expected: str  # one status per USERS entry


def _case(people: dict[str, Any]) -> EnforcementCase:
    return factories.case(people["clerk"])


def _assigned(people: dict[str, Any]) -> EnforcementCase:
    return services.assign_case(people["director"], _case(people), people["judge"], on=date(2026, 3, 5))


def _page(name: str, args: bool = True) -> Callable[[dict[str, Any]], tuple[str, dict[str, str]]]:
    return lambda p: (reverse(name, args=[_case(p).pk] if args else []), {})


def _interest(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return reverse("case_interest", args=[_case(p).pk]) + "?until=2026-04-01", {}


def _file(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return reverse("case_file"), filing_post()


def _assign(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _case(p)
    return reverse("case_assign", args=[case.pk]), {
        "handler": str(p["judge"].pk),
        "assigned_on": "2026-03-10",
    }


def _batch_assign(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("case_batch_assign"), {"case": [str(_case(p).pk)], "handler": str(p["judge"].pk)}


def _complete(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _assigned(p)
    target = node(case, "network_inquiry")
    return reverse("node_complete", args=[case.pk, target.pk]), {
        "document_ref": "查控记录",
        "completed_on": "2026-03-10",
    }


def _add_node(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _assigned(p)
    return reverse("node_add", args=[case.pk]), {"node_type": "verify_lead", "started_on": "2026-03-10"}


def _suspend(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _assigned(p)
    return reverse("case_suspend", args=[case.pk]), {
        "ground": "other",
        "start": "2026-03-10",
        "document_ref": "裁定",
    }


def _resume_execution(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = suspend(_assigned(p), p["judge"])
    return reverse("case_resume_execution", args=[case.pk]), {"on": "2026-03-10", "document_ref": "通知"}


def _exclude(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _assigned(p)
    return reverse("excluded_start", args=[case.pk]), {
        "kind": "appraisal",
        "start": "2026-03-10",
        "document_ref": "委托评估书",
    }


def _exclude_end(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _assigned(p)
    period = services.start_excluded_period(
        p["judge"], case, kind="deferral", start=date(2026, 3, 6), document_ref="暂缓执行决定书"
    )
    return reverse("excluded_end", args=[case.pk, period.pk]), {"end": "2026-03-10", "document_ref": "恢复"}


def _extension(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _assigned(p)
    return reverse("extension_request", args=[case.pk]), {"reason": "财产处置"}


def _decide(name: str) -> Callable[[dict[str, Any]], tuple[str, dict[str, str]]]:
    def setup(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
        case = _assigned(p)
        ext = request_extension(case, p["judge"])
        return reverse(name, args=[case.pk, ext.pk]), {}

    return setup


def _close(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _assigned(p)
    return reverse("case_close", args=[case.pk]), {
        "mode": "withdrawn",
        "closed_on": "2026-03-10",
        "withdrawn__document_ref": "销案通知",
        "withdrawn__ground": "other",
    }


def _resume(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = close_withdrawn(_assigned(p), p["judge"])
    return reverse("case_resume", args=[case.pk]), {"applied_on": TODAY.isoformat(), "reason": "发现新财产"}


def _payment_order(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    data = {
        "order": "doubled,costs,interest,principal",
        "agreed_on": "2026-03-05",
        "document_ref": "和解协议1",
    }
    return reverse("case_payment_order", args=[_case(p).pk]), data


def _judgment_terms(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return reverse("case_judgment_terms", args=[_case(p).pk]), {"currency": "CNY", "document_ref": "判决书"}


def _identity(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _case(p)
    debtor = case.parties.get(role="debtor")
    return reverse("party_identity", args=[case.pk, debtor.pk]), {}


def _notice_issue(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return reverse("case_notice_issue", args=[_case(p).pk]), {}


def _notice_service(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _case(p)
    services.issue_notice(p["clerk"], case)
    return reverse("case_notice_service", args=[case.pk]), {"method": "personal", "act_on": "2026-03-10"}


def _asset_report(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _case(p)
    factories.serve_notice(case, p["clerk"])  # the 报告财产令 served with the notice on 2026-03-04
    debtor = case.parties.get(role="debtor")
    data = {"debtor": str(debtor.pk), "received_on": "2026-03-09", "summary": "银行存款2万元"}
    return reverse("case_asset_report_add", args=[case.pk]), data


def _cost(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    data = {
        "kind": "media_publication",
        "amount": "800.00",
        "incurred_on": "2026-03-09",
        "advanced_by": "court",
        "document_ref": "广州日报公告费发票No.001",
    }
    return reverse("case_cost_add", args=[_case(p).pk]), data


def _leaders_list(name: str, query: str) -> Callable[[dict[str, Any]], tuple[str, dict[str, str]]]:
    return lambda p: (f"{reverse(name)}{query}", {})


def _chart(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    _case(p)
    return reverse("supervision_chart", args=["courts"]) + "?court=粤0106", {}


def _issue_order(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    url = reverse("case_supervision_orders", args=[_assigned(p).pk])
    return url, {"text": "请尽快完成网络查控", "due_on": "2026-03-13"}


def _order(p: dict[str, Any]) -> Any:
    return services.issue_supervision_order(
        p["director"], _assigned(p), text="请尽快完成网络查控", due_on=date(2026, 3, 13)
    )


def _reply_order(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return reverse("supervision_order_reply", args=[_order(p).pk]), {"reply": "已发起查控"}


# fmt: off
# columns:                                        clerk judge asst bail oper fin dir pres gz gd yx anon
def _dormant_confirm(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return reverse("case_dormant_confirm", args=[_case(p).pk]), {
        "key": "on_site",
        "done_on": TODAY.isoformat(),
        "note": "到住所地调查，未发现财产",
    }


def _dormant_resume_request(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    case = _case(p)
    dormant = {"status": "dormant", "closing_mode": "dormant", "closed_on": TODAY}
    EnforcementCase.objects.filter(pk=case.pk).update(**dormant)
    return reverse("case_dormant_resume_request", args=[case.pk]), {"by": "张三", "reason": "发现车辆"}


def _settlement(p: dict[str, Any], paid: bool) -> Any:
    """An agreement signed on the filing day with one instalment due 2026-03-05: missed by TODAY, or
    paid in full (then the case may be closed as performed)."""
    from zhixing.cases.services import settlement

    case = _case(p)
    a = settlement.record_settlement(
        p["judge"],
        case,
        parties="张三；李四",
        signed_on=case.filed_on,
        document_ref="和解1号",
        instalments=[("2026-03-05", "1000")],
    )
    if paid:
        services.record_payment(case.pk, Decimal("1000"), date(2026, 3, 5), source="direct", reference="S-1")
    return a


def _settlement_record(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return reverse("case_settlement_record", args=[_case(p).pk]), {
        "parties": "张三；李四",
        "signed_on": TODAY.isoformat(),
        "document_ref": "和解1号",
        "due_on_1": "2026-04-10",
        "amount_1": "1000",
    }


def _settlement_resume(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    a = _settlement(p, paid=False)
    url = reverse("case_settlement_resume", args=[a.case_id, a.pk])
    return url, {"on": TODAY.isoformat(), "document_ref": "恢复1号"}


def _settlement_close(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    a = _settlement(p, paid=True)
    url = reverse("case_settlement_close", args=[a.case_id, a.pk])
    return url, {"closed_on": TODAY.isoformat(), "document_ref": "结1号"}


def _settlement_request_decide(p: dict[str, Any]) -> tuple[str, dict[str, str]]:
    from zhixing.cases.services import settlement_requests

    a = _settlement(p, paid=False)
    applicant = a.case.parties.filter(role="applicant").order_by("pk")[0]
    req = settlement_requests.file_resume_request(a.case, a.pk, party_id=applicant.pk, grounds="未付")
    url = reverse("case_settlement_request_decide", args=[a.case_id, a.pk, req.pk])
    return url, {"decision": "grant", "on": TODAY.isoformat(), "document_ref": "恢复1号"}


MATRIX = [
    Row("home", "GET", _page("home", False),           "200 200 200 200 200 200 200 200 200 200 200 L"),
    Row("case_list", "GET", _page("case_list", False), "200 200 200 200 200 200 200 200 200 200 200 L"),
    Row("case_file", "GET", _page("case_file", False), "200 200 200 403 403 403 200 403 200 403 200 L"),
    Row("case_file", "POST", _file,                    "302 302 302 403 403 403 302 403 302 403 302 L"),
    Row("case_detail", "GET", _page("case_detail"),    "200 200 200 200 200 200 200 200 200 200 404 L"),
    Row("case_interest", "GET", _interest,             "200 200 200 200 200 200 200 200 200 200 404 L"),
    Row("case_notice", "GET", _page("case_notice"),    "200 200 200 200 200 200 200 200 200 200 404 L"),
    Row("case_notice_issue", "POST", _notice_issue,    "302 302 302 403 403 403 302 403 403 403 404 L"),
    Row("case_notice_service", "POST", _notice_service,
                                                       "302 302 302 403 403 403 302 403 403 403 404 L"),
    Row("case_dormant", "GET", _page("case_dormant"),  "200 200 200 200 200 200 200 200 200 200 404 L"),
    Row("case_dormant_confirm", "POST", _dormant_confirm,
                                                       "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("case_dormant_resume_request", "POST", _dormant_resume_request,
                                                       "302 302 302 403 403 403 302 403 403 403 404 L"),
    Row("case_asset_reports", "GET", _page("case_asset_reports"),
                                                       "200 200 200 200 200 200 200 200 200 200 404 L"),
    Row("case_asset_report_add", "POST", _asset_report,
                                                       "302 302 302 403 403 403 302 403 403 403 404 L"),
    Row("case_costs", "GET", _page("case_costs"),   "200 200 200 200 200 200 200 200 200 200 404 L"),
    Row("case_cost_add", "POST", _cost,                "302 302 302 403 403 403 302 403 403 403 404 L"),
    Row("case_assign", "POST", _assign,                "403 403 403 403 403 403 302 302 403 403 404 L"),
    Row("case_batch_assign", "POST", _batch_assign,    "403 403 403 403 403 403 302 302 403 403 404 L"),
    Row("node_complete", "POST", _complete,            "302 302 302 403 403 403 302 403 403 403 404 L"),
    Row("node_add", "POST", _add_node,                 "302 302 302 403 403 403 302 403 403 403 404 L"),
    Row("case_suspend", "POST", _suspend,              "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("case_resume_execution", "POST", _resume_execution,
                                                       "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("excluded_start", "POST", _exclude,            "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("excluded_end", "POST", _exclude_end,          "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("extension_request", "POST", _extension,       "403 302 302 403 403 403 302 403 403 403 404 L"),
    Row("extension_approve", "POST", _decide("extension_approve"),
                                                       "403 403 403 403 403 403 403 302 403 403 404 L"),
    Row("extension_reject", "POST", _decide("extension_reject"),
                                                       "403 403 403 403 403 403 403 302 403 403 404 L"),
    Row("case_close", "POST", _close,                  "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("case_resume", "POST", _resume,                "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("case_payment_order", "POST", _payment_order,
                                                       "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("case_judgment_terms", "POST", _judgment_terms,
                                                       "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("party_identity", "POST", _identity,           "403 200 200 403 403 403 200 200 200 200 404 L"),
    Row("supervision", "GET", _page("supervision", False),
                                                       "403 403 403 403 200 403 200 200 200 200 200 L"),
    Row("supervision_nodes", "GET", _leaders_list("supervision_nodes", "?court=粤0106&tree=1"),
                                                       "403 403 403 403 200 403 200 200 200 200 404 L"),
    Row("supervision_cases", "GET", _leaders_list("supervision_cases", "?court=粤0106&kind=term_overdue"),
                                                       "403 403 403 403 200 403 200 200 200 200 404 L"),
    Row("supervision_chart", "GET", _chart,            "403 403 403 403 200 403 200 200 200 200 404 L"),
    Row("supervision_orders", "GET", _leaders_list("supervision_orders", "?view=mine"),
                                                       "200 200 200 200 200 200 200 200 200 200 200 L"),
    Row("supervision_orders_panel", "GET", _leaders_list("supervision_orders_panel", ""),
                                                       "200 200 200 200 200 200 200 200 200 200 200 L"),
    Row("case_supervision_orders", "GET", _page("case_supervision_orders"),
                                                       "200 200 200 200 200 200 200 200 200 200 404 L"),
    Row("case_supervision_orders", "POST", _issue_order,
                                                       "403 403 403 403 403 403 302 302 302 302 404 L"),
    Row("supervision_order_reply", "POST", _reply_order,
                                                       "403 302 403 403 403 403 403 403 403 403 404 L"),
    Row("case_settlement", "GET", _page("case_settlement"),
                                                       "200 200 200 200 200 200 200 200 200 200 404 L"),
    Row("case_settlement_record", "POST", _settlement_record,
                                                       "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("case_settlement_resume", "POST", _settlement_resume,
                                                       "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("case_settlement_close", "POST", _settlement_close,
                                                       "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("case_settlement_request_decide", "POST", _settlement_request_decide,
                                                       "403 302 403 403 403 403 302 403 403 403 404 L"),
    Row("login", "GET", _page("login", False),         "302 302 302 302 302 302 302 302 302 302 302 200"),
]
# fmt: on


def _outcome(response: Any) -> str:
    if response.status_code == 302 and response["Location"].startswith("/login/"):
        return "L"
    return str(response.status_code)


@pytest.mark.parametrize("row", MATRIX, ids=[f"{r.name}-{r.method}" for r in MATRIX])
def test_permission_matrix(row: Row, people, login, frozen):
    expected = dict(zip(USERS, row.expected.split(), strict=True))
    got: dict[str, str] = {}
    url, data = row.setup(people)  # once: each caller's request runs in its own savepoint, rolled back
    for who in USERS:
        client = login(None if who == "anon" else people[who])
        sid = transaction.savepoint()
        try:
            response = client.post(url, data) if row.method == "POST" else client.get(url)
            got[who] = _outcome(response)
        finally:
            transaction.savepoint_rollback(sid)
    assert got == expected


def test_every_url_pattern_has_a_row():
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names - {r.name for r in MATRIX} == set()


def test_refused_writes_change_nothing(people, login, frozen):
    """A 403 writes nothing: the higher court's director cannot assign, close or suspend a 粤0106 case."""
    case = _case(people)
    client = login(people["gz_director"])
    assert (
        client.post(
            reverse("case_assign", args=[case.pk]),
            {"handler": people["judge"].pk, "assigned_on": "2026-03-10"},
        ).status_code
        == 403
    )
    response = client.post(reverse("case_close", args=[case.pk]), {"mode": "withdrawn"})
    assert response.status_code == 403
    assert "无权执行此操作（403）" in response.content.decode()
    case = EnforcementCase.objects.get(pk=case.pk)
    assert case.handler_id is None and case.status == "registered"
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="actions"' not in page  # and nothing is offered
