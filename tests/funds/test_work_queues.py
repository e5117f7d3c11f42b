"""Who acts next (issue 12 item 2): the approval queue shows account, amount, purpose, history and the
next approver; the home page counts what waits for each role; list pages keep a query budget."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from zhixing.funds import queries_work, services

from .conftest import receive
from .test_payouts import propose

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def todo(client, user) -> dict[str, int]:
    client.force_login(user)
    r = client.get(reverse("funds_todo_panel"))
    assert r.status_code == 200
    return {t.key: t.count for t in queries_work.todo_for(user, date(2026, 3, 20))}


def test_queue_shows_account_amount_history_and_next_approver(client, case, people):
    receive(case, "90000.00", "WQ1")
    p = propose(case, people, "12345.60", bank_name="招商银行广州分行")
    services.decide(people["judge2"], p.pk, note="材料齐全")
    client.force_login(people["director"])
    page = client.get(reverse("funds_approvals")).content.decode()
    assert f'data-payout="{p.pk}"' in page
    for text in (
        case.number,
        p.account_name,
        "6222020000001",
        "招商银行广州分行",
        "12,345.60",
        "发还申请执行人",
        "执行法官：",
        "同意",
        "材料齐全",
        "待执行局局长审批（您）",
        "之后由院长审批",
    ):
        assert text in page, text
    # The judge who approved step 1 and the proposer no longer see it; the president not yet.
    for who in ("judge", "judge2", "president"):
        client.force_login(people[who])
        assert f'data-payout="{p.pk}"' not in client.get(reverse("funds_approvals")).content.decode()
    client.force_login(people["director"])
    api = client.get("/api/v1/funds/approvals").json()
    assert api[0]["next_role"] == "director" and api[0]["next_label"] == "执行局局长"
    assert [s["state"] for s in api[0]["steps"]] == ["done", "next", "later"]
    assert api[0]["steps"][0]["who"] == people["judge2"].get_full_name()


def test_case_page_names_the_next_approver(client, case, people):
    receive(case, "90000.00", "WQ2")
    propose(case, people, "100.00")
    client.force_login(people["judge"])
    page = client.get(reverse("funds_case_money", args=[case.pk])).content.decode()
    assert "待执行法官审批" in page


@time_machine.travel(datetime(2026, 3, 20, 10, tzinfo=SH))
def test_home_counts_what_waits_for_each_role(client, case, people, bank):
    receive(case, "90000.00", "WQ3", on=date(2026, 1, 5))  # arrived long ago: open payouts are overdue
    waiting = propose(case, people, "1000.00")  # at step 1: a judge other than the proposer
    approved = services.decide(
        people["director"], services.decide(people["judge2"], propose(case, people, "2000.00").pk).pk
    )
    services.decide(people["president"], approved.pk)
    services.book_receipt(
        idempotency_key="WQU1", amount="5.00", value_date=date(2026, 3, 10), court=case.court
    )
    assert todo(client, people["judge2"]) == {"approvals": 1}
    # The proposer has no approval; their own case's overdue payouts are counted.
    assert todo(client, people["judge"])["approvals"] == 0
    assert todo(client, people["finance"]) == {
        "to_send": 1,
        "unidentified": 1,
        "unidentified_late": 1,
        "overdue": 2,
    }
    assert todo(client, people["director"]) == {"approvals": 0, "overdue": 2}
    assert todo(client, people["clerk"]) == {}
    assert todo(client, people["yx_director"]) == {"approvals": 0, "overdue": 0}
    client.force_login(people["clerk"])
    assert client.get(reverse("funds_todo_panel")).content == b""
    client.force_login(people["finance"])
    panel = client.get(reverse("funds_todo_panel")).content.decode()
    assert 'data-todo="to_send"><b>1</b>已审批待发送的支付指令' in panel
    home = client.get(reverse("home")).content.decode()
    # Issue 13: the home page's worklist (core.worklist) carries the funds lines inline, in #funds-todo.
    funds = home.split('id="funds-todo"')[1].split("</div>\n  </div>")[0]
    assert 'data-todo="to_send" data-testid="todo-funds-to_send"><b>1</b>已审批待发送的支付指令' in funds
    assert waiting.status == "proposed"


def test_home_counts_api(client, people, case):
    receive(case, "90000.00", "WQ4")
    propose(case, people, "10.00")
    client.force_login(people["judge2"])
    rows = client.get("/api/v1/funds/todo").json()
    assert rows[0]["key"] == "approvals" and rows[0]["count"] == 1 and rows[0]["label"] == "待我审批的发款"


def _proposals(case, people, n: int) -> None:
    for i in range(n):
        c = factories.case(people["clerk"])
        receive(c, "9000.00", f"WQB{case.pk}-{n}-{i}")
        p = propose(c, people, "100.00")
        services.decide(people["judge2"], p.pk, note=f"意见{i}")


@pytest.mark.parametrize("name", ["funds_approvals", "funds_todo_panel", "funds_finance", "funds_case_money"])
def test_list_pages_query_budget(client, case, people, django_assert_max_num_queries, name):
    args = [case.pk] if name == "funds_case_money" else []
    client.force_login(people["director"])
    _proposals(case, people, 2)
    # The case money page shows every part of the case's money (breakdown, clocks, holds, plans, surplus,
    # interest): more queries than a list, but a fixed number, not one per row (59: each of the page's two
    # breakdowns asks the auctions proceeds source and the disputed distribution shares once, issue 19).
    with django_assert_max_num_queries(59 if name == "funds_case_money" else 30) as small:
        assert client.get(reverse(name, args=args)).status_code == 200
    _proposals(case, people, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(reverse(name, args=args))
    assert r.status_code == 200
    if name == "funds_approvals":
        assert r.content.decode().count("data-payout=") == 12


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("judge2", True),
        ("judge", False),  # the proposer
        ("director", False),  # not their step yet
        ("president", False),
        ("finance", False),
        ("clerk", False),
        ("gz_director", False),  # a higher court reads, but approves nothing of 天河's
        ("yx_judge", False),
    ],
)
def test_approval_queue_matrix(client, case, people, who, sees):
    receive(case, "90000.00", "WQM1")
    p = propose(case, people, "100.00")
    client.force_login(people[who])
    r = client.get(reverse("funds_approvals"))
    # a role outside the approval chain gets the 403 its approval would get (walk finding 2); finance
    # approves deposit refunds there, so it opens the page but sees no applicant payout
    assert r.status_code == (403 if who == "clerk" else 200)
    assert (f'data-payout="{p.pk}"' in r.content.decode()) is sees
    assert any(row["id"] == p.pk for row in client.get("/api/v1/funds/approvals").json()) is sees


@pytest.mark.parametrize("url", ["/funds/todo/", "/funds/custody/"])
def test_anonymous_sent_to_login(client, url):
    r = client.get(url)
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_api_todo_anonymous_refused(client):
    assert client.get("/api/v1/funds/todo").status_code == 401
    assert client.get("/api/v1/funds/approvals").status_code == 401
