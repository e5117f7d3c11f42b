"""The first rows of an uploaded statement as detection sees them, whatever a layout says (pure).

`FileRows(data)` reads at most `SCAN_ROWS` rows once per delimiter (text) or once (Excel, Parquet), with
the file's kind (`file_kind`, by content) and, for text, the encoding it decodes in (`sniff_encoding`).
Split out of `detection`, which scores layouts against these rows.
"""

from __future__ import annotations

from typing import Any

from . import readers, tables
from .columnar import ParquetError, is_parquet, parquet_header

SCAN_ROWS = 80  # a preamble longer than this is not a statement header we can find


def file_kind(data: bytes) -> str:
    """ "parquet", "xls" (an OLE2 compound file), "xlsx" (a zip container) or "csv" (any text)."""
    if is_parquet(data):
        return "parquet"
    if data[:8] == tables.OLE2:
        return "xls"
    if data[:4] == tables.ZIP:
        return "xlsx"
    return "csv"


def sniff_encoding(data: bytes) -> str:
    """The text encoding the file decodes in: utf-16 by its byte-order mark (Excel's "Unicode text"),
    utf-8 (with or without BOM), else gbk, else gb18030; "" when none does (the file is not text)."""
    if readers.is_utf16(data):
        return "utf-16" if decodes(data, "utf-16") else ""  # a byte-order mark on bytes that are not UTF-16
    for name in ("utf-8", "gbk", "gb18030"):
        try:
            data.decode("utf-8-sig" if name == "utf-8" else name)
            return name
        except UnicodeDecodeError:
            continue
    return ""


def decodes(data: bytes, encoding: str) -> bool:
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
        # what detection derives from the file alone, once for all layouts (the headerless fit)
        self.derived: dict[str, Any] = {}

    def rows(self, delimiter: str) -> list[list[Any]]:
        key = delimiter if self.kind == "csv" else ""
        if key not in self._cache:
            self._cache[key] = self._read(delimiter)
        return self._cache[key]

    def _read(self, delimiter: str) -> list[list[Any]]:
        if self.kind == "parquet":
            try:
                return [parquet_header(self.data)]
            except ParquetError:
                return []
        if self.kind == "xls":
            return readers.head(readers.xls_rows(self.data), SCAN_ROWS)
        if self.kind == "xlsx":
            return readers.head(readers.xlsx_rows(self.data), SCAN_ROWS)
        if not self.encoding:
            return []
        # a row past the first broken one (a field over the CSV limit, quotes that never close) is not
        # read: detection looks at the rows before it
        return readers.head(readers.csv_rows(self.data, self.encoding, delimiter), SCAN_ROWS)
