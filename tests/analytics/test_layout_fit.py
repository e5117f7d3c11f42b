"""Fitting the nearest layout to exports no layout was written for (`layout_fit`, `detection`): the
top proposal with its suggestions applied reads every line with the right date, direction and amount.

The exports are written for these tests in the shapes institutions really use (never copies of one):
a card statement in English whose positive amounts are purchases, a card statement in Chinese with
refunds and repayments as negatives, a Hong Kong account with DD/MM/YYYY dates and "-1,099.14"\\t
cells, an account whose direction column says "贷 Cr"/"借 Dr", a card statement whose amounts are all
positive and carry a currency prefix ("CNY 123.18"), a card statement with month/day dates and the
statement month in its title, a bank export that names income and spending in separate columns where
the nearest layout has one amount, and a preamble long enough that a layout with no header found
must not outrank one that found it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from zhixing.analytics import detection, layout_fit, preview, totals
from zhixing.analytics.line_words import said_of
from zhixing.analytics.models import StatementPreset
from zhixing.analytics.presets import BUILTIN

from .layout_helpers import upload_apply_confirm

TODAY = date(2026, 12, 3)


@pytest.fixture
def layouts() -> list[Any]:
    return [StatementPreset(pk=i, code=c, builtin=True, **f) for i, (c, f) in enumerate(BUILTIN.items(), 1)]


def _read(data: bytes, layouts: list[Any]) -> tuple[Any, list[tuple[str, str, str]], Any]:
    """The top proposal, its rows read with its suggestions (date, direction, amount), the preview."""
    top = detection.propose(data, layouts)[0]
    assert top.header_row > 0 and top.covered, (top.preset.code, top.reasons)
    pv = preview.build(data, preview.adapted(top.preset, {**top.adjustments, **top.suggestions}), today=TODAY)
    rows = [
        (f"{r.occurred_at:%Y-%m-%d}" if r.occurred_at else r.error, r.direction, str(r.amount))
        for r in pv.rows
    ]
    return top, rows, pv


ENGLISH_CARD = (
    b"Following data is valid as of 20240601093000:\n\n"
    b"Item #,Card #,Transaction Date,Posting Date,Transaction Amount,Description\n"
    b"1,'5191000011112222',20240511,20240512,3.27,GROCERY STORE SURREY BC\n"
    b"2,'5191000011112222',20240512,20240513,85.06,HARDWARE SHOP SURREY BC\n"
    b"3,'5191000011112222',20240520,20240520,-100.00,PAYMENT RECEIVED - THANK YOU\n"
)


def test_an_english_card_statement_reads_positive_amounts_as_spending(layouts: list[Any]) -> None:
    top, rows, pv = _read(ENGLISH_CARD, layouts)
    assert top.suggestions["amount_sign"] == "out_positive"
    assert (top.suggestions["date_column"], top.suggestions["amount_column"]) == (
        "Transaction Date",
        "Transaction Amount",
    )
    assert rows == [
        ("2024-05-11", "out", "-3.27"),
        ("2024-05-12", "out", "-85.06"),
        ("2024-05-20", "in", "100.00"),
    ]
    assert (pv.errors, pv.file_error) == (0, "")


CHINESE_CARD = (
    "交易日期,入账日期,交易摘要,交易金额,交易货币,入账金额,入账货币\n"
    "2025/01/05,2025/01/06,（消费）示例商户甲,15.90,人民币,15.90,人民币\n"
    "2025/01/04,2025/01/04,（退款）示例商户乙,-97.20,人民币,-97.20,人民币\n"
    "2025/01/03,2025/01/03,（分期）分期付款 3/12期,387.42,人民币,387.42,人民币\n"
    "2024/12/25,2024/12/26,（还款）转账还款-张三,-1130.68,人民币,-1130.68,人民币\n"
).encode()


def test_a_card_statement_with_refunds_and_repayments_as_negatives(layouts: list[Any]) -> None:
    top, rows, _ = _read(CHINESE_CARD, layouts)
    assert top.suggestions["amount_sign"] == "out_positive"
    assert [(d, a) for _, d, a in rows] == [
        ("out", "-15.90"),
        ("in", "97.20"),
        ("out", "-387.42"),
        ("in", "1130.68"),
    ]


HONG_KONG = (
    b"Date,Description,Billing amount,Billing currency,Balance,Balance currency\n"
    b'24/03/2025,MOBILE WITHDRAWAL        (22MAR25),"-100.00"\t,CNY,"3,613.17"\t,CNY\n'
    b'20/03/2025,FUND TRANSFER FROM       12-345678-9,"500.00"\t,CNY,"3,713.17"\t,CNY\n'
    b'18/03/2025,POS PURCHASE             SUPERMARKET,"-75.50"\t,CNY,"3,213.17"\t,CNY\n'
    b'12/03/2025,SALARY PAYMENT           ABC COMPANY LTD,"12,500.00"\t,CNY,"4,288.67"\t,CNY\n'
)


def test_day_month_year_dates_and_padded_cells(layouts: list[Any]) -> None:
    top, rows, _ = _read(HONG_KONG, layouts)
    assert top.suggestions["date_format"] == "DD/MM/YYYY"
    assert rows == [
        ("2025-03-24", "out", "-100.00"),
        ("2025-03-20", "in", "500.00"),
        ("2025-03-18", "out", "-75.50"),
        ("2025-03-12", "in", "12500.00"),
    ]


def test_an_ambiguous_day_and_month_takes_the_order_that_keeps_the_statement_sorted() -> None:
    # 01/02 … 12/02: as DD/MM the lines run 1 Feb → 12 Feb; as MM/DD they would jump between months.
    dates = ["01/02/2025", "03/02/2025", "05/02/2025", "07/02/2025", "12/02/2025"]
    assert layout_fit._date_format("", dates) == "DD/MM/YYYY"
    assert (
        layout_fit._date_format("", ["02/01/2025", "02/03/2025", "02/05/2025", "02/12/2025"]) == "MM/DD/YYYY"
    )
    assert layout_fit._date_format("", ["2025-02-01"]) is None  # reads automatically: nothing to change
    assert layout_fit._date_format("DD/MM/YYYY", ["2025-02-01"]) == ""  # the layout's pattern is wrong


CR_DR = (
    "序号,交易日期,交易时间,交易类型,借贷,交易金额,余额,对方账号,对方户名,交易地点,摘要\n"
    "1,2025-01-01,00:00:00,存款利息,贷 Cr,1.23,1334.63,1323132313211331313,利息,批处理,\n"
    "2,2025-01-02,13:15:12,信用卡转账还款,借 Dr,3.21,1331.42,6666666666666666,张三,其他,\n"
    "3,2025-01-03,09:20:43,网上支付,借 Dr,100.79,1230.63,11111111111111,某某基金销售有限公司,网银,\n"
).encode()


def test_a_direction_column_with_chinese_and_english_marks(layouts: list[Any]) -> None:
    top, rows, _ = _read(CR_DR, layouts)
    assert (top.suggestions["direction_in"], top.suggestions["direction_out"]) == ("贷 Cr", "借 Dr")
    assert [(d, a) for _, d, a in rows] == [("in", "1.23"), ("out", "-3.21"), ("out", "-100.79")]


PREFIXED = (
    "交易日期,记账日期,交易说明,交易币种/金额,入账币种/金额\n"
    "2025-01-10,2025-01-10,退货 某出行平台,CNY 123.18,CNY 123.18\n"
    "2025-01-11,2025-01-12,消费 某外卖平台,CNY 2.99,CNY 2.99\n"
    "2025-01-29,2025-01-29,信用卡还款 转账还款-张三,CNY 666.60,CNY 666.60\n"
    "2025-01-13,2025-01-13,消费 某商城平台商户,CNY 10.00,CNY 10.00\n"
).encode()


def test_all_positive_amounts_take_the_direction_from_the_words(layouts: list[Any]) -> None:
    top, rows, _ = _read(PREFIXED, layouts)
    assert top.suggestions["amount_column"] == "入账币种/金额"
    assert (top.suggestions["direction_keywords_in"], top.suggestions["direction_keywords_out"]) == (
        "退货|还款",
        "消费",
    )
    assert [(d, a) for _, d, a in rows] == [
        ("in", "123.18"),
        ("out", "-2.99"),
        ("in", "666.60"),
        ("out", "-10.00"),
    ]


YEARLESS = (
    "某银行信用卡对账单（个人消费卡账户 2024年01月）\n"
    "交易日,记账日,交易摘要,人民币金额,卡号末四位\n"
    "12/28,12/29,网上商城消费,56.78,1234\n"
    "12/30,12/30,还款,-345.67,1234\n"
    "01/02,01/03,超市消费,8.00,1234\n"
).encode()


def test_month_and_day_dates_take_the_year_from_the_statement_month(layouts: list[Any]) -> None:
    top, rows, pv = _read(YEARLESS, layouts)
    assert (top.suggestions["date_format"], top.suggestions["period_pattern"]) == (
        "MM/DD",
        r"(\d{4})年(\d{1,2})月",
    )
    assert rows == [
        ("2023-12-28", "out", "-56.78"),
        ("2023-12-30", "in", "345.67"),
        ("2024-01-02", "out", "-8.00"),
    ]
    assert pv.period == (date(2023, 12, 1), date(2024, 1, 31))


def test_a_statement_month_is_the_month_before_and_the_month() -> None:
    layout = StatementPreset(period_pattern=r"(\d{4})年(\d{1,2})月")
    assert totals.find_period(["账单 2024年3月"], layout) == (date(2024, 2, 1), date(2024, 3, 31))
    assert totals.find_period(["账单 2025年12月"], layout) == (date(2025, 11, 1), date(2025, 12, 31))
    two_days = StatementPreset(period_pattern=r"起始时间：\[(\S+)\].*终止时间：\[(\S+)\]")
    line = "起始时间：[2023-02-10] 终止时间：[2023-02-13]"
    assert totals.find_period([line], two_days) == (date(2023, 2, 10), date(2023, 2, 13))


SPLIT = (
    "中国某银行信用卡账单(2025年01月)\n"
    "交易日,银行记账日,卡号后四位,交易描述,存入,支出,币种\n"
    "2024-12-13,2024-12-14,4260,公共交通卡,,50.00,CNY\n"
    "2024-12-20,2024-12-20,,存款利息,0.01,,CNY\n"
    "2024-12-28,2024-12-29,2875,网上商城,,131.77,CNY\n"
).encode()


def test_income_and_spending_columns_where_the_layout_has_one_amount(layouts: list[Any]) -> None:
    top, rows, _ = _read(SPLIT, layouts)
    assert (top.suggestions.get("in_column") or top.preset.in_column) == "存入"
    assert rows == [
        ("2024-12-13", "out", "-50.00"),
        ("2024-12-20", "in", "0.01"),
        ("2024-12-28", "out", "-131.77"),
    ]


def test_a_layout_that_found_the_header_outranks_those_that_found_nothing(layouts: list[Any]) -> None:
    data = (
        b"Account summary\n\n\n"
        b"First Bank Card,Transaction Type,Date Posted, Transaction Amount,Description\n\n"
        b"'5678000011112222',CREDIT,20230501,0.01,[DN]DIVIDEND\n"
        b"'5678000011112222',DEBIT,20230518,-68.32,[CW]PHONE BILL\n"
    )
    ranked = detection.propose(data, layouts)
    assert ranked[0].header_row == 4
    assert all(
        p.header_row == 0 for p in ranked[ranked.index(next(p for p in ranked if p.header_row == 0)) :]
    )
    _, rows, _ = _read(data, layouts)
    assert rows == [("2023-05-01", "in", "0.01"), ("2023-05-18", "out", "-68.32")]


@pytest.mark.parametrize(
    ("summary", "said"),
    [
        ("SALARY PAYMENT ABC LTD", ("in", "SALARY")),
        ("POS PURCHASE SUPERMARKET", ("out", "PURCHASE")),
        ("ATM WITHDRAWAL CENTRAL", ("out", "WITHDRAWAL")),
        ("REPOSITORY", ("", "")),  # "POS" only as a whole word
        ("收款方备注:二维码收款", ("", "")),  # a remark is not what the line did
        ("扫二维码付款", ("", "")),
        ("工资", ("in", "工资")),
    ],
)
def test_line_words(summary: str, said: tuple[str, str]) -> None:
    assert said_of(summary, "") == said


def test_refunds_count_as_income_for_the_one_direction_warning() -> None:
    from zhixing.analytics.parsing import Line

    def line(n: int, kind: str, direction: str) -> Any:
        return Line(
            row_no=n,
            occurred_at=preview.datetime(2025, 2, n),
            amount=preview.Decimal("1.00") if direction == "in" else preview.Decimal("-1.00"),
            currency="CNY",
            direction=direction,
            kind=kind,
            counterparty="",
            counterparty_account="",
            merchant="",
            summary="",
            category="",
            balance=None,
            txn_id="",
            status="",
            line_hash=str(n),
        )

    lines = [line(n, "normal", "out") for n in range(1, 7)] + [line(8, "refund", "in")]
    assert not any(
        "都是支出" in w for w in preview.warnings(lines, total=7, errors=0, today=TODAY, period=None)
    )
    only_out = lines[:6]
    assert any(
        "全部6行都是支出" in w
        for w in preview.warnings(only_out, total=6, errors=0, today=TODAY, period=None)
    )


REPAYMENTS_WITHOUT_DAY = (
    "某银行信用卡对账单（个人消费卡账户 2024年01月）\n"
    "交易日,记账日,交易摘要,人民币金额,卡号末四位\n"
    ",12/29,手机银行还款,-1.23,1234\n"
    "01/02,01/03,网上商城消费,56.78,1234\n"
).encode()


def test_a_date_column_empty_on_some_lines_gives_way_to_one_filled_on_every_line(layouts: list[Any]) -> None:
    top, rows, _ = _read(REPAYMENTS_WITHOUT_DAY, layouts)
    assert top.suggestions["date_column"] == "记账日"
    assert rows == [("2023-12-29", "in", "1.23"), ("2024-01-03", "out", "-56.78")]


def test_the_transaction_date_is_preferred_to_the_posting_date(layouts: list[Any]) -> None:
    top, rows, _ = _read(PREFIXED, layouts)
    assert (top.suggestions.get("date_column") or top.preset.date_column) == "交易日期"
    assert [d for d, _, _ in rows] == ["2025-01-10", "2025-01-11", "2025-01-29", "2025-01-13"]


@pytest.mark.django_db
def test_a_fitted_card_statement_is_confirmed_on_the_page_and_imported_as_previewed(
    debtor: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Upload → the suggestions named → applied with one click → confirm: the adapted copy is saved and
    the import (which finds the period in the file by the suggested rule) stores what the preview showed."""
    from django.test import Client
    from django.utils import timezone

    from zhixing.analytics.models import ImportJob, Transaction

    c = Client()
    c.force_login(people["judge"])
    html, applied, done = upload_apply_confirm(
        c, debtor, YEARLESS, "信用卡.csv", "某银行信用卡", django_capture_on_commit_callbacks
    )
    assert "日期格式“MM/DD”" in html and 'id="apply-suggestions"' in html
    assert "共 3 行，可导入 3 行，有问题 0 行" in applied
    assert done.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.preset.name, job.preset.date_format) == ("done", "某银行信用卡", "MM/DD")
    stored = [
        (f"{timezone.localtime(t.occurred_at):%Y-%m-%d}", t.direction, str(t.amount))
        for t in Transaction.objects.filter(job=job).order_by("row_no")
    ]
    assert stored == [
        ("2023-12-28", "out", "-56.78"),
        ("2023-12-30", "in", "345.67"),
        ("2024-01-02", "out", "-8.00"),
    ]


def test_a_short_card_statement_read_with_a_banks_sign_is_warned_of() -> None:
    """Two worded lines, both contradicting the direction read and none agreeing: the warning is given
    (a card statement of a few lines read with the bank's sign)."""
    layout = preview.adapted(
        StatementPreset(**BUILTIN["cmb"]),
        {"date_column": "交易日期", "amount_column": "交易金额", "summary_column": "交易摘要"},
    )
    layout.counterparty_column = layout.merchant_column = layout.balance_column = ""
    layout.currency_column = ""
    data = (
        "交易日期,交易摘要,交易金额\n2025/01/05,（消费）示例商户甲,15.90\n2025/01/04,（消费）示例商户乙,20.00\n"
        "2025/01/03,（还款）转账还款,-500.00\n"
    ).encode()
    pv = preview.build(data, layout, today=TODAY)
    assert pv.errors == 0
    assert any(w.startswith("2行的摘要与读出的收支方向相反") for w in pv.warnings), pv.warnings
