"""Fitting a layout to an export it was not written for (pure): the field changes that make it read it.

`column_meanings.for_layout` names the file's column for each column the layout lacks. A layout of
another bank usually differs in more than names, and the changes here complete the suggestion:

* **columns the file does not have** and that are not needed to read a line (time, counterparty, id,
  balance, status…) are cleared, so they are no longer required;
* **the amount's shape**: one amount column where the layout has income and spending columns, or the
  two columns where it has one amount; a direction column of the file (借贷, Credit/Debit) with its
  own words when the layout has none;
* **the date column** filled on every line, when the one named leaves some lines empty (a card's
  repayments without a transaction day: the posting date reads them);
* **the date format** when the file's dates do not read automatically: DD/MM/YYYY or MM/DD/YYYY
  (where both read, the one that keeps the statement in date order), DD.MM.YYYY, a date without a
  year (MM/DD);
* **the decimal mark** of the amounts (`decimal_marks`): a decimal comma ('-1.234,56') where the layout
  reads a decimal point, or the other way round;
* **which way a signed amount goes**, from the lines' own words (消费, PURCHASE, 还款, SALARY…) and,
  on a card statement (a transaction date beside a posting date) where the words do not decide, the
  sign most amounts carry is spending (most lines of a card are purchases: positive on Chinese
  exports, negative on US-style ones). All amounts of one sign with both kinds of words: the direction
  by keywords.

Like every suggestion these are offered, never applied by themselves: the user sees the rows read
with them before anything is imported.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from . import decimal_marks
from .amounts import clean, decimal_comma_of, parse_marked
from .column_meanings import MEANINGS, direction_words, for_layout
from .columns import column_key
from .dates import ANY_YEAR, is_yearless, parse_when
from .line_words import said_of
from .parsing import NAMED_COLUMNS, RowError, normalise_row
from .statement_errors import FileError

FIELDS = NAMED_COLUMNS
# Columns a line reads without: cleared when the file lacks them and no column of it means the same.
CLEARABLE = tuple(
    f for f in NAMED_COLUMNS if f not in ("date_column", "amount_column", "in_column", "out_column")
)
# Date patterns tried, in this order, when the file's dates do not read automatically.
DATE_GUESSES = (
    "DD/MM/YYYY",
    "MM/DD/YYYY",
    "DD.MM.YYYY",
    "DD-MMM-YYYY",
    "DD MMM YYYY",  # British exports: 05 Jan 2024
    "MM/DD",
    "MM-DD",
    "MM月DD日",
)
# A posting date beside the transaction date: what card statements have (a bank account has one date).
POSTING_NAMES = ("记账日", "记账日期", "入账日期", "银行记账日", "Posting Date", "Post Date", "Date Posted")
TRANSACTION_DATE_NAMES = ("交易日", "交易日期", "Transaction Date", "Trans Date")
# On a card, repaying is money in; the same word on a bank account is money out ("还款" is not in
# `line_words`: it says nothing until the account is known to be a card).
CARD_WORDS_IN = ("还款", "PAYMENT")
SAMPLE = 40  # records looked at


def fit(
    preset: Any,
    cols: dict[str, str],
    records: list[list[Any]],
    header: list[str],
    preamble: list[list[Any]] | None = None,
) -> dict[str, Any]:
    """Field → value that make `preset` read a file with this `header`, first `records` and the lines
    before the header (`preamble`)."""
    found: dict[str, Any] = for_layout(preset, cols, records, header)
    records = [r for r in records[:SAMPLE] if any(clean(c) for c in r)]
    at = {column_key(h): i for i, h in enumerate(header) if clean(h)}

    def column(field: str) -> str:
        return str(found.get(field, cols.get(field, "")) or "")

    def has(name: str) -> bool:
        return bool(name) and column_key(name) in at

    taken = {column_key(column(f)) for f in FIELDS if has(column(f))}

    def file_column(field: str) -> str:
        """The file's column named as this field usually is, not read for another field yet; for a
        direction column, else the first column whose every value is a direction word (CREDIT/DEBIT)."""
        for name in MEANINGS.get(field, ()):
            key = column_key(name)
            if key in at and key not in taken:
                return str(header[at[key]])
        if field == "direction_column":
            for key, i in at.items():
                if key not in taken and direction_words(clean(r[i]) for r in records if i < len(r)):
                    return str(header[i])
        return ""

    def values(name: str) -> list[Any]:
        i = at.get(column_key(name), -1)
        return [r[i] for r in records if 0 <= i < len(r)]

    _fit_amounts(found, column, has, file_column)
    for f in CLEARABLE:
        if column(f) and not has(column(f)):
            found[f] = ""
    if not has(column("direction_column")) and column("amount_column") and not column("in_column"):
        taken.discard(column_key(column("category_column")))  # a type column may be CREDIT/DEBIT
        name = file_column("direction_column")
        words = direction_words(clean(v) for v in values(name)) if name else None
        if name and words:
            found["direction_column"] = name
            for f, word in zip(("direction_in", "direction_out", "direction_neutral"), words, strict=True):
                found[f] = word
    day = column("date_column")
    posting = {column_key(n) for n in POSTING_NAMES}
    if has(day) and (not all(clean(v) for v in values(day)) or column_key(day) in posting):
        # The day the money moved, filled on every line: a transaction date before a posting date (a
        # card posts a purchase a day or two later), and a date column filled on every line where the
        # one named leaves some empty (a card's repayments have no transaction day).
        names = [
            *TRANSACTION_DATE_NAMES,
            *(n for n in MEANINGS["date_column"] if column_key(n) not in posting),
        ]
        if not all(clean(v) for v in values(day)):
            names += list(POSTING_NAMES)
        full = next(
            (
                str(header[at[column_key(n)]])
                for n in names
                if column_key(n) in at
                and column_key(n) != column_key(day)
                and all(clean(v) for v in values(n))
            ),
            "",
        )
        if full:
            found["date_column"] = full
    # the decimal mark of the amount columns as fitted ('-1.234,56' where the layout reads '1,234.56')
    amounts = {f: column(f) for f in decimal_marks.AMOUNT_FIELDS if has(column(f))}
    found.update(decimal_marks.suggest(preset, amounts, records, header))
    fmt = _date_format(getattr(preset, "date_format", ""), [clean(v) for v in values(column("date_column"))])
    if fmt is not None:
        found["date_format"] = fmt
    if is_yearless(found.get("date_format", getattr(preset, "date_format", ""))):
        rule = _period_rule([" ".join(clean(c) for c in r) for r in preamble or []], preset)
        if rule is not None:
            found["period_pattern"] = rule
    if column("amount_column") and not column("direction_column"):
        card = _is_card(header)
        found.update(_direction_by_words(preset, found, values, column, card))
    return found


def _fit_amounts(
    found: dict[str, Any],
    column: Callable[[str], str],
    has: Callable[[str], bool],
    file_column: Callable[[str], str],
) -> None:
    """One amount column, or income and spending columns, as the file has them."""
    if has(column("amount_column")) or (has(column("in_column")) and has(column("out_column"))):
        return
    file_in, file_out = file_column("in_column"), file_column("out_column")
    if file_in and file_out:
        found.update(in_column=file_in, out_column=file_out, amount_column="", direction_column="")
        return
    file_amount = file_column("amount_column")
    if file_amount:
        found.update(amount_column=file_amount, in_column="", out_column="")


def _date_format(current: str, dates: list[str]) -> str | None:
    """The pattern the file's dates need when the layout's (or automatic reading) fails; None to keep."""
    dates = [d for d in dates if d]
    if not dates or _parsed(current, dates) is not None:
        return None
    if current and _parsed("", dates) is not None:
        return ""
    # Several patterns may read every date (01/02 … 12/02): the one that keeps the statement in date
    # order wins, then the one whose dates span the shortest time (a statement covers weeks, not years).
    ranked: list[tuple[int, int, str]] = []
    for pattern in DATE_GUESSES:
        days = _parsed(pattern, dates)
        if days is None:
            continue
        rising = sum(a <= b for a, b in itertools.pairwise(days))
        order = max(rising, len(days) - 1 - rising)  # a statement runs forwards or backwards in time
        ranked.append((-order, (max(days) - min(days)).days, pattern))
    ranked.sort(key=lambda r: r[:2])
    if not ranked or (len(ranked) > 1 and ranked[0][:2] == ranked[1][:2]):
        return None
    return ranked[0][2]


# Where a statement states its period: two dates, or a card statement's month ("2024年01月").
PERIOD_RULES = (
    r"(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\D{1,20}?(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)",
    r"(\d{4})年(\d{1,2})月",
)


def _period_rule(texts: list[str], preset: Any) -> str | None:
    """A `period_pattern` that finds the period in these lines (the layout's own first); None if none."""
    from copy import copy

    from .totals import find_period

    for rule in (getattr(preset, "period_pattern", ""), *PERIOD_RULES):
        trial = copy(preset)
        trial.period_pattern = rule
        if rule and find_period(texts, trial) is not None:
            return None if rule == getattr(preset, "period_pattern", "") else rule
    return None


def _parsed(pattern: str, dates: list[str]) -> list[Any] | None:
    period = ANY_YEAR if is_yearless(pattern) else None
    try:
        return [parse_when(d, "", "日期", date_format=pattern, period=period) for d in dates]
    except RowError:
        return None


def sign_against_words(
    preset: Any, cols: dict[str, str], records: list[list[Any]], header: list[str], found: dict[str, Any]
) -> dict[str, Any]:
    """For a layout that reads the file as it is and takes the direction from the amount's sign alone:
    the `amount_sign` (or keywords) the lines' own words call for when they contradict it, as `fit`
    decides it (`_direction_by_words`); {} when they agree or the layout reads a direction otherwise.

    A layout saved for one card export (purchases positive) reads another issuer's (purchases negative)
    without a missing column, every line the wrong way: only the lines can tell."""
    amount = found.get("amount_column", cols.get("amount_column", ""))
    if not amount or found.get("direction_column", cols.get("direction_column", "")):
        return {}
    records = [r for r in records[:SAMPLE] if any(clean(c) for c in r)]
    at = {column_key(h): i for i, h in enumerate(header) if clean(h)}

    def column(field: str) -> str:
        return str(found.get(field, cols.get(field, "")) or "")

    def values(name: str) -> list[Any]:
        i = at.get(column_key(name), -1) if name else -1
        return [r[i] for r in records if 0 <= i < len(r)]

    return _direction_by_words(preset, found, values, column, _is_card(header))


def _is_card(header: list[str]) -> bool:
    """A transaction date beside a posting date: a card statement (a bank account has one date)."""
    keys = {column_key(h) for h in header}
    return bool(keys & {column_key(n) for n in POSTING_NAMES}) and bool(
        keys & {column_key(n) for n in TRANSACTION_DATE_NAMES}
    )


def _direction_by_words(
    preset: Any,
    found: dict[str, Any],
    values: Callable[[str], list[Any]],
    column: Callable[[str], str],
    card: bool,
) -> dict[str, Any]:
    """`amount_sign`, or keywords, that agree with what the lines' words say."""
    if found.get("direction_keywords_in", preset.direction_keywords_in) or found.get(
        "direction_keywords_out", preset.direction_keywords_out
    ):
        return {}
    amount_name = column("amount_column")
    comma = bool(found.get("decimal_comma", decimal_comma_of(preset)))
    texts = [
        " ".join(clean(x) for x in pair)
        for pair in zip(
            values(column("summary_column")) or [""] * len(values(amount_name)),
            values(column("category_column")) or [""] * len(values(amount_name)),
            strict=False,
        )
    ]
    signs: list[int] = []
    for raw in values(amount_name):
        try:
            amount = parse_marked(raw, amount_name, decimal_comma=comma)[0]
        except RowError:
            amount = None
        signs.append(0 if not amount else (1 if amount > 0 else -1))
    in_positive = out_positive = 0
    seen_in: list[str] = []
    seen_out: list[str] = []
    for sign, text in zip(signs, texts, strict=False):
        said, word = said_of(text, "")
        if card and not said:
            word = next((w for w in CARD_WORDS_IN if w.casefold() in text.casefold()), "")
            said = "in" if word else ""
        if not said or not sign:
            continue
        (seen_in if said == "in" else seen_out).append(word)
        if (said == "in") == (sign > 0):
            in_positive += 1
        else:
            out_positive += 1
    out: dict[str, Any] = {}
    if seen_in and seen_out and len({s for s in signs if s}) == 1:
        # Every amount has one sign and the words say both: the words decide.
        out["direction_text_column"] = column("summary_column") or column("category_column")
        out["direction_keywords_in"] = "|".join(dict.fromkeys(seen_in))
        out["direction_keywords_out"] = "|".join(dict.fromkeys(seen_out))
        return out
    convention = "in_positive"
    if out_positive > in_positive:
        convention = "out_positive"
    elif card and out_positive == in_positive:
        # The words do not decide (none, or as many each way): most lines of a card statement are
        # purchases, so the sign most amounts carry is spending. A US-style export writes purchases
        # negative and a return positive; a Chinese one purchases positive and a repayment negative.
        convention = "in_positive" if signs.count(-1) > signs.count(1) else "out_positive"
    if convention != (getattr(preset, "amount_sign", "") or "in_positive"):
        out["amount_sign"] = convention
    return out


def reads(layout: Any, header: list[str], records: list[tuple[int, list[Any]]]) -> int:
    """How many of the `records` (row number, cells) `layout` reads as the import would."""
    period = ANY_YEAR if is_yearless(getattr(layout, "date_format", "")) else None
    ok = 0
    for row_no, row in records:
        try:
            normalise_row(row_no, header, row, layout, period)
        except (RowError, FileError):
            continue
        ok += 1
    return ok
