"""Leaders' pages (issue 13): subtotals up the court tree, each figure opening exactly the items it
counts, the chart JSON (exact numbers, court-scoped), and 督办 issued, replied and overdue.

The province (tests.factories.province): 粤 → 粤01 → {粤0106 天河, 粤0104 越秀}; 粤 → 粤03 → 粤0304 福田.
Cases, on the frozen business date 2026-03-10:
- 天河: A (filed 2026-03-04, assigned to the judge), B (filed 2026-03-04, unassigned), C (filed
  2025-07-25, past its enforcement term, assigned);
- 越秀: D (filed 2026-03-04); 广州中院 itself: E (filed 2026-01-05); 福田: F (filed 2026-03-04), closed.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tests import factories
from zhixing.cases import services
from zhixing.cases.models import EnforcementCase, Node, SupervisionOrder
from zhixing.core.models import AuditRecord, Notification

from .conftest import NOW

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


OLD = {
    "applied_on": date(2025, 7, 20),
    "filed_on": date(2025, 7, 25),
    "effective_on": date(2025, 6, 1),
    "performance_deadline": date(2025, 6, 15),
}


@pytest.fixture
def land(people: dict[str, Any], courts: dict[str, Any], frozen: None) -> dict[str, EnforcementCase]:
    th_clerk = people["clerk"]
    a = factories.case(th_clerk)
    services.assign_case(people["director"], a, people["judge"], on=date(2026, 3, 5))
    b = factories.case(th_clerk)
    c = factories.case(th_clerk, **OLD)
    services.assign_case(people["director"], c, people["judge"], on=date(2025, 7, 28))
    d = factories.case(factories.staff(courts["yx"], "clerk"))
    e = factories.case(
        factories.staff(courts["gz"], "clerk"),
        applied_on=date(2026, 1, 2),
        filed_on=date(2026, 1, 5),
    )
    ft_clerk = factories.staff(courts["ft"], "clerk")
    f = factories.case(ft_clerk)
    services.close_case(
        factories.staff(courts["ft"], "director"),
        f,
        mode="withdrawn",
        closed_on=date(2026, 3, 10),
        details={"document_ref": "（2026）粤0304执1号销案通知", "ground": "other"},
    )
    services.record_payment(
        a.pk, Decimal("12345.67"), date(2026, 3, 6), source="direct", reference="leaders-pay-1"
    )
    services.record_payment(
        c.pk, Decimal("20000.00"), date(2025, 12, 20), source="direct", reference="leaders-pay-2"
    )
    return {
        k: EnforcementCase.objects.get(pk=v.pk)
        for k, v in {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}.items()
    }


def _row(page: str, code: str) -> str:
    return page.split(f'<tr data-court="{code}"')[1].split("</tr>")[0]


def _figures(row: str, attr: str = "data-count") -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(attr + r'="([a-z-]+)"[^>]*>(\d+)</a>', row)}


def _list_count(client: Any, url: str) -> int:
    page = html(client.get(url.replace("&amp;", "&")))
    count = int(re.search(r'data-testid="list-count">(\d+)<', page).group(1))  # type: ignore[union-attr]
    rows = len(re.findall(r"<tr data-(?:node-id|case|order)=", page))
    assert rows == min(count, 100), url  # the first page lists them
    return count


# -- subtotals --------------------------------------------------------------------------------------


def test_supervision_rows_show_subtotals_up_the_tree(people, land, login):
    page = html(login(people["gd_president"]).get("/supervision/"))
    assert re.findall(r'<tr data-court="([^"]+)"', page) == [
        "粤",
        "粤01",
        "粤0104",
        "粤0106",
        "粤03",
        "粤0304",
    ]
    # The assigned cases A and C each have an overdue 告知申请执行人提供财产线索 (3 days from the
    # assignment, 2006 期限规定 Art 5; issue 15).
    expected = {
        "粤": (5, 13, 1),  # the province total
        "粤01": (5, 13, 1),  # 广州中院 1/4/0 + 越秀 1/1/0 + 天河 3/8/1
        "粤0104": (1, 1, 0),
        "粤0106": (3, 8, 1),
        "粤03": (0, 0, 0),
        "粤0304": (0, 0, 0),  # its only case is closed
    }
    for code, (o, n, t) in expected.items():
        assert _figures(_row(page, code)) == {"open": o, "overdue-nodes": n, "term-overdue": t}, code
    # An intermediate court shows its own figures beside the subtotal; a basic court does not.
    assert _figures(_row(page, "粤01"), "data-own") == {"open": 1, "overdue-nodes": 4, "term-overdue": 0}
    assert _figures(_row(page, "粤0106"), "data-own") == {}
    total = page.split(' id="supervision-total"')[1].split("</tr>")[0]
    assert re.findall(r'<th class="num">(\d+)</th>', total) == ["5", "13", "1"]


def test_a_intermediate_director_sees_their_subtree_total(people, land, login):
    page = html(login(people["gz_director"]).get("/supervision/"))
    assert _figures(_row(page, "粤01")) == {"open": 5, "overdue-nodes": 13, "term-overdue": 1}
    total = page.split(' id="supervision-total"')[1].split("</tr>")[0]
    assert re.findall(r'<th class="num">(\d+)</th>', total) == ["5", "13", "1"]


# -- each figure opens exactly what it counts -------------------------------------------------------


@pytest.mark.parametrize("who", ["gd_president", "gz_director", "director"])
def test_every_table_figure_opens_a_list_of_that_many_items(people, land, login, who):
    client = login(people[who])
    page = html(client.get("/supervision/"))
    links = re.findall(r'<a href="([^"]+)" data-(?:count|own)="[a-z-]+"[^>]*>(\d+)</a>', page)
    links += re.findall(r'<a class="handler-count"[^>]*href="([^"]+)">[^<]*<b>(\d+)</b>', page)
    assert len(links) >= 3
    for url, figure in links:
        assert _list_count(client, url) == int(figure), url


def test_every_chart_figure_opens_a_list_of_that_many_items(people, land, login):
    client = login(people["gd_president"])
    checked = 0
    for court in ("粤", "粤01", "粤0106"):
        for name in ("trend", "courts", "age"):
            spec = json.loads(client.get(f"/supervision/charts/{name}/?court={court}").content)
            for series in spec["series"]:
                for figure, url in zip(series["data"], series.get("links") or [], strict=False):
                    if url:
                        assert _list_count(client, url) == figure, url
                        checked += 1
    assert checked == 3 * (12 + 12 + 4) + 3 * 3 + 3 * 3 + 3 * 1


def test_overdue_nodes_opens_nodes_and_term_overdue_opens_cases(people, land, login):
    client = login(people["director"])
    page = html(client.get("/supervision/"))
    row = _row(page, "粤0106")
    nodes_url = re.search(r'<a href="([^"]+)" data-count="overdue-nodes"', row).group(1)  # type: ignore[union-attr]
    term_url = re.search(r'<a href="([^"]+)" data-count="term-overdue"', row).group(1)  # type: ignore[union-attr]
    assert nodes_url != term_url
    nodes = html(client.get(nodes_url.replace("&amp;", "&")))
    ids = {int(i) for i in re.findall(r'<tr data-node-id="(\d+)"', nodes)}
    assert ids == set(
        Node.objects.filter(court__code="粤0106", status="pending", due_on__lt=date(2026, 3, 10)).values_list(
            "pk", flat=True
        )
    )
    assert len(ids) == 8 and "超期节点" in nodes and ">223<" in nodes  # C's 网络查控, due 2025-07-30
    cases = html(client.get(term_url.replace("&amp;", "&")))
    assert re.findall(r'<tr data-case="(\d+)"', cases) == [str(land["c"].pk)]
    assert "超执行期限案件" in cases


def test_age_bucket_list(people, land, login):
    client = login(people["gd_president"])
    page = html(client.get("/supervision/nodes/?court=粤&tree=1&age=31-90"))
    assert "超期31–90天" in page
    ids = {int(i) for i in re.findall(r'<tr data-node-id="(\d+)"', page)}
    expected = set(
        Node.objects.filter(case=land["e"], status="pending", due_on__lt=date(2026, 3, 10)).values_list(
            "pk", flat=True
        )
    )
    expected.add(Node.objects.get(case=land["c"], node_type__code="term").pk)
    assert ids == expected


# -- chart JSON -------------------------------------------------------------------------------------


def test_trend_chart_exact(people, land, login):
    spec = json.loads(login(people["gd_president"]).get("/supervision/charts/trend/").content)
    assert spec["kind"] == "line" and spec["title"] == "广东省高级人民法院近12个月收结案与执行到位金额"
    assert spec["categories"][0] == "2025-04" and spec["categories"][-1] == "2026-03"
    data = {s["name"]: s["data"] for s in spec["series"]}
    assert data == {
        "收案（件）": [0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 4],
        "结案（件）": [0] * 11 + [1],
        "执行到位（万元）": ["0.00"] * 8 + ["2.00", "0.00", "0.00", "1.23"],
    }
    th = json.loads(login(people["director"]).get("/supervision/charts/trend/").content)
    assert th["series"][0]["data"] == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert th["series"][1]["data"] == [0] * 12


def test_courts_chart_exact(people, land, login):
    spec = json.loads(login(people["gd_president"]).get("/supervision/charts/courts/").content)
    assert spec["categories"] == ["广东省高级人民法院（本院）", "广州市中级人民法院", "深圳市中级人民法院"]
    assert [(s["name"], s["data"]) for s in spec["series"]] == [
        ("在办案件", [0, 5, 0]),
        ("超期节点", [0, 13, 0]),
        ("超执行期限案件", [0, 1, 0]),
    ]
    gz = json.loads(login(people["gd_president"]).get("/supervision/charts/courts/?court=粤01").content)
    assert gz["categories"] == ["广州市中级人民法院（本院）", "广州市越秀区人民法院", "广州市天河区人民法院"]
    assert [s["data"] for s in gz["series"]] == [[1, 1, 3], [4, 1, 8], [0, 0, 1]]


def test_age_chart_exact(people, land, login):
    client = login(people["gd_president"])
    spec = json.loads(client.get("/supervision/charts/age/").content)
    assert spec["categories"] == ["超期1–7天", "超期8–30天", "超期31–90天", "超期90天以上"]
    # + A's and C's 告知提供财产线索 (1 day and over 90 days overdue; issue 15).
    assert spec["series"][0]["data"] == [4, 0, 5, 4]
    th = json.loads(client.get("/supervision/charts/age/?court=粤0106").content)
    assert th["series"][0]["data"] == [3, 0, 1, 4]


# -- scoping ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "court", "status"),
    [
        ("director", "", 200),
        ("director", "粤0106", 200),
        ("director", "粤01", 404),  # a basic court cannot look up
        ("director", "粤0104", 404),  # nor sideways
        ("yx_director", "粤0106", 404),
        ("gz_director", "粤0106", 200),
        ("gz_director", "粤0304", 404),  # another city's court
        ("gz_director", "粤", 404),
        ("gd_president", "粤0304", 200),
        ("director", "不存在", 404),
        ("operator", "", 200),
        ("judge", "", 403),
        ("clerk", "粤0106", 403),
        ("finance", "", 403),
    ],
)
def test_chart_and_list_scoping(people, land, login, who, court, status):
    client = login(people[who])
    q = f"?court={court}" if court else ""
    for name in ("trend", "courts", "age"):
        assert client.get(f"/supervision/charts/{name}/{q}").status_code == status
    sep = "&" if q else "?"
    assert client.get(f"/supervision/nodes/{q}").status_code == status
    assert client.get(f"/supervision/cases/{q}{sep}kind=open").status_code == status
    assert client.get(f"/supervision/cases/{q}{sep}kind=term_overdue&tree=1").status_code == status


def test_scoped_out_chart_says_not_found_in_json(people, land, login):
    r = login(people["director"]).get("/supervision/charts/age/?court=粤01")
    assert r.status_code == 404 and r["Content-Type"] == "application/json"
    assert json.loads(r.content) == {"detail": "所访问的对象不存在，或不在您所在法院的查看范围内"}
    assert login(people["director"]).get("/supervision/charts/pie/").status_code == 404


def test_anonymous_is_sent_to_login(land, login):
    for url in ("/supervision/charts/trend/", "/supervision/nodes/", "/supervision/orders/"):
        r = login(None).get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_bad_list_parameters_are_not_found(people, land, login):
    client = login(people["director"])
    assert client.get("/supervision/cases/?kind=everything").status_code == 404
    assert client.get("/supervision/cases/?kind=filed&month=2026-13").status_code == 404
    assert client.get("/supervision/cases/?kind=filed&month=abc").status_code == 404


def test_home_shows_charts_to_supervisors_only(people, land, login):
    page = html(login(people["president"]).get("/"))
    assert 'data-chart="/supervision/charts/trend/?court=%E7%B2%A40106"' in page
    assert "/static/zhixing/vendor/echarts/echarts.min.js" in page
    assert "data-chart=" not in html(login(people["judge"]).get("/"))


# -- 督办 -------------------------------------------------------------------------------------------


def _issue(client: Any, case: EnforcementCase, **data: Any) -> Any:
    body = {"text": "请于本周内完成网络查控并报告结果", "due_on": "2026-03-13", **data}
    return client.post(f"/cases/{case.pk}/supervision-orders/", body)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("director", 302),
        ("president", 302),
        ("gz_director", 302),  # a superior court's director
        ("gd_president", 302),
        ("judge", 403),
        ("operator", 403),  # supervises, but does not order
        ("clerk", 403),
        ("yx_director", 404),  # a sibling court does not see the case at all
    ],
)
def test_who_may_issue(people, land, login, who, status):
    before = SupervisionOrder.objects.count()
    r = _issue(login(people[who]), land["a"])
    assert r.status_code == status
    assert SupervisionOrder.objects.count() == before + (1 if status == 302 else 0)


def test_issue_and_reply(people, land, login):
    a = land["a"]
    node = Node.objects.get(case=a, node_type__code="network_inquiry")
    r = _issue(login(people["gz_director"]), a, node=str(node.pk))
    assert r.status_code == 302 and r["Location"] == f"/cases/{a.pk}/#supervision-orders"
    order = SupervisionOrder.objects.get()
    assert (order.addressee, order.issued_by, order.node, order.court.code, order.status) == (
        people["judge"],
        people["gz_director"],
        node,
        "粤0106",
        "open",
    )
    rec = AuditRecord.objects.filter(action="case.supervision_order.issue").get()
    assert rec.case_id == a.pk and rec.after["due_on"] == "2026-03-13" and rec.after["node"] == node.pk
    told = Notification.objects.get(recipient=people["judge"], kind="case.supervision_order")
    assert (told.text, told.url) == (
        f"收到督办：{a.number}，请于2026-03-13前回复",
        f"/cases/{a.pk}/#supervision-orders",
    )

    judge = login(people["judge"])
    panel = html(judge.get(f"/cases/{a.pk}/supervision-orders/"))
    assert "请于本周内完成网络查控并报告结果" in panel and "节点：发起网络查控" in panel
    assert 'data-testid="reply-order"' in panel and 'data-testid="issue-order"' not in panel
    assert f'hx-get="/cases/{a.pk}/supervision-orders/"' in html(judge.get(f"/cases/{a.pk}/"))
    home = html(judge.get("/supervision/orders/panel/"))
    assert '<span class="badge" data-testid="orders-open">1</span>' in home and "orders-overdue" not in home

    # Only the addressee replies: not the issuer, not a colleague.
    url = f"/supervision/orders/{order.pk}/reply/"
    assert login(people["gz_director"]).post(url, {"reply": "收到"}).status_code == 403
    assert login(people["judge2"]).post(url, {"reply": "收到"}).status_code == 403
    assert login(people["yx_director"]).post(url, {"reply": "收到"}).status_code == 404
    r = judge.post(url, {"reply": "已于3月10日发起网络查控，结果待反馈"})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "replied" and order.reply == "已于3月10日发起网络查控，结果待反馈"
    rec = AuditRecord.objects.filter(action="case.supervision_order.reply").get()
    assert rec.after == {"status": "replied", "reply": "已于3月10日发起网络查控，结果待反馈", "late": False}
    answered = Notification.objects.get(recipient=people["gz_director"], kind="case.supervision_order.reply")
    assert answered.text == f"督办已回复：{a.number}"
    issuer_view = html(login(people["gz_director"]).get(f"/cases/{a.pk}/supervision-orders/"))
    assert "回复：</b>已于3月10日发起网络查控，结果待反馈" in issuer_view and "已回复" in issuer_view
    assert judge.post(url, {"reply": "再次回复"}).status_code == 400  # once only
    assert "orders-open" not in html(judge.get("/supervision/orders/panel/"))


def test_bad_orders_are_refused_with_the_reason_and_change_nothing(people, land, login):
    client = login(people["director"])
    r = _issue(client, land["a"], text="  ")
    assert r.status_code == 400 and "请填写督办事项" in r.content.decode()
    r = _issue(client, land["a"], due_on="2026-03-09")
    assert r.status_code == 400 and "回复期限不能早于今天" in r.content.decode()
    r = _issue(client, land["b"])  # not assigned yet
    assert r.status_code == 400 and "案件尚未分案，没有可督办的承办人" in r.content.decode()
    assert SupervisionOrder.objects.count() == 0
    panel = html(client.get(f"/cases/{land['b'].pk}/supervision-orders/"))
    assert 'data-testid="issue-order"' not in panel  # nothing offered on an unassigned case


def test_overdue_unanswered_orders_are_flagged(people, land, login):
    _issue(login(people["director"]), land["a"], due_on="2026-03-10")
    order = SupervisionOrder.objects.get()
    judge = login(people["judge"])
    assert "逾期未回复" not in html(
        judge.get(f"/cases/{land['a'].pk}/supervision-orders/")
    )  # due today: in time
    with time_machine.travel(NOW.replace(day=12), tick=False):
        judge = login(people["judge"])  # a fresh sign-in two days later
        panel = html(judge.get(f"/cases/{land['a'].pk}/supervision-orders/"))
        assert "逾期未回复" in panel
        home = html(judge.get("/supervision/orders/panel/"))
        assert '<span class="badge red" data-testid="orders-overdue">逾期 1</span>' in home
        listing = html(login(people["director"]).get("/supervision/orders/?view=issued&overdue=1"))
        assert re.findall(r'<tr data-order="(\d+)"', listing) == [str(order.pk)]
        assert _list_count(login(people["director"]), "/supervision/orders/?view=all&overdue=1") == 1
        judge.post(f"/supervision/orders/{order.pk}/reply/", {"reply": "已办理"})
        rec = AuditRecord.objects.filter(action="case.supervision_order.reply").get()
        assert rec.after["late"] is True
        assert _list_count(login(people["director"]), "/supervision/orders/?view=all&overdue=1") == 0


def test_order_lists_are_scoped(people, land, login):
    _issue(login(people["director"]), land["a"])
    assert _list_count(login(people["judge"]), "/supervision/orders/?view=mine") == 1
    assert _list_count(login(people["judge2"]), "/supervision/orders/?view=mine") == 0
    assert _list_count(login(people["gd_president"]), "/supervision/orders/?view=all") == 1
    assert _list_count(login(people["yx_director"]), "/supervision/orders/?view=all") == 0
    assert login(people["judge"]).get("/supervision/orders/?view=all").status_code == 403


def test_a_handler_id_past_64_bits_lists_nothing_and_does_not_fail(people, land, login):
    client = login(people["director"])
    r = client.get("/supervision/nodes/", {"court": "粤0106", "handler": "9" * 20})
    assert r.status_code == 200
    assert re.findall(r'<tr data-node-id="(\d+)"', r.content.decode()) == []
