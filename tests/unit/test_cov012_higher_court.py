"""CPL-2023 Art 237: the applicant may apply to the next-higher court once the case is not executed
more than 6 months after receipt of the application; 执行程序解释 Art 13 names the periods not counted,
which differ from the term's (审限规定 Art 9)."""

from __future__ import annotations

from datetime import date

import pytest

from zhixing.cases.higher_court import EXCLUDED_KINDS, higher_court_date
from zhixing.cases.rules import Pause
from zhixing.core.workdays import WorkCalendar

CAL = WorkCalendar({2026: {date(2026, 10, 1): False, date(2026, 10, 2): False}})
APPLIED = date(2026, 3, 2)


def test_six_months_from_receipt_the_day_after_is_the_first_day_to_apply():
    d = higher_court_date(APPLIED, [], [], CAL)
    assert (d.last_day, d.may_apply_from) == (date(2026, 9, 2), date(2026, 9, 3))
    assert not d.may_apply_on(date(2026, 9, 2))
    assert d.may_apply_on(date(2026, 9, 3))


def test_month_end_is_clipped():
    d = higher_court_date(date(2026, 8, 31), [], [], CAL)
    assert (d.last_day, d.may_apply_from) == (date(2027, 2, 28), date(2027, 3, 1))


def test_a_last_day_on_a_holiday_is_not_moved():
    # The 6 months are the court's; 1 October (National Day) stays the last day.
    d = higher_court_date(date(2026, 4, 1), [], [], CAL)
    assert (d.last_day, d.may_apply_from) == (date(2026, 10, 1), date(2026, 10, 2))


def test_suspension_is_not_counted():
    ten_days = Pause(date(2026, 4, 1), date(2026, 4, 11))
    d = higher_court_date(APPLIED, [ten_days], [], CAL)
    assert (d.last_day, d.may_apply_from) == (date(2026, 9, 12), date(2026, 9, 13))


@pytest.mark.parametrize(
    ("kind", "last_day"),
    [
        ("deferral", date(2026, 9, 12)),
        ("higher_court_stay", date(2026, 9, 12)),
        ("review_deferral", date(2026, 9, 12)),
        ("appraisal", date(2026, 9, 12)),
        ("public_notice", date(2026, 9, 12)),
        ("jurisdiction", date(2026, 9, 12)),
        # Not named by Art 13 (they stop only the term, 审限规定 Art 9):
        ("auction", date(2026, 9, 2)),
        ("audit", date(2026, 9, 2)),
    ],
)
def test_art13_periods_only(kind, last_day):
    d = higher_court_date(APPLIED, [], [(kind, Pause(date(2026, 5, 1), date(2026, 5, 11)))], CAL)
    assert d.last_day == last_day


def test_a_running_period_stops_the_count():
    d = higher_court_date(APPLIED, [], [("deferral", Pause(date(2026, 5, 1), None))], CAL)
    assert (d.last_day, d.may_apply_from) == (None, None)
    assert not d.may_apply_on(date(2030, 1, 1))
    running_auction = higher_court_date(APPLIED, [], [("auction", Pause(date(2026, 5, 1), None))], CAL)
    assert running_auction.may_apply_from == date(2026, 9, 3)


def test_the_excluded_kinds_are_model_kinds():
    from zhixing.cases.models import ExcludedPeriod

    assert set(ExcludedPeriod.Kind.values) > EXCLUDED_KINDS
    assert set(ExcludedPeriod.Kind.values) - EXCLUDED_KINDS == {"auction", "audit"}
