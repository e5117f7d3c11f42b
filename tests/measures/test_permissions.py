"""Permission matrix over every measures page and action: 粤0106 roles, 粤01 director, 粤 president,
the sibling 粤0104 director, anonymous. 200 page / 302 done / L login / 403 refused / 404 unreadable.
Each row's data is made once; every cell's request runs in a savepoint rolled back afterwards, so each
cell meets the same fresh data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.credit.conftest import open_listing_data
from tests.inquiry.conftest import open_case_not_due
from tests.inquiry.test_controls import account, freeze
from zhixing.cases.models import EnforcementCase
from zhixing.cases.services.performance import record_payment
from zhixing.credit import services as credit_services
from zhixing.measures.models import Consequence, Proposal

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


def paid_case(p: dict[str, Any]) -> EnforcementCase:
    """A case whose debtor is listed and whose account is frozen, then paid in full: open proposals."""
    case = open_case_not_due(p, date(2026, 12, 31))
    EnforcementCase.objects.filter(pk=case.pk).update(application_fee=0)
    factories.serve_notice(case)  # 失信规定 Art 5(1)
    credit_services.list_debtor(p["judge"], case, case.parties.get(role="debtor"), open_listing_data())
    freeze(p, account(case, "100000", f"6222-{case.pk}"), "100000")
    record_payment(case.pk, case.principal, date.today(), source="receipt", reference=f"R-{case.pk}")
    return case


def proposal(p: dict[str, Any], measure: str) -> Proposal:
    return Proposal.objects.get(case=paid_case(p), measure=measure, status="open")


def case_page(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("measures_case", args=[paid_case(p).pk]), {}


def badge(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return reverse("measures_badge", args=[paid_case(p).pk]), {}


def accept(measure: str) -> Any:
    def setup(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return reverse("measures_accept", args=[proposal(p, measure).pk]), {}

    return setup


def decline(measure: str) -> Any:
    def setup(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return reverse("measures_decline", args=[proposal(p, measure).pk]), {"reason": "款项尚未确认"}

    return setup


def retry(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    case = paid_case(p)
    c = Consequence.objects.create(
        case=case,
        court=case.court,
        event="paid_in_full",
        measure="freeze",
        action="release",
        article="查封规定第19条",
        summary="解除",
        status="failed",
        error="联动单位拒绝",
    )
    return reverse("measures_retry", args=[c.pk]), {}


def page(name: str) -> Any:
    def setup(p: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        paid_case(p)
        return reverse(name), {}

    return setup


ALL = "200 200 200 200 200 200 200 200 200 200 200 L"
CONTROL = "403 302 403 403 403 403 302 403 403 403 404 L"
MATRIX = [
    ("case_page", "GET", case_page, "200 200 200 200 200 200 200 200 200 200 404 L"),
    ("badge", "GET", badge, "200 200 200 200 200 200 200 200 200 200 404 L"),
    ("accept_freeze", "POST", accept("freeze"), CONTROL),
    ("decline_freeze", "POST", decline("freeze"), CONTROL),
    # Credit decisions (Cap.CREDIT_DECIDE) belong to the same judge and director here.
    ("accept_listing", "POST", accept("listing"), CONTROL),
    ("decline_listing", "POST", decline("listing"), CONTROL),
    ("retry", "POST", retry, CONTROL),
    ("queue", "GET", page("measures_queue"), ALL),
    ("table", "GET", page("measures_table"), ALL),
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


def test_a_refusal_changes_nothing(people: dict[str, Any], quiet: None) -> None:
    p = proposal(people, "freeze")
    client = Client()
    client.force_login(people["clerk"])
    assert client.post(reverse("measures_accept", args=[p.pk])).status_code == 403
    client.force_login(people["yx_director"])
    assert client.post(reverse("measures_decline", args=[p.pk]), {"reason": "x"}).status_code == 404
    p.refresh_from_db()
    assert p.status == "open" and not Consequence.objects.filter(proposal=p).exists()


def test_api_matrix(people: dict[str, Any], quiet: None) -> None:
    case = paid_case(people)
    p = Proposal.objects.get(case=case, measure="freeze")
    read = f"/api/v1/measures/cases/{case.pk}"
    for who, status in [("judge", 200), ("clerk", 200), ("gz_director", 200), ("yx_director", 404)]:
        c = Client()
        c.force_login(people[who])
        assert c.get(read).status_code == status, who
    assert Client().get(read).status_code == 401
    url = f"/api/v1/measures/proposals/{p.pk}/decline"
    for who, status in [("clerk", 403), ("gz_director", 403), ("yx_director", 404)]:
        c = Client()
        c.force_login(people[who])
        assert c.post(url, {"reason": "x"}, content_type="application/json").status_code == status, who
    c = Client()
    c.force_login(people["judge"])
    bad = c.post(url, {"reason": " "}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "reason"
    ok = c.post(f"/api/v1/measures/proposals/{p.pk}/accept", content_type="application/json")
    assert ok.status_code == 200
    body = ok.json()
    assert [x["status"] for x in body["proposals"] if x["id"] == p.pk] == ["accepted"]
    assert body["consequences"][0]["measure"] == "freeze" and body["consequences"][0]["status"] == "applied"
    again = c.post(f"/api/v1/measures/proposals/{p.pk}/accept", content_type="application/json")
    assert again.status_code == 409
    table = c.get("/api/v1/measures/table").json()
    # with the sale rows (issue 18), the upheld act objection, the third-party objection's outcomes and the
    # reference price (issue 19)
    assert len(table) == 30 and all(len(r["cells"]) == 13 for r in table)
    queue = c.get("/api/v1/measures/proposals").json()
    assert {x["measure"] for x in queue} >= {"listing", "consumption"}


def test_pages_keep_a_query_budget(
    people: dict[str, Any], quiet: None, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        case = paid_case(people)
    c = Client()
    c.force_login(people["director"])
    with django_assert_max_num_queries(12):
        assert c.get(reverse("measures_queue")).status_code == 200
    with django_assert_max_num_queries(20):
        r = c.get(reverse("measures_case", args=[case.pk]))
        assert r.status_code == 200 and "待决定的建议" in r.content.decode()
