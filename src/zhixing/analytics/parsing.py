"""Reading statement files through a layout preset into normalised rows (pure, no ORM).

`read_table` turns CSV/Excel/Parquet bytes into (line number, cells) rows after the header; `normalise_row`
validates one row against the preset and returns a `Line` or raises `RowError` with the reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from .columnar import ParquetError, is_parquet, parquet_rows

EMPTY = {"", "/", "-", "--", "—"}
STRIP = " \t\r\n¥￥\ufeff"
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%Y%m%d")
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%H%M%S")
CURRENCIES = {
    "人民币": "CNY",
    "cny": "CNY",
    "rmb": "CNY",
    "": "CNY",
    "美元": "USD",
    "美金": "USD",
    "usd": "USD",
    "港币": "HKD",
    "港元": "HKD",
    "hkd": "HKD",
    "欧元": "EUR",
    "eur": "EUR",
    "日元": "JPY",
    "jpy": "JPY",
    "英镑": "GBP",
    "gbp": "GBP",
}
ACCOUNT_TAIL = re.compile(r"^(.*?)\s*([0-9*]{6,})$")


class PresetLike(Protocol):
    file_format: str
    encoding: str
    delimiter: str
    header_row: int
    header_marker: str
    footer_prefixes: str
    date_column: str
    time_column: str
    amount_column: str
    in_column: str
    out_column: str
    direction_column: str
    direction_in: str
    direction_out: str
    direction_neutral: str
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


class FileError(ValueError):
    """The file as a whole cannot be read with this preset (encoding, missing header or column)."""


class RowError(ValueError):
    """One row is invalid; the message names the column and the reason."""


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


def options(text: str) -> list[str]:
    return [t.strip() for t in text.split("|") if t.strip()] if text else []


def clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip(STRIP)
    return "" if text in EMPTY or set(text) == {"-"} else text


def parse_decimal(value: Any, column: str) -> Decimal | None:
    """'1,234.56', '+10000.00', '¥28.16', '-' → Decimal or None; anything else is a row error."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = clean(value).replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise RowError(f"“{column}”不是有效金额：{value!r}") from None
    if not d.is_finite() or abs(d) >= Decimal("1e13"):
        raise RowError(f"“{column}”金额超出范围：{value!r}")
    return d.quantize(Decimal("0.01"))


def parse_when(day: Any, clock: Any, day_col: str) -> datetime:
    if isinstance(day, datetime):
        base = day
    elif isinstance(day, date):
        base = datetime.combine(day, time())
    else:
        text = clean(day)
        for fmt in DATE_FORMATS:
            try:
                base = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise RowError(f"“{day_col}”不是有效日期：{day!r}")
    t = clean(clock)
    if t:
        for fmt in TIME_FORMATS:
            try:
                parsed = datetime.strptime(t, fmt).time()
                return datetime.combine(base.date(), parsed)
            except ValueError:
                continue
        raise RowError(f"交易时间无效：{clock!r}")
    return base


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding or "utf-8-sig")
    except (UnicodeDecodeError, LookupError) as exc:
        raise FileError(
            f"文件不是 {encoding} 编码，请检查版式预设的字符编码（{exc.__class__.__name__}）"
        ) from None


def _raw_rows(data: bytes, preset: PresetLike) -> list[list[Any]]:
    if is_parquet(data):
        try:
            return parquet_rows(data)
        except ParquetError as exc:
            raise FileError(str(exc)) from None
    if preset.file_format == "xlsx":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise FileError(f"无法读取 Excel 文件：{exc.__class__.__name__}") from None
        return [list(r) for r in wb.active.iter_rows(values_only=True)] if wb.active else []
    text = _decode(data, preset.encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    return list(csv.reader(io.StringIO(text), delimiter=preset.delimiter or ","))


def read_table(
    data: bytes, preset: PresetLike
) -> tuple[list[str], list[tuple[int, list[Any]]], list[dict[str, Any]]]:
    """Header names, data rows with 1-based line numbers, and notes about skipped lines."""
    rows = _raw_rows(data, preset)
    header_idx = -1
    if is_parquet(data):
        header_idx = 0  # the column names; the preset's header row/marker describe text layouts
    elif preset.header_row:
        header_idx = preset.header_row - 1
    else:
        marker = preset.header_marker.strip()
        for i, row in enumerate(rows):
            if row and clean(row[0]) == marker:
                header_idx = i
                break
    if header_idx < 0 or header_idx >= len(rows):
        raise FileError(f"找不到表头（表头标志“{preset.header_marker}”），请确认文件与版式预设一致")
    header = [clean(h) for h in rows[header_idx]]
    for col in required_columns(preset):
        if col not in header:
            raise FileError(f"表头缺少列“{col}”（第{header_idx + 1}行）")
    footers = options(preset.footer_prefixes)
    body: list[tuple[int, list[Any]]] = []
    notes: list[dict[str, Any]] = []
    for i, row in enumerate(rows[header_idx + 1 :], start=header_idx + 2):
        if not any(clean(c) for c in row):
            continue  # blank line
        first = clean(row[0]) if row else ""
        if footers and any(first.startswith(f) for f in footers):
            notes.append({"row": i, "reason": f"表尾/合计行，已跳过：{first[:30]}", "level": "info"})
            continue
        body.append((i, row))
    return header, body, notes


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
    ):
        if extra:
            cols.append(extra)
    return [c for c in cols if c]


def _amount_and_direction(cell: dict[str, Any], preset: PresetLike) -> tuple[Decimal, str]:
    if preset.amount_column:
        amount = parse_decimal(cell.get(preset.amount_column), preset.amount_column)
        if amount is None:
            raise RowError(f"“{preset.amount_column}”为空")
        if preset.direction_column:
            raw = clean(cell.get(preset.direction_column))
            if raw in options(preset.direction_in):
                return abs(amount), "in"
            if raw in options(preset.direction_out):
                return -abs(amount), "out"
            if raw in options(preset.direction_neutral) or (
                not raw and "/" in options(preset.direction_neutral)
            ):
                return abs(amount), "neutral"
            raise RowError(f"“{preset.direction_column}”取值无法识别：{raw!r}")
        return amount, "in" if amount > 0 else ("out" if amount < 0 else "neutral")
    income = parse_decimal(cell.get(preset.in_column), preset.in_column)
    expense = parse_decimal(cell.get(preset.out_column), preset.out_column)
    if income is not None and expense is not None and income and expense:
        raise RowError(f"“{preset.in_column}”与“{preset.out_column}”同时有金额")
    if income:
        return abs(income), "in"
    if expense:
        return -abs(expense), "out"
    if income is None and expense is None:
        raise RowError(f"“{preset.in_column}”与“{preset.out_column}”均为空")
    return Decimal("0.00"), "neutral"


def normalise_row(row_no: int, header: list[str], row: list[Any], preset: PresetLike) -> Line:
    cell = {h: (row[i] if i < len(row) else None) for i, h in enumerate(header) if h}
    occurred = parse_when(
        cell.get(preset.date_column),
        cell.get(preset.time_column) if preset.time_column else None,
        preset.date_column,
    )
    amount, direction = _amount_and_direction(cell, preset)

    def get(col: str) -> str:
        return clean(cell.get(col)) if col else ""

    counterparty, account = get(preset.counterparty_column), get(preset.counterparty_account_column)
    if preset.split_account and counterparty:
        m = ACCOUNT_TAIL.match(counterparty)
        if m:
            counterparty, account = m.group(1).strip(), account or m.group(2)
    raw_currency = get(preset.currency_column)
    currency = preset.default_currency
    if raw_currency:
        currency = CURRENCIES.get(raw_currency.lower()) or (
            raw_currency.upper() if re.fullmatch(r"[A-Za-z]{3}", raw_currency) else ""
        )
    if not re.fullmatch(r"[A-Z]{3}", currency or ""):
        raise RowError(f"“{preset.currency_column}”币种无法识别：{raw_currency!r}")
    balance_text = get(preset.balance_column)
    balance = None
    if balance_text and not re.search(r"[xXyY*]", balance_text):
        balance = parse_decimal(balance_text, preset.balance_column)
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
    elif any(m in text for m in options(preset.refund_markers)):
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


def duplicate_key(line: Line) -> str:
    """Same transaction id on the same day with the same amount, or else the identical line.

    The amount is the one on the statement (the original currency), so a changed rate table does not
    make a re-imported line look new.
    """
    if line.txn_id:
        amount = line.original_amount if line.original_amount is not None else line.amount
        return f"id:{line.txn_id}|{line.occurred_at:%Y%m%d}|{amount}|{line.direction}"
    return f"line:{line.line_hash}"


def iter_lines(
    data: bytes, preset: PresetLike, convert: Callable[[Line], Line] | None = None
) -> Iterator[tuple[int, list[Any], Line | None, str]]:
    """(row_no, raw cells, Line or None, error reason) for each data row; FileError for the file.

    `convert` (e.g. `exchange.RateTable.convert`) is applied to each valid line and may reject it
    with a RowError like any other validation.
    """
    header, body, _ = read_table(data, preset)
    for row_no, row in body:
        try:
            line = normalise_row(row_no, header, row, preset)
            yield row_no, row, convert(line) if convert else line, ""
        except RowError as exc:
            yield row_no, row, None, str(exc)
