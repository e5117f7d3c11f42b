"""Which decimal mark a statement's amounts are written with, from the values of its amount columns (pure).

A layout reads amounts with a decimal point ('1,234.56') unless it says they have a decimal comma
(`decimal_comma`: '-1.234,56', '12,50', as German and most continental European exports write them).
Detection looks at the first records' amount, income, spending and balance cells: when every one of
them reads with the other mark and some do not read with the layout's, it suggests the other mark
(`suggest`). Cells that read either way ('1.234', '500', typed Excel numbers) decide nothing; a masked
balance ('xx,yyyy.zz') is not read by either.
"""

from __future__ import annotations

import re
from typing import Any

from .amounts import clean, decimal_comma_of, parse_marked
from .columns import same_word
from .statement_errors import RowError

AMOUNT_FIELDS = ("amount_column", "in_column", "out_column", "balance_column")
SAMPLE = 40  # records looked at
_MASKED = re.compile(r"[xXyY*]")


def _cells(columns: dict[str, str], records: list[list[Any]], header: list[str]) -> list[Any]:
    """The filled cells of the layout's amount and balance columns on the first records."""
    at = [
        i
        for f in AMOUNT_FIELDS
        if (name := columns.get(f, ""))
        for i in [next((k for k, h in enumerate(header) if same_word(h, name)), -1)]
        if i >= 0
    ]
    out: list[Any] = []
    for row in records[:SAMPLE]:
        for i in at:
            cell = row[i] if i < len(row) else None
            text = clean(cell)
            if text and not (isinstance(cell, str) and _MASKED.search(text)):
                out.append(cell)
    return out


def _all_read(cells: list[Any], decimal_comma: bool) -> bool:
    for cell in cells:
        try:
            parse_marked(cell, "金额", decimal_comma=decimal_comma)
        except RowError:
            return False
    return True


def suggest(
    preset: Any, columns: dict[str, str], records: list[list[Any]], header: list[str]
) -> dict[str, Any]:
    """{"decimal_comma": the other mark} when the amounts of the first `records` all read with it and
    some do not with the layout's own; {} otherwise. `columns` maps layout fields to the file's columns
    (the layout's, with any suggested ones)."""
    cells = _cells(columns, records, header)
    current = decimal_comma_of(preset)
    if cells and not _all_read(cells, current) and _all_read(cells, not current):
        return {"decimal_comma": not current}
    return {}


def reason(decimal_comma: bool) -> str:
    """Why the suggestion is made, in the page's words."""
    if decimal_comma:
        return (
            "文件的金额以逗号作小数点（如“-1.234,56”“12,50”），该版式按小数点读取："
            "建议勾选“金额以逗号作小数点”"
        )
    return "文件的金额以小数点书写（如“1,234.56”），该版式按逗号作小数点读取：建议取消“金额以逗号作小数点”"
