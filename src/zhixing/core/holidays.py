"""The working-day calendar as the platform uses it: chinese-calendar plus the administrator's table.

`current_calendar()` is cached for a short time and invalidated whenever the holiday table changes,
so every deadline computed in a request or a scan uses one consistent calendar. Other processes (web
workers, consumers) learn of a change through a generation number in Redis within a few seconds
(`zhixing.core.generations`); without Redis their copies expire after `_TTL_SECONDS`.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import date

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from . import audit
from .generations import Generation
from .models import HolidayDay, HolidayYear
from .workdays import WorkCalendar

_lock = threading.Lock()
_cached: tuple[float, int, WorkCalendar] | None = None
_TTL_SECONDS = 30.0
_generation = Generation("calendar")

# Sent after a holiday year is (re)loaded and committed; domains recompute their deadlines.
calendar_changed = Signal()


class HolidayTableError(ValueError):
    """A holiday table file is malformed; the message names the row."""


def current_calendar() -> WorkCalendar:
    """The calendar with every administrator-loaded year applied."""
    global _cached
    generation = _generation.current()
    with _lock:
        if _cached and time.monotonic() - _cached[0] < _TTL_SECONDS and _cached[1] == generation:
            return _cached[2]
    table: dict[int, dict[date, bool]] = {y.year: {} for y in HolidayYear.objects.all()}
    for day in HolidayDay.objects.select_related("year"):
        table[day.year.year][day.date] = day.is_workday
    cal = WorkCalendar(table)
    with _lock:
        _cached = (time.monotonic(), generation, cal)
    return cal


def invalidate() -> None:
    global _cached
    with _lock:
        _cached = None


def may_load_holidays(user: object) -> bool:
    """Whether `user` can load a holiday year: an active superuser, or a staff member (admin access) who
    holds `core.add_holidayyear`. The same test decides who sees the missing-year banner on every page
    and who may upload in the admin; the permission is looked up only for admin-site staff, so an
    ordinary page view costs no query.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(getattr(user, "is_staff", False) and user.has_perm("core.add_holidayyear"))  # type: ignore[attr-defined]


def missing_years_ahead(today: date, years: int = 1) -> list[int]:
    """Years from this one to `years` ahead whose holidays are unknown (shown as a warning banner)."""
    return current_calendar().missing_years(today, date(today.year + years, 12, 31))


def parse_holiday_csv(text: str, year: int) -> list[tuple[date, bool, str]]:
    """Parse `date,type,name` rows (type 休 = holiday, 班 = make-up working day); errors name the row."""
    rows: list[tuple[date, bool, str]] = []
    seen: set[date] = set()
    for lineno, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].strip().lower() in {"date", "日期"}:
            continue
        if len(row) < 2:
            raise HolidayTableError(f"第{lineno}行：应为“日期,类型(休/班),名称”")
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError as exc:
            raise HolidayTableError(f"第{lineno}行：日期“{row[0]}”格式应为YYYY-MM-DD") from exc
        if day.year != year:
            raise HolidayTableError(f"第{lineno}行：日期{day}不属于{year}年")
        kind = row[1].strip()
        if kind not in {"休", "班"}:
            raise HolidayTableError(f"第{lineno}行：类型应为“休”或“班”，而不是“{kind}”")
        if day in seen:
            raise HolidayTableError(f"第{lineno}行：日期{day}重复")
        seen.add(day)
        rows.append((day, kind == "班", row[2].strip() if len(row) > 2 else ""))
    if not rows:
        raise HolidayTableError("文件中没有节假日数据")
    return rows


def load_year(actor: object, year: int, rows: list[tuple[date, bool, str]], source: str = "") -> HolidayYear:
    """Replace one year's holiday table (audited); deadlines are recomputed by the caller's domain."""
    with transaction.atomic():
        hy, _ = HolidayYear.objects.get_or_create(year=year)
        before = list(hy.days.values_list("date", "is_workday"))
        hy.days.all().delete()
        HolidayDay.objects.bulk_create(HolidayDay(year=hy, date=d, is_workday=w, name=n) for d, w, n in rows)
        hy.source = source
        hy.loaded_at = timezone.now()
        hy.save()
        audit.record(
            actor,
            "calendar.load_year",
            object_type="HolidayYear",
            object_id=year,
            before=before,
            after=[(d, w, n) for d, w, n in rows],
        )
        transaction.on_commit(_after_load)
    return hy


def _after_load() -> None:
    invalidate()
    _generation.bump()  # every other worker's copy too
    calendar_changed.send(sender=HolidayYear)
