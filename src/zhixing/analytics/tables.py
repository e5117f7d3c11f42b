"""From file bytes to a table: rows, the header (or column numbers), and the lines around the data.

The format is recognised by content first — Parquet (`PAR1`), Excel 97-2003 (`.xls`, an OLE2 compound
file, read with xlrd), Excel 2007+ (`.xlsx`, a zip, read with openpyxl) — so a file saved under the wrong
name still reads; otherwise the layout's format applies (CSV in its encoding and delimiter). A file
without a header line names its columns by number ('1', '2', …). Lines before the header (preamble)
and footer/total lines after it are kept as notes with their text, so the import can show them and check
the file's own totals against what it imported. Under a layout without a currency column, a line that
names only a currency ("币种：美元", `currency_sections`) is a note of kind `section` with its currency:
the lines after it are in that currency (`Table.currency_at`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import currency_sections, readers
from .amounts import NOTE_OPENING, amount_note, clean
from .columnar import ParquetError, is_parquet, parquet_rows
from .columns import column_key
from .readers import RESAVE
from .statement_errors import FileError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
# Summary lines every statement may end with (or repeat per page), whatever its layout names: a line whose
# first cell starts with one of these is a footer note, never a transaction nor a row error ("日期为空").
SUMMARY_WORDS = (
    "合计",
    "总计",
    "小计",
    "本页合计",
    "本页小计",
    "累计",
    "共计",
    "笔数",
    "总笔数",
    "Total",
    "Totals",
    "Subtotal",
    "Grand Total",
)
# What may stand before a summary word: the side or the period it sums ("借方合计", "人民币合计", "本期合计").
SUMMARY_PREFIXES = (
    "借方",
    "贷方",
    "收入",
    "支出",
    "人民币",
    "本币",
    "外币",
    "本期",
    "本月",
    "本年",
    "期间",
    "交易",
)
# A Latin word must end there ("Total:", not "TotalEnergies", a merchant in a first column). A count
# line ("共20笔记录", "共 3 笔") is one too.
_SUMMARY = re.compile(
    "(?:"
    + "|".join(re.escape(column_key(p)) for p in SUMMARY_PREFIXES)
    + ")?(?:"
    + "|".join(f"{re.escape(column_key(w))}(?![a-z])" for w in SUMMARY_WORDS)
    + r")|共\d+笔"
)


@dataclass
class Table:
    header: list[str]
    body: list[tuple[int, list[Any]]]
    notes: list[dict[str, Any]] = field(default_factory=list)
    text_only: bool = False  # every cell a str (a CSV's), so no reader need look at the cells' types
    # (row of a line naming only a currency, that currency), in file order: the lines after it are in it
    sections: list[tuple[int, str]] = field(default_factory=list)

    def currency_at(self, row_no: int) -> str:
        """The currency a currency line before this row sets ('' when none does)."""
        return currency_sections.currency_at(self.sections, row_no) if self.sections else ""

    @property
    def texts(self) -> list[str]:
        """The text of every preamble and footer line, for the layout's period and totals rules."""
        return [n["text"] for n in self.notes if n.get("text")]


def file_kind(data: bytes, preset: Any) -> str:
    """parquet | xls | xlsx | csv, by content where the bytes say it, else by the layout's format."""
    if is_parquet(data):
        return "parquet"
    if data[:8] == OLE2:
        return "xls"
    if data[:4] == ZIP:
        return "xlsx"
    head = data[:512].lstrip().lower()
    if preset.file_format in ("xls", "xlsx") and head.startswith(
        (b"<html", b"<!doctype", b"<table", b"<?xml")
    ):
        raise FileError(f"该文件名为 Excel，实为网页（HTML/XML）表格，无法直接读取：{RESAVE}")
    if preset.file_format == "xls":
        return "xls"  # an old BIFF stream without the OLE2 wrapper; xlrd reads those too
    return "xlsx" if preset.file_format == "xlsx" else "csv"


def raw_rows(data: bytes, preset: Any, max_rows: int = readers.MAX_ROWS) -> list[list[Any]]:
    """Every row of the file's first sheet as cells (typed where the format keeps types).

    FileRefused (`readers.too_many_rows`) as soon as the file has more than `max_rows` rows, before
    more are built; a Parquet file's rows are counted before any is fetched."""
    kind = file_kind(data, preset)
    if kind == "parquet":
        try:
            return parquet_rows(data, max_rows=max_rows, max_columns=readers.MAX_COLUMNS)
        except ParquetError as exc:
            raise FileError(str(exc)) from None
    if kind == "xls":
        rows = readers.xls_rows(data)
    elif kind == "xlsx":
        rows = readers.xlsx_rows(data)
    else:
        rows = readers.csv_rows(data, preset.encoding, preset.delimiter)
    return readers.bounded(rows, max_rows)


def line_text(row: list[Any]) -> str:
    """A non-data line as one text: its non-empty cells joined by a space (dates as YYYY-MM-DD)."""
    parts = []
    for c in row:
        if isinstance(c, datetime):
            c = c.strftime("%Y-%m-%d %H:%M:%S") if c.time() != datetime.min.time() else c.strftime("%Y-%m-%d")
        text = clean(c)
        if text:
            parts.append(text)
    return " ".join(parts)


def _note(row_no: int, kind: str, text: str) -> dict[str, Any]:
    label = "前言" if kind == "preamble" else "表尾/合计行"
    return {
        "row": row_no,
        "reason": f"{label}：{text[:80]}",
        "level": "info",
        "kind": kind,
        "text": text[:500],
    }


def _section_note(row_no: int, text: str, currency: str) -> dict[str, Any]:
    return {
        "row": row_no,
        "reason": f"币种行：{text[:80]}（其后各行按{currency}读取）",
        "level": "info",
        "kind": "section",
        "text": text[:500],
        "currency": currency,
    }


def _section(row: list[Any], starts: dict[Any, bool]) -> tuple[str, str]:
    """(the currency a line names on its own, the line's text); ('', '') when it is not such a line or
    names a total. `starts` remembers, per distinct first cell, whether it may start one."""
    cell = row[0] if row else None
    if type(cell) is not str or not clean(cell):
        cell = next((t for c in row if (t := clean(c))), "")  # the first filled cell
    if cell not in starts:
        starts[cell] = currency_sections.may_start(clean(cell))
    if not starts[cell]:
        return "", ""
    text = line_text(row)
    if _SUMMARY.search(column_key(text)):
        return "", ""
    return currency_sections.section_currency(text), text


def _header_index(rows: list[list[Any]], preset: Any, parquet: bool) -> int:
    if parquet:
        return 0  # the column names; the preset's header row/marker describe text layouts
    if getattr(preset, "headerless", False):
        return (preset.header_row or 0) - 1  # lines to skip before the first record
    if preset.header_row:
        return preset.header_row - 1
    marker = column_key(preset.header_marker)
    for i, row in enumerate(rows):
        if row and marker and column_key(clean(row[0])) == marker:
            return i
    return -1


def read(data: bytes, preset: Any, max_rows: int = readers.MAX_ROWS) -> Table:
    """The table of a statement file under a layout; FileError when the file does not fit the layout,
    FileRefused when it has more than `max_rows` rows (or cannot be read under any layout)."""
    table = from_rows(raw_rows(data, preset, max_rows), preset, parquet=is_parquet(data))
    table.text_only = file_kind(data, preset) == "csv"
    return table


def from_rows(rows: list[list[Any]], preset: Any, *, parquet: bool = False) -> Table:
    """The table of already-read rows under a layout (`read`'s second half; detection uses it on the
    file's first rows)."""
    idx = _header_index(rows, preset, parquet)
    headerless = not parquet and getattr(preset, "headerless", False)
    if headerless:
        width = max((len(r) for r in rows[idx + 1 :]), default=0)
        header = [str(i) for i in range(1, width + 1)]
    else:
        if idx < 0 or idx >= len(rows):
            raise FileError(f"找不到表头（表头标志“{preset.header_marker}”），请确认文件与版式预设一致")
        header = [clean(h) for h in rows[idx]]
    preamble = rows[: idx + 1] if headerless else rows[: max(idx, 0)]
    # a line naming only a currency sets the currency of the lines after it, unless each line has its own
    by_section = not getattr(preset, "currency_column", "")
    starts: dict[Any, bool] = {}
    notes = []
    for i, r in enumerate(preamble, start=1):
        if t := line_text(r):
            code = _section(r, starts)[0] if by_section else ""
            notes.append(_section_note(i, t, code) if code else _note(i, "preamble", t))
    footers = [column_key(f) for f in (preset.footer_prefixes or "").split("|") if f.strip()]
    body: list[tuple[int, list[Any]]] = []
    # what a line's first cell says (None: empty, look at the other cells; True: a footer; False: data),
    # once per distinct text: a statement's first column (its date) repeats from line to line
    said: dict[str, bool | None] = {}

    def first_says(cell: Any) -> bool | None:
        text = clean(cell)
        if not text:
            return None
        key = column_key(text)
        return any(key.startswith(f) for f in footers) or _SUMMARY.match(key) is not None

    for i, row in enumerate(rows[idx + 1 :], start=idx + 2):
        cell = row[0] if row else None
        if type(cell) is str:
            if cell not in said:
                said[cell] = first_says(cell)
            verdict = said[cell]
        else:
            verdict = first_says(cell)
        if verdict is None:
            if not any(clean(c) for c in row):
                continue  # blank line
            verdict = bool(footers) and any("".startswith(f) for f in footers)
        if verdict:
            notes.append(_note(i, "footer", line_text(row)))
            continue
        if by_section:
            code, text = _section(row, starts)
            if code:
                notes.append(_section_note(i, text, code))
                continue
        body.append((i, row))
    sections = [(n["row"], n["currency"]) for n in notes if n["kind"] == "section"]
    return Table(header=header, body=body, notes=notes, sections=sections)


def amount_notes(table: Table, preset: Any) -> list[dict[str, Any]]:
    """A note for every line whose amount carries one in brackets ('131.77(已退款89.84)'): the amount reads
    without it (`amounts.parse_amount`), so the note is kept here, shown with the import and never taken
    as the line's words (a partial refund noted on a purchase leaves it a purchase)."""
    keys = {column_key(c) for c in (preset.amount_column, preset.in_column, preset.out_column) if c}
    at = [i for i, h in enumerate(table.header) if column_key(h) in keys]
    out: list[dict[str, Any]] = []
    # One scan of the amount cells for an opening bracket (in C, on their joined text) before the per-cell
    # reading: a bank's thousands of plain amounts carry none, and `amount_note` per cell was a fifth of
    # the import's CPU.
    cells = "\n".join(c for _, row in table.body for i in at if i < len(row) and type(c := row[i]) is str)
    if not NOTE_OPENING.search(cells):
        return out
    for row_no, row in table.body:
        noted = "；".join(n for i in at if i < len(row) and (n := amount_note(row[i])))
        if noted:
            out.append(
                {
                    "row": row_no,
                    "reason": f"金额附注：{noted}",
                    "level": "info",
                    "kind": "amount",
                    "text": noted,
                }
            )
    return out
