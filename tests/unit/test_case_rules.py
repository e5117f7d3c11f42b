"""Pure enforcement arithmetic: deadlines around holidays, fee bands, delay interest, node colours."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.cases.rules import (
    DELAY_RATE,
    Deadline,
    Pause,
    Unit,
    application_fee,
    compute_deadline,
    delay_days,
    delay_interest,
    node_color,
    performance_period_expired,
)
from zhixing.core.money import AmountError, round_fen
from zhixing.core.workdays import WorkCalendar

CAL = WorkCalendar()
# A hypothetical 2027 table as an administrator would load it: New Year's Day off, Saturday 20 Feb a
# make-up working day.
CAL_2027 = WorkCalendar({2027: {date(2027, 1, 1): False, date(2027, 2, 20): True}})


def due(*args: object, **kwargs: object) -> date | None:
    result = compute_deadline(*args, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, Deadline)
    return result.due


# -- DAYS --------------------------------------------------------------------------------------------


def test_days_start_day_not_counted() -> None:
    # CPL Art 85: the period runs from the day after start.
    assert due(date(2026, 3, 2), 1, Unit.DAYS, CAL) == date(2026, 3, 3)
    assert due(date(2026, 3, 2), 7, Unit.DAYS, CAL) == date(2026, 3, 9)


def test_days_ending_in_spring_festival_roll_to_first_working_day() -> None:
    assert compute_deadline(date(2026, 2, 10), 7, Unit.DAYS, CAL) == Deadline(date(2026, 2, 24), ())
    assert due(date(2026, 2, 10), 7, Unit.DAYS, CAL, roll_to_workday=False) == date(2026, 2, 17)


def test_days_ending_on_make_up_saturday_do_not_roll() -> None:
    assert due(date(2026, 2, 21), 7, Unit.DAYS, CAL) == date(2026, 2, 28)
    assert due(date(2026, 2, 7), 7, Unit.DAYS, CAL) == date(2026, 2, 14)


def test_days_ending_on_ordinary_sunday_roll_to_monday() -> None:
    assert due(date(2026, 3, 1), 7, Unit.DAYS, CAL) == date(2026, 3, 9)


def test_days_ending_in_national_day() -> None:
    assert due(date(2026, 9, 24), 7, Unit.DAYS, CAL) == date(2026, 10, 8)
    assert due(date(2026, 9, 26), 10, Unit.DAYS, CAL) == date(2026, 10, 8)
    # Saturday 09-19 is a rest day; the roll stops on Sunday 09-20, a make-up working day (调休上班).
    assert due(date(2026, 9, 12), 7, Unit.DAYS, CAL) == date(2026, 9, 20)
    assert due(date(2026, 9, 12), 8, Unit.DAYS, CAL) == date(2026, 9, 20)


def test_days_suspension_spanning_national_day() -> None:
    # 10 days from 2026-09-20; suspended [09-28, 10-09) = 11 days. Counted days: 09-21..27 (7),
    # 10-09, 10-10, 10-11 → 10-11 (Sunday) → rolled to Monday 10-12.
    pause = Pause(date(2026, 9, 28), date(2026, 10, 9))
    assert due(date(2026, 9, 20), 10, Unit.DAYS, CAL) == date(2026, 9, 30)
    assert due(date(2026, 9, 20), 10, Unit.DAYS, CAL, [pause]) == date(2026, 10, 12)
    assert due(date(2026, 9, 20), 10, Unit.DAYS, CAL, [pause], roll_to_workday=False) == date(2026, 10, 11)


def test_days_with_extension_months() -> None:
    # 30 days from 2026-03-01 end 2026-03-31; +3 months → 2026-06-30 (Tue).
    assert due(date(2026, 3, 1), 30, Unit.DAYS, CAL, extra_months=3) == date(2026, 6, 30)


# -- WORKDAYS ----------------------------------------------------------------------------------------


def test_workdays_across_holidays() -> None:
    assert compute_deadline(date(2026, 9, 28), 7, Unit.WORKDAYS, CAL) == Deadline(date(2026, 10, 13), ())
    # 2026-02-13 (1 = Sat 14 make-up), 24 (2) …
    assert due(date(2026, 2, 12), 3, Unit.WORKDAYS, CAL) == date(2026, 2, 24)
    assert due(date(2026, 3, 2), 1, Unit.WORKDAYS, CAL) == date(2026, 3, 3)


def test_workdays_suspension_spanning_national_day() -> None:
    # Suspended [09-30, 10-09): 09-29 (1), 10-09 (2), 10-10 Sat make-up (3), 10-12 (4) … 10-15 (7).
    pause = Pause(date(2026, 9, 30), date(2026, 10, 9))
    assert due(date(2026, 9, 28), 7, Unit.WORKDAYS, CAL, [pause]) == date(2026, 10, 15)


def test_workdays_refuse_month_extension() -> None:
    with pytest.raises(ValueError, match="不能按月延长"):
        compute_deadline(date(2026, 3, 2), 5, Unit.WORKDAYS, CAL, extra_months=1)


# -- MONTHS ------------------------------------------------------------------------------------------


def test_six_month_enforcement_period_and_three_month_extension() -> None:
    # 审限规定 Art 5: 6 months, extension +3 months.
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL) == date(2026, 9, 15)
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, extra_months=3) == date(2026, 12, 15)


def test_the_extension_runs_from_the_terms_own_last_day_at_a_month_end() -> None:
    # 民法典 Art 202: filed 2025-08-31, six months end 2026-02-28 (no 02-31); three months more end on
    # 05-28, the day matching 02-28 — not 05-31 (nine months from the filing day)
    assert due(date(2025, 8, 31), 6, Unit.MONTHS, CAL) == date(2026, 2, 28)
    assert due(date(2025, 8, 31), 6, Unit.MONTHS, CAL, extra_months=3) == date(2026, 5, 28)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # month end, and a make-up Saturday: no roll
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2026, 3, 31), 6, date(2026, 9, 30)),
        (date(2026, 5, 31), 4, date(2026, 9, 30)),
        (date(2026, 7, 31), 2, date(2026, 9, 30)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2025, 12, 31), 6, date(2026, 6, 30)),
        (date(2026, 4, 30), 5, date(2026, 9, 30)),
        (date(2025, 8, 25), 6, date(2026, 2, 25)),
        (date(2025, 8, 17), 6, date(2026, 2, 24)),  # 02-17 in Spring Festival → 02-24
        (date(2026, 4, 1), 6, date(2026, 10, 8)),  # 10-01 National Day → 10-08
    ],
)
def test_months_at_month_ends_and_holidays(start: date, months: int, expected: date) -> None:
    assert compute_deadline(start, months, Unit.MONTHS, CAL) == Deadline(expected, ())


def test_months_without_roll() -> None:
    assert due(date(2026, 4, 1), 6, Unit.MONTHS, CAL, roll_to_workday=False) == date(2026, 10, 1)


def test_months_pushed_by_pause_then_rolled() -> None:
    # 10 paused days → 09-25 (Mid-autumn holiday) → 09-28.
    pause = Pause(date(2026, 4, 1), date(2026, 4, 11))
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, [pause]) == date(2026, 9, 28)
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, [pause], roll_to_workday=False) == date(2026, 9, 25)


def test_months_pause_after_original_due_counts_when_within_pushed_period() -> None:
    # Original due 09-15; first pause pushes 10 days to 09-25; the second pause (09-20..24) starts
    # after 09-15 but inside the pushed period, so it counts too: 09-30.
    pauses = [Pause(date(2026, 9, 1), date(2026, 9, 11)), Pause(date(2026, 9, 20), date(2026, 9, 25))]
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, pauses) == date(2026, 9, 30)
    # A pause after the pushed due date does not count.
    pauses.append(Pause(date(2026, 10, 12), date(2026, 10, 20)))
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, pauses) == date(2026, 9, 30)


def test_overlapping_pauses_are_not_double_counted() -> None:
    # [04-01, 04-15) = 14 days → 09-29.
    pauses = [Pause(date(2026, 4, 1), date(2026, 4, 11)), Pause(date(2026, 4, 5), date(2026, 4, 15))]
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, pauses) == date(2026, 9, 29)
    adjacent = [Pause(date(2026, 4, 1), date(2026, 4, 8)), Pause(date(2026, 4, 8), date(2026, 4, 15))]
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, adjacent) == date(2026, 9, 29)


def test_pause_starting_before_the_period_counts_only_inside_it() -> None:
    # Days 03-16..03-19 are inside the period → 09-19 (Sat, rest) → 09-20 (Sun, make-up working day).
    pause = Pause(date(2026, 3, 10), date(2026, 3, 20))
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, [pause]) == date(2026, 9, 20)


def test_zero_length_pause_is_ignored_and_reversed_pause_rejected() -> None:
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, [Pause(date(2026, 4, 1), date(2026, 4, 1))]) == date(
        2026, 9, 15
    )
    with pytest.raises(ValueError, match="结束日期2026-03-31早于开始日期2026-04-01"):
        Pause(date(2026, 4, 1), date(2026, 3, 31))


def test_roll_skips_a_suspended_working_day() -> None:
    # Nominal 10-03 (holiday) would roll to 10-08, but 10-08 is suspended: the period ends on the first
    # working day on which the clock runs, Friday 10-09 (the due date is never a suspended day).
    pause = Pause(date(2026, 10, 8), date(2026, 10, 9))
    result = due(date(2026, 9, 26), 7, Unit.DAYS, CAL, [pause])
    assert result == date(2026, 10, 9)


# -- open pauses -------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", [Unit.DAYS, Unit.WORKDAYS, Unit.MONTHS])
def test_open_pause_stops_the_clock(unit: Unit) -> None:
    result = compute_deadline(date(2026, 3, 15), 6, unit, CAL, [Pause(date(2026, 3, 17), None)])
    assert result == Deadline(None, ())


def test_open_pause_boundaries() -> None:
    start = date(2026, 3, 15)
    assert due(start, 6, Unit.MONTHS, CAL, [Pause(date(2026, 9, 16), None)]) == date(2026, 9, 15)
    assert due(start, 6, Unit.MONTHS, CAL, [Pause(date(2026, 9, 15), None)]) is None
    assert due(start, 6, Unit.MONTHS, CAL, [Pause(date(2026, 1, 1), None)]) is None
    # The closed pause pushes 09-15 to 09-25, so an open pause from 09-20 stops the clock.
    pauses = [Pause(date(2026, 4, 1), date(2026, 4, 11)), Pause(date(2026, 9, 20), None)]
    assert due(start, 6, Unit.MONTHS, CAL, pauses) is None
    # Nominal end 10-03 is a holiday; the period legally runs to 10-08, so a suspension from 10-05
    # (before the rolled due date) stops it.
    assert due(date(2026, 9, 26), 7, Unit.DAYS, CAL, [Pause(date(2026, 10, 5), None)]) is None
    assert due(date(2026, 9, 26), 7, Unit.DAYS, CAL, [Pause(date(2026, 10, 9), None)]) == date(2026, 10, 8)


def test_resumed_pause_after_open_pause_closes() -> None:
    # The suspension ends (resumption notice, 执行工作规定 Art 60): 03-17..03-26 = 10 days → 09-25 → 09-28.
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, [Pause(date(2026, 3, 17), date(2026, 3, 27))]) == date(
        2026, 9, 28
    )


# -- years the calendar does not know ----------------------------------------------------------------


def test_deadline_in_2027_before_and_after_the_table_is_loaded() -> None:
    # DAYS: 2026-12-22 + 10 = 2027-01-01 (Friday). Weekend-only fallback: a working day.
    assert compute_deadline(date(2026, 12, 22), 10, Unit.DAYS, CAL) == Deadline(date(2027, 1, 1), (2027,))
    # With the table, 01-01 is a holiday; 01-02/03 are the weekend → Monday 01-04.
    assert compute_deadline(date(2026, 12, 22), 10, Unit.DAYS, CAL_2027) == Deadline(date(2027, 1, 4), ())


def test_make_up_day_in_loaded_2027_table() -> None:
    # 2027-02-10 + 10 = Saturday 02-20: rest day by fallback, make-up working day by the table.
    assert compute_deadline(date(2027, 2, 10), 10, Unit.DAYS, CAL) == Deadline(date(2027, 2, 22), (2027,))
    assert compute_deadline(date(2027, 2, 10), 10, Unit.DAYS, CAL_2027) == Deadline(date(2027, 2, 20), ())


def test_workdays_into_2027() -> None:
    # 12-31 (1), 01-01 fallback working day (2), 01-04 (3) | with the table: 12-31, 01-04, 01-05.
    assert compute_deadline(date(2026, 12, 30), 3, Unit.WORKDAYS, CAL) == Deadline(date(2027, 1, 4), (2027,))
    assert compute_deadline(date(2026, 12, 30), 3, Unit.WORKDAYS, CAL_2027) == Deadline(date(2027, 1, 5), ())
    # Fully inside 2026 but counted through the calendar: nothing missing.
    assert compute_deadline(date(2026, 12, 1), 3, Unit.WORKDAYS, CAL).missing_years == ()


def test_months_into_2027_at_month_end() -> None:
    # 2026-08-31 + 6 months = 2027-02-28 (Sunday) → fallback Monday 03-01.
    assert compute_deadline(date(2026, 8, 31), 6, Unit.MONTHS, CAL) == Deadline(date(2027, 3, 1), (2027,))
    assert compute_deadline(date(2026, 8, 31), 6, Unit.MONTHS, CAL_2027) == Deadline(date(2027, 3, 1), ())
    table = WorkCalendar({2027: {date(2027, 2, 28): True}})
    assert compute_deadline(date(2026, 8, 31), 6, Unit.MONTHS, table) == Deadline(date(2027, 2, 28), ())


def test_missing_years_only_when_the_calendar_was_consulted() -> None:
    assert compute_deadline(date(2026, 12, 22), 10, Unit.DAYS, CAL, roll_to_workday=False) == Deadline(
        date(2027, 1, 1), ()
    )
    assert compute_deadline(date(2026, 12, 22), 10, Unit.DAYS, CAL, [Pause(date(2026, 12, 25), None)]) == (
        Deadline(None, ())
    )
    # A 2027 start with a due date in 2028: both years missing.
    assert compute_deadline(date(2027, 12, 20), 10, Unit.WORKDAYS, CAL).missing_years == (2027, 2028)


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        compute_deadline(date(2026, 3, 2), -1, Unit.DAYS, CAL)
    with pytest.raises(ValueError, match="延长月数不能为负数"):
        compute_deadline(date(2026, 3, 2), 6, Unit.MONTHS, CAL, extra_months=-1)
    # The unit may come from a database row as its string value.
    assert due(date(2026, 3, 15), 6, "months", CAL) == date(2026, 9, 15)


# -- application fee ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        ("0", "0.00"),
        ("0.01", "50.00"),
        ("9999.99", "50.00"),
        ("10000", "50.00"),
        ("10000.01", "50.00"),
        ("10003", "50.05"),  # 50.045 → half-up 50.05 (half-even would give 50.04)
        ("12345.67", "85.19"),
        ("20000", "200.00"),
        ("499999.99", "7400.00"),
        ("500000", "7400.00"),
        ("500000.01", "7400.00"),
        ("1000000", "12400.00"),
        ("4999999.99", "52400.00"),
        ("5000000", "52400.00"),
        ("5000000.01", "52400.00"),
        ("9999999.99", "77400.00"),
        ("10000000", "77400.00"),
        ("10000000.01", "77400.00"),
        ("10005000", "77405.00"),
        ("100000000", "167400.00"),
        ("1000000000000", "1000067400.00"),
    ],
)
def test_application_fee_bands(amount: str, fee: str) -> None:
    result = application_fee(Decimal(amount))
    assert str(result) == fee


def test_application_fee_rejects_negative() -> None:
    with pytest.raises(AmountError):
        application_fee(Decimal("-0.01"))
    with pytest.raises(AmountError):
        application_fee(Decimal("NaN"))


def _fee_reference(amount: Decimal) -> Decimal:
    """Closed form per band: fee at the band's lower edge + rate × excess (诉讼费用交纳办法 Art 14(1))."""
    if amount == 0:
        return Decimal("0.00")
    for lower, base, rate in (
        (Decimal(10_000_000), Decimal(77_400), Decimal("0.001")),
        (Decimal(5_000_000), Decimal(52_400), Decimal("0.005")),
        (Decimal(500_000), Decimal(7_400), Decimal("0.01")),
        (Decimal(10_000), Decimal(50), Decimal("0.015")),
    ):
        if amount > lower:
            return round_fen(base + (amount - lower) * rate)
    return Decimal("50.00")


_cents = st.integers(min_value=1, max_value=2_000_000_000).map(lambda c: Decimal(c) / 100)


@settings(max_examples=500)
@given(a=_cents, b=_cents)
def test_application_fee_monotonic_and_matches_closed_form(a: Decimal, b: Decimal) -> None:
    lo, hi = sorted((a, b))
    assert application_fee(lo) <= application_fee(hi)
    assert application_fee(a) == _fee_reference(a)


@settings(max_examples=500)
@given(a=_cents)
def test_application_fee_continuous_across_bands(a: Decimal) -> None:
    # One more fen never adds more than one fen of fee (the top rate is 1.5 %).
    step = application_fee(a + Decimal("0.01")) - application_fee(a)
    assert Decimal(0) <= step <= Decimal("0.01")


@pytest.mark.parametrize("edge", ["10000", "500000", "5000000", "10000000"])
def test_application_fee_continuous_at_each_edge(edge: str) -> None:
    e = Decimal(edge)
    below, at, above = (application_fee(e + d) for d in (Decimal("-0.01"), Decimal(0), Decimal("0.01")))
    assert below <= at <= above
    assert above - below <= Decimal("0.01")


# -- delay interest ----------------------------------------------------------------------------------

DEADLINE = date(2026, 1, 10)
UNTIL = date(2026, 1, 20)


def test_delay_interest_example() -> None:
    assert delay_days(DEADLINE, UNTIL) == 10
    assert delay_interest(Decimal(100_000), DEADLINE, UNTIL) == Decimal("175.00")
    assert str(DELAY_RATE) == "0.000175"


def test_no_delay_on_or_before_deadline() -> None:
    assert delay_days(DEADLINE, DEADLINE) == 0
    assert delay_days(DEADLINE, DEADLINE - timedelta(days=5)) == 0
    assert str(delay_interest(Decimal(100_000), DEADLINE, DEADLINE)) == "0.00"
    assert delay_days(DEADLINE, DEADLINE + timedelta(days=1)) == 1
    assert delay_interest(Decimal(100_000), DEADLINE, DEADLINE + timedelta(days=1)) == Decimal("17.50")


def test_payment_reduces_principal_from_the_next_day() -> None:
    # 01-11..01-15 at 100,000, 01-16..01-20 at 60,000: (500,000 + 300,000) × 0.000175 = 140.00.
    payments = [(date(2026, 1, 15), Decimal(40_000))]
    assert delay_interest(Decimal(100_000), DEADLINE, UNTIL, payments) == Decimal("140.00")


def test_payment_before_deadline_on_until_and_after_until() -> None:
    assert delay_interest(
        Decimal(100_000), DEADLINE, UNTIL, [(date(2026, 1, 5), Decimal(50_000))]
    ) == Decimal("87.50")
    assert delay_interest(Decimal(100_000), DEADLINE, UNTIL, [(UNTIL, Decimal(100_000))]) == Decimal("175.00")
    late = [(date(2026, 2, 1), Decimal(100_000))]
    assert delay_interest(Decimal(100_000), DEADLINE, UNTIL, late) == Decimal("175.00")


def test_payments_unsorted_and_overpayment() -> None:
    payments = [(date(2026, 1, 17), Decimal(100_000)), (date(2026, 1, 12), Decimal(20_000))]
    # 01-11..12 at 100,000 (2 days), 01-13..17 at 80,000 (5 days), then fully paid (overpaid).
    expected = (Decimal(100_000) * 2 + Decimal(80_000) * 5) * DELAY_RATE
    assert delay_interest(Decimal(100_000), DEADLINE, UNTIL, payments) == round_fen(expected)
    assert round_fen(expected) == Decimal("105.00")


def test_pauses_are_not_counted() -> None:
    pause = Pause(date(2026, 1, 13), date(2026, 1, 16))  # 13, 14, 15
    assert delay_days(DEADLINE, UNTIL, [pause]) == 7
    assert delay_interest(Decimal(100_000), DEADLINE, UNTIL, pauses=[pause]) == Decimal("122.50")
    open_pause = Pause(date(2026, 1, 18), None)  # 18, 19, 20
    assert delay_days(DEADLINE, UNTIL, [open_pause]) == 7
    assert delay_interest(Decimal(100_000), DEADLINE, UNTIL, pauses=[open_pause]) == Decimal("122.50")
    # A pause from before the deadline only removes the days after it.
    assert delay_days(DEADLINE, UNTIL, [Pause(date(2026, 1, 1), date(2026, 1, 12))]) == 9
    # Overlapping pauses count once.
    overlapping = [Pause(date(2026, 1, 13), date(2026, 1, 16)), Pause(date(2026, 1, 14), date(2026, 1, 17))]
    assert delay_days(DEADLINE, UNTIL, overlapping) == 6


def test_closed_and_open_pauses_merge() -> None:
    # A closed pause running into an open one: 01-13.. all paused → only 01-11, 01-12 count.
    touching = [Pause(date(2026, 1, 13), date(2026, 1, 16)), Pause(date(2026, 1, 16), None)]
    assert delay_days(DEADLINE, UNTIL, touching) == 2
    # A closed pause inside an open one adds nothing.
    inside = [Pause(date(2026, 1, 13), None), Pause(date(2026, 1, 15), date(2026, 1, 18))]
    assert delay_days(DEADLINE, UNTIL, inside) == 2
    # Two open pauses: the earlier one governs.
    assert delay_days(DEADLINE, UNTIL, [Pause(date(2026, 1, 18), None), Pause(date(2026, 1, 13), None)]) == 2
    # The same merging in deadlines: closed 04-01..04-10 then open from 04-11 → no due date.
    pauses = [Pause(date(2026, 4, 1), date(2026, 4, 11)), Pause(date(2026, 4, 11), None)]
    assert due(date(2026, 3, 15), 6, Unit.MONTHS, CAL, pauses) is None


def test_payments_and_pauses_together() -> None:
    # Paused 01-14..16; 40,000 paid 01-15. At 100,000: 11, 12, 13 (3 days); at 60,000: 17..20 (4 days).
    result = delay_interest(
        Decimal(100_000),
        DEADLINE,
        UNTIL,
        payments=[(date(2026, 1, 15), Decimal(40_000))],
        pauses=[Pause(date(2026, 1, 14), date(2026, 1, 17))],
    )
    assert result == Decimal("94.50")


def test_rounding_only_at_the_end() -> None:
    # Three one-day segments of 0.0175 each: 0.0525 → 0.05 (per-segment rounding would give 0.06).
    payments = [(date(2026, 1, 11), Decimal(0)), (date(2026, 1, 12), Decimal(0))]
    assert delay_interest(Decimal(100), DEADLINE, date(2026, 1, 13), payments) == Decimal("0.05")


def test_realistic_amount() -> None:
    # 90 days: 1,234,567.89 × 0.000175 × 90 = 19,444.4442675 → 19,444.44.
    assert delay_days(date(2025, 12, 31), date(2026, 3, 31)) == 90
    result = delay_interest(Decimal("1234567.89"), date(2025, 12, 31), date(2026, 3, 31))
    assert result == Decimal("19444.44")


def test_delay_interest_rejects_bad_amounts() -> None:
    with pytest.raises(AmountError):
        delay_interest(Decimal(-1), DEADLINE, UNTIL)
    with pytest.raises(AmountError):
        delay_interest(Decimal(100), DEADLINE, UNTIL, [(date(2026, 1, 12), Decimal(-5))])


@settings(max_examples=200)
@given(
    principal=st.integers(min_value=0, max_value=10**10).map(lambda c: Decimal(c) / 100),
    delay=st.integers(min_value=-30, max_value=3000),
    pause_start=st.integers(min_value=-10, max_value=200),
    pause_len=st.integers(min_value=0, max_value=100),
)
def test_delay_interest_without_payments_is_the_simple_product(
    principal: Decimal, delay: int, pause_start: int, pause_len: int
) -> None:
    until = DEADLINE + timedelta(days=delay)
    pause = Pause(DEADLINE + timedelta(days=pause_start), DEADLINE + timedelta(days=pause_start + pause_len))
    n = delay_days(DEADLINE, until, [pause])
    assert 0 <= n <= max(delay, 0)
    assert delay_interest(principal, DEADLINE, until, pauses=[pause]) == round_fen(principal * DELAY_RATE * n)


# -- node colours ------------------------------------------------------------------------------------


def test_node_color() -> None:
    due_on = date(2026, 2, 24)
    assert node_color(due_on, date(2026, 3, 1), True, CAL, 2) == "done"
    assert node_color(None, date(2026, 3, 1), True, CAL, 2) == "done"
    assert node_color(None, date(2026, 3, 1), False, CAL, 2) == "paused"
    assert node_color(due_on, date(2026, 2, 25), False, CAL, 2) == "red"
    assert node_color(due_on, due_on, False, CAL, 0) == "yellow"
    # (02-13, 02-24] holds 2 working days: 02-14 (make-up Saturday) and 02-24.
    assert node_color(due_on, date(2026, 2, 13), False, CAL, 2) == "yellow"
    assert node_color(due_on, date(2026, 2, 13), False, CAL, 1) == "green"
    # (02-12, 02-24] holds 3.
    assert node_color(due_on, date(2026, 2, 12), False, CAL, 2) == "green"
    # During the holiday only the due day itself remains.
    assert node_color(due_on, date(2026, 2, 16), False, CAL, 1) == "yellow"


# -- deadline properties -----------------------------------------------------------------------------

_starts = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 10, 31))
_pauses = st.lists(
    st.tuples(st.integers(min_value=-20, max_value=120), st.integers(min_value=0, max_value=40)), max_size=3
)


def _to_pauses(start: date, raw: list[tuple[int, int]]) -> list[Pause]:
    return [Pause(start + timedelta(days=a), start + timedelta(days=a + n)) for a, n in raw]


def _paused(d: date, pauses: list[Pause]) -> bool:
    return any(p.start <= d and (p.end is None or d < p.end) for p in pauses)


@settings(max_examples=200, deadline=None)
@given(start=_starts, budget=st.integers(min_value=1, max_value=60), raw=_pauses)
def test_workdays_deadline_property(start: date, budget: int, raw: list[tuple[int, int]]) -> None:
    pauses = _to_pauses(start, raw)
    result = compute_deadline(start, budget, Unit.WORKDAYS, CAL, pauses)
    assert result.due is not None
    assert CAL.is_workday(result.due)
    assert not _paused(result.due, pauses)
    counted = [
        d
        for i in range(1, (result.due - start).days + 1)
        if CAL.is_workday(d := start + timedelta(days=i)) and not _paused(d, pauses)
    ]
    assert len(counted) == budget


@settings(max_examples=200, deadline=None)
@given(start=_starts, budget=st.integers(min_value=1, max_value=90), raw=_pauses, roll=st.booleans())
def test_days_deadline_property(start: date, budget: int, raw: list[tuple[int, int]], roll: bool) -> None:
    pauses = _to_pauses(start, raw)
    result = compute_deadline(start, budget, Unit.DAYS, CAL, pauses, roll_to_workday=roll)
    assert result.due is not None
    assert not _paused(result.due, pauses)
    running = [
        d
        for i in range(1, (result.due - start).days + 1)
        if not _paused(d := start + timedelta(days=i), pauses)
    ]
    if roll:
        assert CAL.is_workday(result.due)
        assert len(running) >= budget
        # Every running day after the budget-th one is a rest day (the roll crossed only rest days).
        assert all(not CAL.is_workday(d) for d in running[budget - 1 : -1])
    else:
        assert len(running) == budget


@settings(max_examples=200, deadline=None)
@given(
    start=_starts,
    months=st.integers(min_value=1, max_value=12),
    open_at=st.integers(min_value=1, max_value=400),
)
def test_open_pause_property(start: date, months: int, open_at: int) -> None:
    plain = compute_deadline(start, months, Unit.MONTHS, CAL).due
    assert plain is not None
    pause_start = start + timedelta(days=open_at)
    result = compute_deadline(start, months, Unit.MONTHS, CAL, [Pause(pause_start, None)]).due
    assert result == (None if pause_start <= plain else plain)


# -- filing: the performance period must have expired (执行工作规定 Art 16) ---------------------------


@pytest.mark.parametrize(
    ("deadline", "effective", "applied", "expired"),
    [
        (date(2025, 12, 15), date(2025, 12, 1), date(2025, 12, 15), False),  # last day of the period
        (date(2025, 12, 15), date(2025, 12, 1), date(2025, 12, 16), True),  # the day after
        (date(2025, 12, 15), date(2025, 12, 1), date(2025, 12, 2), False),  # well inside the period
        (date(2025, 12, 1), date(2025, 12, 1), date(2025, 12, 1), True),  # no period: from effect
        (date(2025, 12, 1), date(2025, 12, 1), date(2025, 11, 30), False),  # before the effect
        # A last day on a holiday moves to the next working day only for procedural periods (CPL 85);
        # the performance period the basis fixes is the instrument's own date: 1 Oct is not moved.
        (date(2025, 10, 1), date(2025, 9, 20), date(2025, 10, 2), True),
    ],
)
def test_performance_period_expired_edges(
    deadline: date, effective: date, applied: date, expired: bool
) -> None:
    assert performance_period_expired(deadline, effective, applied) is expired


# -- extensions of the term (审限规定 Art 5) -----------------------------------------------------------


def test_extension_step_first_by_the_president_then_reported_then_refused() -> None:
    from zhixing.cases.rules import extension_step

    first, second, third = (extension_step(n, 2) for n in (0, 1, 2))
    assert (first.allowed, first.report_up) == (True, False)
    assert (second.allowed, second.report_up) == (True, True)
    assert second.message == "第2次延长：批准后须层报高级人民法院备案（审限规定第5条）"
    assert (third.allowed, third.message) == (
        False,
        "执行期限已延长2次，达到上限2次，不能再延长（审限规定第5条）",
    )
    assert extension_step(2, 3).allowed and extension_step(2, 3).report_up
    assert not extension_step(0, 1).report_up and not extension_step(1, 1).allowed
    with pytest.raises(ValueError):
        extension_step(0, 0)
