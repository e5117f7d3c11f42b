"""Calendar arithmetic the credit periods share: months, years, a period's end on a rest day, age."""

from __future__ import annotations

import calendar
from datetime import date

from zhixing.core.workdays import WorkCalendar


# -- dates ----------------------------------------------------------------------
def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, years: int) -> date:
    """Same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def period_end(last_day: date, cal: WorkCalendar) -> date:
    """CPL-2021 Art 85: a period whose last day is a statutory rest day ends on the next working day."""
    return cal.next_workday(last_day)


def age_on(birth: date, on: date) -> int:
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years
