"""Entrustment between courts (rules.md §9): rules, services across two courts, pages, API, permissions.

Frozen at 2026-03-10 10:00 (Tuesday). 天河 (粤0106) sends; 越秀 (粤0104) is another court of the same
province; 长沙岳麓 (湘0104) is a court of another province.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.cases.models import EnforcementCase
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.workdays import WorkCalendar
from zhixing.courts import services as court_services
from zhixing.courts.roles import Role
from zhixing.courts.services import issue_token
from zhixing.entrust import queries, rules, services
from zhixing.entrust.models import Entrustment

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()


# -- pure rules ----------------------------------------------------------------------------------------


def test_targets():
    rules.check_target("matter", "粤0106", "粤0104", "freeze")
    rules.check_target("case", "粤0106", "湘0104")
    with pytest.raises(rules.EntrustError, match="只能委托其他省") as exc:
        rules.check_target("case", "粤0106", "粤0304")
    assert exc.value.field == "to_court"
    with pytest.raises(rules.EntrustError, match="不能委托本院办理"):
        rules.check_target("matter", "粤0106", "粤0106", "freeze")
    with pytest.raises(rules.EntrustError, match="受托法院不存在"):
        rules.check_target("matter", "粤0106", None, "freeze")
    with pytest.raises(rules.EntrustError) as exc:
        rules.check_target("matter", "粤0106", "粤0104", "auction")
    assert exc.value.field == "matter"


def test_clocks_15_and_30_days_roll_past_holidays():
    assert rules.start_by(date(2026, 3, 10), CAL) == date(2026, 3, 25)
    assert rules.report_by(date(2026, 3, 10), CAL) == date(2026, 4, 9)
    # Received 2026-09-16: day 15 is 10-01 (National Day) → 10-08; day 30 is 10-16 (Friday).
    assert rules.start_by(date(2026, 9, 16), CAL) == date(2026, 10, 8)
    assert rules.report_by(date(2026, 9, 16), CAL) == date(2026, 10, 16)
    assert rules.clock_state(date(2026, 3, 25), None, date(2026, 3, 25)) == "running"
    assert rules.clock_state(date(2026, 3, 25), None, date(2026, 3, 26)) == "overdue"
    assert rules.clock_state(date(2026, 3, 25), date(2026, 3, 25), date(2026, 4, 1)) == "met"
    assert rules.clock_state(date(2026, 3, 25), date(2026, 3, 26), date(2026, 4, 1)) == "late"


def test_renew_first_less_than_one_month_left():
    assert rules.renew_first(date(2026, 4, 9), date(2026, 3, 10)) is True
    assert rules.renew_first(date(2026, 4, 10), date(2026, 3, 10)) is False
    assert rules.renew_first(date(2026, 2, 27), date(2026, 1, 31)) is True  # one month after 01-31 is 02-28
    assert rules.renew_first(date(2026, 2, 28), date(2026, 1, 31)) is False
    assert rules.trips_saved(3) == 12


# -- services across two courts ------------------------------------------------------------------------


@pytest.fixture
def xiang(courts: dict[str, Any]) -> dict[str, Any]:
    hn = court_services.create_court(None, code="湘", name="湖南省高级人民法院", level="high", parent=None)
    cs = court_services.create_court(
        None, code="湘01", name="长沙市中级人民法院", level="intermediate", parent=hn
    )
    yl = court_services.create_court(
        None, code="湘0104", name="长沙市岳麓区人民法院", level="basic", parent=cs
    )
    return {"court": yl, "clerk": factories.staff(yl, Role.CLERK, username="yl_clerk")}


def test_matter_to_another_court_inbox_outbox_and_clocks(people, assigned, frozen):
    yx_clerk = factories.staff(people["yx_director"].court, Role.CLERK, username="yx_clerk")
    e = services.send_matter(
        people["judge"],
        assigned,
        to_court="粤0104",
        matter="freeze",
        request="冻结张三在某银行越秀支行的存款",
    )
    assert (e.status, e.sent_on, e.start_by, e.report_by) == (
        "sent",
        date(2026, 3, 10),
        date(2026, 3, 25),
        date(2026, 4, 9),
    )
    with pytest.raises(NotPermitted):  # the sender cannot handle its own letter
        services.start(people["judge"], e)
    with time_machine.travel(datetime(2026, 3, 26, 9, tzinfo=TZ), tick=False):
        e = services.start(yx_clerk, e)
        assert e.started_on == date(2026, 3, 26)

        assert queries.clocks(e) == queries.Clocks("late", "running")
        e = services.report(yx_clerk, e, text="已冻结存款12,345.67元，冻结期限一年", done=True)
    assert (e.status, e.done_on) == ("done", date(2026, 3, 26))
    assert queries.clocks(e, date(2026, 4, 20)) == queries.Clocks("late", "met")
    assert list(queries.inbox(yx_clerk)) == [e] and list(queries.outbox(people["judge"])) == [e]
    s = queries.statistics(assigned.court)
    assert (s.sent, s.sent_done, s.received, s.handled, s.trips_saved) == (1, 1, 0, 0, 4)
    assert list(
        AuditRecord.objects.filter(object_type="Entrustment").order_by("id").values_list("action", flat=True)
    ) == ["entrust.send", "entrust.start", "entrust.done"]


def test_bad_targets_change_nothing(people, assigned, frozen, xiang):
    n = Entrustment.objects.count()
    with pytest.raises(ServiceError, match="只能委托其他省"):
        services.send_case(people["judge"], assigned, to_court="粤0104", request="被执行人财产在越秀")
    with pytest.raises(ServiceError, match="受托法院不存在"):
        services.send_matter(people["judge"], assigned, to_court="粤9999", matter="freeze", request="x")
    with pytest.raises(ServiceError, match="不能委托本院办理"):
        services.send_matter(people["judge"], assigned, to_court="粤0106", matter="freeze", request="x")
    assert Entrustment.objects.count() == n


def test_whole_case_filed_by_the_delegate_then_cancelled(people, assigned, frozen, xiang):
    e = services.send_case(people["judge"], assigned, to_court="湘0104", request="被执行人在长沙有房产")
    assert (e.kind, e.renewed_assets) == ("case", [])
    with pytest.raises(Conflict, match="受托法院立案后才能销案"):
        services.close_delegated(people["judge"], e)
    e = services.record_filing(xiang["clerk"], e, number="（2026）湘0104执55号")
    assert (e.status, e.filed_on) == ("filed", date(2026, 3, 10))
    e = services.close_delegated(people["judge"], e)
    case = EnforcementCase.objects.get(pk=assigned.pk)
    assert (case.status, case.closing_mode, case.closing_details["ground"]) == (
        "closed",
        "withdrawn",
        "entrusted",
    )
    assert e.status == "closed"


# -- pages, API and permissions ------------------------------------------------------------------------


def test_api_send_and_inbox(people, assigned, frozen):
    yx_judge = people["yx_judge"]
    c = Client()

    def h(staff: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(None, staff, 't')}"}

    r = c.post(
        f"/api/v1/cases/{assigned.pk}/entrustments",
        {"kind": "case", "to_court": "粤0104", "request": "x"},
        content_type="application/json",
        headers=h(people["judge"]),
    )
    assert r.status_code == 422 and r.json()["field"] == "to_court"
    r = c.post(
        f"/api/v1/cases/{assigned.pk}/entrustments",
        {"kind": "matter", "to_court": "粤0104", "matter": "inquiry", "request": "查询不动产登记"},
        content_type="application/json",
        headers=h(people["judge"]),
    )
    assert r.status_code == 201 and r.json()["start_by"] == "2026-03-25"
    inbox = c.get("/api/v1/entrust/inbox", headers=h(yx_judge)).json()
    assert [(x["case_number"], x["matter"], x["start_clock"]) for x in inbox] == [
        (assigned.number, "inquiry", "running")
    ]
    eid = inbox[0]["id"]
    assert (
        c.post(
            f"/api/v1/entrustments/{eid}/start",
            {},
            content_type="application/json",
            headers=h(people["judge"]),
        ).status_code
        == 403
    )
    assert (
        c.post(
            f"/api/v1/entrustments/{eid}/start", {}, content_type="application/json", headers=h(yx_judge)
        ).json()["status"]
        == "started"
    )
    assert c.get("/api/v1/entrust/statistics", headers=h(yx_judge)).json() == {
        "sent": 0,
        "sent_done": 0,
        "received": 1,
        "handled": 0,
        "trips_saved": 0,
    }


USERS = ["clerk", "judge", "director", "president", "yx_judge", "gz_director", "anon"]


def _sent(p: dict[str, Any]) -> Entrustment:
    return services.send_matter(
        p["judge"], factories.case(p["clerk"]), to_court="粤0104", matter="freeze", request="冻结"
    )


ROWS: list[tuple[str, str, Any, str]] = [
    ("entrust_boxes", "GET", lambda p: (reverse("entrust_boxes"), {}), "200 200 200 200 200 200 L"),
    (
        "case_entrust",
        "GET",
        lambda p: (reverse("case_entrust", args=[factories.case(p["clerk"]).pk]), {}),
        "200 200 200 200 404 200 L",
    ),
    (
        "entrust_send",
        "POST",
        lambda p: (
            reverse("entrust_send", args=[factories.case(p["clerk"]).pk]),
            {"kind": "matter", "matter": "freeze", "to_court": "粤0104", "request": "冻结存款"},
        ),
        "403 302 302 403 404 403 L",
    ),
    (
        "entrust_act",
        "POST",
        lambda p: (reverse("entrust_act", args=[_sent(p).pk, "start"]), {}),
        "403 403 403 403 302 403 L",
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}-{r[1]}" for r in ROWS])
def test_permission_matrix(row: tuple[str, str, Any, str], people, login, frozen):
    _name, method, setup, expected_text = row
    expected = dict(zip(USERS, expected_text.split(), strict=True))
    got = {}
    for who in USERS:
        client = login(None if who == "anon" else people[who])
        sid = transaction.savepoint()
        try:
            url, data = setup(people)
            resp = client.post(url, data) if method == "POST" else client.get(url)
            got[who] = (
                "L"
                if resp.status_code == 302 and resp["Location"].startswith("/login/")
                else str(resp.status_code)
            )
        finally:
            transaction.savepoint_rollback(sid)
    assert got == expected


def test_every_entrust_url_has_a_row():
    from zhixing.entrust import urls

    assert {p.name for p in urls.urlpatterns} == {r[0] for r in ROWS}


def test_boxes_page_query_budget(people, assigned, frozen, login, django_assert_max_num_queries):
    for _ in range(3):
        services.send_matter(people["judge"], assigned, to_court="粤0104", matter="service", request="送达")
    client = login(people["judge"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("entrust_boxes")).content.decode()
    assert page.count('data-status="sent"') == 3
