"""Permission matrix over every inquiry page and action: 粤0106 roles, 粤01 director, 粤 president,
the sibling 粤0104 director, anonymous.

200 page / 302 done (redirect, not to the login page) / L redirect to login / 403 refused / 404 unreadable.
Each row's data is made once; every cell's request runs in a savepoint rolled back afterwards, so each
cell meets the same fresh data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.inquiry.conftest import open_case
from zhixing.inquiry import services
from zhixing.inquiry.models import Asset, CaseTriage, InquiryRequest, Partner

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


def _asset(p: dict[str, Any]) -> Asset:
    case = open_case(p)
    partner = Partner.objects.get(code="BANK-ICBC")
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=partner,
        category=partner.category,
        kind="account",
        ref="A1",
        value=Decimal("1000"),
        found_at=datetime.now(ZoneInfo("Asia/Shanghai")),
    )


def _request(p: dict[str, Any]) -> InquiryRequest:
    return services.request_control(p["judge"], _asset(p), "freeze", amount="10")


def case_page(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("inquiry_case", args=[open_case(p).pk]), {}


def case_requests(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("inquiry_case_requests", args=[open_case(p).pk]), {}


def start(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("inquiry_start", args=[open_case(p).pk]), {"categories": ["deposit"]}


def control(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("inquiry_control", args=[_asset(p).pk]), {"action": "freeze", "amount": "10"}


def approve(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("inquiry_approve", args=[_request(p).pk]), {}


def reject(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("inquiry_reject", args=[_request(p).pk]), {"reason": "理由"}


def _triaged(p: dict[str, Any]) -> Any:
    case = open_case(p)
    CaseTriage.objects.create(
        case=case,
        court=case.court,
        status="proposed",
        proposed="simple",
        reasons=[{"code": "act", "text": "r"}],
    )
    return case


def triage_page(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("triage_case", args=[_triaged(p).pk]), {}


def triage_decide(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("triage_decide", args=[_triaged(p).pk]), {"track": "complex", "reason": "线索"}


def triage_flag(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("triage_flag", args=[open_case(p).pk]), {"kind": "settlement", "note": "双方有和解意向"}


def triage_designate(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("triage_flag", args=[open_case(p).pk]), {
        "kind": "designated",
        "note": "（2026）粤01执监1号",
    }


def notice(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("inquiry_notice", args=[_request(p).pk]), {}


def page(name: str) -> Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]:
    def setup(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        _request(p)
        return reverse(name), {}

    return setup


def centralised_start(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("inquiry_centralised_start"), {"numbers": open_case(p).number, "categories": ["deposit"]}


ALL = "200 200 200 200 200 200 200 200 200 200 200 L"
MATRIX = [
    # The asset register: the roles whose work needs a person's property (Cap.ASSET_REGISTER_VIEW).
    ("case_page", "GET", case_page, "403 200 200 403 200 403 200 403 200 403 404 L"),
    # The live request list (polled by the case page): as the register it belongs to.
    ("case_requests", "GET", case_requests, "403 200 200 403 200 403 200 403 200 403 404 L"),
    ("start", "POST", start, "403 302 302 403 302 403 302 403 403 403 404 L"),
    ("control", "POST", control, "403 302 403 403 403 403 302 403 403 403 404 L"),
    ("approve", "POST", approve, "403 403 403 403 403 403 302 403 403 403 404 L"),
    ("reject", "POST", reject, "403 403 403 403 403 403 302 403 403 403 404 L"),
    # 繁简分流: read by who sees the register, decides or designates; decided by the case's bureau;
    # flags by the case's judge or director; designation only by a court above.
    ("triage_page", "GET", triage_page, "403 200 200 403 200 403 200 200 200 200 404 L"),
    ("triage_decide", "POST", triage_decide, "403 403 403 403 403 403 302 403 403 403 404 L"),
    ("triage_flag", "POST", triage_flag, "403 302 403 403 403 403 302 403 403 403 404 L"),
    ("triage_designate", "POST", triage_designate, "403 403 403 403 403 403 403 403 302 302 404 L"),
    ("triage_queue", "GET", page("triage_queue"), "403 403 403 403 200 403 200 200 200 200 200 L"),
    ("inquiry_dormant_registry", "GET", page("inquiry_dormant_registry"), ALL),
    ("notice", "GET", notice, "200 200 200 200 200 200 200 200 200 200 404 L"),
    # the approval queue answers only the roles of the approval chain (walk finding 2)
    ("approvals", "GET", page("inquiry_approvals"), "403 200 403 403 403 403 200 403 200 403 200 L"),
    ("log", "GET", page("inquiry_log"), ALL),
    # The log export: supervision (Cap.INQUIRY_LOG_EXPORT), each of its own and subordinate courts.
    ("log_export", "GET", page("inquiry_log_export"), "403 403 403 403 200 403 200 200 200 200 200 L"),
    ("centralised", "GET", page("inquiry_centralised"), ALL),
    ("centralised_start", "POST", centralised_start, "403 302 302 403 302 403 302 403 302 403 302 L"),
]


def outcome(resp: Any) -> str:
    if resp.status_code == 302:
        return "L" if "/login/" in resp["Location"] else "302"
    return str(resp.status_code)


@pytest.mark.parametrize(("name", "method", "setup", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_matrix(
    people: dict[str, Any], quiet: None, name: str, method: str, setup: Any, expected: str
) -> None:
    got = []
    url, data = setup(people)  # once: each caller's request runs in its own savepoint, rolled back
    for who in USERS:
        client = Client()
        if who != "anon":
            client.force_login(people[who])
        with transaction.atomic():
            resp = client.post(url, data) if method == "POST" else client.get(url)
            got.append(outcome(resp))
            transaction.set_rollback(True)
    assert " ".join(got) == expected, dict(zip(USERS, got, strict=True))


def test_api_permissions(people: dict[str, Any], quiet: None) -> None:
    case = open_case(people)
    url = f"/api/v1/inquiry/cases/{case.pk}/inquiries"
    for who, status in [("judge", 201), ("clerk", 403), ("gz_director", 403), ("yx_director", 404)]:
        client = Client()
        client.force_login(people[who])
        resp = client.post(url, {"categories": ["deposit"]}, content_type="application/json")
        assert resp.status_code == status, (who, resp.content)
    assert Client().post(url, {"categories": ["deposit"]}, content_type="application/json").status_code == 401
    assets = f"/api/v1/inquiry/cases/{case.pk}/assets"
    for who, status in [
        ("judge", 200),
        ("operator", 200),
        ("gz_director", 200),
        ("clerk", 403),
        ("finance", 403),
        ("gd_president", 403),
        ("yx_director", 404),
    ]:
        client = Client()
        client.force_login(people[who])
        assert client.get(assets).status_code == status, who


def test_list_pages_keep_a_query_budget(
    people: dict[str, Any], quiet: None, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        case = open_case(people)
        services.start_inquiry(people["judge"], case, ["deposit", "real_estate", "vehicle", "tax"])
        a = _asset(people)
        services.request_control(people["judge"], a, "freeze", amount="10")
    director, judge = Client(), Client()
    director.force_login(people["director"])
    judge.force_login(people["judge"])
    budgets = {"inquiry_log": 12, "inquiry_approvals": 12}
    for name, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert director.get(reverse(name)).status_code == 200
    # 30, plus a constant 3 whatever the rows: the costs recorded on the case (R-3.5.7, in the claim) and
    # the case's suspensions and excluded periods for assets found after the application.
    with django_assert_max_num_queries(33):
        assert judge.get(reverse("inquiry_case", args=[case.pk])).status_code == 200


def api_start(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/inquiry/cases/{open_case(p).pk}/inquiries", {"categories": ["deposit"]}


def api_assets(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/inquiry/cases/{_asset(p).case_id}/assets", {}


def api_approve(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/inquiry/requests/{_request(p).pk}/approve", {}


API_MATRIX = [
    ("api_start", "POST", api_start, "403 201 201 403 201 403 201 403 403 403 404 401"),
    ("api_assets", "GET", api_assets, "403 200 200 403 200 403 200 403 200 403 404 401"),
    ("api_approve", "POST", api_approve, "403 403 403 403 403 403 200 403 403 403 404 401"),
]


@pytest.mark.parametrize(("name", "method", "setup", "expected"), API_MATRIX, ids=[m[0] for m in API_MATRIX])
def test_api_matrix(
    people: dict[str, Any], quiet: None, name: str, method: str, setup: Any, expected: str
) -> None:
    got = []
    url, data = setup(people)  # once: each caller's request runs in its own savepoint, rolled back
    for who in USERS:
        client = Client()
        if who != "anon":
            client.force_login(people[who])
        with transaction.atomic():
            if method == "POST":
                resp = client.post(url, data, content_type="application/json")
            else:
                resp = client.get(url)
            got.append(str(resp.status_code))
            transaction.set_rollback(True)
    assert " ".join(got) == expected, dict(zip(USERS, got, strict=True))
