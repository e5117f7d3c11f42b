"""Exports an outside check brought that the platform read wrong or could not describe (issue 16 #1, #2).

Every file is written here, in the layout its institution uses: a corporate account that books a reversal
as a negative debit (红字冲正), a US card export that writes purchases negative, full-width dates, dates
Excel keeps as day numbers, a card purchase made before its cycle, a foreign export without a currency
and a foreign-currency line without a rate (the preview now says what the import would refuse).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from zhixing.analytics import layout_fit, preview
from zhixing.analytics.dates import excel_serial, parse_when
from zhixing.analytics.exchange import RateTable
from zhixing.analytics.models import Transaction
from zhixing.analytics.services import previews

from .layout_helpers import layout, read

D = Decimal
TODAY = date(2026, 12, 4)

# -- 红字冲正: a negative debit undoes a debit -------------------------------------------------------------
CORPORATE = (
    "交易时间,借方发生额,贷方发生额,余额,对方户名,摘要\n"
    "2024-04-02 09:31:05,,150000.00,250000.00,深圳某供应链有限公司,货款\n"
    "2024-04-08 10:15:42,3000.00,,247000.00,广州某印刷厂,转账支付\n"
    "2024-04-08 16:20:00,-3000.00,,250000.00,广州某印刷厂,冲正\n"
    "2024-04-09 11:00:00,,-500.00,249500.00,深圳某供应链有限公司,冲正\n"
    "2024-04-12 11:00:00,12.00,,249488.00,,网银汇划费\n"
)
CORPORATE_LAYOUT = {
    "date_column": "交易时间",
    "in_column": "贷方发生额",
    "out_column": "借方发生额",
    "balance_column": "余额",
    "counterparty_column": "对方户名",
    "summary_column": "摘要",
    "reversal_markers": "冲正",
}


def test_a_negative_figure_in_a_column_marked_as_a_reversal_moves_the_other_way() -> None:
    got = read(CORPORATE, layout(**CORPORATE_LAYOUT))
    assert [(x.amount, x.direction, x.kind) for x in got] == [
        (D("150000.00"), "in", "normal"),
        (D("-3000.00"), "out", "normal"),
        (D("3000.00"), "in", "reversal"),  # the balance rose: the debit was undone
        (D("-500.00"), "out", "reversal"),  # a credit taken back
        (D("-12.00"), "out", "normal"),
    ]


def test_without_its_marker_a_negative_figure_keeps_its_column() -> None:
    """A column written negative by convention (some exports sign every debit) stays spending."""
    data = (
        "交易时间,借方发生额,贷方发生额,余额,对方户名,摘要\n"
        "2024-04-08 10:15:42,-3000.00,,1.00,某公司,转账支付\n"
    )
    got = read(data, layout(**CORPORATE_LAYOUT))
    assert [(x.amount, x.direction, x.kind) for x in got] == [(D("-3000.00"), "out", "normal")]


def test_the_reversal_cancels_its_debit_in_the_totals(people: dict[str, Any], debtor: Any) -> None:
    """Through the product: imported, the pair cancels and the spending is the file's net debits."""
    from zhixing.analytics import services

    judge = people["judge"]
    preset = services.save_preset(
        judge, {**CORPORATE_LAYOUT, "name": "某银行单位账户", "code": "corp", "header_row": 1}
    )
    job = services.create_import(
        judge, debtor, kind="statement", file_name="corp.csv", data=CORPORATE.encode(), preset=preset
    )
    job = services.run_import(job.pk)
    assert (job.status, job.imported) == ("done", 5)
    stored = Transaction.objects.filter(job=job).order_by("row_no")
    assert [(t.amount, t.direction, t.kind) for t in stored] == [
        (D("150000.00"), "in", "normal"),
        (D("-3000.00"), "out", "normal"),
        (D("3000.00"), "in", "reversal"),
        (D("-500.00"), "out", "reversal"),
        (D("-12.00"), "out", "normal"),
    ]


# -- a US-style card: purchases negative, a return positive, no payment line ------------------------------
US_CARD = (
    "Transaction Date,Post Date,Description,Category,Type,Amount\n"
    "03/28/2024,03/29/2024,TRADER JOES #552,Groceries,Sale,-64.21\n"
    "03/25/2024,03/25/2024,NETFLIX.COM,Entertainment,Sale,-15.99\n"
    "03/22/2024,03/24/2024,UNITED 0162345678901,Travel,Sale,-1249.00\n"
    "03/12/2024,03/13/2024,AMAZON MKTPL R71KX2,Shopping,Return,23.99\n"
)


def test_on_a_card_without_telling_words_the_sign_most_lines_carry_is_spending(
    presets: dict[str, Any],
) -> None:
    card = layout(date_column="Transaction Date", amount_column="Amount", summary_column="Description")
    header = US_CARD.splitlines()[0].split(",")
    records = [r.split(",") for r in US_CARD.splitlines()[1:]]
    cols = {"date_column": "Transaction Date", "amount_column": "Amount", "summary_column": "Description"}

    def values(name: str) -> list[str]:
        at = header.index(name) if name in header else -1
        return [r[at] for r in records] if at >= 0 else []

    found = layout_fit._direction_by_words(card, {}, values, lambda f: cols.get(f, ""), card=True)
    assert found == {}  # in_positive, the layout's own: negative is spending
    chinese = [
        ["2024-01-02", "2024-01-03", "消费 某超市", "88.00"],
        ["2024-01-05", "2024-01-06", "某店", "20.00"],
    ]
    cn = dict(zip(["d", "p", "s", "a"], zip(*chinese, strict=True), strict=True))
    got = layout_fit._direction_by_words(
        card, {}, lambda n: list(cn.get(n, [])), lambda f: {"amount_column": "a"}.get(f, ""), card=True
    )
    assert got == {"amount_sign": "out_positive"}  # purchases positive: positive is spending


def test_a_us_card_reads_purchases_as_spending_through_the_preview(
    people: dict[str, Any], debtor: Any
) -> None:
    draft = previews.start(people["judge"], debtor, data=US_CARD.encode(), file_name="card.csv", today=TODAY)
    assert draft.preset is not None
    fixed = previews.review(
        people["judge"], debtor, token=draft.token, preset=draft.preset, today=TODAY, suggested=True
    )
    assert fixed.result is not None
    rows = [(r.direction, r.amount) for r in fixed.result.rows if not r.error]
    assert rows == [
        ("out", D("-64.21")),
        ("out", D("-15.99")),
        ("out", D("-1249.00")),
        ("in", D("23.99")),
    ]


# -- dates ----------------------------------------------------------------------------------------------
def test_full_width_dates_and_patterns_read_as_ascii() -> None:
    assert parse_when("２０２４－０６－０３", "１２：３０：００", "日期") == datetime(2024, 6, 3, 12, 30)
    assert parse_when("２０２４－０６－０３", None, "日期", date_format="YYYY－MM－DD") == datetime(
        2024, 6, 3
    )
    data = "日期,金额\n２０２４－０６－０３,１００.００\n"
    assert [x.occurred_at for x in read(data, layout(amount_column="金额"))] == [datetime(2024, 6, 3)]


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        (45323, datetime(2024, 2, 1)),
        (45323.5, datetime(2024, 2, 1, 12)),
        ("45323", datetime(2024, 2, 1)),
        ("45292.75", datetime(2024, 1, 1, 18)),
        (20240201, None),  # a YYYYMMDD number is not a day count
        (True, None),
        ("2024", None),
    ],
)
def test_excel_day_numbers(cell: Any, want: datetime | None) -> None:
    assert excel_serial(cell) == want


def test_an_xlsx_whose_dates_are_day_numbers_imports() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["交易日期", "金额", "摘要"])
    ws.append([45323, 100, "工资"])
    ws.append([45324.25, -20, "消费"])
    buf = io.BytesIO()
    wb.save(buf)
    got = read(buf.getvalue(), layout(date_column="交易日期", amount_column="金额", file_format="xlsx"))
    assert [(x.occurred_at, x.amount) for x in got] == [
        (datetime(2024, 2, 1), D("100.00")),
        (datetime(2024, 2, 2, 6), D("-20.00")),
    ]


# -- currencies -----------------------------------------------------------------------------------------
HSBC = (
    "Date,Description,Debit,Credit,Balance\n"
    '02/05/2024,SALARY ACME LTD,,"38,000.00","40,000.00"\n'
    '03/05/2024,PARKNSHOP,"1,234.00",,"38,766.00"\n'
)
HSBC_LAYOUT = {
    "date_column": "Date",
    "date_format": "DD/MM/YYYY",
    "in_column": "Credit",
    "out_column": "Debit",
    "balance_column": "Balance",
    "summary_column": "Description",
}


def test_an_english_export_without_a_currency_is_flagged() -> None:
    got = preview.build(HSBC.encode(), layout(**HSBC_LAYOUT), today=TODAY)
    assert (got.valid, got.errors) == (2, 0)
    assert got.warnings == [
        "表头为英文且文件未注明币种，金额按人民币读取：如为外币账户的流水，请在版式中设置“默认币种”"
    ]
    told = preview.build(HSBC.encode(), layout(**HSBC_LAYOUT, default_currency="HKD"), today=TODAY)
    assert told.warnings == []
    # a file without a header names its columns 1, 2, 3…: that is no English export
    numbered = "20240102|083000|-88.00|某超市\n20240103|090000|-12.00|地铁\n"
    plain = layout(
        headerless=True, header_row=0, delimiter="|", date_column="1", amount_column="3", summary_column="2"
    )
    assert preview.build(numbered.encode(), plain, today=TODAY).warnings == []


def test_the_preview_refuses_a_line_without_a_rate_as_the_import_would() -> None:
    hkd = layout(**HSBC_LAYOUT, default_currency="HKD")
    none = preview.build(HSBC.encode(), hkd, today=TODAY, convert=RateTable().convert)
    assert (none.valid, none.errors) == (0, 2)
    assert none.rows[0].error.startswith("币种HKD在2024-05-02没有可用汇率")
    rated = RateTable([("HKD", date(2024, 1, 1), D("0.91"))])
    ok = preview.build(HSBC.encode(), hkd, today=TODAY, convert=rated.convert)
    assert (ok.valid, ok.errors) == (2, 0)
    assert [r.amount for r in ok.rows] == [D("38000.00"), D("-1234.00")]  # as the file has them


# -- summary lines a layout does not name ---------------------------------------------------------------
def test_summary_lines_are_footer_notes_whatever_the_layout_names() -> None:
    """交通银行-style: a 合计 and a 笔数 line after the data, a layout without footer prefixes; a first
    column that merely begins with a summary word ('TotalEnergies', a merchant) is still data."""
    from zhixing.analytics import tables

    data = (
        "商户,交易日期,金额\n"
        "某超市,2024-01-02,-88.00\n"
        "TotalEnergies,2024-01-03,-300.00\n"
        "合计,,-388.00\n"
        "笔数：2,,\n"
        "Total:,,-388.00\n"
    )
    p = layout(date_column="交易日期", amount_column="金额", merchant_column="商户")
    got = read(data, p)
    assert [(x.merchant, x.amount) for x in got] == [("某超市", D("-88.00")), ("TotalEnergies", D("-300.00"))]
    table = tables.read(data.encode(), p)
    assert [(n["row"], n["kind"], n["text"]) for n in table.notes] == [
        (4, "footer", "合计 -388.00"),
        (5, "footer", "笔数：2"),
        (6, "footer", "Total: -388.00"),
    ]


def test_a_note_in_the_amount_is_a_note_of_the_import_and_decides_nothing(
    people: dict[str, Any], debtor: Any
) -> None:
    """京东-style '131.77(已退款89.84)': the amount reads, the note is listed with the import (on the job
    page), and a purchase with a partial refund noted stays a purchase (not the layout's 退款 refund)."""
    from django.test import Client
    from django.urls import reverse

    from zhixing.analytics import services

    data = (
        "交易时间,商户名称,交易说明,金额,收/支\n"
        "2024-03-01 10:00:00,某电器旗舰店,空调,131.77(已退款89.84),支出\n"
        "2024-03-02 11:00:00,某超市,日用品,¥45.00,支出\n"
    )
    fields = {
        "name": "某平台账单",
        "code": "jd-like",
        "header_row": 1,
        "date_column": "交易时间",
        "amount_column": "金额",
        "direction_column": "收/支",
        "direction_in": "收入",
        "direction_out": "支出",
        "merchant_column": "商户名称",
        "summary_column": "交易说明",
        "refund_markers": "退款",
    }
    judge = people["judge"]
    preset = services.save_preset(judge, fields)
    job = services.create_import(
        judge, debtor, kind="statement", file_name="jd.csv", data=data.encode(), preset=preset
    )
    job = services.run_import(job.pk)
    assert (job.status, job.imported) == ("done", 2)
    stored = Transaction.objects.filter(job=job).order_by("row_no")
    assert [(t.amount, t.direction, t.kind, t.summary) for t in stored] == [
        (D("-131.77"), "out", "normal", "空调"),
        (D("-45.00"), "out", "normal", "日用品"),
    ]
    assert [(n["row"], n["kind"], n["text"]) for n in job.notes] == [(2, "amount", "已退款89.84")]
    c = Client()
    c.force_login(judge)
    assert "第2行（金额附注）：已退款89.84" in c.get(reverse("analytics:job", args=[job.pk])).content.decode()


def test_an_english_export_imported_without_the_preview_keeps_the_currency_warning(
    people: dict[str, Any], debtor: Any
) -> None:
    from zhixing.analytics import services

    judge = people["judge"]
    fields = {**HSBC_LAYOUT, "name": "HSBC HK", "code": "hsbc", "header_row": 1}
    job = services.create_import(
        judge,
        debtor,
        kind="statement",
        file_name="hsbc.csv",
        data=HSBC.encode(),
        preset=services.save_preset(judge, fields),
    )
    job = services.run_import(job.pk)
    assert (job.status, job.imported) == ("done", 2)
    assert [n["text"] for n in job.notes if n["level"] == "warning"] == [preview.CURRENCY_WARNING]


def test_amount_notes_come_from_the_amount_columns_only() -> None:
    """Brackets in another column are no amount note (the file-wide scan for an opening bracket is only a
    shortcut); a full-width or square bracket in an amount is one, on its own row."""
    from zhixing.analytics.tables import Table, amount_notes

    preset = layout(amount_column="金额", summary_column="摘要")
    header = ["日期", "摘要", "金额"]
    plain = Table(
        header=header, body=[(2, ["2024-03-01", "转账(网银)", "10.00"]), (3, ["2024-03-02", "x", 5])]
    )
    assert amount_notes(plain, preset) == []
    noted = Table(
        header=header,
        body=[
            (2, ["2024-03-01", "a", "10.00"]),
            (3, ["2024-03-02", "b", "131.77（已退款89.84）"]),
            (4, ["2024-03-03", "c", "8.00[手续费2.00]"]),
            (5, ["2024-03-04", "d", "(1,234.00)"]),
        ],
    )
    assert [(n["row"], n["text"]) for n in amount_notes(noted, preset)] == [
        (3, "已退款89.84"),
        (4, "手续费2.00"),
    ]


@pytest.mark.parametrize(
    ("header", "fields", "possible"),
    [
        (["Date", "Description", "Amount"], {}, True),
        (["Date", "Description", "Amount"], {"currency_column": "Currency"}, False),
        (["Date", "Description", "Amount"], {"headerless": True}, False),
        (["交易日期", "Description", "Amount"], {}, False),
    ],
)
def test_a_currency_warning_is_possible_only_for_english_names_without_a_currency_column(
    header: list[str], fields: dict[str, Any], possible: bool
) -> None:
    preset = layout(amount_column="Amount", **fields)
    assert preview.currency_warning_possible(header, preset) is possible
    lines = ["Coffee shop"] * 3
    assert bool(preview.currency_warning_of(header, lines, {"CNY"}, preset)) is possible
