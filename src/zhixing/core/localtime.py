"""Dates and times as users read them: always the platform's zone (settings.TIME_ZONE, Asia/Shanghai).

The database keeps instants in UTC; a court reads wall-clock Beijing time. Templates convert by
themselves (`|date` applies the current zone), but Python code that formats a datetime for a file
(CSV, XLSX, Word, PDF) or for a JSON field shown on a page must convert first, or a line booked at
2026-01-05 00:30 prints as 2026-01-04 16:30. Every such formatting goes through this module.

A naive datetime is taken to be local wall-clock time already (e.g. a parsed statement line) and is
left as it is.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
MINUTE_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"
CHINESE_DATE_FORMAT = "%Y年%m月%d日"


def local(value: datetime) -> datetime:
    """`value` in the platform's zone (aware); a naive value is returned unchanged."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def local_naive(value: datetime) -> datetime:
    """Local wall-clock time without a zone (what a spreadsheet cell can hold)."""
    return local(value).replace(tzinfo=None)


def local_date(value: datetime | date) -> date:
    """The local calendar day of an instant (a `date` is returned as it is)."""
    if isinstance(value, datetime):
        return local(value).date()
    return value


def format_datetime(value: datetime | date | None, fmt: str = DATETIME_FORMAT) -> str:
    """A datetime as local text ("" for None); a bare `date` is formatted as a date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local(value).strftime(fmt)
    return value.strftime(DATE_FORMAT if fmt in (DATETIME_FORMAT, MINUTE_FORMAT) else fmt)


def format_date(value: datetime | date | None, fmt: str = DATE_FORMAT) -> str:
    """The local calendar day as text ("" for None)."""
    return "" if value is None else local_date(value).strftime(fmt)


def isoformat(value: datetime | None) -> str | None:
    """ISO 8601 with the local offset (+08:00), for JSON a page shows; None stays None."""
    return None if value is None else local(value).isoformat()
