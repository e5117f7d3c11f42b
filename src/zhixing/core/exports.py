"""Excel export of any list, queue or statistics table a page shows (`?export=xlsx`).

A page that lists rows calls `xlsx_response` with the same rows it renders (its queryset, or the
rows of a statistics table) and a header; the rows are written to an openpyxl write-only workbook
through `core.spreadsheet` (cells neutralised, times local), capped at `ZHIXING_EXPORT_MAX_ROWS`
(a note row and the `X-Export-Capped` header say so), audited (`export.xlsx`, the table and the
row count) and streamed back under a Chinese file name (RFC 5987 ``filename*``).

The template tag `{% export_button table="…" %}` (`core/templatetags/export_tags.py`) links to the
current page with `export=xlsx`, keeping its filters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from . import audit, spreadsheet

EXPORT_PARAM = "export"
EXPORT_FORMAT = "xlsx"
EXPORT_ACTION = "export.xlsx"
DEFAULT_MAX_ROWS = 20_000


def wants_xlsx(request: HttpRequest) -> bool:
    """The request asks for the page's table as .xlsx instead of HTML."""
    return request.GET.get(EXPORT_PARAM) == EXPORT_FORMAT


def max_rows() -> int:
    """The configured cap, never above what one worksheet holds below its header and note."""
    limit = int(getattr(settings, "ZHIXING_EXPORT_MAX_ROWS", DEFAULT_MAX_ROWS))
    return max(1, min(limit, spreadsheet.EXCEL_MAX_ROWS - 2))


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FILE_BAD = re.compile(r'[\\/:*?"<>|\s]+')


def sheet_title(title: str) -> str:
    """A worksheet title Excel accepts (no []:*?/\\, at most 31 characters)."""
    return _SHEET_BAD.sub("", title)[:31] or "Sheet1"


def capped_note(limit: int) -> str:
    return f"注：符合条件的记录超过{limit}行，本文件只含前{limit}行；请缩小筛选范围后分别导出。"


def content_disposition(filename: str, fallback: str = "export.xlsx") -> str:
    """`attachment` with an ASCII `fallback` name and the UTF-8 name (RFC 6266 / RFC 5987)."""
    ascii_name = fallback.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
    return (
        f"attachment; filename=\"{ascii_name or 'export.xlsx'}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )


def xlsx_response(
    request: HttpRequest,
    *,
    table: str,
    title: str,
    header: Sequence[str],
    rows: Iterable[Any],
    row: Callable[[Any], Sequence[Any]] | None = None,
    footer: Sequence[Any] | None = None,
    filters: dict[str, Any] | None = None,
) -> StreamingHttpResponse:
    """Write `rows` (mapped through `row`) under `header`, audit the export and stream the file.

    `table` is the stable code of the table (audited, and the English fallback file name);
    `title` its Chinese name (sheet title and file name, with today's date). `footer` (totals) is
    appended after the rows when the export is not capped.
    """
    limit = max_rows()
    counted = spreadsheet.Counted(rows, limit)
    book = spreadsheet.XlsxBook()
    ws = book.sheet(sheet_title(title))
    ws.append(list(header))
    for item in counted:
        ws.append(list(row(item) if row else item))
    if counted.capped:
        ws.append([capped_note(limit)])
    elif footer is not None:
        ws.append(list(footer))
    fh = book.to_file()
    actor: Any = request.user
    with transaction.atomic():
        audit.record(
            actor,
            EXPORT_ACTION,
            object_type="Export",
            object_id=table,
            court=getattr(actor, "court", None),
            after={
                "table": table,
                "title": title,
                "rows": counted.count,
                "capped": counted.capped,
                "filters": filters if filters is not None else _filters_of(request),
            },
        )
    stamp = f"{timezone.localdate():%Y%m%d}"
    filename = f"{_FILE_BAD.sub('', title)[:60] or 'export'}-{stamp}.xlsx"
    resp = StreamingHttpResponse(spreadsheet.file_chunks(fh), content_type=spreadsheet.XLSX_CONTENT_TYPE)
    resp["Content-Disposition"] = content_disposition(filename, f"{table}-{stamp}.xlsx")
    resp["X-Export-Rows"] = str(counted.count)
    resp["Cache-Control"] = "no-store"
    if counted.capped:
        resp["X-Export-Capped"] = str(limit)
    return resp


def _filters_of(request: HttpRequest) -> dict[str, str]:
    skip = (EXPORT_PARAM, "cursor", "csrfmiddlewaretoken")
    return {k: str(v) for k, v in request.GET.items() if k not in skip and v}
