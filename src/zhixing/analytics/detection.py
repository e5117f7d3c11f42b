"""Proposing the layout of an uploaded statement from its header (pure: bytes and layouts in, ranking out).

`propose(data, layouts)` scores every layout the user may use against the file and returns them best
first, each with a 0–100 score, the reasons in Chinese, the required columns the file lacks and the
`adjustments` (field → value) the layout needs to read this file exactly: the encoding the file really
has, the header row found after a preamble, and the file's own spelling of a column name that differs
only in width or spacing ("日 志 号" / "日志号", "金额（元）" / "金额(元)"). A layout that lacks a
required column is never proposed as usable (score below 50).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .columnar import ParquetError, is_parquet, parquet_rows
from .parsing import clean, required_columns

SCAN_ROWS = 80  # a preamble longer than this is not a statement header we can find
COLUMN_FIELDS = (
    "date_column",
    "time_column",
    "amount_column",
    "in_column",
    "out_column",
    "direction_column",
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
USABLE = 50  # proposals scoring at least this read every required column


@dataclass
class Proposal:
    """One layout scored against the file."""

    preset: Any
    score: int
    usable: bool
    header_row: int  # 1-based row of the header in the file (0 when none was found)
    header: list[str]
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    adjustments: dict[str, Any] = field(default_factory=dict)


def normalise_name(text: Any) -> str:
    """A header name compared across exports: full-width → half-width (NFKC), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", clean(text)).split()).lower()


def file_kind(data: bytes) -> str:
    """ "parquet", "xlsx" (a zip container) or "csv" (any text)."""
    if is_parquet(data):
        return "parquet"
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    return "csv"


def sniff_encoding(data: bytes) -> str:
    """The text encoding the file decodes in: utf-8 (with or without BOM), else gbk, else gb18030."""
    for name in ("utf-8", "gbk", "gb18030"):
        try:
            data.decode("utf-8-sig" if name == "utf-8" else name)
            return name
        except UnicodeDecodeError:
            continue
    return ""


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding or "utf-8-sig")
        return True
    except (UnicodeDecodeError, LookupError):
        return False


class FileRows:
    """The file's first rows (at most `SCAN_ROWS`), read once per delimiter (CSV) or once (Excel, Parquet),
    whatever the layout says about encoding or header: what detection and the preamble reader see."""

    def __init__(self, data: bytes) -> None:
        self.kind = file_kind(data)
        self.encoding = sniff_encoding(data) if self.kind == "csv" else ""
        self.data = data
        self._cache: dict[str, list[list[Any]]] = {}

    def rows(self, delimiter: str) -> list[list[Any]]:
        key = delimiter if self.kind == "csv" else ""
        if key not in self._cache:
            self._cache[key] = self._read(delimiter)
        return self._cache[key]

    def _read(self, delimiter: str) -> list[list[Any]]:
        if self.kind == "parquet":
            try:
                return parquet_rows(self.data)[:1]
            except ParquetError:
                return []
        if self.kind == "xlsx":
            try:
                import openpyxl

                wb = openpyxl.load_workbook(io.BytesIO(self.data), read_only=True, data_only=True)
                ws = wb.active
                return [list(r) for r in islice(ws.iter_rows(values_only=True), SCAN_ROWS)] if ws else []
            except Exception:
                return []
        if not self.encoding:
            return []
        text = self.data.decode("utf-8-sig" if self.encoding == "utf-8" else self.encoding)
        lines = io.StringIO(text.lstrip("\ufeff"))
        reader = csv.reader(lines, delimiter=delimiter or ",")
        out: list[list[Any]] = []
        try:
            for row in islice(reader, SCAN_ROWS):
                out.append(row)
        except csv.Error:
            pass
        return out


def _columns(preset: Any) -> dict[str, str]:
    """Column field → column name, for the columns the layout names."""
    return {f: getattr(preset, f, "") for f in COLUMN_FIELDS if getattr(preset, f, "")}


def _best_header(rows: list[list[Any]], wanted: set[str]) -> tuple[int, dict[str, str]]:
    """(0-based index, normalised → file spelling) of the row naming most wanted columns; -1 if none."""
    best, best_hits, best_map = -1, 0, {}
    for i, row in enumerate(rows):
        spelled = {normalise_name(c): clean(c) for c in row if clean(c)}
        hits = len(wanted & spelled.keys())
        if hits > best_hits:
            best, best_hits, best_map = i, hits, spelled
    return best, best_map


def score(preset: Any, rows: FileRows) -> Proposal:
    """Score one layout against the file; see the module docstring for what is checked."""
    cols = _columns(preset)
    required = {normalise_name(c) for c in required_columns(preset)}
    wanted = {normalise_name(c) for c in cols.values()}
    table = rows.rows(getattr(preset, "delimiter", ","))
    idx, spelled = _best_header(table, wanted)
    header = [clean(c) for c in table[idx]] if idx >= 0 else []
    reasons: list[str] = []
    adjustments: dict[str, Any] = {}
    found_req = required & spelled.keys()
    optional = wanted - required
    found_opt = optional & spelled.keys()
    missing = [c for c in required_columns(preset) if normalise_name(c) not in spelled]
    points = 70.0 * (len(found_req) / len(required) if required else 0.0)
    points += 20.0 * (len(found_opt) / len(optional) if optional else 1.0)
    if idx < 0:
        reasons.append("文件前80行中找不到与该版式相符的表头")
    else:
        where = f"表头位于第{idx + 1}行" + (f"（之前有{idx}行前言）" if idx else "")
        reasons.append(
            f"{where}；必需列 {len(found_req)}/{len(required)}，其他列 {len(found_opt)}/{len(optional)}"
        )
    if missing:
        reasons.append("缺少必需列：" + "、".join(missing))
    # The file's own spelling for a column that differs only in width or spacing.
    for fname, name in cols.items():
        actual = spelled.get(normalise_name(name))
        if actual is not None and actual != clean(name):
            adjustments[fname] = actual
            reasons.append(f"列名“{name}”在文件中写作“{actual}”，按文件列名读取")
    points += _format_points(preset, rows, reasons, adjustments)
    if idx >= 0 and rows.kind != "parquet":
        _locate_header(preset, table, idx, adjustments, reasons)
    usable = idx >= 0 and not missing
    final = round(points) if usable else min(round(points), USABLE - 1)
    return Proposal(
        preset=preset,
        score=max(0, min(100, final)),
        usable=usable,
        header_row=idx + 1 if idx >= 0 else 0,
        header=header,
        reasons=reasons,
        missing=missing,
        adjustments=adjustments,
    )


def _format_points(preset: Any, rows: FileRows, reasons: list[str], adjustments: dict[str, Any]) -> float:
    """Up to 10 points: the file format and the encoding agree with the layout."""
    points = 0.0
    fmt = getattr(preset, "file_format", "csv")
    if rows.kind == "parquet" or rows.kind == fmt:
        points += 5
    elif rows.kind == "xlsx" or fmt == "xlsx":
        reasons.append(f"文件格式为 {rows.kind}，版式为 {fmt}")
        adjustments["file_format"] = rows.kind
    if rows.kind != "csv":
        return points + 5
    if _decodes(rows.data, getattr(preset, "encoding", "utf-8")):
        points += 5
    elif rows.encoding:
        reasons.append(f"文件编码为 {rows.encoding}，版式为 {preset.encoding}，按 {rows.encoding} 读取")
        adjustments["encoding"] = rows.encoding
    else:
        reasons.append("无法识别文件的字符编码")
    return points


def _locate_header(
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


def propose(data: bytes, presets: list[Any]) -> list[Proposal]:
    """Every layout scored against the file, best first (usable ones before the others)."""
    rows = FileRows(data)
    scored = [score(p, rows) for p in presets]
    return sorted(scored, key=lambda p: (not p.usable, -p.score, len(p.adjustments), str(p.preset.name)))
