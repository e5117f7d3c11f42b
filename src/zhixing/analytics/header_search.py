"""Where a statement's header is, and whether its format agrees with a layout (pure; `detection` scores).

`best_header` finds the row that names most of the columns wanted (compared as `normalise_name` does:
width, spaces and case ignored; a name also without a currency at its end, "Withdrawals (SGD)"),
`header_by_delimiter` tries the common delimiters when the layout's own finds fewer, `format_points`
scores the file's format and encoding against the layout's (and says what to adjust), and
`locate_header` makes the layout's header row or marker point at the header found.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from . import column_meanings
from .file_rows import FileRows, decodes
from .parsing import clean

DELIMITERS = (",", "\t", ";", "|")
DELIMITER_NAMES = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线"}


def normalise_name(text: Any) -> str:
    """A header name compared across exports: full-width → half-width (NFKC), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", clean(text)).split()).lower()


def best_header(rows: list[list[Any]], wanted: set[str]) -> tuple[int, dict[str, str]]:
    """(0-based index, normalised → file spelling) of the row naming most wanted columns; -1 if none."""
    best, best_hits, best_map = -1, 0, {}
    for i, row in enumerate(rows):
        spelled = {normalise_name(c): clean(c) for c in row if clean(c)}
        for c in row:  # "Withdrawals (SGD)" also by its name without the currency
            bare = normalise_name(column_meanings.unit_of(clean(c))[0]) if clean(c) else ""
            if bare:
                spelled.setdefault(bare, clean(c))
        hits = len(wanted & spelled.keys())
        if hits > best_hits:
            best, best_hits, best_map = i, hits, spelled
    return best, best_map


def header_by_delimiter(
    preset: Any, rows: FileRows, wanted: set[str], reasons: list[str], adjustments: dict[str, Any]
) -> tuple[list[list[Any]], int, dict[str, str]]:
    """The header found with the layout's delimiter, or with another common one (tab, semicolon, bar,
    comma) when that finds more of the layout's columns: the adjustment says which."""
    own = getattr(preset, "delimiter", ",") or ","
    table = rows.rows(own)
    idx, spelled = best_header(table, wanted)
    if rows.kind != "csv" or len(wanted & spelled.keys()) == len(wanted):
        return table, idx, spelled
    for other in DELIMITERS:
        if other == own:
            continue
        t = rows.rows(other)
        i, sp = best_header(t, wanted)
        if len(wanted & sp.keys()) > len(wanted & spelled.keys()):
            table, idx, spelled = t, i, sp
            adjustments["delimiter"] = other
    if "delimiter" in adjustments:
        name = DELIMITER_NAMES.get(adjustments["delimiter"], adjustments["delimiter"])
        reasons.append(f"文件以{name}分隔各列，版式为{DELIMITER_NAMES.get(own, own)}，按文件读取")
    return table, idx, spelled


def format_points(preset: Any, rows: FileRows, reasons: list[str], adjustments: dict[str, Any]) -> float:
    """Up to 10 points: the file format and the encoding agree with the layout."""
    points = 0.0
    fmt = getattr(preset, "file_format", "csv")
    if rows.kind == "parquet" or rows.kind == fmt:
        points += 5
    else:
        # Excel is recognised by content whatever the layout says, but a text file under an Excel
        # layout would be read as Excel (`tables.file_kind`): store the format the file has.
        reasons.append(f"文件格式为 {rows.kind}，版式为 {fmt}")
        adjustments["file_format"] = rows.kind
    if rows.kind != "csv":
        return points + 5
    if decodes(rows.data, getattr(preset, "encoding", "utf-8")):
        points += 5
    elif rows.encoding:
        reasons.append(f"文件编码为 {rows.encoding}，版式为 {preset.encoding}，按 {rows.encoding} 读取")
        adjustments["encoding"] = rows.encoding
    else:
        reasons.append("无法识别文件的字符编码")
    return points


def locate_header(
    preset: Any, table: list[list[Any]], idx: int, adjustments: dict[str, Any], reasons: list[str]
) -> None:
    """Make the layout's header row or marker point at the header found (`idx`, 0-based)."""
    row_no = getattr(preset, "header_row", 0)
    if row_no:
        if row_no != idx + 1:
            adjustments["header_row"] = idx + 1
            reasons.append(f"版式的表头行号为{row_no}，文件表头在第{idx + 1}行")
        return
    marker = clean(getattr(preset, "header_marker", ""))
    first = clean(table[idx][0]) if table[idx] else ""
    if marker == first:
        return
    # The marker is compared exactly by the reader: take the file's first header cell, unless an
    # earlier preamble line starts with the same text (then the row number is the safe locator).
    if first and not any(r and clean(r[0]) == first for r in table[:idx]):
        adjustments["header_marker"] = first
        reasons.append(f"表头标志“{marker}”改为文件中的“{first}”")
    else:
        adjustments["header_row"] = idx + 1
        reasons.append(f"按第{idx + 1}行定位表头")
