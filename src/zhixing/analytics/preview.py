"""A statement's rows as they would be imported with a layout, before anything is stored (pure).

`adapted(preset, changes)` is an unsaved copy of a layout with some fields changed (the detector's
adjustments, the user's edits); `build(data, layout, today=…)` reads the whole file with it exactly as
the import would (`parsing.read_table` / `normalise_row`) and returns the first rows, the row errors
and the warnings that suggest the layout is wrong although every row parses.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from . import currency_sections
from .detection import FileRows
from .line_words import said_of
from .parsing import FileError, FileRefused, Line, RowError, clean, normalise_row, read_table
from .readers import MAX_ROWS
from .totals import find_period

PREVIEW_ROWS = 20
ERROR_ROWS = 10  # rows with a problem listed beyond the rows shown
MIN_LINES_FOR_SHAPE = 5  # a handful of lines says nothing about the layout's direction handling
UNPARSED_SHARE = Decimal("0.1")
_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})"
_PERIOD_WORDS = ("起始", "起止", "终止", "开始", "结束", "查询期间", "期间", "至")
MIN_CONTRADICTIONS = 3
# A short file (a card statement of a few lines) whose every worded line says the opposite is read wrong
# as surely: two such lines and none agreeing are enough.
MIN_UNANIMOUS_CONTRADICTIONS = 2


@dataclass
class PreviewRow:
    row_no: int
    occurred_at: datetime | None = None
    direction: str = ""
    amount: Decimal | None = None
    currency: str = ""  # the line's own (the amount is shown as the file has it, not in yuan)
    counterparty: str = ""
    summary: str = ""  # what the line says of itself: a file without a counterparty column has only this
    kind: str = ""
    error: str = ""


@dataclass
class Preview:
    """The first rows, counts over the whole file, and warnings (each a sentence in Chinese)."""

    rows: list[PreviewRow] = field(default_factory=list)
    total: int = 0
    valid: int = 0
    errors: int = 0
    file_error: str = ""
    refused: bool = False  # the file error is one no layout avoids (`FileRefused`): refuse the upload
    period: tuple[date, date] | None = None
    warnings: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    # the first rows with a problem after the rows shown (at most `ERROR_ROWS`), row and reason only
    later_errors: list[PreviewRow] = field(default_factory=list)
    later_error_count: int = 0
    # (row, currency, text) of each line naming only a currency ("币种：美元"): the lines after it are in it
    sections: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_error and self.valid > 0


def adapted(preset: Any, changes: dict[str, Any]) -> Any:
    """An unsaved copy of `preset` with `changes` applied (the stored layout is not touched)."""
    layout = copy.copy(preset)
    for name, value in changes.items():
        setattr(layout, name, value)
    return layout


def statement_period(data: bytes, delimiter: str, header_at: int) -> tuple[date, date] | None:
    """The period a preamble row (before row `header_at`, 0-based) states, in a CSV or Excel file
    (e.g. "起始时间：[2023-02-10 00:00:00] 终止时间：[2023-02-13 23:59:59]")."""
    for row in FileRows(data).rows(delimiter)[: max(0, header_at)]:
        line = " ".join(clean(c) for c in row)
        found = re.findall(_DATE, line)
        if len(found) >= 2 and any(w in line for w in _PERIOD_WORDS):
            try:
                start, end = (date(int(y), int(m), int(d)) for y, m, d in found[:2])
            except ValueError:
                continue
            return (start, end) if start <= end else (end, start)
    return None


def build(
    data: bytes,
    layout: Any,
    *,
    today: date,
    limit: int = PREVIEW_ROWS,
    convert: Callable[[Line], Line] | None = None,
    max_rows: int = MAX_ROWS,
) -> Preview:
    """Read the whole file with `layout`; keep the first `limit` rows and judge the result.

    `convert` is the import's own conversion to yuan (`exchange.RateTable.convert`): a line in a currency
    with no rate on its day is a row error here as it would be on import, not a surprise after it.
    A file of more than `max_rows` rows is not read past them: its file error says so (`refused`)."""
    out = Preview()
    try:
        header, body, notes = read_table(data, layout, max_rows=max_rows)
    except FileError as exc:
        out.file_error = str(exc)
        out.refused = isinstance(exc, FileRefused)
        return out
    out.header = header
    # Dates without a year take it from the period the file states (as the import does).
    stated = find_period([str(n.get("text", "")) for n in notes], layout)
    first_data_row = body[0][0] if body else 0
    out.period = stated
    if first_data_row and stated is None:
        out.period = statement_period(data, getattr(layout, "delimiter", ","), first_data_row - 2)
    # the lines' aggregates only: a preview keeps the rows it shows, never every line read
    tally = Tally(today=today, period=out.period)
    out.sections = [(n["row"], n["currency"], n["text"]) for n in notes if n.get("kind") == "section"]
    sections = currency_sections.starts(notes)
    for row_no, raw in body:
        out.total += 1
        try:
            section = currency_sections.currency_at(sections, row_no) if sections else ""
            line = normalise_row(row_no, header, raw, layout, stated, currency=section)
            if convert is not None:
                convert(line)  # only its verdict: the preview shows the amount as the file has it
        except RowError as exc:
            out.errors += 1
            if len(out.rows) < limit:
                out.rows.append(PreviewRow(row_no=row_no, error=str(exc)))
            else:
                # past the rows shown: listed apart, or a strict import would be refused for a row the
                # preview never showed (a "借方合计" on row 27)
                out.later_error_count += 1
                if len(out.later_errors) < ERROR_ROWS:
                    out.later_errors.append(PreviewRow(row_no=row_no, error=str(exc)))
            continue
        tally.add(line)
        if len(out.rows) < limit:
            out.rows.append(
                PreviewRow(
                    row_no=row_no,
                    occurred_at=line.occurred_at,
                    direction=line.direction,
                    amount=line.amount,
                    currency=line.currency,
                    counterparty=line.counterparty,
                    summary=line.summary,
                    kind=line.kind,
                )
            )
    out.valid = tally.lines
    out.warnings = warnings_of(tally.shape(), total=out.total, errors=out.errors, period=out.period)
    out.warnings.extend(_currency_warning(header, tally.lines, tally.cjk, tally.currencies, layout))
    return out


_CJK = re.compile(r"[\u4e00-\u9fff]")
CURRENCY_WARNING = (
    "表头为英文且文件未注明币种，金额按人民币读取：如为外币账户的流水，请在版式中设置“默认币种”"
)


def currency_warning(header: list[str], lines: list[Line], layout: Any) -> list[str]:
    """`currency_warning_of` for the lines a preview read."""
    texts = [_words(x) for x in lines]
    return currency_warning_of(header, texts, {x.currency for x in lines}, layout)


def _words(line: Any) -> str:
    return f"{line.summary}{line.counterparty}{line.merchant}{line.category}"


def currency_warning_of(header: list[str], texts: list[str], currencies: set[str], layout: Any) -> list[str]:
    """An export in English (its column names, and the words of most of its lines: `texts`) with no
    currency anywhere (no currency column, no unit on the amounts: `currencies` read are yuan only) is
    read in the layout's default currency, yuan unless set: say so, since an HSBC or a US card export
    read in yuan is off by the exchange rate."""
    cjk = sum(1 for t in texts if _CJK.search(t))
    return _currency_warning(header, len(texts), cjk, currencies, layout)


def currency_warning_possible(header: list[str], layout: Any) -> bool:
    """Whether `currency_warning_of` can warn at all for this header and layout, before the lines are
    looked at: never with a currency column, numbered columns (they say nothing) or Chinese column names."""
    if getattr(layout, "currency_column", "") or getattr(layout, "headerless", False):
        return False
    return not any(_CJK.search(h or "") for h in header)


def _currency_warning(
    header: list[str], texts: int, cjk: int, currencies: set[str], layout: Any
) -> list[str]:
    """`currency_warning_of` from the number of lines (`texts`) and of those with Chinese words."""
    if not texts or not currency_warning_possible(header, layout):
        return []
    default = getattr(layout, "default_currency", "") or "CNY"
    if default != "CNY" or currencies - {"CNY"}:
        return []
    if cjk * 2 >= texts:  # English names over Chinese lines
        return []
    return [CURRENCY_WARNING]


@dataclass
class Shape:
    """What `warnings` looks at in the lines read, as aggregates (an import reading column-wise
    computes the same in SQL, `columnar_checks.shape`).

    `words` groups the counted lines (kind normal, in or out) by (summary, category, direction):
    (summary, category, direction, lines, file position of the first, its row number).
    `future`/`outside`: (lines, row number and date of the first) of the lines dated after today /
    outside the period, or None.
    """

    counted: int = 0
    directions: frozenset[str] = frozenset()
    months: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    words: list[tuple[str, str, str, int, int, int]] = field(default_factory=list)
    future: tuple[int, int, date] | None = None
    outside: tuple[int, int, date] | None = None


class Tally:
    """The `Shape` of lines added one at a time, and the counts the currency warning needs: what a
    preview keeps of the lines it reads (a file of 300,000 lines is not held as `Line`s to count them)."""

    def __init__(self, *, today: date, period: tuple[date, date] | None) -> None:
        self.today, self.period = today, period
        self.lines = 0
        self.cjk = 0  # lines whose words have Chinese in them
        self.currencies: set[str] = set()
        self.counted = 0
        self.directions: set[str] = set()
        self.months: dict[str, list[Decimal]] = {}
        self.groups: dict[tuple[str, str, str], list[int]] = {}
        self.future: tuple[int, int, date] | None = None
        self.outside: tuple[int, int, date] | None = None

    def add(self, ln: Any) -> None:
        self.lines += 1
        if _CJK.search(_words(ln)):
            self.cjk += 1
        self.currencies.add(ln.currency)
        if ln.kind == "refund":  # a refund is money in: a spending account with refunds is not one-way
            self.directions.add("in")
        if ln.kind == "normal" and ln.direction in ("in", "out"):
            pair = self.months.setdefault(f"{ln.occurred_at:%Y-%m}", [Decimal(0), Decimal(0)])
            pair[0 if ln.direction == "in" else 1] += abs(ln.amount)
            group = self.groups.setdefault(
                (ln.summary, ln.category, ln.direction), [0, self.counted, ln.row_no]
            )
            group[0] += 1
            self.directions.add(ln.direction)
            self.counted += 1
        day = ln.occurred_at.date()
        if day > self.today:
            self.future = _first_of(self.future, ln.row_no, day)
        if self.period and not self.period[0] <= day <= self.period[1]:
            self.outside = _first_of(self.outside, ln.row_no, day)

    def shape(self) -> Shape:
        return Shape(
            counted=self.counted,
            directions=frozenset(self.directions),
            months={m: (i, o) for m, (i, o) in self.months.items()},
            words=[(*key, n, pos, row) for key, (n, pos, row) in self.groups.items()],
            future=self.future,
            outside=self.outside,
        )


def _first_of(seen: tuple[int, int, date] | None, row: int, day: date) -> tuple[int, int, date]:
    """(lines, row and date of the first) with one more line."""
    return (1, row, day) if seen is None else (seen[0] + 1, seen[1], seen[2])


def shape_of(lines: list[Any], *, today: date, period: tuple[date, date] | None) -> Shape:
    tally = Tally(today=today, period=period)
    for ln in lines:
        tally.add(ln)
    return tally.shape()


def warnings(
    lines: list[Any], *, total: int, errors: int, today: date, period: tuple[date, date] | None
) -> list[str]:
    """Why a preview that parses may still be read wrongly (the layout's columns or signs)."""
    shape = shape_of(lines, today=today, period=period)
    return warnings_of(shape, total=total, errors=errors, period=period)


def warnings_of(shape: Shape, *, total: int, errors: int, period: tuple[date, date] | None) -> list[str]:
    """`warnings` from the lines' aggregates."""
    out: list[str] = []
    if total == 0:
        return ["文件中没有数据行"]
    if errors and Decimal(errors) / Decimal(total) > UNPARSED_SHARE:
        out.append(f"{errors}/{total} 行无法解析（超过10%），请检查日期列、金额列与收支取值")
    agree, against, first = _group_tally(shape.words)
    contradictions = _contradictions(agree, against, first)
    if shape.counted >= MIN_LINES_FOR_SHAPE:
        directions = shape.directions
        if len(directions) == 1:
            word = "收入" if directions == {"in"} else "支出"
            out.append(f"全部{shape.counted}行都是{word}：请确认金额正负号或收支列的取值是否读反")
        months = shape.months
        confirmed = agree >= MIN_CONTRADICTIONS and not contradictions
        if (
            len(directions) == 2
            and len(months) >= 3
            and all(o > i for i, o in months.values())
            and not confirmed  # the lines' own words agree with the sign: a debit account overspending
        ):
            out.append(
                f"每个月的支出都大于收入（{len(months)}个月）：如为信用卡账单，请确认消费与还款的正负号"
            )
    out.extend(contradictions)
    if shape.future:
        n, row, day = shape.future
        out.append(f"{n}行交易日期晚于今天（如第{row}行 {day:%Y-%m-%d}）")
    if period and shape.outside:
        n, row, day = shape.outside
        out.append(f"{n}行不在账单注明的期间 {period[0]} 至 {period[1]} 内（如第{row}行 {day:%Y-%m-%d}）")
    return out


def _group_tally(
    words: list[tuple[str, str, str, int, int, int]],
) -> tuple[int, int, tuple[int, str, str, str, str] | None]:
    """(lines whose words agree with the direction read, lines saying the opposite, the first of
    those as (row, summary, category, direction, word))."""
    agree, against = 0, 0
    first: tuple[int, tuple[int, str, str, str, str]] | None = None
    for summary, category, direction, n, pos, row in words:
        said, word = said_of(summary, category)
        if not said:
            continue
        if said == direction:
            agree += n
        else:
            against += n
            if first is None or pos < first[0]:
                first = (pos, (row, summary, category, direction, word))
    return agree, against, first[1] if first else None


def _contradictions(agree: int, against: int, first: tuple[int, str, str, str, str] | None) -> list[str]:
    unanimous = against >= MIN_UNANIMOUS_CONTRADICTIONS and agree == 0
    if (against < MIN_CONTRADICTIONS and not unanimous) or against <= agree or first is None:
        return []
    row, summary, category, direction, word = first
    read_as = "收入" if direction == "in" else "支出"
    return [
        f"{against}行的摘要与读出的收支方向相反（如第{row}行“{summary or category}”"
        f"含“{word}”却读为{read_as}；相符的仅{agree}行）：请确认金额正负号或收支列的取值是否读反"
        "（信用卡账单多以正数表示消费）"
    ]
