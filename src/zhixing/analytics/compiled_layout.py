"""A layout compiled once per file into a fast reader of the common cell shapes (pure, no ORM).

`parsing.normalise_row` interprets the layout afresh for every line: it maps the header, cleans every
cell through the general readers (NFKC, currency symbols, notes in brackets, debit/credit marks, a list
of date formats) and raises `RowError` on anything odd. That is what a statement needs at its edges and
costs ~300 µs a line in the import. `compile_layout` resolves the layout against the file's header once
(column positions, sign convention, direction words, markers, date and time patterns) and returns a
reader that handles the shapes nearly every line of an export has — a plain or thousands-grouped amount,
`YYYY-MM-DD`/`YYYY/MM/DD`/`YYYYMMDD` dates with or without `HH:MM:SS`, direction words seen before —
and returns None for any line it is not certain of. The caller then reads that line with
`normalise_row`, so each line gets exactly the `Line` (or the `RowError` naming row and field) the
per-line reader gives; `tests/analytics/test_compiled_layout.py` imports every fixture both ways.

A layout the compiled reader does not express at all (a file format with typed cells such as Excel,
a date pattern outside `FAST_DATE_FORMATS`, a period for yearless dates, amounts with a decimal comma)
gets None from `compile_layout`, and every line is read per line as before.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from .amounts import EMPTY, LIMIT, STRIP, currency_code
from .columns import column_key, same_word
from .directions import options

CENT = Decimal("0.01")
# amounts as nearly every export writes them: '-12.50', '+1234', '¥28.16', '1,234.56' (groups of three)
_AMOUNT = re.compile(r"([-+]?)[¥￥]?(\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?)")
_PAD = " \t\r\n\ufeff"  # what `parse_amount` strips around a cell
DEFER = object()  # the cell has a shape only the per-line reader reads
# the automatic formats (dates.DATE_FORMATS) read a time after a dashed or slashed date, not after YYYYMMDD
_DATE = {
    "": re.compile(
        r"(\d{4})([-/])(\d{2})\2(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?|(\d{4})()(\d{2})(\d{2})()()()"
    ),
    "YYYY-MM-DD": re.compile(r"(\d{4})(-)(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?"),
    "YYYY/MM/DD": re.compile(r"(\d{4})(/)(\d{2})/(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?"),
    "YYYY-MM-DD HH:mm:ss": re.compile(r"(\d{4})(-)(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))"),
    "YYYY/MM/DD HH:mm:ss": re.compile(r"(\d{4})(/)(\d{2})/(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))"),
    "YYYYMMDD": re.compile(r"(\d{4})()(\d{2})(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?"),
}
FAST_DATE_FORMATS = tuple(_DATE)
_TIME = {
    "": re.compile(r"(\d{2}):(\d{2}):(\d{2})|(\d{2})(\d{2})(\d{2})"),
    "HH:mm:ss": re.compile(r"(\d{2}):(\d{2}):(\d{2})()()()"),
    "HHmmss": re.compile(r"()()()(\d{2})(\d{2})(\d{2})"),
}
_MASKED = re.compile(r"[xXyY*]")
_CURRENCY = re.compile(r"[A-Z]{3}")
MEMO = 200_000  # distinct cells remembered per file, so a huge file does not grow without bound
ACCOUNT_TAIL = re.compile(r"^(.*?)\s*([0-9*]{6,})$")

Reader = Callable[[int, list[Any]], Any]


def clean_text(value: str) -> str:
    """`amounts.clean` for a text cell (the only kind a CSV has)."""
    text = value.strip(STRIP)
    return "" if text in EMPTY or (text[:1] == "-" and not text.strip("-")) else text


def _amount(text: str) -> Decimal | None:
    """`amounts.parse_amount` for a plain or grouped number; None when the cell has any other shape."""
    m = _AMOUNT.fullmatch(text)
    if m is None:
        return None
    d = Decimal(m.group(2).replace(",", ""))
    if m.group(1) == "-":
        d = -d
    if abs(d) >= LIMIT:
        return None
    return d.quantize(CENT)


def _amount_cell(value: Any) -> Any:
    """`parse_amount(value)[0]` for an empty or plain amount cell; DEFER for any other cell."""
    if type(value) is not str:
        return None if value is None else DEFER
    text = value.strip(_PAD)
    if clean_text(text) == "":
        return None
    amount = _amount(text)
    return DEFER if amount is None else amount


def _position(header: list[str], col: str) -> int | None:
    """The cell index `normalise_row` reads for a named column (the last header cell of that name)."""
    if not col:
        return None
    key = column_key(col)
    found = None
    for i, h in enumerate(header):
        if h and column_key(h) == key:
            found = i
    return found


def compile_layout(header: list[str], preset: Any) -> Reader | None:
    """A reader `(row_no, cells) → Line | None` for this header under this layout, or None when the
    layout needs a feature only the per-line reader has (the caller then reads every line per line)."""
    from .parsing import Line  # the dataclass; parsing imports this module lazily too

    date_format = (getattr(preset, "date_format", "") or "").strip()
    time_format = (getattr(preset, "time_format", "") or "").strip()
    if date_format not in _DATE or time_format not in _TIME:
        return None
    if getattr(preset, "file_format", "csv") not in ("csv", "", None):
        return None
    if getattr(preset, "decimal_comma", False):  # '1,250' is 1.25 there: the per-line reader reads it
        return None
    date_re, time_re = _DATE[date_format], _TIME[time_format]
    at = {f: _position(header, getattr(preset, f, "") or "") for f in (
        "date_column", "time_column", "amount_column", "in_column", "out_column", "direction_column",
        "direction_text_column", "counterparty_column", "counterparty_account_column", "merchant_column",
        "summary_column", "category_column", "currency_column", "balance_column", "txn_id_column",
        "status_column",
    )}  # fmt: skip
    if at["date_column"] is None:
        return None
    default_currency = preset.default_currency
    ignored, reversal, refund = (
        options(preset.ignored_statuses),
        options(preset.reversal_markers),
        options(preset.refund_markers),
    )
    kw_in, kw_out = options(preset.direction_keywords_in), options(preset.direction_keywords_out)
    keyword_col = preset.direction_text_column or preset.summary_column
    keyword_at = _position(header, keyword_col) if keyword_col else None
    out_positive = getattr(preset, "amount_sign", "in_positive") == "out_positive"
    words: dict[str, str | None] = {}
    seen: dict[str, str] = {}
    currencies: dict[str, str] = {}

    def said(raw: str, words: str) -> bool:
        return any(same_word(raw, w) for w in options(words))

    def word(raw: str) -> str | None:
        if raw not in words:
            if said(raw, preset.direction_in):
                words[raw] = "in"
            elif said(raw, preset.direction_out):
                words[raw] = "out"
            elif said(raw, preset.direction_neutral) or (
                not raw and "/" in options(preset.direction_neutral)
            ):
                words[raw] = "neutral"
            else:
                words[raw] = None  # the per-line reader words the error
        return words[raw]

    def text(i: int | None, cells: list[str]) -> str:
        return cells[i] if i is not None and i < len(cells) else ""

    def amount_direction(row: list[Any], cells: list[str]) -> tuple[Decimal, str] | None:
        if preset.amount_column:
            i = at["amount_column"]
            amount = _amount_cell(row[i] if i is not None and i < len(row) else None)
            if amount is None or amount is DEFER:
                return None
            if preset.direction_column:
                d = word(text(at["direction_column"], cells))
                if d is None:
                    return None
                return (-abs(amount), d) if d == "out" else (abs(amount), d)
            if kw_in or kw_out:
                t = text(keyword_at, cells)
                has_in = any(w in t for w in kw_in)
                has_out = any(w in t for w in kw_out)
                if has_in == has_out:
                    return None
                return (abs(amount), "in") if has_in else (-abs(amount), "out")
            if out_positive:
                amount = -amount
            return amount, "in" if amount > 0 else ("out" if amount < 0 else "neutral")
        i, o = at["in_column"], at["out_column"]
        income = _amount_cell(row[i] if i is not None and i < len(row) else None)
        expense = _amount_cell(row[o] if o is not None and o < len(row) else None)
        if income is DEFER or expense is DEFER:
            return None
        if income and expense:
            return None
        if income:
            return abs(income), "in"
        if expense:
            return -abs(expense), "out"
        if income is None and expense is None:
            return None
        return Decimal("0.00"), "neutral"

    def red_ink(row: list[Any]) -> bool:
        for i in (at["in_column"], at["out_column"]):
            value = _amount_cell(row[i] if i is not None and i < len(row) else None)
            if isinstance(value, Decimal) and value < 0:
                return True
        return False

    def read(row_no: int, row: list[Any]) -> Any:
        cells = []
        for c in row:  # `clean` of every cell, remembered per distinct cell (exports repeat most cells)
            t = seen.get(c)
            if t is None:
                if type(c) is not str:
                    return None
                if len(seen) > MEMO:
                    seen.clear()
                t = seen[c] = clean_text(c)
            cells.append(t)
        canon = "\x1f".join(cells)
        day = text(at["date_column"], cells)
        m = date_re.fullmatch(day)
        if m is None:
            return None
        groups = m.groups()
        y, _, mo, d, hh, mm, ss = groups[:7] if groups[0] is not None else groups[7:]
        if not hh:
            hh = None
        if hh is not None:
            base = datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss))
        else:
            base = datetime(int(y), int(mo), int(d))
        if preset.time_column:
            t = text(at["time_column"], cells)
            if t:
                tm = time_re.fullmatch(t)
                if tm is None:
                    return None
                h, mi, sec = (tm[1], tm[2], tm[3]) if tm[1] else (tm[4], tm[5], tm[6])
                base = datetime.combine(base.date(), time(int(h), int(mi), int(sec)))
        found = amount_direction(row, cells)
        if found is None:
            return None
        amount, direction = found
        counterparty = text(at["counterparty_column"], cells)
        account = text(at["counterparty_account_column"], cells)
        if preset.split_account and counterparty:
            acc = ACCOUNT_TAIL.match(counterparty)
            if acc:
                counterparty, account = acc.group(1).strip(), account or acc.group(2)
        raw_currency = text(at["currency_column"], cells)
        currency = default_currency
        if raw_currency:
            if raw_currency not in currencies:
                currencies[raw_currency] = currency_code(raw_currency)
            currency = currencies[raw_currency]
        if not _CURRENCY.fullmatch(currency or ""):
            return None
        balance_text = text(at["balance_column"], cells)
        balance = None
        if balance_text and not _MASKED.search(balance_text):
            balance = _amount(balance_text)
            if balance is None:
                return None
        summary, category = text(at["summary_column"], cells), text(at["category_column"], cells)
        status = text(at["status_column"], cells)
        kind = "normal"
        if status and status in ignored:
            kind = "ignored"
        elif reversal or refund:
            marked = f"{summary} {category}"
            if any(m in marked for m in reversal):
                kind = "reversal"
                if not preset.amount_column and red_ink(row):  # as parsing.normalise_row: 红字冲正
                    amount, direction = -amount, ("in" if direction == "out" else "out")
            elif direction != "neutral" and any(m in marked for m in refund):
                kind, direction, amount = "refund", "in", abs(amount)
        return Line(
            row_no=row_no,
            occurred_at=base,
            amount=amount,
            currency=currency,
            direction=direction,
            kind=kind,
            counterparty=counterparty[:200],
            counterparty_account=account[:64],
            merchant=text(at["merchant_column"], cells)[:200],
            summary=summary[:200],
            category=category[:64],
            balance=balance,
            txn_id=text(at["txn_id_column"], cells)[:80],
            status=status[:32],
            line_hash=hashlib.sha256(canon.encode("utf-8")).hexdigest(),
        )

    return read
