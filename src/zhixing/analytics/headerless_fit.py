"""Describing a statement export that has no header line (pure): its columns told apart by content.

Some exports (a Canadian bank's CSV: date, description, withdrawal, deposit, balance) start with the
first transaction. No layout matches them by name, so detection had nothing to propose and the user
had to number the columns by hand. `fit` reads the file's first records and says, by what the cells
hold, which column is what:

* the **date**: the first column whose every cell reads as a date, with the format it needs
  (`layout_fit`'s guesses: DD/MM vs MM/DD by date order, then by span); a time column beside it; for
  a date without a year, the statement period as the title states it ("2024年01月");
* **money**: columns whose every filled cell is an amount (with decimals somewhere: an account or
  reference number is not money), with a decimal point or, where that finds more, a decimal comma
  ('-1.234,56', `decimal_comma`). Two columns never filled on the same line are income and
  spending; a column filled on every line after the amount is the balance; an amount column whose
  cells carry 借/贷 or DR/CR marks is read by its marks;
* **which way the money goes**: the balance decides where the file has one (each line's balance is
  the one before plus income or minus spending, in file order or in reverse); else the lines'
  words (`line_words`: 工资, SALARY, PAYMENT…); else, for the two columns, the order most exports
  use (spending first, as in "Withdrawals, Deposits") — said so in the reasons;
* the **description**: the text column with the most to say (the longest cells), read as the
  summary; a column of currency codes as the currency.

The result is a set of layout field changes (`headerless`, lines to skip, numbered columns) offered
as a suggestion: the user sees the rows read with it before anything is imported.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from .amounts import CURRENCIES, clean, parse_marked
from .dates import is_yearless
from .file_rows import FileRows
from .layout_fit import _date_format, _parsed, _period_rule
from .line_words import said_of
from .parsing import NAMED_COLUMNS, RowError

MAX_SKIP = 10  # lines looked at for the first record (a title or an account line before the data)
SAMPLE = 40  # records classified
MIN_RECORDS = 2  # fewer records than this say too little about the columns
TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
# Columns a headerless fit sets; every other column field of the layout is emptied (the file has no names).
SET_BY_FIT = ("date_column", "time_column", "amount_column", "in_column", "out_column", "balance_column")


@dataclass
class Fitted:
    """A headerless description of the file: the layout changes and how they were chosen."""

    skip: int  # lines before the first record
    width: int  # columns of a record
    changes: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


def fit_file(rows: FileRows, own: str, delimiters: tuple[str, ...]) -> tuple[list[list[Any]], Fitted] | None:
    """The file's rows and its headerless description, split by the layout's delimiter `own` or else
    by the first of `delimiters` that describes it (the change then says which); worked out once per
    file and delimiter (`rows.derived`), since it is the same for every layout that splits alike."""
    for delimiter in (own, *(d for d in delimiters if d != own)) if rows.kind == "csv" else (own,):
        key = f"headerless:{delimiter}"
        if key not in rows.derived:
            table = rows.rows(delimiter)
            rows.derived[key] = (table, fit(table))
        table, fitted = rows.derived[key]
        if fitted is not None:
            if delimiter != own:
                fitted = copy.deepcopy(fitted)
                fitted.changes["delimiter"] = delimiter
            return table, fitted
    return None


def fit(table: list[list[Any]]) -> Fitted | None:
    """The headerless description of a file whose rows (split by the layout's delimiter) are `table`;
    None when its first lines do not look like records (a date and an amount on each), or when a line
    as wide as the records stands above them (a header, which names the columns better)."""
    for skip in range(min(MAX_SKIP, len(table))):
        first = table[skip]
        if not any(clean(c) for c in first):
            continue
        width = len(first)
        filled = [r for r in table[skip : skip + SAMPLE] if any(clean(c) for c in r)]
        records = _same_width(filled, width)
        if len(records) < MIN_RECORDS or width < 2:
            continue
        before: list[Any] = next((r for r in reversed(table[:skip]) if any(clean(c) for c in r)), [])
        if abs(len(before) - width) <= 1 and sum(bool(clean(c)) for c in before) * 2 >= width - 1:
            # a line of names above records of its width (one more or less: a trailing delimiter on
            # the records or on the header): a header, read by its names
            return None
        got = _describe(records, width, table[:skip])
        if got is not None:
            got.skip = skip
            got.changes["header_row"] = skip
            return got
    return None


def _same_width(rows: list[list[Any]], width: int) -> list[list[Any]]:
    """The rows up to the first of another width (a footer or a total after the records)."""
    return list(itertools.takewhile(lambda r: len(r) == width, rows))


def _column(records: list[list[Any]], i: int) -> list[str]:
    return [clean(r[i]) for r in records]


def _date_column(records: list[list[Any]], width: int) -> tuple[int, str] | None:
    """(column, date format) of the first column whose every cell reads as a date."""
    for i in range(width):
        cells = _column(records, i)
        if not all(cells) or any(TIME.fullmatch(c) for c in cells):
            continue
        if _parsed("", cells) is not None:
            return i, ""
        fmt = _date_format("", cells)
        if fmt:
            return i, fmt
    return None


def _money(cells: list[str], decimal_comma: bool = False) -> tuple[list[Decimal | None], bool] | None:
    """The column's amounts (None where empty; a '35.00 DR'/'贷 12.00' cell signed by its mark) and
    whether any cell carries such a mark, or None if it is not a money column. `decimal_comma`: the
    amounts are read as '-1.234,56'."""
    out: list[Decimal | None] = []
    decimals = marked = False
    for c in cells:
        if not c:
            out.append(None)
            continue
        try:
            amount, _unit, mark = parse_marked(c, "金额", decimal_comma=decimal_comma)
        except RowError:
            return None
        if amount is None:
            return None
        decimals = decimals or ("," if decimal_comma else ".") in c
        marked = marked or bool(mark)
        out.append(-amount if mark == "out" else amount)
    return (out, marked) if decimals and any(a is not None for a in out) else None


def _describe(records: list[list[Any]], width: int, preamble: list[list[Any]]) -> Fitted | None:
    dated = _date_column(records, width)
    if dated is None:
        return None
    day, fmt = dated
    fitted = Fitted(skip=0, width=width)
    ch = fitted.changes
    ch.update(dict.fromkeys(NAMED_COLUMNS, ""))
    ch.update(headerless=True, header_marker="", date_column=str(day + 1), date_format=fmt, time_format="")
    ch.update(direction_keywords_in="", direction_keywords_out="", direction_text_column="")
    ch.update(amount_sign="in_positive", split_account=False)
    taken = {day}
    for i in range(width):
        cells = _column(records, i)
        if i not in taken and all(cells) and all(TIME.fullmatch(c) for c in cells):
            ch["time_column"] = str(i + 1)
            taken.add(i)
            break
    read: dict[int, tuple[list[Decimal | None], bool]] = {}
    for comma in (False, True):  # the decimal mark that finds more money columns ('-1.234,56': a comma)
        found = {i: m for i in range(width) if i not in taken and (m := _money(_column(records, i), comma))}
        if len(found) > len(read):
            read, ch["decimal_comma"] = found, comma
    if not read:
        return None
    money = {i: amounts for i, (amounts, _) in read.items()}
    marked = {i for i, (_, has_marks) in read.items() if has_marks}
    texts = [i for i in range(width) if i not in taken and i not in money]
    summary = _summary(records, texts)
    words = [said_of(clean(r[summary]), "")[0] if summary is not None else "" for r in records]
    if not _amounts(fitted, records, money, marked, words):
        return None
    if is_yearless(fmt):
        # a date without a year: the year comes from the statement period the title states
        rule = _period_rule(
            [" ".join(clean(c) for c in r) for r in preamble], SimpleNamespace(period_pattern="")
        )
        if rule:
            ch["period_pattern"] = rule
    if summary is not None:
        ch["summary_column"] = str(summary + 1)
    for i in texts:
        cells = [c for c in _column(records, i) if c]
        if i != summary and cells and all(c.lower() in CURRENCIES for c in cells):
            ch["currency_column"] = str(i + 1)
            break
    shown = (*SET_BY_FIT, "summary_column", "currency_column")
    named = "，".join(f"第{v}列{_LABELS[f]}" for f in shown if (v := ch.get(f)))
    fitted.reasons.insert(0, f"文件没有表头：按内容，{named}")
    return fitted


_LABELS = {
    "date_column": "为日期",
    "time_column": "为时间",
    "amount_column": "为金额",
    "in_column": "为收入",
    "out_column": "为支出",
    "balance_column": "为余额",
    "summary_column": "为摘要",
    "currency_column": "为币种",
}


def _summary(records: list[list[Any]], texts: list[int]) -> int | None:
    """The text column with the most to say: the longest cells on average (ties: the first)."""
    best, best_len = None, 0.0
    for i in texts:
        cells = _column(records, i)
        if all(c.lower() in CURRENCIES for c in cells):
            continue
        avg = sum(len(c) for c in cells) / len(cells)
        if avg > best_len:
            best, best_len = i, avg
    return best


def _amounts(
    fitted: Fitted,
    records: list[list[Any]],
    money: dict[int, list[Decimal | None]],
    marked: set[int],
    words: list[str],
) -> bool:
    """Set the amount columns (one signed amount, or income and spending) and the balance. A column
    whose cells carry 借/贷 or DR/CR marks is one amount: the reader takes each line's way from its mark."""
    ch = fitted.changes
    full = [i for i, m in money.items() if all(a is not None for a in m)]
    pair = None if marked else _pair(money, len(records))
    balance = None
    if pair is not None:
        balance = next((i for i in full if i > max(pair)), None)
        a, b = pair
        flows = [(money[a][k] or Decimal(0), money[b][k] or Decimal(0)) for k in range(len(records))]
        # Hypothesis "a is spending": the signed flow is b - a.
        signed = [y - x for x, y in flows]
        order = _by_balance(signed, money[balance]) if balance is not None else 0
        why = "余额"
        if order == 0:
            order, why = _by_words(signed, words), "摘要中的收支用语"
        out_col, in_col = (a, b) if order >= 0 else (b, a)
        ch.update(in_column=str(in_col + 1), out_column=str(out_col + 1))
        if order == 0:
            fitted.reasons.append("收入、支出两列无从区分，按多数流水的列序（先支出后收入）读取，请核对")
        else:
            fitted.reasons.append(f"收入、支出两列按{why}区分")
    else:
        amount = next((i for i in money if i not in full or len(full) == 1 or i == min(full)), None)
        amount = min(marked) if marked else amount
        if amount is None:
            return False
        ch["amount_column"] = str(amount + 1)
        balance = next((i for i in full if i > amount and i not in marked), None)
        if amount in marked:
            if balance is not None:
                ch["balance_column"] = str(balance + 1)
            fitted.reasons.append("金额带借贷标记（借/贷、DR/CR），按标记判断收支")
            return True
        signed = [a or Decimal(0) for a in money[amount]]
        order = _by_balance(signed, money[balance]) if balance is not None else 0
        why = "余额"
        if order == 0:
            order, why = _by_words(signed, words), "摘要中的收支用语"
        if order < 0:
            ch["amount_sign"] = "out_positive"
        if order != 0:
            fitted.reasons.append(f"金额正负按{why}判断：" + ("正数为收入" if order > 0 else "正数为支出"))
    if balance is not None:
        ch["balance_column"] = str(balance + 1)
    return True


def _pair(money: dict[int, list[Decimal | None]], n: int) -> tuple[int, int] | None:
    """Two money columns never filled on the same line, one of them filled on each line."""
    for a, b in itertools.combinations(sorted(money), 2):
        ma, mb = money[a], money[b]
        if all((ma[k] is None) != (mb[k] is None) for k in range(n)):
            return a, b
    return None


def _by_balance(signed: list[Decimal], balances: list[Decimal | None]) -> int:
    """+1 when the balance moves by `signed` (in file order or in reverse), -1 when by its negative,
    0 when the balance says neither (too few lines agree)."""
    votes: Counter[int] = Counter()
    for k in range(1, len(signed)):
        before, after = balances[k - 1], balances[k]
        if before is None or after is None:
            continue
        step = after - before
        # forwards: this line moved the balance; backwards (newest first): the line before did
        for flow in (signed[k], -signed[k - 1]):
            if flow and step == flow:
                votes[1] += 1
            elif flow and step == -flow:
                votes[-1] += 1
    if not votes or votes[1] == votes[-1]:
        return 0
    sign, count = votes.most_common(1)[0]
    return sign if count * 2 > len(signed) - 1 else 0


def _by_words(signed: list[Decimal], words: list[str]) -> int:
    """+1 when the lines' words agree with `signed` (positive is income), -1 when they disagree."""
    agree = disagree = 0
    for flow, said in zip(signed, words, strict=True):
        if not flow or not said:
            continue
        if (said == "in") == (flow > 0):
            agree += 1
        else:
            disagree += 1
    return (agree > disagree) - (disagree > agree)
