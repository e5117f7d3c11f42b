"""Permission matrix over the controls-over-time pages and endpoints, filters, paging and query budgets.

Users as in test_permissions: 粤0106 roles, 粤01 director, 粤 president, sibling 粤0104 director, anonymous.
Cells: 200 page / 302 done without effect / R renewal sent / A the 粤0106 control or alert is shown /
L login / 401 / 403 refused. Every cell runs on fresh data rolled back afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.inquiry.conftest import open_case
from tests.inquiry.expiry_support import frozen, seized
from zhixing.inquiry import services
from zhixing.inquiry.models import Action, Asset, InquiryRequest

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


def expiring(p: dict[str, Any]) -> Asset:
    """A 粤0106 freeze with 20 days left, warned (so the handler and supervisors have an alert)."""
    start = timezone.localdate() - timedelta(days=345)
    a = frozen(open_case(p), "EXP-1", start)
    services.raise_warnings()
    return a


Setup = Callable[[dict[str, Any]], tuple[str, dict[str, Any], Asset]]


def page(name: str) -> Setup:
    def setup(p: dict[str, Any]) -> tuple[str, dict[str, Any], Asset]:
        a = expiring(p)
        return reverse(name), {}, a

    return setup


def renew_page(p: dict[str, Any]) -> tuple[str, dict[str, Any], Asset]:
    a = expiring(p)
    return reverse("inquiry_controls_renew"), {"assets": [a.pk], "window": "expiring"}, a


def api(path: str) -> Setup:
    def setup(p: dict[str, Any]) -> tuple[str, dict[str, Any], Asset]:
        return path, {}, expiring(p)

    return setup


def api_renew(p: dict[str, Any]) -> tuple[str, dict[str, Any], Asset]:
    a = expiring(p)
    return "/api/v1/inquiry/controls/renewals", {"assets": [a.pk]}, a


MATRIX = [
    # The list shows a person's property: the roles with Cap.ASSET_REGISTER_VIEW, own court and below.
    ("controls", "GET", page("inquiry_controls"), "403 A A 403 A 403 A 403 A 403 200 L"),
    # Renewal: own-court control roles; a higher court's director is told row by row why nothing was
    # sent (A: its API answer names the control it reads), the sibling court learns nothing (200).
    ("controls_renew", "POST", renew_page, "403 R 403 403 403 403 R 403 302 403 302 L"),
    # Alerts: the handler, and supervisors over their scope; everyone else gets an empty panel.
    ("alerts_panel", "GET", page("inquiry_control_alerts"), "200 A 200 200 A 200 A 200 A 200 200 L"),
    ("alerts_badge", "GET", page("inquiry_control_alert_badge"), "200 A 200 200 A 200 A 200 A 200 200 L"),
    ("api_controls", "GET", api("/api/v1/inquiry/controls"), "403 A A 403 A 403 A 403 A 403 200 401"),
    ("api_renew", "POST", api_renew, "403 R 403 403 403 403 R 403 A 403 200 401"),
    ("api_alerts", "GET", api("/api/v1/inquiry/controls/alerts"), "403 A 200 403 A 403 A 403 A 403 200 401"),
]


def outcome(resp: Any, asset: Asset) -> str:
    if InquiryRequest.objects.filter(asset=asset, action=Action.RENEW).exists():
        return "R"
    if resp.status_code == 302:
        return "L" if "/login/" in resp["Location"] else "302"
    if resp.status_code == 200:
        body = resp.content.decode()
        shown = asset.ref in body or asset.case.number in body or 'id="control-alert-badge"' in body
        return "A" if shown else "200"
    return str(resp.status_code)


@pytest.mark.parametrize(("name", "method", "setup", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_matrix(
    people: dict[str, Any], quiet: None, name: str, method: str, setup: Setup, expected: str
) -> None:
    got = []
    for who in USERS:
        with transaction.atomic():
            url, data, asset = setup(people)
            client = Client()
            if who != "anon":
                client.force_login(people[who])
            if method == "GET":
                resp = client.get(url)
            elif url.startswith("/api/"):
                resp = client.post(url, data, content_type="application/json")
            else:
                resp = client.post(url, data)
            got.append(outcome(resp, asset))
            transaction.set_rollback(True)
    assert " ".join(got) == expected, dict(zip(USERS, got, strict=True))


def test_api_reports_each_row(people: dict[str, Any], quiet: None) -> None:
    a = expiring(people)
    client = Client()
    client.force_login(people["judge"])
    resp = client.post(
        "/api/v1/inquiry/controls/renewals", {"assets": [a.pk, "x", a.pk]}, content_type="application/json"
    )
    assert resp.status_code == 200
    body = resp.json()
    assert (body["renewed"], body["refused"]) == (1, 2)
    assert [(r["asset"], r["ok"]) for r in body["rows"]] == [
        (str(a.pk), True),
        ("x", False),
        (str(a.pk), False),
    ]
    assert body["rows"][0]["request"] == InquiryRequest.objects.get(asset=a, action=Action.RENEW).pk
    too_many = client.post(
        "/api/v1/inquiry/controls/renewals", {"assets": []}, content_type="application/json"
    )
    assert too_many.status_code == 422 and too_many.json()["field"] == "assets"


def _mixed_controls(people: dict[str, Any], n: int) -> list[Asset]:
    """`n` expiring freezes over several cases and handlers, a lapsed one, a queued seizure."""
    today = timezone.localdate()
    out = []
    for i in range(n):
        case = open_case(people)
        out.append(frozen(case, f"M{i}", today - timedelta(days=340 + i % 20)))
    lapsed = frozen(open_case(people), "GONE", today - timedelta(days=400))
    services.lapse_expired()
    out.append(lapsed)
    out.append(seized(open_case(people), today - timedelta(days=30), rank=2))
    return out


def test_filters_windows_and_paging(people: dict[str, Any], quiet: None, settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {**settings.ZHIXING_INQUIRY, "controls_page": 4}
    assets = _mixed_controls(people, 6)
    seizure = assets[-1]
    other = open_case(people)
    from zhixing.cases import services as case_services

    case_services.assign_case(people["director"], other, people["judge2"], on=date(2026, 3, 6))
    mine2 = frozen(other, "J2", timezone.localdate() - timedelta(days=350))
    client = Client()
    client.force_login(people["director"])
    first = client.get("/api/v1/inquiry/controls").json()
    assert first["counts"] == {"expiring": 7, "lapsed": 1, "queued": 1}
    assert len(first["rows"]) == 4 and first["next_cursor"]
    second = client.get("/api/v1/inquiry/controls", {"cursor": first["next_cursor"]}).json()
    assert len(second["rows"]) == 3 and second["next_cursor"] is None
    expires = [r["control_expires"] for r in first["rows"] + second["rows"]]
    assert expires == sorted(expires)  # soonest first
    assert {r["id"] for r in first["rows"] + second["rows"]} == {a.pk for a in assets[:6]} | {mine2.pk}
    lapsed = client.get("/api/v1/inquiry/controls", {"window": "lapsed"}).json()["rows"]
    assert [(r["ref"], r["state"], r["days_left"] < 0) for r in lapsed] == [("GONE", "lapsed", True)]
    queued = client.get("/api/v1/inquiry/controls", {"window": "queued"}).json()["rows"]
    assert [(r["id"], r["seizure_rank"], r["effective_on"]) for r in queued] == [(seizure.pk, 2, None)]
    by_handler = client.get("/api/v1/inquiry/controls", {"handler": people["judge2"].pk}).json()["rows"]
    assert [r["id"] for r in by_handler] == [mine2.pk]
    by_kind = client.get("/api/v1/inquiry/controls", {"window": "queued", "kind": "account"}).json()["rows"]
    assert by_kind == []
    by_state = client.get("/api/v1/inquiry/controls", {"state": "seized"}).json()["rows"]
    assert by_state == []
    for bad, field in (({"window": "x"}, "window"), ({"state": "x"}, "state"), ({"kind": "info"}, "kind"),
                       ({"handler": "x"}, "handler"), ({"cursor": "nope"}, "cursor")):  # fmt: skip
        resp = client.get("/api/v1/inquiry/controls", bad)
        assert resp.status_code == 422 and resp.json()["field"] == field, bad
    page = client.get(reverse("inquiry_controls"), {"window": "x"})  # the page says why, shows the default
    assert page.status_code == 200 and "列表范围只能是" in page.content.decode()


def test_page_shows_rank_effective_day_and_renewal_state(people: dict[str, Any], quiet: None) -> None:
    assets = _mixed_controls(people, 2)
    services.renew_controls(people["judge"], [assets[0].pk])
    client = Client()
    client.force_login(people["judge"])
    html = client.get(reverse("inquiry_controls")).content.decode()
    assert f'data-testid="renewing-{assets[0].pk}"' in html
    assert f'data-testid="pick-{assets[1].pk}"' in html
    queued = client.get(reverse("inquiry_controls"), {"window": "queued"}).content.decode()
    assert "轮候第2位" in queued and "待前手解除后生效" in queued
    case_page = client.get(reverse("inquiry_case", args=[assets[-1].case_id])).content.decode()
    assert f'data-testid="rank-{assets[-1].pk}">轮候第2位' in case_page
    post = client.post(
        reverse("inquiry_controls_renew"), {"assets": [assets[1].pk, assets[0].pk]}, follow=True
    )
    text = post.content.decode()
    assert "已发送续行请求1项" in text and "该财产已有尚未办结的控制请求" in text


@pytest.mark.parametrize("n", [3, 30])
def test_list_pages_keep_a_query_budget(
    people: dict[str, Any], quiet: None, django_assert_max_num_queries: Any, n: int
) -> None:
    _mixed_controls(people, n)
    services.raise_warnings()
    for who in ("judge", "director", "gz_director"):
        client = Client()
        client.force_login(people[who])
        for window in ("expiring", "lapsed", "queued"):
            with django_assert_max_num_queries(14):
                assert client.get(reverse("inquiry_controls"), {"window": window}).status_code == 200
            with django_assert_max_num_queries(10):
                assert client.get("/api/v1/inquiry/controls", {"window": window}).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get(reverse("inquiry_control_alerts")).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get("/api/v1/inquiry/controls/alerts").status_code == 200
