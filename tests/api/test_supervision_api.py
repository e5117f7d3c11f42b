"""The leaders' API: chart data (the same JSON as the pages, scoped the same) and 督办 issue/reply/list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from zhixing.cases import services
from zhixing.cases.models import Node, SupervisionOrder

from .. import factories
from .conftest import Api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def case(people: dict[str, Any]) -> Any:
    c = factories.case(people["clerk"])
    return services.assign_case(people["director"], c, people["judge"], on=date(2026, 3, 5))


def test_chart_json_matches_the_page_and_is_scoped(api: Api, people: dict[str, Any], case: Any) -> None:
    r = api.get("/supervision/charts/age", people["gd_president"], court="粤01")
    assert r.status_code == 200
    body = r.json()
    assert body["categories"] == ["超期1–7天", "超期8–30天", "超期31–90天", "超期90天以上"]
    assert body["series"] == [
        {
            "name": "超期节点",
            "data": [2, 0, 0, 0],  # 发起网络查控 and 告知提供财产线索 (2006 期限规定 Art 5), due 2026-03-09
            "axis": None,
            "kind": None,
            "links": [
                f"/supervision/nodes/?court=%E7%B2%A401&tree=1&age={a}"
                for a in ("1-7", "8-30", "31-90", "91-")
            ],
        }
    ]
    assert api.get("/supervision/charts/age", people["director"], court="粤01").status_code == 404
    assert api.get("/supervision/charts/age", people["yx_director"], court="粤0106").status_code == 404
    assert api.get("/supervision/charts/pie", people["director"]).status_code == 404
    assert api.get("/supervision/charts/age", people["judge"]).status_code == 403


def test_issue_reply_and_list(api: Api, people: dict[str, Any], case: Any) -> None:
    node = Node.objects.get(case=case, node_type__code="network_inquiry")
    r = api.post(
        f"/cases/{case.pk}/supervision-orders",
        people["gd_president"],
        {"text": "请说明网络查控为何超期", "due_on": "2026-03-12", "node": node.pk},
    )
    assert r.status_code == 201, r.json()
    out = r.json()
    assert {
        k: out[k] for k in ("case_number", "court", "node", "addressee", "status", "status_label", "overdue")
    } == {
        "case_number": case.number,
        "court": "粤0106",
        "node": "发起网络查控",
        "addressee": people["judge"].full_name,
        "status": "open",
        "status_label": "待回复",
        "overdue": False,
    }
    mine = api.get("/supervision-orders", people["judge"]).json()
    assert [o["id"] for o in mine] == [out["id"]]
    assert api.get("/supervision-orders", people["judge2"]).json() == []
    assert api.get("/supervision-orders", people["judge"], view="all").status_code == 403
    r = api.post(f"/supervision-orders/{out['id']}/reply", people["gd_president"], {"reply": "x"})
    assert r.status_code == 403 and r.json()["detail"] == "只有被督办人可以回复督办"
    r = api.post(f"/supervision-orders/{out['id']}/reply", people["judge"], {"reply": "已于今日发起"})
    assert r.status_code == 200 and r.json()["status"] == "replied" and r.json()["reply"] == "已于今日发起"
    r = api.post(f"/supervision-orders/{out['id']}/reply", people["judge"], {"reply": "再次"})
    assert r.status_code == 409 and r.json()["detail"] == "该督办已回复"
    listed = api.get(f"/cases/{case.pk}/supervision-orders", people["clerk"]).json()
    assert [o["status_label"] for o in listed] == ["已回复"]


def test_bad_orders(api: Api, people: dict[str, Any], case: Any) -> None:
    url = f"/cases/{case.pk}/supervision-orders"
    r = api.post(url, people["director"], {"text": "督办", "due_on": "2026-03-09"})
    assert r.status_code == 422 and r.json()["field"] == "due_on"
    r = api.post(url, people["director"], {"text": " ", "due_on": "2026-03-12"})
    assert r.status_code == 422
    other = factories.case(people["clerk"])
    node = Node.objects.get(case=other, node_type__code="network_inquiry")
    r = api.post(url, people["director"], {"text": "督办", "due_on": "2026-03-12", "node": node.pk})
    assert r.status_code == 404
    done = Node.objects.get(case=case, node_type__code="assign_handler")
    r = api.post(url, people["director"], {"text": "督办", "due_on": "2026-03-12", "node": done.pk})
    assert r.status_code == 409 and r.json()["detail"] == "只能督办未完成的节点"
    assert SupervisionOrder.objects.count() == 0


def test_overdue_flag(api: Api, people: dict[str, Any], case: Any) -> None:
    services.issue_supervision_order(people["director"], case, text="请报告进展", due_on=date(2026, 3, 11))
    assert api.get("/supervision-orders", people["director"], view="issued", overdue="true").json() == []
    with time_machine.travel(date(2026, 3, 12), tick=False):
        rows = api.get("/supervision-orders", people["director"], view="issued", overdue="true").json()
        assert [(o["overdue"], o["status_label"]) for o in rows] == [(True, "逾期未回复")]
