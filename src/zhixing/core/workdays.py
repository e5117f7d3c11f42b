"""The statutory working-day calendar (法定工作日历).

Purpose: answer "is this date a working day?" for deadline arithmetic, combining two sources:

1. an administrator-loaded holiday table, one entry per year, which wins for every year it contains
   (so an administrator can correct the library or publish a year the library does not know yet);
2. the ``chinese_calendar`` library (v1.11 knows 2004–2026 and raises ``NotImplementedError`` for
   other years).

For a year neither source knows, the calendar falls back to "Monday–Friday are working days". It never
crashes and never guesses silently: :meth:`WorkCalendar.missing_years` tells callers which years of a
range were answered by the fallback, so the UI can show a warning until the year is loaded.

The statutory holidays themselves come from the State Council's 全国年节及纪念日放假办法 and its yearly
notice (国务院办公厅关于XXXX年部分节假日安排的通知), which also fixes the make-up working days (调休上班).

This module is pure: no Django, no database.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta

import chinese_calendar

__all__ = ["WorkCalendar"]

_ONE_DAY = timedelta(days=1)
# Upper bound for day-by-day searches: a `skip` predicate that never lets a day count must not hang the
# caller. 200 years is far beyond any statutory period.
_MAX_SCAN_DAYS = 366 * 200


@functools.lru_cache(maxsize=16384)
def _library_is_workday(d: date) -> bool | None:
    """chinese_calendar's answer for `d`, or None when the library has no data for that year."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


@functools.lru_cache(maxsize=512)
def _library_covers(year: int) -> bool:
    """True if chinese_calendar has data for `year` (it raises NotImplementedError outside its range)."""
    return _library_is_workday(date(year, 1, 1)) is not None


def _as_date(d: date) -> date:
    """Strip the time from a datetime (datetime is a subclass of date and would miss table keys)."""
    return d.date() if isinstance(d, datetime) else d


class WorkCalendar:
    """Working-day calendar: administrator table, else chinese_calendar, else weekends only.

    Contract:

    * ``table`` maps a year to ``{date: is_workday}``. A date listed ``False`` is a holiday, ``True`` a
      make-up working day (调休上班). For a year present in the table the table is the whole truth:
      unlisted dates are working days Monday–Friday and rest days Saturday/Sunday, and chinese_calendar
      is not consulted for that year.
    * A year in neither the table nor chinese_calendar uses the weekend-only fallback; it is reported
      by :meth:`missing_years` and :meth:`covers` so callers can warn.
    * The instance is immutable: the table is copied at construction.
    """

    def __init__(self, table: Mapping[int, Mapping[date, bool]] | None = None) -> None:
        copied: dict[int, dict[date, bool]] = {}
        for year, days in (table or {}).items():
            year_days: dict[date, bool] = {}
            for day, is_workday in days.items():
                day = _as_date(day)
                if day.year != year:
                    raise ValueError(f"节假日表错误：日期{day.isoformat()}不属于{year}年")
                year_days[day] = bool(is_workday)
            copied[int(year)] = year_days
        self._table = copied

    def __repr__(self) -> str:
        return f"WorkCalendar(table_years={sorted(self._table)})"

    # -- single days ---------------------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        """True if `d` is a working day: table year → table; else chinese_calendar; else Mon–Fri."""
        d = _as_date(d)
        year_table = self._table.get(d.year)
        if year_table is not None:
            listed = year_table.get(d)
            return listed if listed is not None else d.weekday() < 5
        known = _library_is_workday(d)
        if known is not None:
            return known
        # Fallback for an unknown year: weekends only (reported through missing_years()).
        return d.weekday() < 5

    def covers(self, year: int) -> bool:
        """True if the table or chinese_calendar knows `year` (no weekend-only guess needed)."""
        return year in self._table or _library_covers(year)

    def missing_years(self, start: date, end: date) -> list[int]:
        """Years in [start, end] (either order) that neither source covers, ascending."""
        lo, hi = sorted((_as_date(start).year, _as_date(end).year))
        return [y for y in range(lo, hi + 1) if not self.covers(y)]

    # -- arithmetic ----------------------------------------------------------------------------------

    def next_workday(self, d: date) -> date:
        """`d` itself if it is a working day, else the first working day after it."""
        d = _as_date(d)
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_workday(d):
                return d
            d += _ONE_DAY
        # Only reachable with a table declaring two centuries of holidays.
        raise ValueError("工作日历错误：两百年内找不到工作日")

    def add_workdays(self, start: date, n: int, skip: Callable[[date], bool] | None = None) -> date:
        """The n-th working day after `start` (`start` itself is never counted).

        Days for which ``skip(d)`` is True are not counted (used for suspensions). ``n == 0`` returns
        `start` unchanged; a negative ``n`` counts backwards (the |n|-th working day before `start`).
        Raises ValueError if no such day exists within 200 years (e.g. `skip` always True).
        """
        d = _as_date(start)
        if n == 0:
            return d
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        for _ in range(_MAX_SCAN_DAYS + remaining):
            d += step
            if self.is_workday(d) and not (skip is not None and skip(d)):
                remaining -= 1
                if remaining == 0:
                    return d
        raise ValueError("期限计算错误：两百年内无法数满所需工作日（期间可能一直处于中止状态）")

    def workdays_between(self, start: date, end: date) -> int:
        """Number of working days in the half-open interval (start, end]; 0 when end <= start."""
        d, end = _as_date(start), _as_date(end)
        count = 0
        while d < end:
            d += _ONE_DAY
            if self.is_workday(d):
                count += 1
        return count
