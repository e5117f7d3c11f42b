"""Statement layouts: the parser under each amount mode, header row, encoding and date format; the
layout form (validation naming the field, court scoping, finance only); a bad file changes nothing."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.funds import services
from zhixing.funds import statement as st
from zhixing.funds import statement_layouts as sl
from zhixing.funds.models import Receipt, Reconciliation, StatementImport, StatementLayout

D = Decimal
pytestmark = pytest.mark.django_db
NETBANK = sl.BUILTIN[sl.SANDBOX_DIRECTION].spec


def rows(text: str, spec: sl.LayoutSpec | None = None, encoding: str = "utf-8") -> list[st.StatementLine]:
    return st.parse(
        st.rows_from_file(text.encode(encoding), "s.csv", spec.encoding if spec else ""), None, spec
    )


def test_builtin_netbank_layout_reads_the_sandbox_export():
    text = (
        "沙箱托管银行 账户交易明细\n账号：44001000106,日期：20260310\n"
        "流水号,记账日期,借贷标志,发生额,对方户名,对方账号,子账号,用途,账户余额\n"
        "T1,20260310,贷,1200.00,张三,6222,8801060001,还款,1200.00\n"
        "P1,20260310,借,200.50,李四,6223,,发款,999.50\n"
    )
    got = rows(text, NETBANK, "gb18030")
    assert [(ln.row, ln.txn_id, ln.value_date, ln.amount, ln.balance) for ln in got] == [
        (4, "T1", date(2026, 3, 10), D("1200.00"), D("1200.00")),
        (5, "P1", date(2026, 3, 10), D("-200.50"), D("999.50")),
    ]
    assert got[0].to_account == "8801060001" and got[1].payer_name == "李四"


@pytest.mark.parametrize(
    ("line", "row", "reason"),
    [
        ("T2,2026-03-10,贷,1.00,,,,,", 4, "不符合版式的日期格式YYYYMMDD"),
        ("T2,20260310,存,1.00,,,,,", 4, "收支方向“存”无法识别"),
        ("T2,20260310,贷,-1.00,,,,,", 4, "金额应为正数"),
        ("T2,20260310,贷,1.001,,,,,", 4, "超过两位小数"),
    ],
)
def test_netbank_row_errors_name_the_file_row(line, row, reason):
    text = "标题\n\n流水号,记账日期,借贷标志,发生额,对方户名,对方账号,子账号,用途,账户余额\n" + line + "\n"
    with pytest.raises(st.StatementError) as exc:
        rows(text, NETBANK, "gb18030")
    assert exc.value.errors[0][0] == row and reason in exc.value.errors[0][1]


def test_split_columns_and_explicit_date_format():
    spec = sl.LayoutSpec(
        columns={"txn_id": "凭证号", "date": "日期", "in_amount": "贷方发生额", "out_amount": "借方发生额"},
        amount_mode=sl.SPLIT,
        date_format="%Y年%m月%d日",
    )
    got = rows("凭证号,日期,借方发生额,贷方发生额\nA,2026年03月10日,,5.00\nB,2026年03月10日,3.00,\n", spec)
    assert [(ln.txn_id, ln.amount) for ln in got] == [("A", D("5.00")), ("B", D("-3.00"))]
    with pytest.raises(st.StatementError) as exc:
        rows("凭证号,日期,借方发生额,贷方发生额\nA,2026年03月10日,1.00,5.00\n", spec)
    assert exc.value.errors == [(2, "收入金额与支出金额应有且只有一个不为零")]


def test_header_row_past_the_end_and_missing_columns():
    with pytest.raises(st.StatementError) as exc:
        rows("only one line\n", sl.LayoutSpec(header_row=3))
    assert exc.value.errors[0][0] == 3 and "找不到版式指定的表头行" in exc.value.errors[0][1]
    with pytest.raises(st.StatementError) as exc:
        rows("标题\n流水,日期\n", sl.LayoutSpec(header_row=2))
    assert exc.value.errors[0][0] == 2 and "交易流水号" in exc.value.errors[0][1]


def test_declared_encoding_is_enforced():
    with pytest.raises(st.StatementError) as exc:
        st.rows_from_file("交易流水号\n".encode("gb18030"), "s.csv", "utf-8")
    assert "UTF-8" in str(exc.value)


def test_excel_with_a_saved_layout(case, people):
    layout = services.save_layout(
        people["finance"],
        case.court,
        {
            "name": "工行网银",
            "bank_name": "工商银行",
            "header_row": "2",
            "amount_mode": sl.SIGNED,
            "txn_id_column": "流水",
            "date_column": "日期",
            "amount_column": "交易金额",
            "to_account_column": "子账号",
        },
    )
    acc = services.case_account(case).number
    wb = Workbook()
    ws = wb.active
    ws.append(["工商银行 对账单"])
    ws.append(["流水", "日期", "交易金额", "子账号"])
    ws.append(["X1", date(2026, 3, 10), "88.80", acc])
    buf = io.BytesIO()
    wb.save(buf)
    imp = services.import_statement(
        people["finance"], case.court, buf.getvalue(), "s.xlsx", layout=layout.pk, book_missing=True
    )
    assert imp.booked == 1 and Receipt.objects.get(bank_txn_id="X1").case_id == case.pk
    assert Reconciliation.objects.get(statement=imp).status == "balanced"


def test_another_courts_layout_cannot_be_used(case, people, courts):
    other = StatementLayout.objects.create(
        court=courts["yx"], name="越秀", txn_id_column="a", date_column="b"
    )
    with pytest.raises(ServiceError) as exc:
        services.import_statement(people["finance"], case.court, b"a,b\n", "s.csv", layout=other.pk)
    assert exc.value.field == "layout"
    assert not StatementImport.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "请填写“版式名称”"),
        ({"header_row": "0"}, "header_row", "表头行号"),
        ({"header_row": "x"}, "header_row", "表头行号"),
        ({"encoding": "latin-1"}, "encoding", "字符编码"),
        ({"date_format": "%d"}, "date_format", "日期格式"),
        ({"amount_column": ""}, "amount_column", "金额列"),
        ({"amount_mode": sl.DIRECTION}, "direction_column", "收支方向列"),
        ({"amount_mode": sl.SPLIT}, "in_amount_column", "收入金额列"),
        ({"memo_column": "交易日期"}, "txn_id_column", "被指定给了多个字段"),
        ({"memo_column": "摘\x00要"}, "memo_column", "控制字符"),
        (
            {
                "amount_mode": sl.DIRECTION,
                "direction_column": "方向",
                "direction_in": "收",
                "direction_out": "收",
            },
            "direction_out",
            "不能相同",
        ),
    ],
)
def test_layout_form_errors_name_the_field(case, people, change, field, message):
    data = {"name": "甲", "header_row": "1", "amount_mode": sl.SIGNED}
    data |= {"txn_id_column": "流水号", "date_column": "交易日期", "amount_column": "金额"}
    with pytest.raises(ServiceError) as exc:
        services.save_layout(people["finance"], case.court, data | change)
    assert exc.value.field == field and message in exc.value.message
    assert not StatementLayout.objects.exists()


def test_only_finance_saves_layouts(case, people):
    data = {"name": "甲", "header_row": "1", "amount_mode": sl.SIGNED}
    data |= {"txn_id_column": "流水号", "date_column": "交易日期", "amount_column": "金额"}
    for who in ("director", "judge", "yx_director"):
        with pytest.raises(NotPermitted):
            services.save_layout(people[who], case.court, data)
    services.save_layout(people["finance"], case.court, data)
    with pytest.raises(ServiceError) as exc:
        services.save_layout(people["finance"], case.court, data)
    assert exc.value.field == "name"


LAYOUT_PAGE = {
    "finance": 200,
    "director": 200,
    "president": 200,
    "judge": 403,
    "clerk": 403,
    "gz_director": 200,
}


@pytest.mark.parametrize(("who", "status"), LAYOUT_PAGE.items())
def test_layout_page_matrix(client, people, case, who, status):
    client.force_login(people[who])
    r = client.get(reverse("funds_layouts"))
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "沙箱托管银行 · 对账单CSV（标准）" in html
        assert ('id="layout-save"' in html) is (who == "finance")


def test_layout_form_end_to_end(client, people, case, courts):
    client.force_login(people["finance"])
    form = {"name": "建行导出", "header_row": "1", "amount_mode": sl.DIRECTION, "encoding": "gbk"}
    form |= {"direction_in": "贷", "direction_out": "借", "date_format": "%Y%m%d"}
    form |= {"txn_id_column": "流水号", "date_column": "日期", "amount_column": "金额"}
    bad = client.post(reverse("funds_layouts"), form)
    assert bad.status_code == 422 and "收支方向列" in bad.content.decode()
    assert not StatementLayout.objects.exists()
    r = client.post(reverse("funds_layouts"), form | {"direction_column": "借贷"})
    assert r.status_code == 302
    layout = StatementLayout.objects.get()
    page = client.get(reverse("funds_finance")).content.decode()
    assert f'<option value="{layout.pk}">建行导出</option>' in page
    csv_text = "流水号,日期,借贷,金额\nK1,20260310,贷,10.00\nK2,20260310,借,4.00\n"
    r = client.post(
        reverse("funds_upload_statement"),
        {"file": SimpleUploadedFile("k.csv", csv_text.encode("gb18030")), "layout": str(layout.pk)},
    )
    rec = Reconciliation.objects.get()
    assert r["Location"] == reverse("funds_recon_detail", args=[rec.pk])
    assert sorted(rec.items.values_list("ref", "amount")) == [("K1", D("10.00")), ("K2", D("-4.00"))]
    # Another court's finance cannot open, change or delete it.
    from tests import factories

    yx_finance = factories.staff(courts["yx"], "finance", username="yx_finance")
    client.force_login(yx_finance)
    assert client.get(reverse("funds_layout_edit", args=[layout.pk])).status_code == 404
    client.post(reverse("funds_layout_delete", args=[layout.pk]))
    assert StatementLayout.objects.filter(pk=layout.pk).exists()
    client.force_login(people["finance"])
    client.post(reverse("funds_layout_delete", args=[layout.pk]))
    assert not StatementLayout.objects.filter(pk=layout.pk).exists()


def test_api_lists_layouts(client, people, case):
    client.force_login(people["finance"])
    got = client.get("/api/v1/funds/statement-layouts").json()
    assert [g["value"] for g in got] == [sl.SANDBOX, sl.SANDBOX_DIRECTION]
    client.force_login(people["judge"])
    assert client.get("/api/v1/funds/statement-layouts").status_code == 403


def test_api_upload_with_layout(client, people, case):
    client.force_login(people["finance"])
    text = "交易流水号,交易日期,金额,余额\nZ1,2026-03-10,5.00,5.00\n"
    r = client.post(
        "/api/v1/funds/statements", {"file": SimpleUploadedFile("z.csv", text.encode()), "layout": sl.SANDBOX}
    )
    assert r.status_code == 201 and r.json()["status"] == "differences"
    client.force_login(people["judge"])
    r = client.post("/api/v1/funds/statements", {"file": SimpleUploadedFile("z.csv", text.encode())})
    assert r.status_code == 403
