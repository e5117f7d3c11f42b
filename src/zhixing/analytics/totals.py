"""The file's own statement period and totals, found by the layout's rules in its preamble and footer (pure).

A layout may name, as regular expressions searched in the text of the lines around the data (each line's
cells joined by a space):
- `period_pattern` with two groups, the first and last day of the statement
  ('起始时间：\\[(\\S+).*终止时间：\\[(\\S+)'), or the year and month of a card statement
  ('(\\d{4})年(\\d{1,2})月': the month before and that month);
- `total_in_pattern`, `total_out_pattern`, `total_count_pattern` with one group each
  ('收入：\\d+笔\\s*([\\d,.]+)元', '人民币合计\\s+([\\d,.]+)', '共(\\d+)笔记录').
After an import the totals found are compared with what was read: the sum of income and of spending of
the valid lines (in the statement's currency, lines of ignored status left out) and the number of data
lines; a difference becomes a warning on the import.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .amounts import decimal_comma_of, parse_decimal
from .dates import DATE_FORMATS, Period
from .statement_errors import RowError
from .user_patterns import PatternError, compile_pattern

TOTALS = (
    ("total_in_pattern", "收入合计"),
    ("total_out_pattern", "支出合计"),
    ("total_count_pattern", "笔数"),
)


def check_regex(pattern: str, groups: int) -> None:
    """ValueError with a message for the form when the pattern is not a regex with that many groups
    (run by RE2, `user_patterns`: back-references and look-around are refused)."""
    try:
        compiled = compile_pattern(pattern)
    except PatternError as exc:
        raise ValueError(f"不是有效的正则表达式（不支持反向引用与环视）：{exc}") from None
    if compiled.groups != groups:
        raise ValueError(f"应恰有{groups}个括号分组（现有{compiled.groups}个）")


def _search(pattern: str, texts: Iterable[str], groups: int) -> Any:
    """The first match in the lines; None also for a pattern that is no longer valid (changed in admin)."""
    try:
        compiled = compile_pattern(pattern)
    except PatternError:
        return None
    if compiled.groups < groups:
        return None
    for text in texts:
        m = compiled.search(text)
        if m:
            return m
    return None


def _day(text: str) -> date | None:
    from datetime import datetime

    t = text.strip().strip("[]【】()（）")
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    return None


def _month(year: str, month: str) -> Period | None:
    """A card statement's month ("2024年01月"): its lines run from the month before to the month's end
    (the billing cycle starts in the previous month)."""
    # ASCII: str.isdigit() also takes "²", which int() refuses.
    if not (year.isascii() and year.isdigit() and len(year) == 4 and month.isascii() and month.isdigit()):
        return None
    if len(month) > 2 or not 1 <= int(month) <= 12:
        return None
    y, m = int(year), int(month)
    start = date(y - 1, 12, 1) if m == 1 else date(y, m - 1, 1)
    end = (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)) - timedelta(days=1)
    return start, end


def find_period(texts: list[str], preset: Any) -> Period | None:
    """The statement period written in the file, by the layout's `period_pattern`; None if absent.

    The two groups are the first and last day, or the year and month of a card statement's month."""
    pattern = getattr(preset, "period_pattern", "")
    if not pattern:
        return None
    m = _search(pattern, texts, 2)
    if not m:
        return None
    month = _month(m.group(1).strip(), m.group(2).strip())
    if month is not None:
        return month
    start, end = _day(m.group(1)), _day(m.group(2))
    if start is None or end is None or end < start:
        return None
    return start, end


def find_totals(texts: list[str], preset: Any) -> dict[str, Decimal | None]:
    """{field: the total written in the file, or None if the pattern found nothing} for each pattern set."""
    found: dict[str, Decimal | None] = {}
    comma = decimal_comma_of(preset)  # '1.234,56' on a layout with a decimal comma
    for name, label in TOTALS:
        pattern = getattr(preset, name, "")
        if not pattern:
            continue
        m = _search(pattern, texts, 1)
        try:
            found[name] = (
                abs(parse_decimal(m.group(1), label, decimal_comma=comma) or Decimal(0)) if m else None
            )
        except RowError:
            found[name] = None
    return found


def compare(found: dict[str, Decimal | None], total_in: Decimal, total_out: Decimal, count: int) -> list[str]:
    """Warnings, in Chinese, for each total of the file that differs from the import or is missing."""
    imported = {
        "total_in_pattern": total_in,
        "total_out_pattern": total_out,
        "total_count_pattern": Decimal(count),
    }
    warnings = []
    for name, label in TOTALS:
        if name not in found:
            continue
        value = found[name]
        mine = imported[name]
        shown = f"{int(mine)}" if name == "total_count_pattern" else f"{mine:,.2f}"
        if value is None:
            warnings.append(f"版式要求核对{label}，但文件中没有找到（已导入：{shown}）")
        elif value != mine:
            theirs = f"{int(value)}" if name == "total_count_pattern" else f"{value:,.2f}"
            warnings.append(
                f"{label}与文件不符：文件记载 {theirs}，实际读取 {shown}，请核对版式（收支方向、金额列）"
            )
    return warnings
