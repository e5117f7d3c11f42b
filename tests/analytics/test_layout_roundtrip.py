"""Property: any layout a court user can describe round-trips.

Hypothesis draws a layout (format, encoding, delimiter, preamble, header or none, column order, sign
convention, amount decoration (a debit/credit mark among them), date format — yearless ones with a
statement period — and a footer), writes a statement of random transactions in it, imports it through
that layout, and must get the same transactions back; the footer's count matches what was read. Amounts
are written with a decimal point or, under a layout that says so, a decimal comma ('-1.234,56').
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhixing.analytics.dates import is_yearless, strptime_pattern
from zhixing.analytics.parsing import read_statement
from zhixing.analytics.totals import compare, find_totals

from .layout_helpers import layout
from .xls_writer import xls_bytes

DATE_FORMATS = [
    "YYYY-MM-DD",
    "YYYY-MM-DD HH:mm:ss",
    "YYYY/MM/DD",
    "YYYYMMDD",
    "YYYY年MM月DD日",
    "DD/MM/YYYY",
    "MM/DD/YYYY",
    "DD.MM.YYYY",
    "DD-MMM-YYYY",
    "MM/DD",
    "MM月DD日",
    "",  # automatic
]
CONVENTIONS = ["in_positive", "out_positive", "direction_column", "keywords", "in_out_columns"]
DIRECTION_WORDS = [("收入", "支出"), ("贷", "借"), ("C", "D"), ("转入", "转出"), ("Credit", "Debit")]
DECORATIONS = ["plain", "thousands", "prefix", "suffix", "note", "fullwidth", "number", "mark"]
FILLER = "甲乙丙丁戊己庚辛商店超市餐饮交通ABCxyz"
FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


@dataclass
class Tx:
    when: datetime
    amount: Decimal  # magnitude, > 0
    direction: str  # in | out
    summary: str


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    date_format = draw(st.sampled_from(DATE_FORMATS))
    with_time = "HH" in date_format
    yearless = is_yearless(date_format)
    start = draw(st.dates(min_value=date(2001, 1, 1), max_value=date(2030, 1, 1)))
    period = (start, start + timedelta(days=draw(st.integers(0, 330))))
    n = draw(st.integers(1, 8))
    txs = []
    for _ in range(n):
        day = period[0] + timedelta(days=draw(st.integers(0, (period[1] - period[0]).days)))
        if not yearless and draw(st.booleans()):
            day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
        seconds = draw(st.integers(0, 86399)) if with_time else 0
        cents = draw(st.integers(1, 999_999_999))
        txs.append(
            Tx(
                when=datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds),
                amount=Decimal(cents) / 100,
                direction=draw(st.sampled_from(["in", "out"])),
                summary=draw(st.text(FILLER, min_size=1, max_size=6)),
            )
        )
    return {
        "file": draw(st.sampled_from(["csv", "xlsx", "xls"])),
        "encoding": draw(st.sampled_from(["utf-8", "gbk"])),
        "delimiter": draw(st.sampled_from([",", "\t", ";"])),
        "preamble": draw(st.lists(st.text(FILLER, min_size=1, max_size=10), max_size=3)),
        "headerless": draw(st.booleans()),
        "by_marker": draw(st.booleans()),
        "excel_dates": draw(st.booleans()),
        "convention": draw(st.sampled_from(CONVENTIONS)),
        "words": draw(st.sampled_from(DIRECTION_WORDS)),
        "decoration": draw(st.sampled_from(DECORATIONS)),
        "decimal_comma": draw(st.booleans()),
        "date_format": date_format,
        "period": period,
        "order": draw(st.permutations(range(5))),
        "txs": txs,
    }


COMMA = str.maketrans(",.", ".,")  # '1,234.56' → '1.234,56'


def _money(a: Decimal, decoration: str, negative: bool, decimal_comma: bool = False) -> Any:
    if decoration == "fullwidth":  # the marks swapped before they become full-width
        return _money(a, "thousands", negative, decimal_comma).translate(FULLWIDTH)
    text = _written(a, decoration, negative)
    return text.translate(COMMA) if decimal_comma and isinstance(text, str) else text


def _written(a: Decimal, decoration: str, negative: bool) -> Any:
    sign = "-" if negative else ""
    if decoration == "number":
        return float(-a if negative else a)
    if decoration == "thousands":
        return f"{sign}{a:,.2f}"
    if decoration == "prefix":
        return f"{sign}CNY {a:.2f}"
    if decoration == "suffix":
        return f"{sign}{a:.2f}元"
    if decoration == "note":
        return f"{sign}{a:.2f}(含手续费0.50)"
    return f"{sign}{a:.2f}"


def render(s: dict[str, Any]) -> tuple[bytes, Any]:
    """The statement file and the layout that describes it."""
    conv, (word_in, word_out) = s["convention"], s["words"]
    names = ["交易日期", "金额", "摘要", "收支", "支出金额"]
    fields: dict[str, Any] = {
        "file_format": s["file"],
        "encoding": s["encoding"],
        "delimiter": s["delimiter"],
        "date_format": s["date_format"],
        "refund_markers": "",
        "reversal_markers": "",
        "footer_prefixes": "合计",
        "total_count_pattern": r"合计\s*(\d+)笔",
        "headerless": s["headerless"],
        "decimal_comma": s["decimal_comma"],
    }
    order = s["order"]  # position of each logical column in the file
    col = {name: (str(order[i] + 1) if s["headerless"] else name) for i, name in enumerate(names)}
    fields |= {"date_column": col["交易日期"], "summary_column": col["摘要"]}
    if conv == "in_out_columns":
        fields |= {"in_column": col["金额"], "out_column": col["支出金额"], "amount_column": ""}
    else:
        fields["amount_column"] = col["金额"]
    if conv == "out_positive":
        fields["amount_sign"] = "out_positive"
    if conv == "direction_column":
        fields |= {"direction_column": col["收支"], "direction_in": word_in, "direction_out": word_out}
    if conv == "keywords":
        fields |= {"direction_keywords_in": "入账", "direction_keywords_out": "扣款"}
    fmt = strptime_pattern(s["date_format"] or "YYYY-MM-DD")
    decoration = s["decoration"]
    if decoration == "number" and s["file"] == "csv" and s["decimal_comma"]:
        decoration = "plain"  # a text file has no numbers: an export with a decimal comma writes '0,01'

    rows: list[list[Any]] = [[line] for line in s["preamble"]]
    if s["headerless"]:
        fields["header_row"] = len(rows)
    elif s["by_marker"]:
        fields |= {"header_row": 0, "header_marker": names[order.index(0)]}
    else:
        fields["header_row"] = len(rows) + 1
    if not s["headerless"]:
        rows.append([names[order.index(i)] for i in range(5)])
    for tx in s["txs"]:
        out = tx.direction == "out"
        logical: dict[str, Any] = dict.fromkeys(names, "")
        logical["交易日期"] = tx.when.strftime(fmt)
        if s["file"] != "csv" and s["excel_dates"] and not is_yearless(s["date_format"]):
            logical["交易日期"] = tx.when  # a date cell, whatever the layout's text format
        logical["摘要"] = tx.summary
        if conv == "in_positive":
            logical["金额"] = _money(tx.amount, decoration, out, s["decimal_comma"])
        elif conv == "out_positive":
            logical["金额"] = _money(tx.amount, decoration, not out, s["decimal_comma"])
        elif conv == "direction_column":
            logical["金额"] = _money(tx.amount, decoration, False, s["decimal_comma"])
            logical["收支"] = word_out if out else word_in
        elif conv == "keywords":
            logical["金额"] = _money(tx.amount, decoration, False, s["decimal_comma"])
            logical["摘要"] = ("扣款" if out else "入账") + tx.summary
        else:
            logical["支出金额" if out else "金额"] = _money(tx.amount, decoration, False, s["decimal_comma"])
        if decoration == "mark" and conv != "in_out_columns":
            # '1,234.56 DR': the mark gives the direction whatever the sign convention
            logical["金额"] = _money(tx.amount, "thousands", False, s["decimal_comma"]) + (
                " DR" if out else " CR"
            )
        rows.append([logical[names[order.index(i)]] for i in range(5)])
    rows.append(["合计", f"{len(s['txs'])}笔"])
    if s["file"] == "xls":
        return xls_bytes(rows), layout(**fields)
    if s["file"] == "xlsx":
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue(), layout(**fields)
    text = io.StringIO()
    csv.writer(text, delimiter=s["delimiter"]).writerows(rows)
    return text.getvalue().encode(s["encoding"]), layout(**fields)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements())
def test_any_described_layout_round_trips(s: dict[str, Any]) -> None:
    data, preset = render(s)
    period = s["period"] if is_yearless(s["date_format"]) else None
    statement = read_statement(data, preset, period)
    got = []
    for row_no, _, line, error in statement.lines(preset):
        assert line is not None, f"row {row_no}: {error}"
        got.append((line.occurred_at, line.amount, line.direction, line.summary))
    want = [
        (
            tx.when,
            tx.amount if tx.direction == "in" else -tx.amount,
            tx.direction,
            ("扣款" if tx.direction == "out" else "入账") + tx.summary
            if s["convention"] == "keywords"
            else tx.summary,
        )
        for tx in s["txs"]
    ]
    assert got == want
    found = find_totals(statement.table.texts, preset)
    assert compare(found, Decimal(0), Decimal(0), len(got)) == [], statement.table.texts
