"""Walk findings 4–6: page-table exports name every header, leave out action columns and separate the
values a cell stacks."""

from __future__ import annotations

from decimal import Decimal

from zhixing.core.export_tables import find_table

LINK = '<h2>表</h2><a data-export="t">导出</a>'


def test_pick_box_and_action_form_columns_are_left_out() -> None:
    html = LINK + (
        '<table><thead><tr><th><input type="checkbox" id="select-all"></th><th>案号</th><th>财产</th>'
        "<th>续行</th></tr></thead><tbody>"
        '<tr><td><input type="checkbox" name="assets" value="1"></td>'
        '<td><a href="/c/1/">（2024）粤0106执1号</a></td>'
        '<td>账户 KWMP746690055681<small class="muted">银行业理财登记托管中心 · 资金账户</small></td>'
        '<td><form method="post"><button>续行</button></form></td></tr></tbody></table>'
    )
    t = find_table(html, "t")
    assert t is not None
    assert t.header == ["案号", "财产"]
    assert t.rows == [["（2024）粤0106执1号", "账户 KWMP746690055681 银行业理财登记托管中心 · 资金账户"]]


def test_unnamed_link_column_and_operation_column_are_left_out() -> None:
    html = LINK + (
        "<table><thead><tr><th>案号</th><th>被执行人</th><th></th><th>操作</th></tr></thead><tbody>"
        '<tr><td>（2024）粤0106执1号</td><td>张三</td><td><a href="/a/1/">履行能力分析</a></td>'
        '<td><a href="/x/">审批</a></td></tr></tbody></table>'
    )
    t = find_table(html, "t")
    assert t is not None
    assert (t.header, t.rows) == (["案号", "被执行人"], [["（2024）粤0106执1号", "张三"]])


def test_nested_table_values_are_separated_and_headers_named() -> None:
    html = LINK + (
        "<table><thead><tr><th>金额</th><th>分配明细</th><th></th></tr></thead><tbody>"
        "<tr><td>100.00</td><td><details><summary>2个案件</summary><table><thead><tr><th>案号</th>"
        "<th>日均余额</th><th>分得孳息</th></tr></thead><tbody><tr><td>A号</td><td>1,364.28</td><td>91.68</td></tr>"
        "<tr><td>B号</td><td>533.78</td><td>35.87</td></tr></tbody></table></details></td><td>说明</td></tr>"
        "</tbody></table>"
    )
    t = find_table(html, "t")
    assert t is not None
    assert t.header == ["金额", "分配明细", "第3列"]
    assert t.rows[0][0] == Decimal("100.00")
    assert t.rows[0][1] == "2个案件；案号 日均余额 分得孳息；A号 1,364.28 91.68；B号 533.78 35.87"
