"""Each layout option a court user describes on the 流水版式 page, on files the tests write themselves."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from zhixing.analytics.amounts import parse_amount
from zhixing.analytics.dates import check_pattern, is_yearless, parse_when
from zhixing.analytics.parsing import FileError, RowError, read_statement, read_table
from zhixing.analytics.totals import check_regex, compare, find_period, find_totals

from .layout_helpers import errors, layout, read
from .xls_writer import xls_bytes

D = Decimal


# -- .xls (Excel 97-2003) -------------------------------------------------------------------------------
XLS_ROWS = [
    ["某银行账户明细"],
    ["交易日期", "摘要", "金额", "对方户名"],
    [datetime(2024, 3, 5, 9, 30), "工资", 12000.5, "某公司"],
    ["2024-03-06", "消费", -35.0, ""],
    ["合计", "", 11965.5, ""],
]


def test_xls_is_read_with_dates_numbers_and_footer() -> None:
    p = layout(
        file_format="xls",
        header_row=0,
        header_marker="交易日期",
        date_column="交易日期",
        amount_column="金额",
        summary_column="摘要",
        counterparty_column="对方户名",
        footer_prefixes="合计",
    )
    got = read(xls_bytes(XLS_ROWS), p)
    assert [(x.occurred_at, x.amount, x.direction, x.summary) for x in got] == [
        (datetime(2024, 3, 5, 9, 30), D("12000.50"), "in", "工资"),
        (datetime(2024, 3, 6), D("-35.00"), "out", "消费"),
    ]
    _, _, notes = read_table(xls_bytes(XLS_ROWS), p)
    assert [(n["row"], n["kind"], n["text"]) for n in notes] == [
        (1, "preamble", "某银行账户明细"),
        (5, "footer", "合计 11965.5"),
    ]


def test_xls_is_recognised_by_content_whatever_the_layout_says() -> None:
    p = layout(file_format="csv", header_row=2, date_column="交易日期", amount_column="金额")
    assert [x.amount for x in read(xls_bytes(XLS_ROWS[:4]), p)] == [D("12000.50"), D("-35.00")]


def test_damaged_xls_says_what_to_do() -> None:
    broken = xls_bytes(XLS_ROWS)[:1200]
    with pytest.raises(FileError, match="另存为") as exc:
        read_table(broken, layout(file_format="xls", amount_column="金额"))
    assert "xls" in str(exc.value)


def test_html_saved_as_xls_says_what_to_do() -> None:
    html = "<html><body><table><tr><td>日期</td></tr></table></body></html>".encode()
    with pytest.raises(FileError, match=r"网页.*另存为"):
        read_table(html, layout(file_format="xls", amount_column="金额"))


def test_not_an_xlsx_says_what_to_do() -> None:
    with pytest.raises(FileError, match="另存为"):
        read_table(b"PK\x03\x04 not really a zip", layout(file_format="xlsx", amount_column="金额"))


# -- sign conventions -----------------------------------------------------------------------------------
CARD = "日期,摘要,金额\n2024-01-03,超市消费,88.20\n2024-01-09,还款,-500.00\n2024-01-10,年费减免,0\n"


def test_credit_card_positive_amount_is_spending() -> None:
    got = read(CARD, layout(amount_column="金额", amount_sign="out_positive"))
    assert [(x.amount, x.direction) for x in got] == [
        (D("-88.20"), "out"),
        (D("500.00"), "in"),
        (D("0.00"), "neutral"),
    ]


def test_bank_positive_amount_is_income_by_default() -> None:
    got = read(CARD, layout(amount_column="金额"))
    assert [(x.amount, x.direction) for x in got] == [
        (D("88.20"), "in"),
        (D("-500.00"), "out"),
        (D("0.00"), "neutral"),
    ]


def test_direction_column_with_any_words_after_width_and_case_normalisation() -> None:
    data = (
        "日期,借贷,金额\n2024-01-01,贷,100\n2024-01-02,借 ,30\n2024-01-03,Ｄ,5\n2024-01-04,c,7\n"
        "2024-01-05,冲,1\n"
    )
    p = layout(
        amount_column="金额",
        direction_column="借贷",
        direction_in="贷|C",
        direction_out="借|D",
        direction_neutral="冲",
    )
    got = read(data, p)
    assert [(x.amount, x.direction) for x in got] == [
        (D("100.00"), "in"),
        (D("-30.00"), "out"),
        (D("-5.00"), "out"),
        (D("7.00"), "in"),
        (D("1.00"), "neutral"),
    ]
    assert errors(data.replace("2024-01-05,冲", "2024-01-05,其他"), p) == [
        (6, "“借贷”取值无法识别：'其他'（版式中的取值：贷、C、借、D、冲）")
    ]


def test_direction_from_description_keywords() -> None:
    data = (
        "日期,交易描述,金额\n2024-02-01,代发工资,8000\n2024-02-02,POS消费 某超市,120.5\n"
        "2024-02-03,ATM取现,-200\n"
    )
    p = layout(
        amount_column="金额",
        direction_text_column="交易描述",
        direction_keywords_in="工资|转入",
        direction_keywords_out="消费|取现",
    )
    got = read(data, p)
    assert [(x.amount, x.direction) for x in got] == [
        (D("8000.00"), "in"),
        (D("-120.50"), "out"),
        (D("-200.00"), "out"),
    ]
    bad = data + "2024-02-04,利息,1.2\n2024-02-05,工资消费,1\n"
    assert errors(bad, p) == [
        (5, "无法从“交易描述”判断收支：'利息'（收入关键词：工资|转入；支出关键词：消费|取现）"),
        (6, "“交易描述”同时含收入关键词“工资”与支出关键词“消费”：'工资消费'"),
    ]


def test_debit_and_credit_columns() -> None:
    data = "日期,借方发生额,贷方发生额\n2024-01-01,,1500\n2024-01-02,20.00,\n"
    got = read(data, layout(in_column="贷方发生额", out_column="借方发生额"))
    assert [(x.amount, x.direction) for x in got] == [(D("1500.00"), "in"), (D("-20.00"), "out")]


# -- amount cleaning ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "amount", "unit"),
    [
        ("CNY 123.18", "123.18", "CNY"),
        ("123.18 CNY", "123.18", "CNY"),
        ("USD12.00", "12.00", "USD"),
        ("12.00美元", "12.00", "USD"),
        ("HK$1,000", "1000.00", "HKD"),
        ("人民币 -5", "-5.00", "CNY"),
        ("¥28.16", "28.16", ""),
        ("￥-28.16", "-28.16", ""),
        ("-¥28.16", "-28.16", ""),
        ("28.16元", "28.16", ""),
        ("131.77(已退款89.84)", "131.77", ""),
        ("131.77（已退款89.84）", "131.77", ""),
        ("１２３．４５", "123.45", ""),
        ("－１，２３４．５０", "-1234.50", ""),
        ("1,234,567.89", "1234567.89", ""),
        ("1 234.5", "1234.50", ""),
        ("+10000.00", "10000.00", ""),
        ("(1,234.00)", "-1234.00", ""),
        ("1,234.00-", "-1234.00", ""),
        ("  35.5\t", "35.50", ""),
        (12.5, "12.50", ""),
    ],
)
def test_amount_cleaning(raw: object, amount: str, unit: str) -> None:
    assert parse_amount(raw, "金额") == (D(amount), unit)


@pytest.mark.parametrize("raw", ["abc", "12.3.4", "CNY 1 USD", "1 2 3 件", "XYZW 12", "12 23.5元 3"])
def test_amount_that_is_not_one_amount_is_a_row_error(raw: str) -> None:
    with pytest.raises(RowError, match="“金额”不是有效金额"):
        parse_amount(raw, "金额")


def test_empty_amount_cells() -> None:
    assert [parse_amount(v, "金额") for v in ("", "-", "--", "/", None)] == [(None, "")] * 5


def test_currency_prefix_sets_the_line_currency_without_a_currency_column() -> None:
    data = "日期,金额\n2024-01-01,USD 10.00\n2024-01-02,CNY 5\n2024-01-03,7.00\n"
    got = read(data, layout(amount_column="金额"))
    assert [(x.amount, x.currency) for x in got] == [
        (D("10.00"), "USD"),
        (D("5.00"), "CNY"),
        (D("7.00"), "CNY"),
    ]


# -- dates ----------------------------------------------------------------------------------------------
def test_day_month_year_and_month_day_year() -> None:
    data = "日期,金额\n03/04/2024,1\n13/04/2024,2\n"
    assert [
        x.occurred_at.date() for x in read(data, layout(amount_column="金额", date_format="DD/MM/YYYY"))
    ] == [
        date(2024, 4, 3),
        date(2024, 4, 13),
    ]
    us = layout(amount_column="金额", date_format="MM/DD/YYYY")
    assert errors(data, us) == [(3, "“日期”不是有效日期：'13/04/2024'（可识别的格式：MM/DD/YYYY）")]


def test_pattern_with_time_chinese_and_month_names() -> None:
    p = layout(amount_column="金额", date_format="YYYY年MM月DD日 HH:mm:ss")
    assert read("日期,金额\n2024年01月02日 03:04:05,1\n", p)[0].occurred_at == datetime(2024, 1, 2, 3, 4, 5)
    p = layout(amount_column="金额", date_format="DD-MMM-YYYY")
    assert read("日期,金额\n29-Dec-2023,1\n", p)[0].occurred_at == datetime(2023, 12, 29)
    p = layout(amount_column="金额", date_format="%d.%m.%y")
    assert read("日期,金额\n29.12.23,1\n", p)[0].occurred_at == datetime(2023, 12, 29)


def test_a_date_pattern_also_reads_a_cell_with_time() -> None:
    p = layout(amount_column="金额", date_format="MM/DD/YYYY")
    assert read("日期,金额\n12/29/2023 10:01:02,1\n", p)[0].occurred_at == datetime(2023, 12, 29, 10, 1, 2)


def test_separate_time_column_with_its_own_format() -> None:
    p = layout(amount_column="金额", time_column="时间", time_format="HH时mm分")
    assert read("日期,时间,金额\n2024-01-02,09时30分,1\n", p)[0].occurred_at == datetime(2024, 1, 2, 9, 30)
    assert errors("日期,时间,金额\n2024-01-02,9:30,1\n", p) == [
        (2, "交易时间无效：'9:30'（可识别的格式：HH时mm分）")
    ]


def test_automatic_date_error_lists_the_accepted_formats() -> None:
    [(row, reason)] = errors("日期,金额\n29/12/2023,1\n", layout(amount_column="金额"))
    assert row == 2
    assert reason.startswith(
        "“日期”不是有效日期：'29/12/2023'（可识别的格式：YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD"
    )
    assert "日期格式" in reason


YEARLESS = "日期,金额\n12/29,100\n01/03,-20\n02/29,1\n"


def test_yearless_dates_take_the_year_from_a_period_crossing_new_year() -> None:
    p = layout(amount_column="金额", date_format="MM/DD", amount_sign="out_positive")
    got = read(YEARLESS.replace("02/29,1\n", ""), p, period=(date(2023, 12, 15), date(2024, 1, 14)))
    assert [x.occurred_at for x in got] == [datetime(2023, 12, 29), datetime(2024, 1, 3)]
    assert [x.direction for x in got] == ["out", "in"]


def test_yearless_29_february_only_in_a_leap_year_and_outside_the_period_is_an_error() -> None:
    p = layout(amount_column="金额", date_format="MM/DD")
    assert errors(YEARLESS.replace("12/29", "11/29"), p, period=(date(2024, 1, 1), date(2024, 3, 31))) == [
        (
            2,
            "“日期”的日期 '11/29' 不含年份，且不在账单期间 2024-01-01 至 2024-03-31 内"
            "（也不在期间开始前31日内）",
        )
    ]
    assert read("日期,金额\n02/29,1\n", p, period=(date(2024, 2, 1), date(2024, 3, 1)))[
        0
    ].occurred_at == datetime(2024, 2, 29)


@pytest.mark.parametrize(
    ("day", "want"),
    [
        ("12/17", date(2023, 12, 17)),  # made 2 days before the cycle, posted in it
        ("11/18", date(2023, 11, 18)),  # the 31st day before the start: still this cycle's
        ("01/18", date(2024, 1, 18)),  # the cycle's last day
    ],
)
def test_a_card_purchase_made_before_the_cycle_takes_the_year_before_its_start(day: str, want: date) -> None:
    p = layout(amount_column="金额", date_format="MM/DD", amount_sign="out_positive")
    got = read(f"日期,金额\n{day},100\n", p, period=(date(2023, 12, 19), date(2024, 1, 18)))
    assert [x.occurred_at for x in got] == [datetime.combine(want, datetime.min.time())]


def test_a_yearless_date_a_month_before_the_cycle_is_still_an_error() -> None:
    p = layout(amount_column="金额", date_format="MM/DD")
    assert errors("日期,金额\n11/17,1\n", p, period=(date(2023, 12, 19), date(2024, 1, 18))) == [
        (
            2,
            "“日期”的日期 '11/17' 不含年份，且不在账单期间 2023-12-19 至 2024-01-18 内"
            "（也不在期间开始前31日内）",
        )
    ]


def test_yearless_layout_without_a_period_is_a_file_error() -> None:
    with pytest.raises(FileError, match="账单起止日期"):
        read_statement(YEARLESS.encode(), layout(amount_column="金额", date_format="MM/DD"))


def test_the_period_written_in_the_file_is_used() -> None:
    data = "账单周期：2023/12/15-2024/01/14\n日期,金额\n12/29,100\n01/03,-20\n"
    p = layout(
        header_row=2, amount_column="金额", date_format="MM/DD", period_pattern=r"账单周期：(\S+?)-(\S+)"
    )
    statement = read_statement(data.encode(), p)
    assert statement.period == (date(2023, 12, 15), date(2024, 1, 14))
    assert [x.occurred_at.year for x in read(data, p)] == [2023, 2024]
    # A period given at import wins over the file's.
    assert [
        x.occurred_at.year
        for x in read("账单周期：无\n日期,金额\n12/29,1\n", p, period=(date(2030, 12, 1), date(2030, 12, 31)))
    ] == [2030]


def test_date_patterns_are_checked() -> None:
    assert check_pattern("DD/MM/YYYY") == "%d/%m/%Y"
    assert (
        is_yearless("MM/DD")
        and is_yearless("MM月DD日")
        and not is_yearless("DD/MM/YY")
        and not is_yearless("")
    )
    for bad in ("YYYY", "HH:mm", "%Q"):
        with pytest.raises(ValueError, match="格式"):
            check_pattern(bad)


def test_excel_date_and_time_cells_need_no_format() -> None:
    assert parse_when(datetime(2024, 1, 2, 3, 4), None, "日期", date_format="MM/DD") == datetime(
        2024, 1, 2, 3, 4
    )


# -- header, footer and notes ---------------------------------------------------------------------------
def test_file_without_a_header_names_columns_by_number() -> None:
    data = "交易明细（无表头）\n2024-01-01,工资,+100.00\n2024-01-02,消费,-3.5\n"
    p = layout(headerless=True, header_row=1, date_column="1", summary_column="2", amount_column="3")
    got = read(data, p)
    assert [(x.row_no, x.summary, x.amount) for x in got] == [
        (2, "工资", D("100.00")),
        (3, "消费", D("-3.50")),
    ]
    _, _, notes = read_table(data.encode(), p)
    assert [(n["row"], n["kind"], n["text"]) for n in notes] == [(1, "preamble", "交易明细（无表头）")]
    with pytest.raises(FileError, match="“日期”不是列序号"):
        read_table(data.encode(), layout(headerless=True, date_column="日期", amount_column="3"))
    # A column past the widest row is empty (Excel leaves trailing empty cells out): a row error.
    assert errors(data, layout(headerless=True, header_row=1, date_column="1", amount_column="7")) == [
        (2, "“7”为空"),
        (3, "“7”为空"),
    ]


def test_header_names_compared_after_width_and_spacing() -> None:
    data = "交易日期 ,记账金额（收入）,记 账 金 额(支出)\n2024-01-01,5,\n"
    p = layout(date_column="交易日期", in_column="记账金额(收入)", out_column="记账金额（支出）")
    assert [x.amount for x in read(data, p)] == [D("5.00")]


def test_footer_and_summary_lines_are_kept_as_notes() -> None:
    data = "账户：6222****1234\n共2笔\n日期,金额\n2024-01-01,5\n2024-01-02,-2\n\n合计,3\n本页小计,3\n"
    p = layout(header_row=3, amount_column="金额", footer_prefixes="合计|本页小计")
    _, body, notes = read_table(data.encode(), p)
    assert [r for r, _ in body] == [4, 5]
    assert [(n["row"], n["kind"], n["text"], n["level"]) for n in notes] == [
        (1, "preamble", "账户：6222****1234", "info"),
        (2, "preamble", "共2笔", "info"),
        (7, "footer", "合计 3", "info"),
        (8, "footer", "本页小计 3", "info"),
    ]


# -- refunds and neutral lines --------------------------------------------------------------------------
REFUNDS = (
    "日期,收/支,金额,摘要\n2024-01-01,支出,100,机票\n2024-01-02,不计收支,100,退款-机票\n"
    "2024-01-03,收入,30,退款-酒店\n"
)


def test_a_files_neither_line_stays_neither_and_the_refund_marker_is_optional() -> None:
    fields = {
        "amount_column": "金额",
        "direction_column": "收/支",
        "direction_neutral": "不计收支",
        "summary_column": "摘要",
    }
    got = read(REFUNDS, layout(**fields))
    assert [(x.direction, x.kind, x.amount) for x in got] == [
        ("out", "normal", D("-100.00")),
        ("neutral", "normal", D("100.00")),
        ("in", "refund", D("30.00")),
    ]
    got = read(REFUNDS, layout(**fields, refund_markers=""))
    assert [x.kind for x in got] == ["normal", "normal", "normal"]


# -- the file's own totals ------------------------------------------------------------------------------
def test_totals_found_and_compared() -> None:
    p = layout(
        total_in_pattern=r"收入：\d+笔\s*([\d,.]+)元",
        total_out_pattern=r"支出：\d+笔\s*([\d,.]+)元",
        total_count_pattern=r"共(\d+)笔记录",
    )
    texts = ["共3笔记录", "收入：1笔 1,028.50元", "支出：2笔 16.54元"]
    found = find_totals(texts, p)
    assert found == {
        "total_in_pattern": D("1028.50"),
        "total_out_pattern": D("16.54"),
        "total_count_pattern": D(3),
    }
    assert compare(found, D("1028.50"), D("16.54"), 3) == []
    assert compare(found, D("1028.50"), D("18.02"), 2) == [
        "支出合计与文件不符：文件记载 16.54，实际读取 18.02，请核对版式（收支方向、金额列）",
        "笔数与文件不符：文件记载 3，实际读取 2，请核对版式（收支方向、金额列）",
    ]
    assert (
        compare(find_totals(["无合计"], p), D(0), D(0), 0)[0]
        == "版式要求核对收入合计，但文件中没有找到（已导入：0.00）"
    )


def test_period_pattern_with_unreadable_dates_finds_nothing() -> None:
    p = layout(period_pattern=r"期间：(\S+) 至 (\S+)")
    assert find_period(["期间：2024-01-01 至 2024-01-31"], p) == (date(2024, 1, 1), date(2024, 1, 31))
    assert find_period(["期间：上月 至 本月"], p) is None
    assert find_period(["期间：2024-02-01 至 2024-01-31"], p) is None


def test_patterns_broken_in_admin_find_nothing_instead_of_failing() -> None:
    p = layout(period_pattern="期间(", total_in_pattern="收入(", total_out_pattern=r"支出\d+")
    assert find_period(["期间(2024"], p) is None
    assert find_totals(["收入(1", "支出12"], p) == {"total_in_pattern": None, "total_out_pattern": None}


@pytest.mark.parametrize("bad", ["a{1001}(b)", "收入([", "((", r"(a)\1", r"(?<=合计)(\d+)", "(a)" * 300])
def test_invalid_regexes_are_a_value_error_for_the_form(bad: str) -> None:
    """What RE2 refuses (back-references, look-around, huge repeats) or a pattern too long to be one."""
    with pytest.raises(ValueError, match="不是有效的正则表达式"):
        check_regex(bad, 1)


def test_a_pattern_that_backtracks_forever_in_python_runs_in_linear_time() -> None:
    """`^(a+)+(b)` against thirty a's takes Python's `re` minutes (and holds every request of the
    server meanwhile); the layout's patterns run in RE2, linear in the text."""
    import time

    p = layout(period_pattern="^(a+)+(b)", total_in_pattern="^(a+)+!")
    line = "a" * 5000 + "!"
    started = time.perf_counter()
    assert find_period([line], p) is None
    assert find_totals([line], p)["total_in_pattern"] is None
    assert time.perf_counter() - started < 1.0


def test_a_directive_given_twice_is_refused_and_never_crashes_an_import() -> None:
    with pytest.raises(ValueError, match="无法识别的格式"):
        check_pattern("DD/MM/DD")
    with pytest.raises(RowError, match="可识别的格式：DD/MM/DD"):
        parse_when("01/02/03", None, "日期", date_format="DD/MM/DD")
