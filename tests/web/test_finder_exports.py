"""Issue 13 (finder): every list, queue and statistics table exports as .xlsx (`@exportable`), totals on
money queues."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from tests import factories
from zhixing.core.export_tables import cell_value, find_table
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db

HTML = """
<h1>财务工作台</h1>
<h2>不明款待认领（2）</h2>
<a class="btn" href="?export=xlsx" data-export="unidentified">导出Excel</a>
<table><thead><tr><th class="pick"></th><th>付款人</th><th>账号</th>
<th class="num">金额</th><th>操作</th></tr></thead>
<tbody>
<tr><td class="pick"><input type="checkbox"></td><td>=HYPERLINK("x")</td><td>6222000011112222</td>
<td class="num">1,234.50</td><td><form><input name="a"><button>认领</button></form></td></tr>
<tr><td class="pick"></td><td>李 四<br>（个人）</td><td>0123</td><td class="num">12</td>
<td><table><tr><td>nested</td></tr></table></td></tr>
</tbody>
<tfoot><tr><th colspan="3">合计 2 笔</th><td>1,246.50</td><td></td></tr></tfoot></table>
<h2>其他</h2><a data-export="other">导出</a><table><tbody><tr><td colspan="3">无</td></tr></tbody></table>
"""


def test_find_table_reads_the_named_table_as_shown():
    t = find_table(HTML, "unidentified")
    assert t is not None
    assert t.title == "不明款待认领（2）"
    assert t.header == ["付款人", "账号", "金额", "操作"]
    assert t.rows == [
        ['=HYPERLINK("x")', "6222000011112222", Decimal("1234.50"), ""],
        ["李 四 （个人）", "0123", 12, "nested"],
    ]
    assert t.footer == [["合计 2 笔", "", "", Decimal("1246.50"), ""]]
    other = find_table(HTML, "other")
    assert other is not None and other.rows == [["无", "", ""]] and other.header == []
    assert find_table(HTML, "missing") is None


def test_cell_values():
    assert cell_value("1,234.50") == Decimal("1234.50")
    assert cell_value("-12.5") == Decimal("-12.5")
    assert cell_value("23") == 23
    assert cell_value("360426199101010071") == "360426199101010071"  # an ID stays text
    assert cell_value("0106") == "0106"
    assert cell_value("（2026）粤0106执1号") == "（2026）粤0106执1号"


def _xlsx(response: Any) -> list[tuple[Any, ...]]:
    data = b"".join(response.streaming_content)
    return [
        tuple(r) for r in openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)
    ]


def test_supervision_table_exports(people, login, frozen, settings):
    factories.case(people["clerk"])
    client = login(people["gz_director"])
    page = client.get(reverse("supervision")).content.decode()
    assert 'href="?export=xlsx&amp;export_table=supervision"' in page
    response = client.get(reverse("supervision"), {"export": "xlsx", "export_table": "supervision"})
    assert response.status_code == 200
    assert response["X-Export-Rows"] == "3"  # 广州中院, 天河, 越秀
    rows = _xlsx(response)
    assert rows[0][:4] == ("法院", "在办案件", "超期节点", "超执行期限案件")
    by_court = {r[0]: r[1:4] for r in rows[1:4]}
    assert by_court["广州市天河区人民法院 粤0106"] == (1, 1, 0)  # the unassigned case's overdue node
    assert by_court["广州市越秀区人民法院 粤0104"] == (0, 0, 0)
    assert rows[4][:4] == ("合计", 1, 1, 0)
    rec = AuditRecord.objects.get(action="export.xlsx")
    assert rec.after["table"] == "supervision.supervision" and rec.after["rows"] == 3
    assert rec.after["title"].startswith("节点监管")
    settings.ZHIXING_EXPORT_MAX_ROWS = 2
    response = client.get(reverse("supervision"), {"export": "xlsx", "export_table": "supervision"})
    assert response["X-Export-Capped"] == "2"
    assert _xlsx(response)[3][0].startswith("注：符合条件的记录超过2行")


def test_export_has_the_page_permission(people, login, frozen):
    response = login(people["clerk"]).get(
        reverse("supervision"), {"export": "xlsx", "export_table": "supervision"}
    )
    assert response.status_code == 403
    response = login(None).get(reverse("supervision"), {"export": "xlsx", "export_table": "supervision"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not AuditRecord.objects.filter(action="export.xlsx").exists()


def test_unknown_table_shows_the_page(people, login, frozen):
    response = login(people["director"]).get(
        reverse("supervision"), {"export": "xlsx", "export_table": "nope"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("who", "url_name", "table"),
    [
        ("finance", "funds_finance", "unidentified"),
        ("finance", "funds_finance", "to-send"),
        ("finance", "funds_finance", "reconciliations"),
        ("president", "funds_approvals", "approvals"),
        ("president", "funds_director", "court-totals"),
        ("finance", "funds_layouts", "layouts"),
        ("president", "credit_supervision", "removals"),
        ("director", "inquiry_approvals", "approvals"),
        ("director", "triage_queue", "triage"),
        ("director", "inquiry_controls", "controls"),
        ("judge", "analytics:index", "debtors"),
        ("judge", "analytics:presets", "presets"),
    ],
)
def test_queues_export(people, login, frozen, who, url_name, table):
    client = login(people[who])
    page = client.get(reverse(url_name))
    assert page.status_code == 200
    assert f'data-export="{table}"' in page.content.decode()
    response = client.get(reverse(url_name), {"export": "xlsx", "export_table": table})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx(response)
    assert rows[0] and all(isinstance(h, str) for h in rows[0] if h is not None)
    rec = AuditRecord.objects.get(action="export.xlsx")
    assert rec.object_id == f"{url_name}.{table}" and rec.actor_id == people[who].pk


def test_money_queue_totals(people, login, frozen):
    page = login(people["president"]).get(reverse("funds_finance")).content.decode()
    assert 'data-testid="unidentified-totals"><th colspan="4" scope="row">合计 0 笔</th>' in page
    page = login(people["president"]).get(reverse("funds_approvals")).content.decode()
    assert 'data-testid="approval-totals"' in page


def test_overdue_node_list_exports_every_row(people, login, frozen, settings):
    """超期节点 is paged on the page (100 a page) but exported whole, from the same query."""
    cases = [factories.case(people["clerk"]) for _ in range(2)]
    client = login(people["director"])
    url = reverse("supervision_nodes") + "?court=粤0106"
    page = client.get(url).content.decode()
    assert 'data-export="overdue-nodes"' in page
    count = int(page.split('data-testid="list-count">')[1].split("<")[0])
    assert count >= 2
    response = client.get(url + "&export=xlsx")
    assert response.status_code == 200 and response["X-Export-Rows"] == str(count)
    rows = _xlsx(response)
    assert rows[0] == ("案号", "节点", "法院", "承办人", "期限届满日", "超期天数")
    assert {r[0] for r in rows[1:]} == {c.number for c in cases}
    assert all(r[3] == "未分案" and isinstance(r[5], int) and r[5] > 0 for r in rows[1:])
    assert AuditRecord.objects.get(action="export.xlsx").after["rows"] == count
    settings.ZHIXING_EXPORT_MAX_ROWS = 1
    response = client.get(url + "&export=xlsx")
    assert response["X-Export-Capped"] == "1"
    # a court the user may not read: the page's 404, nothing exported
    assert login(people["yx_director"]).get(url + "&export=xlsx").status_code == 404
    assert login(people["clerk"]).get(url + "&export=xlsx").status_code == 403
    assert AuditRecord.objects.filter(action="export.xlsx").count() == 2


def test_figure_case_list_exports(people, login, frozen):
    case = factories.case(people["clerk"])
    client = login(people["director"])
    response = client.get(reverse("supervision_cases"), {"court": "粤0106", "kind": "open", "export": "xlsx"})
    assert response["X-Export-Rows"] == "1"
    rows = _xlsx(response)
    assert rows[1][0] == case.number and rows[1][3] == "张三"
    assert AuditRecord.objects.get(action="export.xlsx").object_id == "supervision_cases.open"
