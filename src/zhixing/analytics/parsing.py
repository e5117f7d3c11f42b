"""Reading statement files through a layout preset into normalised rows (pure, no ORM).

`read_table` turns CSV/Excel (xlsx, xls)/Parquet bytes into (line number, cells) rows after the header;
`normalise_row` validates one row against the preset and returns a `Line` or raises `RowError` with the
reason; `iter_lines` does both for a whole file. The concepts live in their own modules — `tables`
(formats, header, preamble and footer), `columns` (comparing names), `amounts`, `dates`, `directions`,
`totals` — and are re-exported here for the callers that read a file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from . import tables
from .amounts import (
    CURRENCIES,
    EMPTY,
    STRIP,
    clean,
    currency_code,
    decimal_comma_of,
    parse_amount,
    parse_decimal,
)
from .columns import column_key
from .compiled_layout import compile_layout
from .dates import DATE_FORMATS, TIME_FORMATS, Period, is_yearless, parse_when
from .directions import amount_and_direction, options
from .readers import MAX_COLUMNS, MAX_ROWS
from .statement_errors import FileError, FileRefused, RowError
from .totals import find_period

__all__ = [
    "CURRENCIES",
    "DATE_FORMATS",
    "EMPTY",
    "STRIP",
    "TIME_FORMATS",
    "FileError",
    "FileRefused",
    "Line",
    "PresetLike",
    "RowError",
    "clean",
    "currency_code",
    "iter_lines",
    "normalise_row",
    "options",
    "parse_amount",
    "parse_decimal",
    "parse_when",
    "read_statement",
    "read_table",
    "required_columns",
]

ACCOUNT_TAIL = re.compile(r"^(.*?)\s*([0-9*]{6,})$")


class PresetLike(Protocol):
    file_format: str
    encoding: str
    delimiter: str
    headerless: bool
    header_row: int
    header_marker: str
    footer_prefixes: str
    date_column: str
    date_format: str
    time_column: str
    time_format: str
    amount_column: str
    amount_sign: str
    in_column: str
    out_column: str
    decimal_comma: bool
    direction_column: str
    direction_in: str
    direction_out: str
    direction_neutral: str
    direction_text_column: str
    direction_keywords_in: str
    direction_keywords_out: str
    counterparty_column: str
    counterparty_account_column: str
    split_account: bool
    merchant_column: str
    summary_column: str
    category_column: str
    currency_column: str
    default_currency: str
    balance_column: str
    txn_id_column: str
    status_column: str
    ignored_statuses: str
    refund_markers: str
    reversal_markers: str
    period_pattern: str
    total_in_pattern: str
    total_out_pattern: str
    total_count_pattern: str


@dataclass
class Line:
    row_no: int
    occurred_at: datetime
    amount: Decimal
    currency: str
    direction: str
    kind: str
    counterparty: str
    counterparty_account: str
    merchant: str
    summary: str
    category: str
    balance: Decimal | None
    txn_id: str
    status: str
    line_hash: str
    original_amount: Decimal | None = None  # set when converted from a foreign currency (exchange.py)
    fx_rate: Decimal | None = None


def required_columns(preset: PresetLike) -> list[str]:
    cols = [preset.date_column]
    if preset.amount_column:
        cols.append(preset.amount_column)
    else:
        cols += [preset.in_column, preset.out_column]
    for extra in (
        preset.time_column,
        preset.direction_column,
        preset.counterparty_column,
        preset.txn_id_column,
        getattr(preset, "direction_text_column", ""),
    ):
        if extra:
            cols.append(extra)
    return [c for c in cols if c]


NAMED_COLUMNS = (
    "date_column",
    "time_column",
    "amount_column",
    "in_column",
    "out_column",
    "direction_column",
    "direction_text_column",
    "counterparty_column",
    "counterparty_account_column",
    "merchant_column",
    "summary_column",
    "category_column",
    "currency_column",
    "balance_column",
    "txn_id_column",
    "status_column",
)


def _check_columns(table: tables.Table, preset: PresetLike) -> None:
    """FileError when the layout needs a column the header lacks.

    Without a header the columns are numbers; a number past the file's widest row is an empty column
    (Excel leaves trailing empty cells out), and a name that is not a number is the error.
    """
    if getattr(preset, "headerless", False):
        for col in required_columns(preset):
            key = column_key(col)
            if not key.isascii() or not key.isdigit() or int(key) < 1:
                raise FileError(f"无表头的版式按列序号 1、2、3… 填写列名，“{col}”不是列序号")
            if len(key) > 4 or int(key) > MAX_COLUMNS:  # the header is padded up to it: bound it first
                raise FileError(f"列序号“{col}”超过{MAX_COLUMNS}列的上限")
            table.header += [str(i) for i in range(len(table.header) + 1, int(key) + 1)]
        return
    present = {column_key(h) for h in table.header}
    header_line = table.body[0][0] - 1 if table.body else 1
    for col in dict.fromkeys(c for f in NAMED_COLUMNS if (c := getattr(preset, f, ""))):
        at = [i + 1 for i, h in enumerate(table.header) if h and column_key(h) == column_key(col)]
        if len(at) > 1:  # reading either one would be a guess (the last one used to win silently)
            raise FileError(
                f"表头中“{col}”出现{len(at)}次（第{'、'.join(map(str, at))}列，第{header_line}行附近），"
                "无法确定读取哪一列：请把版式设为“无表头”并按列序号填写列名"
            )
    for col in required_columns(preset):
        if column_key(col) not in present:
            names = "、".join(h for h in table.header if h)[:200]
            raise FileError(f"表头缺少列“{col}”（第{header_line}行附近）；表头为：{names}")


def read_table(
    data: bytes, preset: PresetLike, *, max_rows: int = MAX_ROWS
) -> tuple[list[str], list[tuple[int, list[Any]]], list[dict[str, Any]]]:
    """Header names, data rows with 1-based line numbers, and notes about the lines around the data.

    Each note is {row, reason, level, kind (preamble|footer), text}. A file of more than `max_rows`
    rows is a FileRefused (`tables.read`).
    """
    table = tables.read(data, preset, max_rows)
    _check_columns(table, preset)
    return table.header, table.body, table.notes


def normalise_row(
    row_no: int,
    header: list[str],
    row: list[Any],
    preset: PresetLike,
    period: Period | None = None,
    *,
    currency: str = "",
) -> Line:
    """One data row as a `Line`; RowError naming the column when a cell does not fit the layout.

    `period` (first and last day of the statement) gives the year of dates the layout reads without one.
    `currency` is the currency a line naming only a currency ("币种：美元") set for the lines after it
    (`Table.currency_at`; '' for none): the line's currency unless its amount or currency cell names one.
    """
    cell = {column_key(h): (row[i] if i < len(row) else None) for i, h in enumerate(header) if h}

    def raw(col: str) -> Any:
        return cell.get(column_key(col)) if col else None

    def get(col: str) -> str:
        return clean(raw(col)) if col else ""

    occurred = parse_when(
        raw(preset.date_column),
        raw(preset.time_column) if preset.time_column else None,
        preset.date_column,
        date_format=getattr(preset, "date_format", ""),
        time_format=getattr(preset, "time_format", ""),
        period=period,
    )
    amount, direction, unit = amount_and_direction(raw, get, preset)
    counterparty, account = get(preset.counterparty_column), get(preset.counterparty_account_column)
    if preset.split_account and counterparty:
        m = ACCOUNT_TAIL.match(counterparty)
        if m:
            counterparty, account = m.group(1).strip(), account or m.group(2)
    raw_currency = get(preset.currency_column)
    currency = unit or currency or preset.default_currency
    if raw_currency:
        currency = currency_code(raw_currency)
    if not re.fullmatch(r"[A-Z]{3}", currency or ""):
        raise RowError(f"“{preset.currency_column}”币种无法识别：{raw_currency!r}")
    balance_text = get(preset.balance_column)
    balance = None
    if balance_text and not re.search(r"[xXyY*]", balance_text):
        balance = parse_decimal(balance_text, preset.balance_column, decimal_comma=decimal_comma_of(preset))
    summary, category, status = (
        get(preset.summary_column),
        get(preset.category_column),
        get(preset.status_column),
    )
    merchant = get(preset.merchant_column)
    kind = "normal"
    text = f"{summary} {category}"
    if status and status in options(preset.ignored_statuses):
        kind = "ignored"
    elif any(m in text for m in options(preset.reversal_markers)):
        kind = "reversal"
        if not preset.amount_column and _red_ink(raw, preset):
            # 红字冲正: a negative figure in the income or the spending column undoes a line of that
            # column, so the money moves the other way (the balance rises on a negative debit).
            amount, direction = -amount, ("in" if direction == "out" else "out")
    elif direction != "neutral" and any(m in text for m in options(preset.refund_markers)):
        # A line the file itself books as neither (支付宝 不计收支 退款) stays neither: the spending it
        # undoes was never counted, so turning it into income would count the refund twice.
        kind, direction, amount = "refund", "in", abs(amount)
    txn_id = get(preset.txn_id_column)
    canon = "\x1f".join(clean(c) for c in row)
    return Line(
        row_no=row_no,
        occurred_at=occurred,
        amount=amount,
        currency=currency,
        direction=direction,
        kind=kind,
        counterparty=counterparty[:200],
        counterparty_account=account[:64],
        merchant=merchant[:200],
        summary=summary[:200],
        category=category[:64],
        balance=balance,
        txn_id=txn_id[:80],
        status=status[:32],
        line_hash=hashlib.sha256(canon.encode("utf-8")).hexdigest(),
    )


def _red_ink(raw: Callable[[str], Any], preset: Any) -> bool:
    """True when the income or spending column holds a negative figure (read only for a reversal)."""
    comma = decimal_comma_of(preset)
    for column in (preset.in_column, preset.out_column):
        try:
            value, _unit = parse_amount(raw(column), column, decimal_comma=comma) if column else (None, "")
        except RowError:
            continue
        if value is not None and value < 0:
            return True
    return False


@dataclass
class Statement:
    """A file read under a layout: its table, and the statement period used for yearless dates."""

    table: tables.Table
    period: Period | None

    def lines(
        self,
        preset: PresetLike,
        convert: Callable[[Line], Line] | None = None,
        *,
        compiled: bool = True,
        columnar: bool = False,
    ) -> Iterator[tuple[int, list[Any], Line | None, str]]:
        """(row_no, raw cells, Line or None, error reason) for each data row.

        With `compiled` (the default) the layout is compiled once for the file (`compiled_layout`) and
        each line it is sure of is read that way; every other line, and every line of a layout it
        cannot express, by `normalise_row`. Both give the same `Line`; `compiled=False` is the
        per-line reader alone (the identity test compares the two). With `columnar` (off by default:
        slower than the compiled reader while every line becomes a `Line`, docs/analytics.md), a layout
        `columnar_layout` expresses is first read for the whole file in one DuckDB query, and only the
        lines it is not sure of go through the compiled reader (then `normalise_row`).

        A line after a currency line ("币种：美元", `Table.currency_at`) naming another currency than the
        layout's default is read per line only: the fast readers know only the default.
        """
        fast = compile_layout(self.table.header, preset) if compiled else None
        batch = None
        if fast is not None and columnar:
            from .columnar_layout import read_columns

            batch = read_columns(self.table.header, self.table.body, preset)
        table, default = self.table, preset.default_currency
        for k, (row_no, row) in enumerate(table.body):
            section = table.currency_at(row_no) if table.sections else ""
            foreign = bool(section) and section != default
            line: Line | None = batch[k] if batch is not None and not foreign else None
            if line is None and fast is not None and not foreign:
                try:
                    line = fast(row_no, row)
                except Exception:  # any doubt: the per-line reader decides (and words the error)
                    line = None
            try:
                if line is None:
                    line = normalise_row(row_no, table.header, row, preset, self.period, currency=section)
                yield row_no, row, convert(line) if convert else line, ""
            except RowError as exc:
                yield row_no, row, None, str(exc)


def read_statement(
    data: bytes, preset: PresetLike, period: Period | None = None, *, max_rows: int = MAX_ROWS
) -> Statement:
    """The file's table and the period for yearless dates (the one given, else the file's own).

    FileError when a layout reading dates without a year finds no period either way; FileRefused for
    a file of more than `max_rows` rows.
    """
    table = tables.read(data, preset, max_rows)
    _check_columns(table, preset)
    period = period or find_period(table.texts, preset)
    if period is None and is_yearless(getattr(preset, "date_format", "")):
        raise FileError("该版式的日期不含年份（如 12/29），请在导入时填写账单起止日期")
    return Statement(table=table, period=period)


def iter_lines(
    data: bytes,
    preset: PresetLike,
    convert: Callable[[Line], Line] | None = None,
    period: Period | None = None,
) -> Iterator[tuple[int, list[Any], Line | None, str]]:
    """(row_no, raw cells, Line or None, error reason) for each data row; FileError for the file.

    `convert` (e.g. `exchange.RateTable.convert`) is applied to each valid line and may reject it
    with a RowError like any other validation. `period` gives the year of yearless dates.
    """
    yield from read_statement(data, preset, period).lines(preset, convert)
