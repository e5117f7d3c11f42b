"""Detection of a statement's layout from its header, and the preview of its rows (pure modules)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from zhixing.analytics import detection, preview
from zhixing.analytics.models import StatementPreset
from zhixing.analytics.parsing import Line
from zhixing.analytics.presets import BUILTIN
from zhixing.analytics.samples import DATA as UNKNOWN

from .conftest import REAL


@pytest.fixture
def layouts() -> list[Any]:
    items = enumerate(BUILTIN.items(), 1)
    return [StatementPreset(pk=i, code=code, builtin=True, **f) for i, (code, f) in items]


@pytest.mark.parametrize(
    ("name", "code", "header_row"),
    [
        ("alipay.csv", "alipay", 25),
        ("wechat.csv", "wechat", 17),
        ("wechat.xlsx", "wechat-xlsx", 18),
        ("icbc-debit.csv", "icbc", 7),
        ("cmb-debit.csv", "cmb", 1),
        ("abc-debit.csv", "abc", 1),
        ("boc-debit.csv", "boc", 2),
    ],
)
def test_every_real_export_proposes_its_layout_first(
    layouts: list[Any], name: str, code: str, header_row: int
) -> None:
    ranked = detection.propose((REAL / name).read_bytes(), layouts)
    top = ranked[0]
    assert (top.preset.code, top.score, top.usable, top.header_row) == (code, 100, True, header_row)
    assert top.adjustments == {} and top.missing == []
    assert all(p.score < 100 for p in ranked[1:])


def test_unknown_export_gets_the_nearest_layout_with_what_to_fix(layouts: list[Any]) -> None:
    top = detection.propose(UNKNOWN, layouts)[0]
    assert top.preset.code == "cmb"
    assert (top.usable, top.score, top.header_row, top.missing) == (False, 49, 3, ["对手信息"])
    assert top.adjustments == {"encoding": "gbk", "header_row": 3}
    assert top.reasons[0] == "表头位于第3行（之前有2行前言）；必需列 2/3，其他列 4/4"
    assert "缺少必需列：对手信息" in top.reasons


def test_width_and_spacing_differences_are_matched_and_the_file_spelling_kept(layouts: list[Any]) -> None:
    text = "交易日期,交易时间,交易摘要,交易金额,本次余额,对手信息,日志号,交易渠道,交易附言\n"
    text += "20240101,123456,转存,+10000.00,11000.00,哈哈,369396693,超级网银,转账\n"
    abc = next(p for p in layouts if p.code == "abc")
    got = detection.score(abc, detection.FileRows(text.encode()))
    assert got.usable and got.score == 100
    assert got.adjustments == {"txn_id_column": "日志号"}
    full_width = "金额（元）".encode()
    assert detection.normalise_name("金额（元）") == detection.normalise_name("金额(元)") == "金额(元)"
    assert detection.normalise_name(" 日 志\t号 ") == "日志号" and full_width


def test_marker_is_taken_from_the_file_when_it_differs() -> None:
    layout = StatementPreset(
        code="x", name="x", header_marker="交易时间", date_column="时间", amount_column="金额"
    )
    data = "导出人：某某\n时间,金额\n2024-01-01,5.00\n".encode()
    got = detection.score(layout, detection.FileRows(data))
    assert got.adjustments == {"header_marker": "时间"} and got.header_row == 2
    pv = preview.build(data, preview.adapted(layout, got.adjustments), today=date(2026, 1, 1))
    assert (pv.valid, pv.rows[0].amount) == (1, Decimal("5.00"))


def test_sniff_encoding_and_file_kind() -> None:
    assert detection.sniff_encoding("交易".encode()) == "utf-8"
    assert detection.sniff_encoding("\ufeff交易".encode()) == "utf-8"
    assert detection.sniff_encoding("交易".encode("gbk")) == "gbk"
    assert detection.file_kind((REAL / "wechat.xlsx").read_bytes()) == "xlsx"
    assert detection.file_kind(b"a,b\n") == "csv"


def test_nothing_matches_a_file_without_header(layouts: list[Any]) -> None:
    ranked = detection.propose(b"1,2,3\n4,5,6\n", layouts)
    assert all(not p.usable and p.header_row == 0 for p in ranked)
    assert ranked[0].reasons[0] == "文件前80行中找不到与该版式相符的表头"


def test_preview_of_the_real_alipay_file_as_imported(layouts: list[Any]) -> None:
    alipay = next(p for p in layouts if p.code == "alipay")
    pv = preview.build((REAL / "alipay.csv").read_bytes(), alipay, today=date(2026, 12, 3))
    assert (pv.total, pv.valid, pv.errors, pv.file_error) == (10, 10, 0, "")
    first = pv.rows[0]
    assert (first.row_no, first.occurred_at, first.direction, first.amount, first.counterparty) == (
        26,
        datetime(2023, 2, 12, 21, 32, 14),
        "out",
        Decimal("-49.74"),
        "xxxxxxxxxxxx",
    )
    assert pv.period == (date(2023, 2, 10), date(2023, 2, 13))
    assert pv.warnings == ["9行不在账单注明的期间 2023-02-10 至 2023-02-13 内（如第27行 2023-02-08）"]


def test_preview_reports_the_file_error(layouts: list[Any]) -> None:
    cmb = next(p for p in layouts if p.code == "cmb")
    pv = preview.build(UNKNOWN, cmb, today=date(2026, 1, 1))
    assert pv.file_error.startswith("文件不是 utf-8 编码") and pv.rows == [] and not pv.ok


def _line(day: str, amount: str, direction: str, row: int = 2, kind: str = "normal") -> Line:
    return Line(
        row_no=row,
        occurred_at=datetime.fromisoformat(day),
        amount=Decimal(amount),
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
        line_hash="",
    )


TODAY = date(2024, 6, 30)


def test_warning_all_one_direction() -> None:
    lines = [_line(f"2024-01-0{i}", "-10", "out", row=i) for i in range(1, 6)]
    assert preview.warnings(lines, total=5, errors=0, today=TODAY, period=None) == [
        "全部5行都是支出：请确认金额正负号或收支列的取值是否读反"
    ]
    assert preview.warnings(lines[:4], total=4, errors=0, today=TODAY, period=None) == []


def test_warning_spending_above_income_every_month() -> None:
    lines = [
        _line(f"2024-0{m}-01", "100", "in") if i == 0 else _line(f"2024-0{m}-02", "-300", "out")
        for m in (1, 2, 3)
        for i in (0, 1)
    ]
    assert preview.warnings(lines, total=6, errors=0, today=TODAY, period=None) == [
        "每个月的支出都大于收入（3个月）：如为信用卡账单，请确认消费与还款的正负号"
    ]
    lines[0] = _line("2024-01-01", "1000", "in")  # one month with more income: nothing to say
    assert preview.warnings(lines, total=6, errors=0, today=TODAY, period=None) == []


def test_warning_future_dates_and_dates_outside_the_period() -> None:
    lines = [_line("2024-07-01", "5", "in", row=3), _line("2024-05-01", "-5", "out", row=4)]
    may = (date(2024, 5, 1), date(2024, 5, 31))
    got = preview.warnings(lines, total=2, errors=0, today=TODAY, period=may)
    assert got == [
        "1行交易日期晚于今天（如第3行 2024-07-01）",
        "1行不在账单注明的期间 2024-05-01 至 2024-05-31 内（如第3行 2024-07-01）",
    ]


def test_warning_many_unparsed_rows_and_no_rows() -> None:
    lines = [_line("2024-01-01", "5", "in")]
    assert preview.warnings(lines, total=10, errors=2, today=TODAY, period=None) == [
        "2/10 行无法解析（超过10%），请检查日期列、金额列与收支取值"
    ]
    assert preview.warnings(lines, total=10, errors=1, today=TODAY, period=None) == []
    assert preview.warnings([], total=0, errors=0, today=TODAY, period=None) == ["文件中没有数据行"]


def test_statement_period_from_the_preamble() -> None:
    assert preview.statement_period(UNKNOWN, ",", 3) == (date(2024, 1, 1), date(2024, 3, 31))
    assert preview.statement_period(UNKNOWN, ",", 1) is None  # the period line is after row 1
    wechat = (REAL / "wechat.xlsx").read_bytes()  # an Excel preamble is read too
    assert preview.statement_period(wechat, ",", 17) == (date(2019, 8, 1), date(2019, 9, 30))


def test_parquet_columns_are_the_header(tmp_path: Any, layouts: list[Any]) -> None:
    from .test_indicators import GENERIC
    from .test_parquet import parquet_bytes

    generic = StatementPreset(pk=99, **GENERIC)
    data = parquet_bytes(tmp_path)
    top = detection.propose(data, [*layouts, generic])[0]
    assert (top.preset.code, top.score, top.usable, top.header_row, top.adjustments) == (
        "generic",
        100,
        True,
        1,
        {},
    )
    pv = preview.build(data, generic, today=date(2026, 12, 3))
    assert (pv.total, pv.valid, pv.errors) == (5, 4, 1)
    assert pv.rows[2].error == "“时间”为空"


def _card_layout(pk: int, sign: str) -> StatementPreset:
    return StatementPreset(
        pk=pk,
        code=f"card-{sign}",
        name=f"某行信用卡（{sign}）",
        date_column="Transaction Date",
        amount_column="Amount",
        summary_column="Description",
        date_format="MM/DD/YYYY",
        amount_sign=sign,
        header_row=1,
    )


US_CARD = (
    b"Transaction Date,Post Date,Description,Amount\n"
    b"03/28/2024,03/29/2024,TRADER JOES #552,-64.21\n"
    b"03/25/2024,03/25/2024,NETFLIX.COM,-15.99\n"
    b"03/15/2024,03/15/2024,Payment Thank You-Mobile,1250.00\n"
    b"03/12/2024,03/13/2024,AMAZON MKTPL*R71KX2,-23.99\n"
)


def test_a_usable_layout_whose_sign_the_lines_contradict_ranks_after_and_is_turned_round() -> None:
    """A card layout saved for purchases written positive reads a US export (purchases negative) with
    every column present, every line the wrong way: the lines' words (Payment) say so."""
    wrong, right = _card_layout(1, "out_positive"), _card_layout(2, "in_positive")
    ranked = detection.propose(US_CARD, [wrong, right])
    assert [(p.preset.pk, p.usable, p.score) for p in ranked] == [(2, True, 100), (1, True, 80)]
    assert ranked[0].suggestions == {}
    assert ranked[1].suggestions == {"amount_sign": "in_positive"}
    assert "收支方向" in ranked[1].reasons[-1]
    turned = preview.build(US_CARD, preview.adapted(wrong, ranked[1].suggestions), today=date(2026, 1, 1))
    assert [(r.direction, r.amount) for r in turned.rows] == [
        ("out", Decimal("-64.21")),
        ("out", Decimal("-15.99")),
        ("in", Decimal("1250.00")),
        ("out", Decimal("-23.99")),
    ]


FLAGGED_CMBC = (
    "交易日期,交易时间,借贷标志,交易金额,对方户名\n"
    "2024-03-01,09:30:12,贷,8000.00,某某科技有限公司\n"
    "2024-03-02,12:00:00,借,35.50,美团\n"
    "2024-03-03,18:20:00,借,120.00,滴滴出行\n"
).encode()


def test_a_usable_layout_that_would_not_read_the_files_direction_column_is_turned_round() -> None:
    """A sign-only layout with every column reads "借 35.50" as income: it ranks after a layout that
    reads the 借贷标志 column, and its suggestion reads it."""
    sign_only = StatementPreset(
        pk=1, code="s", name="甲", date_column="交易日期", amount_column="交易金额", header_row=1
    )
    flagged = StatementPreset(
        pk=2,
        code="f",
        name="乙",
        date_column="交易日期",
        amount_column="交易金额",
        direction_column="借贷标志",
        direction_in="贷",
        direction_out="借",
        header_row=1,
    )
    ranked = detection.propose(FLAGGED_CMBC, [sign_only, flagged])
    assert [(p.preset.pk, p.usable, p.score) for p in ranked] == [(2, True, 100), (1, True, 80)]
    assert ranked[1].suggestions == {
        "time_column": "交易时间",
        "counterparty_column": "对方户名",
        "direction_column": "借贷标志",
        "direction_in": "贷",
        "direction_out": "借",
        "direction_neutral": "",
    }
    turned = preview.build(
        FLAGGED_CMBC, preview.adapted(sign_only, ranked[1].suggestions), today=date(2026, 1, 1)
    )
    assert [(r.direction, r.amount) for r in turned.rows] == [
        ("in", Decimal("8000.00")),
        ("out", Decimal("-35.50")),
        ("out", Decimal("-120.00")),
    ]


def test_a_layout_that_names_every_column_but_reads_no_line_is_not_usable() -> None:
    """Columns present, lines unread (the time column taken for the date): never offered first."""
    wrong = StatementPreset(pk=1, code="w", name="甲", date_column="交易时间", amount_column="交易金额")
    right = StatementPreset(pk=2, code="r", name="乙", date_column="交易日期", amount_column="交易金额")
    data = "交易日期,交易时间,交易金额\n2024-03-01,09:30:12,8000.00\n2024-03-02,12:00:00,-35.50\n".encode()
    ranked = detection.propose(data, [wrong, right])
    assert [(p.preset.pk, p.usable) for p in ranked] == [(2, True), (1, False)]
    assert ranked[1].score < detection.USABLE and ranked[1].reasons[-1] == "文件前2条记录均无法按该版式读取"
