"""The rows of a statement file, format by format, read lazily and within bounds (pure).

A statement is read whole inside the web request that previews it, so nothing a file declares about
itself sizes what is built: an xlsx's `<dimension ref="A1:XFD1048576"/>` is ignored (openpyxl would pad
every row to it), an xls is read with ragged rows (xlrd would fill the rectangle up to its farthest
cell), a Parquet file's rows are counted from its metadata before any is fetched, and a CSV is decoded
and split as it is read. Each reader yields one row at a time, with trailing empty cells left out
(Excel) and at most `MAX_COLUMNS` cells up to the last filled one; `bounded` stops at the row limit,
`head` takes the first rows for detection. A file no layout can read — too many rows or columns,
broken CSV quoting, a UTF-16 byte-order mark on bytes that are not UTF-16 — is a `FileRefused`.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from .statement_errors import FileError, FileRefused

MAX_ROWS = 300_000  # the default of settings.ZHIXING_STATEMENT_MAX_ROWS (callers outside Django use it)
MAX_COLUMNS = 200  # no statement export is this wide; a value further right is a file to check by hand
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel/WPS "Unicode text" exports (tab-separated UTF-16)
RESAVE = "请在 Excel 或 WPS 中打开该文件，“另存为” Excel 工作簿（xlsx）或 CSV（UTF-8）后再导入"


def too_many_rows(limit: int) -> FileRefused:
    return FileRefused(f"文件超过{limit}行，超出单个流水文件的行数上限：请按时间段拆分后分别导入")


def _too_wide(row_no: int, width: int) -> FileRefused:
    return FileRefused(
        f"第{row_no}行有{width}列，超过{MAX_COLUMNS}列的上限：请删除表格右侧多余的内容后再导入"
    )


def bounded(rows: Iterable[list[Any]], limit: int) -> list[list[Any]]:
    """Every row, or `too_many_rows(limit)` as soon as there is one more (never built past it)."""
    out = list(islice(rows, limit + 1))
    if len(out) > limit:
        raise too_many_rows(limit)
    return out


def head(rows: Iterable[list[Any]], n: int) -> list[list[Any]]:
    """The first `n` rows, or those read before the file fails (detection looks at what it can)."""
    out: list[list[Any]] = []
    try:
        for row in islice(rows, n):
            out.append(row)
    except FileError:
        pass
    return out


def _trim(row: list[Any], row_no: int, empty: tuple[Any, ...]) -> list[Any]:
    """The row up to its last filled cell; `_too_wide` past `MAX_COLUMNS`."""
    end = len(row)
    while end and row[end - 1] in empty:
        end -= 1
    if end > MAX_COLUMNS:
        raise _too_wide(row_no, end)
    return row[:end] if end < len(row) else row


def is_utf16(data: bytes) -> bool:
    return data[:2] in UTF16_BOMS


def check_utf16(data: bytes) -> None:
    """A file that starts with a UTF-16 byte-order mark is read as UTF-16 whatever the layout says:
    `FileRefused` when its bytes are not UTF-16 text (an odd length, a lone surrogate). Decoded a
    megabyte at a time: nothing is kept."""
    if not is_utf16(data):
        return
    decoder = codecs.getincrementaldecoder("utf-16")()
    step = 1 << 20
    try:
        for at in range(0, len(data), step):
            decoder.decode(data[at : at + step], final=at + step >= len(data))
    except UnicodeDecodeError:
        raise _not_utf16() from None


def _not_utf16() -> FileRefused:
    return FileRefused(
        f"文件以 UTF-16 字节顺序标记开头，但内容不是有效的 UTF-16 文本（文件可能不完整或已损坏）：{RESAVE}"
    )


def _lines(text: io.TextIOWrapper) -> Iterator[str]:
    """The text's lines, a byte-order mark left at its start dropped (a UTF-8 file read as 'utf-8')."""
    first = text.readline()
    if not first:
        return
    yield first[1:] if first.startswith("\ufeff") else first
    yield from text


def csv_rows(data: bytes, encoding: str, delimiter: str) -> Iterator[list[str]]:
    """The rows of a text file, decoded as they are read (a UTF-16 byte-order mark decides the encoding
    by itself). FileError when the bytes are not in `encoding`; FileRefused when a UTF-16 file is not
    UTF-16, and naming the line where a field is too long (over `csv.field_size_limit`, 128 KB) or its
    quotes do not close."""
    if is_utf16(data):
        encoding = "utf-16"
    encoding = encoding or "utf-8-sig"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FileError(f"文件不是 {encoding} 编码，请检查版式预设的字符编码（LookupError）") from None
    # newline="\n": lines end at '\n' only (a lone '\r' stays in its line), as the whole-text reader
    # this replaces split them
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="\n")
    reader = csv.reader(_lines(text), delimiter=delimiter or ",")
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            if is_utf16(data):
                raise _not_utf16() from None
            raise FileError(
                f"文件不是 {encoding} 编码，请检查版式预设的字符编码（{exc.__class__.__name__}）"
            ) from None
        except csv.Error:
            raise FileRefused(
                f"第{line}行的字段过长（超过{csv.field_size_limit()}个字符）或引号不匹配，无法读取："
                f"请检查该行的引号，{RESAVE}"
            ) from None
        _trim(row, line, ("",))  # the check only: a CSV row keeps its empty cells
        yield row


def xls_rows(data: bytes) -> Iterator[list[Any]]:
    """The rows of an Excel 97-2003 file's first sheet (dates as datetime); FileError when unreadable."""
    import xlrd

    try:
        # ragged_rows: each row as long as its own cells (the default fills the sheet's whole rectangle,
        # 65,536 × 256 cells for a file of one far cell)
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
    except Exception as exc:  # xlrd raises its own XLRDError, but also struct/Unicode errors on damaged files
        raise FileError(
            f"无法读取 Excel 97-2003（xls）文件（{exc.__class__.__name__}）：文件可能已加密或损坏；{RESAVE}"
        ) from None
    if book.nsheets == 0:
        return
    sheet = book.sheet_by_index(0)
    for r in range(sheet.nrows):
        row: list[Any] = []
        for cell in sheet.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    row.append(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append("")
            else:
                row.append(cell.value)
        yield _trim(row, r + 1, ("",))


def xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    """The rows of an Excel 2007+ file's active sheet; FileError when unreadable."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.active
    except Exception as exc:  # openpyxl raises zipfile, KeyError, XML errors alike on non-xlsx bytes
        raise FileError(f"无法读取 Excel（xlsx）文件（{exc.__class__.__name__}）：{RESAVE}") from None
    if ws is None:
        return
    # The declared dimension is not trusted: read-only openpyxl pads every row to its width and every
    # missing row up to its height. Without it a row is as wide as its last cell.
    ws.reset_dimensions()  # type: ignore[union-attr]
    try:
        for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
            yield _trim(list(values), r, (None,))
    except FileError:
        raise
    except Exception as exc:  # damaged XML inside the zip, met while reading the sheet
        raise FileError(f"无法读取 Excel（xlsx）文件（{exc.__class__.__name__}）：{RESAVE}") from None
