"""The inquiry log (查控日志) as an Excel workbook: filtered, capped below Excel's row limit, streamed.

Rows come from the database in chunks (`queries.log_rows`) and go straight into an openpyxl write-only
workbook on disk through the platform's spreadsheet writer (`zhixing.core.spreadsheet`: every text
cell neutralised against formula injection, every time in Beijing time); the view then streams the
finished file in chunks. Memory stays flat however long the log is. The file is finished before the
first byte is sent because an XLSX is a zip whose index comes last, and because the export's audit
record carries the exact number of rows.

At most `log_export_max_rows` rows (newest first) are written, never more than one worksheet holds
(1,048,576 rows with the header); a capped export says so in the file and on the page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from django.utils import timezone

from zhixing.core import spreadsheet
from zhixing.core.errors import ServiceError
from zhixing.core.identity import mask_id

from . import conf, queries

HEADER = [
    "请求号",
    "案号",
    "被执行人",
    "身份号码",
    "联动单位",
    "操作",
    "金额",
    "状态",
    "发送次数",
    "提起人",
    "提起时间",
    "反馈时间",
    "反馈/错误",
    "文书号",
]


@dataclass(frozen=True)
class LogFilter:
    """What part of the log to export: one case (by its number) and/or a range of request days."""

    number: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, params: Any) -> LogFilter:
        """From the query string (`number`, `from`, `to` as YYYY-MM-DD); bad input names its field."""

        def day(name: str, label: str) -> date | None:
            raw = (params.get(name) or "").strip()
            if not raw:
                return None
            try:
                return date.fromisoformat(raw)
            except ValueError:
                raise ServiceError(f"{label}格式应为 YYYY-MM-DD：{raw[:20]}", field=name) from None

        number = (params.get("number") or "").strip()
        if len(number) > 64:
            raise ServiceError("案号过长", field="number")
        since, until = day("from", "起始日期"), day("to", "终止日期")
        if since and until and since > until:
            raise ServiceError("起始日期不能晚于终止日期", field="from")
        return cls(number, since, until)

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The local days as instants: [since 00:00, the day after `until` 00:00) in Beijing time."""
        lo = timezone.make_aware(datetime.combine(self.since, time.min)) if self.since else None
        hi = None
        if self.until:
            hi = timezone.make_aware(datetime.combine(self.until + timedelta(days=1), time.min))
        return lo, hi

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v}


@dataclass
class LogExport:
    """A finished export: the workbook file (at its start), its data rows, and whether it was capped."""

    file: IO[bytes]
    rows: int
    capped: bool
    limit: int


def row_limit() -> int:
    """The configured cap, never above what one worksheet holds below its header."""
    return max(1, min(int(conf.option("log_export_max_rows")), spreadsheet.EXCEL_MAX_ROWS - 1))


def capped_message(limit: int) -> str:
    return (
        f"查控日志超过{limit}行，本文件只含最新的{limit}行（Excel 单个工作表最多1048576行）；"
        "请按案号或日期筛选后分别导出。"
    )


def build(user: Any, flt: LogFilter) -> LogExport:
    """Write the part of the log the user may read (own and subordinate courts) that `flt` selects."""
    since, until = flt.bounds()
    limit = row_limit()
    rows = spreadsheet.Counted(
        queries.log_rows(user, number=flt.number or None, since=since, until=until), limit
    )
    book = spreadsheet.XlsxBook()
    ws = book.sheet("查控日志")
    ws.append(HEADER)
    for r in rows:
        ws.append(
            [
                r.pk,
                r.case.number,
                r.party.name,
                mask_id(r.party.id_number or r.party.credit_code),
                r.partner.name,
                r.get_action_display(),
                r.amount,
                r.get_status_display(),
                r.attempts,
                str(r.requested_by) if r.requested_by_id else "系统",
                r.created_at,
                r.completed_at,
                r.last_error or (str(r.outcome) if r.outcome else ""),
                r.notice_number,
            ]
        )
    if rows.capped:
        book.sheet("说明").append([capped_message(limit)])
    return LogExport(book.to_file(), rows.count, rows.capped, limit)
