"""Command-center pages: who may open them, metrics with fake sources and Excel, supervision, budgets."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from zhixing.cases import services
from zhixing.command import sources

pytestmark = pytest.mark.django_db

PAGES = [
    "/command/situation/",
    "/command/situation/wall/",
    "/command/situation/snapshot/",
    "/command/metrics/",
    "/command/supervision/",
    "/command/entrust/",
]
# role -> (situation, wall, snapshot, metrics, supervision, entrust)
MATRIX = {
    "operator": (200, 200, 200, 200, 403, 200),
    "director": (200, 200, 200, 200, 200, 200),
    "president": (200, 200, 200, 200, 200, 200),
    "judge": (403, 403, 403, 403, 403, 403),
    "clerk": (403, 403, 403, 403, 403, 403),
    "finance": (403, 403, 403, 403, 403, 403),
    "gz_director": (200, 200, 200, 200, 200, 200),
    "gd_president": (200, 200, 200, 200, 200, 200),
}


def test_permission_matrix(people: dict[str, Any], login: Any, frozen: None) -> None:
    seen = {who: [login(people[who]).get(url).status_code for url in PAGES] for who in MATRIX}
    assert seen == {who: list(codes) for who, codes in MATRIX.items()}
    anon = login(None)
    assert all(anon.get(url).status_code == 302 for url in PAGES)


def test_a_court_out_of_scope_is_404(people: dict[str, Any], login: Any, frozen: None) -> None:
    client = login(people["yx_director"])  # 越秀 may not read its sibling 天河 nor its parent
    for url in PAGES:
        assert client.get(url + "?court=粤0106").status_code == 404
        assert client.get(url + "?court=粤01").status_code == 404
        assert client.get(url + "?court=nonexistent").status_code == 404
    assert login(people["gz_director"]).get("/command/metrics/?court=粤0106").status_code == 200


def _paid_case(people: dict[str, Any]) -> Any:
    case = factories.case(people["clerk"], filed_on=date(2026, 1, 5), applied_on=date(2026, 1, 4))
    case = services.assign_case(people["director"], case, people["judge"], on=date(2026, 1, 6))
    services.record_payment(case.pk, Decimal("100000.00"), date(2026, 3, 1), source="direct", reference="p-1")
    return case


def test_metrics_show_definitions_missing_sources_and_fake_sources(
    people: dict[str, Any], login: Any, frozen: None, no_sources: None
) -> None:
    factories.case(people["clerk"])  # open, filed 2026-03-04
    client = login(people["director"])
    page = client.get("/command/metrics/?start=2026-01-01&end=2026-03-10").content.decode()
    total = page.split('data-testid="metrics-total"')[1].split("</table>")[0]
    # 终本合格率, 信访办结率 and the two objection metrics (issue 19): 未接入
    assert total.count('data-state="missing"') == 4
    assert "期内结案数 ÷ 期内受理案件数" in total and "口径待核实" in total
    calls: list[tuple[list[int], date, date]] = []

    def dormant(court_ids: list[int], start: date, end: date) -> dict[str, int]:
        calls.append((court_ids, start, end))
        return {"closed": 4, "compliant": 3}

    sources.register("dormant_compliance", dormant)
    sources.register("petition_counts", lambda ids, s, e: {"due": 2, "answered_on_time": 2})
    data = client.get("/command/metrics/?start=2026-01-01&end=2026-03-10&format=json").json()
    by = {m["code"]: m for m in data["total"]}
    assert by["dormant_compliance"]["value"] == "75.00" and by["dormant_compliance"]["met"] is False
    assert by["petition_completion"]["value"] == "100.00"
    assert by["closure_rate"]["numerator"] == "0" and by["closure_rate"]["denominator"] == "1"
    assert calls[0] == ([people["director"].court_id], date(2026, 1, 1), date(2026, 3, 10))
    with pytest.raises(ValueError, match="unknown command-center source"):
        sources.register("nonsense", dormant)


def test_metrics_per_handler_and_team_and_excel(
    people: dict[str, Any], login: Any, frozen: None, no_sources: None
) -> None:
    _paid_case(people)
    client = login(people["director"])
    data = client.get("/command/metrics/?group=handler&start=2026-01-01&end=2026-03-10&format=json").json()
    assert [r["name"] for r in data["rows"]] == [people["judge"].full_name]
    team = client.get("/command/metrics/?group=team&format=json").json()
    assert [r["name"] for r in team["rows"]] == ["未分团队"]
    response = client.get("/command/metrics/?export=xlsx&export_table=metrics&group=handler")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert any(people["judge"].full_name in [str(c) for c in row] for row in rows)
    assert any("结案率" in [str(c) for c in row] for row in rows)


def test_bad_period_is_refused_with_the_field_named(people: dict[str, Any], login: Any, frozen: None) -> None:
    client = login(people["director"])
    response = client.get("/command/metrics/?start=2026-13-01")
    assert response.status_code == 400 and "开始日期：日期格式应为 YYYY-MM-DD" in response.content.decode()
    response = client.get("/command/metrics/?start=2026-03-01&end=2026-02-01")
    assert response.status_code == 400 and "开始日期不能晚于结束日期" in response.content.decode()
    response = client.get("/command/metrics/?group=planet")
    assert response.status_code == 400 and "分组" in response.content.decode()


def test_supervision_counts_orders_and_shows_missing_dormant_source(
    people: dict[str, Any], login: Any, frozen: None, no_sources: None
) -> None:
    case = factories.case(people["clerk"])
    case = services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))
    services.issue_supervision_order(
        people["gz_director"], case, text="请于期限内办结", due_on=date(2026, 3, 12)
    )
    page = login(people["gz_director"]).get("/command/supervision/").content.decode()
    row = page.split('data-court="粤0106"')[1].split("</tr>")[0]
    assert 'data-orders="open">1<' in row and 'data-orders="overdue">0<' in row
    assert 'data-kind="dormant_irregular">未接入<' in row
    sources.register(
        "dormant_without_preconditions",
        lambda ids, s, e: [
            {
                "case_id": case.pk,
                "number": case.number,
                "court_id": case.court_id,
                "closed_on": date(2026, 3, 9),
                "missing": "未完成财产报告令",
            }
        ],
    )
    page = login(people["gz_director"]).get("/command/supervision/?kind=dormant_irregular").content.decode()
    assert "终本结案缺少：未完成财产报告令" in page and case.number in page


def test_list_pages_keep_their_query_budgets(people: dict[str, Any], login: Any, frozen: None) -> None:
    for _ in range(3):
        _paid_case(people) if _ == 0 else factories.case(people["clerk"])
    client = login(people["gd_president"])  # the province: six courts
    client.get("/command/situation/snapshot/")  # warm the figures cache
    budgets = {"/command/situation/snapshot/": 8, "/command/metrics/": 40, "/command/supervision/": 14}
    for url, budget in budgets.items():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx.captured_queries) <= budget, (url, len(ctx.captured_queries))
