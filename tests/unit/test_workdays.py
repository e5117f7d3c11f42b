"""The statutory working-day calendar: chinese_calendar data, administrator tables, the 2027 fallback."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.core.workdays import WorkCalendar

CAL = WorkCalendar()


def days(start: date, end: date) -> list[date]:
    """All dates in [start, end]."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# -- chinese_calendar data for 2026, asserted date by date -------------------------------------------


def test_spring_festival_2026_exact() -> None:
    # 国务院办公厅 2026 notice: 2026-02-15 (Sun) … 2026-02-23 (Mon) off; make-up working days
    # 2026-02-14 (Sat) and 2026-02-28 (Sat).
    rest = [d for d in days(date(2026, 2, 1), date(2026, 3, 1)) if not CAL.is_workday(d)]
    assert rest == [
        date(2026, 2, 1),
        date(2026, 2, 7),
        date(2026, 2, 8),
        *days(date(2026, 2, 15), date(2026, 2, 23)),
        date(2026, 3, 1),
    ]
    assert CAL.is_workday(date(2026, 2, 14))  # Saturday, 调休上班
    assert CAL.is_workday(date(2026, 2, 28))  # Saturday, 调休上班
    assert CAL.is_workday(date(2026, 2, 13))
    assert CAL.is_workday(date(2026, 2, 24))


def test_national_day_and_mid_autumn_2026_exact() -> None:
    # Mid-autumn 2026-09-25..27 off; National Day 2026-10-01..07 off; make-up days 2026-09-20 (Sun)
    # and 2026-10-10 (Sat).
    rest = [d for d in days(date(2026, 9, 19), date(2026, 10, 11)) if not CAL.is_workday(d)]
    assert rest == [
        date(2026, 9, 19),
        *days(date(2026, 9, 25), date(2026, 9, 27)),
        *days(date(2026, 10, 1), date(2026, 10, 7)),
        date(2026, 10, 11),
    ]
    assert CAL.is_workday(date(2026, 9, 20))  # Sunday, 调休上班
    assert CAL.is_workday(date(2026, 10, 10))  # Saturday, 调休上班


def test_new_year_2026_exact() -> None:
    assert [CAL.is_workday(d) for d in days(date(2026, 1, 1), date(2026, 1, 5))] == [
        False,  # Thu, New Year's Day
        False,  # Fri
        False,  # Sat
        True,  # Sun, 调休上班
        True,  # Mon
    ]


def test_agrees_with_chinese_calendar_for_every_day_of_2026() -> None:
    for d in days(date(2026, 1, 1), date(2026, 12, 31)):
        assert CAL.is_workday(d) is chinese_calendar.is_workday(d)


def test_datetime_is_treated_as_its_date() -> None:
    assert CAL.is_workday(datetime(2026, 2, 16, 9, 30)) is False
    table_cal = WorkCalendar({2027: {date(2027, 1, 1): False}})
    assert table_cal.is_workday(datetime(2027, 1, 1, 8, 0)) is False


# -- coverage and the missing-year fallback ----------------------------------------------------------


def test_coverage_of_chinese_calendar() -> None:
    assert CAL.covers(2004)
    assert CAL.covers(2026)
    assert not CAL.covers(2003)
    assert not CAL.covers(2027)


def test_missing_years_range_and_order() -> None:
    assert CAL.missing_years(date(2025, 6, 1), date(2028, 1, 1)) == [2027, 2028]
    assert CAL.missing_years(date(2028, 1, 1), date(2025, 6, 1)) == [2027, 2028]
    assert CAL.missing_years(date(2026, 1, 1), date(2026, 12, 31)) == []
    assert CAL.missing_years(date(2002, 12, 31), date(2004, 1, 1)) == [2002, 2003]


def test_unknown_year_falls_back_to_weekends_without_crashing() -> None:
    # chinese_calendar 1.11 raises NotImplementedError for 2027; the calendar must not.
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 1))
    assert CAL.is_workday(date(2027, 1, 1)) is True  # Friday: fallback says working day
    assert CAL.is_workday(date(2027, 1, 2)) is False  # Saturday
    assert CAL.is_workday(date(2027, 1, 3)) is False  # Sunday
    assert CAL.is_workday(date(2003, 10, 1)) is True  # Wednesday, before the library's range


def test_loaded_table_covers_a_new_year() -> None:
    cal = WorkCalendar({2027: {date(2027, 1, 1): False, date(2027, 2, 20): True}})
    assert cal.covers(2027)
    assert cal.missing_years(date(2026, 12, 1), date(2027, 3, 1)) == []
    assert cal.missing_years(date(2026, 12, 1), date(2028, 3, 1)) == [2028]
    assert cal.is_workday(date(2027, 1, 1)) is False  # listed holiday
    assert cal.is_workday(date(2027, 2, 20)) is True  # listed make-up Saturday
    assert cal.is_workday(date(2027, 2, 21)) is False  # unlisted Sunday
    assert cal.is_workday(date(2027, 1, 4)) is True  # unlisted Monday
    # Years outside the table still come from chinese_calendar.
    assert cal.is_workday(date(2026, 2, 16)) is False


def test_table_year_overrides_chinese_calendar_entirely() -> None:
    cal = WorkCalendar({2026: {date(2026, 3, 2): False}})
    assert cal.is_workday(date(2026, 3, 2)) is False  # the administrator's correction
    assert cal.is_workday(date(2026, 2, 16)) is True  # library holiday, unlisted Monday in the table
    assert cal.is_workday(date(2026, 2, 14)) is False  # library make-up day, unlisted Saturday


def test_table_copy_is_immutable() -> None:
    source = {2027: {date(2027, 1, 1): False}}
    cal = WorkCalendar(source)
    source[2027][date(2027, 1, 4)] = False
    assert cal.is_workday(date(2027, 1, 4)) is True


def test_table_date_in_wrong_year_is_rejected() -> None:
    with pytest.raises(ValueError, match="不属于2027年"):
        WorkCalendar({2027: {date(2026, 12, 31): False}})


# -- arithmetic --------------------------------------------------------------------------------------


def test_next_workday() -> None:
    assert CAL.next_workday(date(2026, 2, 14)) == date(2026, 2, 14)
    assert CAL.next_workday(date(2026, 2, 15)) == date(2026, 2, 24)
    assert CAL.next_workday(date(2026, 10, 1)) == date(2026, 10, 8)
    assert CAL.next_workday(date(2026, 9, 19)) == date(2026, 9, 20)  # Sunday make-up day
    assert CAL.next_workday(date(2027, 1, 2)) == date(2027, 1, 4)  # fallback


def test_add_workdays_across_spring_festival() -> None:
    assert CAL.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert CAL.add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert CAL.add_workdays(date(2026, 2, 12), 3) == date(2026, 2, 24)
    assert CAL.add_workdays(date(2026, 2, 15), 1) == date(2026, 2, 24)  # start on a holiday
    assert CAL.add_workdays(date(2026, 2, 23), 5) == date(2026, 2, 28)


def test_add_workdays_across_national_day() -> None:
    assert CAL.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert CAL.add_workdays(date(2026, 9, 28), 7) == date(2026, 10, 13)


def test_add_workdays_start_not_counted_zero_and_negative() -> None:
    assert CAL.add_workdays(date(2026, 3, 2), 1) == date(2026, 3, 3)
    assert CAL.add_workdays(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert CAL.add_workdays(date(2026, 2, 24), -1) == date(2026, 2, 14)
    assert CAL.add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)


def test_add_workdays_with_skip() -> None:
    assert CAL.add_workdays(date(2026, 2, 13), 1, skip=lambda d: d == date(2026, 2, 14)) == date(2026, 2, 24)
    with pytest.raises(ValueError, match="工作日"):
        CAL.add_workdays(date(2026, 1, 1), 1, skip=lambda d: True)


def test_add_workdays_into_missing_year_uses_weekends() -> None:
    assert CAL.add_workdays(date(2026, 12, 30), 3) == date(2027, 1, 4)
    cal = WorkCalendar({2027: {date(2027, 1, 1): False}})
    assert cal.add_workdays(date(2026, 12, 30), 3) == date(2027, 1, 5)


def test_workdays_between() -> None:
    # (2026-02-13, 2026-02-28]: 14 (Sat make-up), 24, 25, 26, 27, 28 (Sat make-up)
    assert CAL.workdays_between(date(2026, 2, 13), date(2026, 2, 28)) == 6
    assert CAL.workdays_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert CAL.workdays_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert CAL.workdays_between(date(2026, 3, 9), date(2026, 3, 2)) == 0
    # chinese_calendar gives 2026 248 working days; 2026-01-01 (excluded here) is a holiday anyway.
    assert CAL.workdays_between(date(2026, 1, 1), date(2026, 12, 31)) == 248
    assert CAL.workdays_between(date(2025, 12, 31), date(2026, 12, 31)) == 248


# -- properties --------------------------------------------------------------------------------------

_dates = st.dates(min_value=date(2003, 6, 1), max_value=date(2028, 6, 30))


@settings(max_examples=300, deadline=None)
@given(start=_dates, n=st.integers(min_value=1, max_value=80))
def test_add_workdays_property(start: date, n: int) -> None:
    result = CAL.add_workdays(start, n)
    assert result > start
    assert CAL.is_workday(result)
    assert CAL.workdays_between(start, result) == n
    assert CAL.workdays_between(start, result - timedelta(days=1)) == n - 1
    assert CAL.next_workday(result) == result


@settings(max_examples=300, deadline=None)
@given(d=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_matches_chinese_calendar_where_it_has_data(d: date) -> None:
    assert CAL.is_workday(d) is chinese_calendar.is_workday(d)
