"""Exports a second outside check brought (issue 16 #1, #2): what the suggestions missed or read wrong.

Every file is written here, in the shape its institution uses: a rural bank's workbook whose times are
numbers that lost their leading zeros, payment platforms whose status column marks orders that were
closed, cancelled or failed, a Singapore bank whose amount columns carry the currency in their names,
and a PayPal export.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from zhixing.analytics import column_meanings, detection, preview
from zhixing.analytics.dates import parse_clock
from zhixing.analytics.services import previews

from .layout_helpers import layout, read

D = Decimal
TODAY = date(2026, 12, 4)


# -- times that Excel keeps as numbers ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "fmt", "want"),
    [
        ("93015", "", time(9, 30, 15)),
        (93015, "", time(9, 30, 15)),
        (512.0, "", time(0, 5, 12)),
        ("512", "HHmmss", time(0, 5, 12)),
        ("30", "", time(0, 0, 30)),
        ("093015", "", time(9, 30, 15)),
        ("0930", "", time(9, 30)),  # its leading zero kept: hours and minutes
        ("9:30:15", "", time(9, 30, 15)),
        ("512", "HH:mm", None),  # a pattern without HHmmss reads no packed number
        ("240000", "", None),
        ("上午", "", None),
    ],
)
def test_a_time_number_that_lost_its_leading_zeros(cell: Any, fmt: str, want: time | None) -> None:
    assert parse_clock(cell, fmt) == want


def _workbook(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


RURAL = [
    ["交易日期", "交易时间", "摘要", "收入金额", "支出金额", "余额"],
    [20240301, 93015, "工资", 6500, None, 7500],
    [20240302, 512, "消费", None, 18.5, 7481.5],
    [20240302, 30, "消费", None, 6, 7475.5],
]


def test_a_workbook_with_number_times_is_offered_its_time_column_and_reads_it() -> None:
    data = _workbook(RURAL)
    bank = layout(
        date_column="交易日期",
        date_format="YYYYMMDD",
        in_column="收入金额",
        out_column="支出金额",
        file_format="xlsx",
    )
    top = detection.propose(data, [bank])[0]
    assert (top.usable, top.suggestions) == (True, {"time_column": "交易时间", "summary_column": "摘要"})
    got = read(data, preview.adapted(bank, top.suggestions))
    assert [x.occurred_at for x in got] == [
        datetime(2024, 3, 1, 9, 30, 15),
        datetime(2024, 3, 2, 0, 5, 12),
        datetime(2024, 3, 2, 0, 0, 30),
    ]


# -- statuses of orders that never went through ---------------------------------------------------------
UNIONPAY = (
    "云闪付交易记录\n"
    "查询时间：2024/06/01-2024/06/30\n"
    "交易时间,交易类型,交易金额,商户/对方名称,交易状态,订单号\n"
    "2024-06-01 08:00:00,消费,-25.00,某某便利店,交易成功,U001\n"
    "2024-06-02 09:00:00,消费,-520.00,某某电器,已撤销,U002\n"
    "2024-06-03 10:00:00,消费,-66.00,某某外卖,交易失败,U003\n"
    "2024-06-04 11:00:00,转账,300.00,王某,交易成功,U004\n"
)


def test_the_statuses_of_orders_that_never_went_through_are_suggested_as_ignored() -> None:
    platform = layout(
        header_row=0,
        header_marker="交易时间",
        date_column="交易时间",
        amount_column="交易金额",
        status_column="交易状态",
    )
    top = detection.propose(UNIONPAY.encode(), [platform])[0]
    assert top.usable
    assert top.suggestions["ignored_statuses"] == "已撤销|交易失败"
    assert top.suggestions["counterparty_column"] == "商户/对方名称"
    pv = preview.build(UNIONPAY.encode(), preview.adapted(platform, top.suggestions), today=TODAY)
    assert [(r.amount, r.kind) for r in pv.rows] == [
        (D("-25.00"), "normal"),
        (D("-520.00"), "ignored"),
        (D("-66.00"), "ignored"),
        (D("300.00"), "normal"),
    ]
    # A status the layout already ignores is kept, and the file's new ones are added after it.
    kept = layout(
        header_row=0,
        header_marker="交易时间",
        date_column="交易时间",
        amount_column="交易金额",
        status_column="交易状态",
        ignored_statuses="已撤销",
    )
    cols = {"date_column": "交易时间", "amount_column": "交易金额", "status_column": "交易状态"}
    lines = [r.split(",") for r in UNIONPAY.splitlines()]
    got = column_meanings.for_layout(kept, cols, lines[3:], lines[2])
    assert got["ignored_statuses"] == "已撤销|交易失败"


# -- a currency in the amount column's name -------------------------------------------------------------
DBS = (
    "Account Details For:,POSB Savings Account 123-45678-9\n"
    "Statement as at:,31 Mar 2024\n"
    "Date,Description,Withdrawals (SGD),Deposits (SGD),Balance (SGD)\n"
    '01 Mar 2024,SALARY GIBRO PTE LTD,,"5,200.00","14,200.00"\n'
    '02 Mar 2024,NETS QR PAYMENT FAIRPRICE,86.45,,"14,113.55"\n'
)


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("Withdrawals (SGD)", ("Withdrawals", "SGD")),
        ("金额（元）", ("金额", "")),
        ("金额(人民币)", ("金额", "")),
        ("交易金额（美元）", ("交易金额", "USD")),
        ("摘要", ("摘要", "")),
        ("备注(其他)", ("备注(其他)", "")),
    ],
)
def test_the_currency_a_column_name_carries(name: str, want: tuple[str, str]) -> None:
    assert column_meanings.unit_of(name) == want


def test_amount_columns_named_with_their_currency_are_found_and_say_the_currency(
    people: dict[str, Any], debtor: Any
) -> None:
    draft = previews.start(people["judge"], debtor, data=DBS.encode(), file_name="dbs.csv", today=TODAY)
    assert draft.chosen is not None and draft.chosen.covered
    s = draft.chosen.suggestions
    assert (s["in_column"], s["out_column"], s["default_currency"], s["date_format"]) == (
        "Deposits (SGD)",
        "Withdrawals (SGD)",
        "SGD",
        "DD MMM YYYY",
    )


def test_a_paypal_export_is_described_by_its_suggestions(people: dict[str, Any], debtor: Any) -> None:
    paypal = (
        '"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","Transaction ID"\n'
        '"03/02/2024","09:14:22","PST","Amazing Widgets LLC","Express Checkout Payment","Completed","USD",'
        '"-89.99","0.00","-89.99","7AB0"\n'
        '"03/04/2024","15:01:10","PST","John Carter","Mobile Payment","Denied","USD","250.00","0.00",'
        '"250.00","7AB1"\n'
    )
    draft = previews.start(people["judge"], debtor, data=paypal.encode(), file_name="pp.csv", today=TODAY)
    assert draft.chosen is not None and draft.chosen.covered
    s = draft.chosen.suggestions
    assert (s["amount_column"], s["counterparty_column"], s["currency_column"], s["ignored_statuses"]) == (
        "Gross",
        "Name",
        "Currency",
        "Denied",
    )


def test_a_sided_total_and_a_count_line_are_footer_notes() -> None:
    """兴业银行 ends with "借方合计", 抖音支付 with "共20笔记录": both summary lines, not a row error."""
    from zhixing.analytics import tables

    data = (
        "交易日期,金额,摘要\n"
        "2024-03-01,100.00,工资\n"
        "2024-03-02,-20.00,消费\n"
        "借方合计,20.00,\n"
        "贷方合计,100.00,\n"
        "共2笔记录,,\n"
    )
    p = layout(date_column="交易日期", amount_column="金额", summary_column="摘要")
    assert [x.amount for x in read(data, p)] == [D("100.00"), D("-20.00")]
    notes = tables.read(data.encode(), p).notes
    assert [(n["row"], n["kind"]) for n in notes] == [(4, "footer"), (5, "footer"), (6, "footer")]


def test_a_problem_row_past_the_rows_shown_is_listed(
    people: dict[str, Any], debtor: Any, client: Any
) -> None:
    """The preview shows 20 rows; a bad 27th row used to show only as a count, and a strict import was
    then refused for a row nobody had seen."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhixing.analytics.services import layouts

    lines = [f"2024-03-{d:02d},-{d}.00,消费" for d in range(1, 26)]
    data = "\n".join(["交易日期,金额,摘要", *lines, "不是日期,5.00,转账", "2024-04-31,1.00,x"]) + "\n"
    fields = {"date_column": "交易日期", "amount_column": "金额", "summary_column": "摘要"}
    pv = preview.build(data.encode(), layout(**fields), today=TODAY)
    assert (pv.total, pv.errors, len(pv.rows), pv.later_error_count) == (27, 2, 20, 2)
    assert [r.row_no for r in pv.later_errors] == [27, 28]
    assert all(r.error.startswith("“交易日期”不是有效日期") for r in pv.later_errors)
    # the API says the same, with the court's own layout proposed for the file
    layouts.save_preset(people["judge"], {"name": "某行", "code": "mh", "header_row": 1, **fields})
    client.force_login(people["judge"])
    url = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/previews"
    got = client.post(url, {"file": SimpleUploadedFile("x.csv", data.encode())}).json()
    assert got["preset"] == "mh"
    assert [e["row"] for e in got["preview"]["later_errors"]] == [27, 28]
    assert got["preview"]["later_error_count"] == 2
