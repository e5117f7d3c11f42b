"""Parsing a custody bank's daily statement (CSV or Excel) with a layout (`statement_layouts`).

A file is accepted whole or rejected whole: every bad row (unknown date format, non-numeric amount,
more than 2 decimals, duplicate transaction id, control characters or over-long text) and a wrong
column set are reported with the row
number (as the finance officer sees it in the file: header = row 1) and the reason. No database here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from zhixing.core.money import FEN, MAX_AMOUNT, yuan

from . import statement_layouts as sl
from .formats import control_char

DEFAULT_MAPPING: dict[str, str] = dict(sl.DEFAULT_COLUMNS)
REQUIRED = ("txn_id", "date", "amount")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d")
# The days a custody account's statement line may carry: reconciliation looks days around a line,
# and a date at the calendar's ends (0001-01-01, 9999-12-31) has no day around it.
FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2099, 12, 31)


class StatementLine(NamedTuple):
    row: int
    txn_id: str
    value_date: date
    amount: Decimal  # signed: + money in, − money out
    payer_name: str = ""
    payer_account: str = ""
    to_account: str = ""
    memo: str = ""
    balance: Decimal | None = None


class StatementError(ValueError):
    """The file is rejected; `errors` lists (row, reason)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        shown = "；".join(f"第{r}行：{m}" for r, m in errors[:20])
        more = f"（另有{len(errors) - 20}处错误）" if len(errors) > 20 else ""
        super().__init__(f"对账单未导入，共{len(errors)}处错误：{shown}{more}")


def _date(value: Any, cache: dict[str, date] | None = None, fmt: str = "") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if cache is not None:
        hit = cache.get(text)
        if hit is None:
            hit = cache[text] = _date(text, None, fmt)
        return hit
    if fmt:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            shown = sl.DATE_FORMATS.get(fmt, fmt)
            raise ValueError(f"交易日期“{text}”不符合版式的日期格式{shown}") from None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for f in _DATE_FORMATS:
        try:
            return datetime.strptime(text, f).date()
        except ValueError:
            continue
    raise ValueError(f"无法识别的日期格式“{text}”（应为YYYY-MM-DD、YYYY/MM/DD或YYYYMMDD）")


_TEXT_LIMITS = {
    "txn_id": ("交易流水号", 128),
    "payer_name": ("对方户名", 128),
    "payer_account": ("对方账号", 64),
}
_TEXT_LIMITS |= {"to_account": ("收款子账号", 32), "memo": ("摘要", 200)}


def _day(value: Any, cache: dict[str, date], fmt: str) -> date:
    """A line's date (`_date`), within FIRST_DAY..LAST_DAY."""
    day = _date(value, cache, fmt)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"交易日期{day.isoformat()}超出可受理的范围（{FIRST_DAY}至{LAST_DAY}）")
    return day


def _text(value: Any, field: str) -> str:
    """A text cell: stripped, no control characters (PostgreSQL rejects NUL), within its column."""
    label, longest = _TEXT_LIMITS[field]
    text = str(value if value is not None else "").strip()
    bad = control_char(text)
    if bad:
        raise ValueError(f"“{label}”含有不允许的控制字符（{bad}）")
    if len(text) > longest:
        raise ValueError(f"“{label}”超过{longest}个字符")
    return text


def _money(value: Any, label: str) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    text = str(value if value is not None else "").strip().replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"{label}不是数字：“{text}”") from exc
    if not amount.is_finite():
        raise ValueError(f"{label}不是有限数值：“{text}”")
    if abs(amount) > MAX_AMOUNT:  # before quantize: 1e30 has no exact fen value in 28 digits
        raise ValueError(f"{label}超过上限{yuan(MAX_AMOUNT)}元：“{text[:40]}”")
    if amount != amount.quantize(FEN):
        raise ValueError(f"{label}超过两位小数：“{text}”")
    return amount.quantize(FEN)


def rows_from_file(content: bytes, filename: str, encoding: str = "") -> Iterable[list[Any]]:
    """Raw rows from CSV (UTF-8 / UTF-8-BOM / GBK, or the layout's `encoding`) or Excel (.xlsx).

    A file that is not what its name says (a broken workbook, a CSV cell past the csv module's field
    limit) is a `StatementError` naming the row, raised while the rows are read.
    """
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # zipfile, XML and openpyxl errors alike: the file is no workbook
            raise StatementError([(1, "文件不是有效的Excel .xlsx 工作簿")]) from exc
        if wb.active is None:
            raise StatementError([(1, "Excel 工作簿中没有工作表")])
        return _guarded((list(row) for row in wb.active.iter_rows(values_only=True)), "Excel 工作表已损坏")
    tried = {"utf-8": ("utf-8-sig",), "gbk": ("gb18030",)}.get(encoding, ("utf-8-sig", "gb18030"))
    for enc in tried:
        try:
            text = content.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        want = sl.ENCODINGS.get(encoding, encoding) if encoding else "UTF-8或GBK"
        raise StatementError([(1, f"文件编码无法识别（版式要求{want}的CSV，或Excel .xlsx）")])
    if "\x00" in text:
        raise StatementError([(1, "文件含有空字符（NUL），不是文本格式的CSV")])
    return _guarded(csv.reader(io.StringIO(text)), "CSV 格式错误")


def _guarded(rows: Iterable[list[Any]], what: str) -> Iterator[list[Any]]:
    """`rows`, with a reader's own error turned into a `StatementError` on the row it was reading."""
    n = 0
    try:
        for n, row in enumerate(rows, start=1):  # noqa: B007  (n names the failing row below)
            yield row
    except (csv.Error, ValueError, KeyError, OSError) as exc:
        raise StatementError([(n + 1, f"{what}（{str(exc)[:80]}）")]) from exc


def parse(
    rows: Iterable[list[Any]], mapping: Mapping[str, str] | None = None, spec: sl.LayoutSpec | None = None
) -> list[StatementLine]:
    """The statement's lines; `spec` is the layout (default: the platform's columns, with `mapping`
    overriding some of them). Rows above the layout's header row are skipped (a bank's title lines)."""
    if spec is None:
        spec = sl.LayoutSpec(columns={**DEFAULT_MAPPING, **(mapping or {})})
    columns = {f: c.strip() for f, c in spec.columns.items() if c and c.strip()}
    it = iter(rows)
    for _ in range(spec.header_row - 1):
        if next(it, None) is None:
            raise StatementError([(spec.header_row, f"文件不足{spec.header_row}行，找不到版式指定的表头行")])
    head_no = spec.header_row
    header = [str(h or "").strip() for h in next(it, [])]
    missing = [
        columns.get(f) or f"（版式未指定{sl.FIELD_LABELS[f]}列）"
        for f in spec.required()
        if not columns.get(f) or columns[f] not in header
    ]
    if missing:
        raise StatementError(
            [(head_no, f"列不符：缺少“{'、'.join(missing)}”列（现有列：{'、'.join(header) or '无'}）")]
        )
    idx = {f: header.index(col) for f, col in columns.items() if col in header}
    errors: list[tuple[int, str]] = []
    lines: list[StatementLine] = []
    seen: dict[str, int] = {}
    dates: dict[str, date] = {}  # a statement has few distinct dates: parse each once
    for n, row in enumerate(it, start=head_no + 1):
        if not any(str(c or "").strip() for c in row):
            continue
        cells = list(row) + [None] * (len(header) - len(row))

        def cell(f: str, cells: list[Any] = cells) -> Any:
            return cells[idx[f]] if f in idx else ""

        try:
            txn = _text(cell("txn_id"), "txn_id")
            if not txn:
                raise ValueError("交易流水号为空")
            if txn in seen:
                raise ValueError(f"交易流水号“{txn}”与第{seen[txn]}行重复")
            seen[txn] = n
            bal = cell("balance")
            lines.append(
                StatementLine(
                    row=n,
                    txn_id=txn,
                    value_date=_day(cell("date"), dates, spec.date_format),
                    amount=_signed_amount(cell, spec),
                    payer_name=_text(cell("payer_name"), "payer_name"),
                    payer_account=_text(cell("payer_account"), "payer_account"),
                    to_account=_text(cell("to_account"), "to_account"),
                    memo=_text(cell("memo"), "memo"),
                    balance=_money(bal, "余额") if bal not in (None, "") else None,
                )
            )
        except ValueError as exc:
            errors.append((n, str(exc)))
    if errors:
        raise StatementError(errors)
    return lines


def _signed_amount(cell: Any, spec: sl.LayoutSpec) -> Decimal:
    """The line's amount, + money in, − money out, as the layout's amount mode gives it."""
    if spec.amount_mode == sl.SPLIT:
        raw_in, raw_out = cell("in_amount"), cell("out_amount")
        got_in = _money(raw_in, "收入金额") if str(raw_in or "").strip() else Decimal("0.00")
        got_out = _money(raw_out, "支出金额") if str(raw_out or "").strip() else Decimal("0.00")
        if (got_in != 0) == (got_out != 0):
            raise ValueError("收入金额与支出金额应有且只有一个不为零")
        if got_in < 0 or got_out < 0:
            raise ValueError("收入金额、支出金额应为正数")
        return got_in - got_out
    amount = _money(cell("amount"), "金额")
    if spec.amount_mode != sl.DIRECTION:
        return amount
    way = str(cell("direction") or "").strip()
    if amount < 0:
        raise ValueError("金额应为正数（方向由收支方向列给出）")
    if way in spec.direction_in:
        return amount
    if way in spec.direction_out:
        return -amount
    allowed = "、".join((*spec.direction_in, *spec.direction_out))
    raise ValueError(f"收支方向“{way}”无法识别（应为{allowed}之一）")
