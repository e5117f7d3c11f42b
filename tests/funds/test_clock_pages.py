"""Payout clocks and holds on the pages and the API: permission matrices, red overdue money, query budgets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from zhixing.funds.models import PayoutClock, PayoutHold
from zhixing.funds.services import clocks, holds

from .conftest import receive

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def apr20() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 4, 20, 10, 0, tzinfo=SH), tick=False):
        yield


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


# who: (page POST status, API POST status)
HOLDERS = {
    "judge": (302, 201),
    "director": (302, 201),
    "assistant": (403, 403),
    "clerk": (403, 403),
    "finance": (403, 403),
    "president": (403, 403),
    "gz_director": (403, 403),
    "gd_president": (403, 403),
    "yx_director": (404, 404),
    "ft_director": (404, 404),
}


@pytest.mark.parametrize(("who", "statuses"), HOLDERS.items())
def test_place_hold_page_and_api_matrix(client, people, case, apr20, who, statuses):
    receive(case, "1000.00", "M1", on=date(2026, 4, 1))
    page, api = statuses
    form = {"reason": "disputed", "start": "2026-04-10", "amount": "300.00", "note": "异议"}
    r = login(client, people[who]).post(reverse("funds_place_hold", args=[case.pk]), form)
    assert r.status_code == page
    assert PayoutHold.objects.count() == (1 if page == 302 else 0)
    r = client.post(f"/api/v1/funds/cases/{case.pk}/holds", {**form}, content_type="application/json")
    assert r.status_code == api
    if api == 201:
        body = r.json()
        assert (body["reason"], body["amount"], body["start"], body["reason_display"]) == (
            "disputed",
            "300.00",
            "2026-04-10",
            "款项存在争议",
        )


@pytest.mark.parametrize(("who", "statuses"), HOLDERS.items())
def test_lift_hold_page_and_api_matrix(client, people, case, apr20, who, statuses):
    receive(case, "1000.00", "M2", on=date(2026, 4, 1))
    h1 = holds.place_hold(people["judge"], case, reason="unreachable", start=date(2026, 4, 5))
    h2 = holds.place_hold(
        people["judge"], case, reason="frozen_elsewhere", start=date(2026, 4, 5), amount="10"
    )
    page, api = statuses
    r = login(client, people[who]).post(reverse("funds_lift_hold", args=[h1.pk]), {"end": "2026-04-20"})
    assert r.status_code == page
    r = client.post(
        f"/api/v1/funds/holds/{h2.pk}/lift", {"end": "2026-04-20"}, content_type="application/json"
    )
    assert r.status_code == (200 if api == 201 else api)
    h1.refresh_from_db()
    assert (h1.end is not None) is (page == 302)


def test_bad_hold_form_shows_the_reason_and_changes_nothing(client, people, case, apr20):
    receive(case, "1000.00", "M3", on=date(2026, 4, 1))
    url = reverse("funds_place_hold", args=[case.pk])
    r = login(client, people["judge"]).post(
        url, {"reason": "disputed", "start": "2026-04-10", "amount": "5000"}
    )
    assert r.status_code == 302
    page = client.get(reverse("funds_case_money", args=[case.pk])).content.decode()
    assert "暂缓金额5,000.00元超过案款余额1,000.00元" in page
    assert not PayoutHold.objects.exists()
    r = client.post(
        f"/api/v1/funds/cases/{case.pk}/holds",
        {"reason": "x", "start": "2026-04-10"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "reason" and "法定事由" in r.json()["detail"]


def test_case_money_page_shows_clocks_held_lines_and_the_form(client, people, case, apr20):
    receive(case, "1000.00", "C1", on=date(2026, 3, 9))  # overdue since 04-09
    receive(case, "2000.00", "C2", on=date(2026, 4, 1))
    holds.place_hold(people["judge"], case, reason="disputed", start=date(2026, 4, 15), amount="500.00")
    html = login(client, people["judge"]).get(reverse("funds_case_money", args=[case.pk])).content.decode()
    assert 'id="hold-form"' in html and "被其他案件冻结" in html and 'value="suspended"' not in html
    assert "依法暂缓发放（保留）合计 <b>500.00</b>" in html
    c1 = PayoutClock.objects.get(receipt__bank_txn_id="C1", part=1)
    assert f'class="row-paused" data-clock="{c1.pk}" data-state="held"' in html  # the oldest 500 is held
    html = login(client, people["clerk"]).get(reverse("funds_case_money", args=[case.pk])).content.decode()
    assert 'id="hold-form"' not in html and "lift-form" not in html
    api = client.get(f"/api/v1/funds/cases/{case.pk}/clocks").json()
    assert api["held_total"] == "500.00"
    assert [(c["bank_txn_id"], c["status"], c["open_amount"], c["due_on"]) for c in api["clocks"]] == [
        ("C2", "running", "2000.00", "2026-05-01"),
        ("C1", "held", "500.00", None),
        ("C1", "running", "500.00", "2026-04-08"),
    ]


def _overdue_cases(people: dict[str, Any], n: int) -> None:
    for i in range(n):
        c = factories.case(people["clerk"])
        receive(c, "12345.60", f"OD{n}-{i}", on=date(2026, 3, 1))
    clocks.scan()


@pytest.mark.parametrize(
    ("who", "status", "sees"),
    [
        ("finance", 200, True),
        ("director", 200, True),
        ("president", 200, True),
        ("gz_director", 200, True),
        ("yx_director", 200, False),
        ("judge", 403, False),
        ("clerk", 403, False),
    ],
)
def test_overdue_api_matrix(client, people, custody, apr20, who, status, sees):
    _overdue_cases(people, 2)
    r = login(client, people[who]).get("/api/v1/funds/clocks/overdue")
    assert r.status_code == status
    if status == 200:
        body = r.json()
        assert (body["total"], body["amount"]) == ((2, "24691.20") if sees else (0, "0.00"))
        if sees:
            assert body["clocks"][0]["days_overdue"] == 20 and body["clocks"][0]["color"] == "red"


@pytest.mark.parametrize("page", ["funds_finance", "funds_director"])
def test_overdue_money_is_red_on_finance_and_director_pages(client, people, custody, apr20, page):
    _overdue_cases(people, 1)
    html = login(client, people["director"]).get(reverse(page)).content.decode()
    assert '<span class="badge red" data-testid="overdue-total">12,345.60</span>' in html
    c = PayoutClock.objects.get()
    assert f'<tr class="row-red" data-overdue-clock="{c.pk}">' in html
    row = (
        '<td class="num red-text">12,345.60</td><td>2026-03-01</td>'
        '<td><span class="badge red">2026-03-31</span></td><td class="num">20</td>'
    )
    assert row in html


@pytest.mark.parametrize("page", ["funds_finance", "funds_director"])
def test_overdue_list_query_budget(client, people, custody, apr20, page):
    def count(n: int) -> int:
        _overdue_cases(people, n)
        with CaptureQueriesContext(connection) as q:
            assert login(client, people["director"]).get(reverse(page)).status_code == 200
        return len(q.captured_queries)

    count(1)  # warm-up: session, calendar and other once-per-process look-ups
    assert count(1) == count(8)  # constant in the number of overdue clocks


def test_case_page_query_budget(client, people, case, apr20):
    def count(n: int, tag: str) -> int:
        for i in range(n):
            receive(case, "10.00", f"{tag}{i}", on=date(2026, 4, 1))
        holds.place_hold(people["judge"], case, reason="unreachable", start=date(2026, 4, 10), amount="1.00")
        with CaptureQueriesContext(connection) as q:
            assert (
                login(client, people["judge"]).get(reverse("funds_case_money", args=[case.pk])).status_code
                == 200
            )
        return len(q.captured_queries)

    count(1, "w")  # warm-up
    assert count(1, "a") == count(6, "b")


def test_director_counts_only_holds_that_keep_money(client, people, case, apr20):
    from zhixing.funds.queries_holds import held_by_court

    empty = factories.case(people["clerk"])
    holds.place_hold(people["judge"], empty, reason="unreachable", start=date(2026, 4, 10))
    receive(case, "10.00", "HB1", on=date(2026, 4, 1))
    holds.place_hold(people["judge"], case, reason="unreachable", start=date(2026, 4, 10))
    assert held_by_court([case.court_id]) == {case.court_id: 1}
    html = login(client, people["director"]).get(reverse("funds_director")).content.decode()
    assert 'data-clock-court="粤0106"' in html
