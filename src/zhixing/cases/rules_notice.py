"""Pure periods of the enforcement notice (执行通知书) and the asset-report order (报告财产令)."""

from __future__ import annotations

from datetime import date

from zhixing.core.workdays import WorkCalendar

from .rules_deadlines import Unit, compute_deadline

# -- the enforcement notice (执行通知书) -------------------------------------------------------------------
# 执行程序解释 Art 22: a court that takes an immediate control measure before the notice was served sends
# the notice at the same time or within 3 days of the measure.
NOTICE_AFTER_MEASURE_DAYS = 3
# 2006 期限规定 Art 4: the handling officer sends the notice within 3 days of receiving the materials.
NOTICE_AFTER_ASSIGNMENT_DAYS = 3


def notice_period_ends_on(served_on: date, days: int, calendar: WorkCalendar) -> date:
    """The last day of the performance period the notice fixes, counted from its (deemed) service: 0 days is
    "立即履行" (the day of service); otherwise CPL Art 85 — the day of service is not counted and a last day
    on a holiday rolls to the next working day.

    # rule: R-2.2.20
    """
    if days == 0:
        return served_on
    due = compute_deadline(served_on, days, Unit.DAYS, calendar).due
    assert due is not None  # no pauses: never open
    return due


# rule
def asset_report_due_on(served_on: date, days: int, calendar: WorkCalendar) -> date:
    """The last day of the reporting period the 报告财产令 fixes, counted from the deemed service of the
    notice it was issued with (CPL Art 85: the day of service not counted, a holiday last day rolls on)."""
    due = compute_deadline(served_on, days, Unit.DAYS, calendar).due
    assert due is not None  # no pauses: never open
    return due


# rule
def asset_report_window(served_on: date, reported_on: date) -> tuple[date, date]:
    """The period a debtor's asset report covers: its current situation on `reported_on` and the changes
    from one year before the day it received the order (财产调查规定 Art 6; CPL-2023 Art 252 "当前以及收到
    执行通知之日前一年"). One year before 29 February is 28 February."""
    try:
        start = served_on.replace(year=served_on.year - 1)
    except ValueError:  # 29 February
        start = served_on.replace(year=served_on.year - 1, day=28)
    return start, reported_on


# rule
def asset_report_late(received_on: date, due_on: date) -> bool:
    """A report received after the reporting period's last day is late (the day itself is in time)."""
    return received_on > due_on


def notice_due_after_measure(measure_on: date, calendar: WorkCalendar) -> date:
    """The latest day the notice may be sent after an immediate control measure taken before it (3 days,
    CPL Art 85 rolling past a holiday).

    # rule: R-2.2.21
    """
    due = compute_deadline(measure_on, NOTICE_AFTER_MEASURE_DAYS, Unit.DAYS, calendar).due
    assert due is not None
    return due


def notice_due_after_assignment(assigned_on: date, calendar: WorkCalendar) -> date:
    """The latest day the handling officer sends the notice: 3 days after receiving the case materials
    (the first assignment), CPL Art 85 rolling past a holiday (2006 期限规定 Art 4). The notice node is due
    on the earlier of this and 10 days from receipt of the application (民诉解释 Art 480, R-2.2.4).

    # rule: R-2.2.13
    """
    due = compute_deadline(assigned_on, NOTICE_AFTER_ASSIGNMENT_DAYS, Unit.DAYS, calendar).due
    assert due is not None
    return due
