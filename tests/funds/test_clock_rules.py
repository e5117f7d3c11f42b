"""Pure payout-clock rules (funds.rules_clocks): deadlines, pauses, follow-up, settlement order, reasons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.core.workdays import WorkCalendar
from zhixing.funds.rules import PayoutLimit
from zhixing.funds.rules_clocks import (
    DEFAULT_REASONS,
    Cover,
    FollowUp,
    Pause,
    Slot,
    allocate_open,
    clock_color,
    clock_due,
    cover,
    days_overdue,
    followup_due,
    merge_pauses,
    reason_table,
)

D = Decimal
CAL = WorkCalendar()
CALENDAR = PayoutLimit(30, False)
WORKDAYS = PayoutLimit(30, True)
LATER = FollowUp(10, False, "later")


def due(arrived, pauses=(), limit=CALENDAR, follow=LATER):
    return clock_due(arrived, limit, [Pause(*p) for p in pauses], follow, CAL)


# -- no pause ----------------------------------------------------------------------------------------


def test_issue_example_money_arriving_2026_03_09_is_due_2026_04_08():
    assert due(date(2026, 3, 9)).due == date(2026, 4, 8)


@pytest.mark.parametrize(
    ("arrived", "expected"),
    [
        (date(2026, 1, 31), date(2026, 3, 2)),  # across February (28 days)
        (date(2024, 1, 31), date(2024, 3, 1)),  # leap year
        (date(2026, 12, 15), date(2027, 1, 14)),  # across the year end
        (date(2026, 9, 20), date(2026, 10, 20)),  # calendar days: National Day counts
        (date(2026, 3, 6), date(2026, 4, 5)),  # ends on a holiday (Qingming): calendar rule, no roll
    ],
)
def test_calendar_days(arrived, expected):
    assert due(arrived).due == expected


@pytest.mark.parametrize(
    ("arrived", "expected"),
    [
        (date(2026, 3, 9), date(2026, 4, 21)),  # Qingming (Apr 4-6) skipped
        (date(2026, 9, 20), date(2026, 11, 6)),  # Mid-Autumn + National Day skipped, Oct 10 make-up counts
    ],
)
def test_working_days_when_configured(arrived, expected):
    assert due(arrived, limit=WORKDAYS).due == expected


# -- pauses ------------------------------------------------------------------------------------------


def test_open_pause_stops_the_clock_with_the_days_left():
    r = due(date(2026, 3, 9), [(date(2026, 3, 19), None)])
    assert (r.due, r.paused_since, r.days_left_at_pause) == (None, date(2026, 3, 19), 20)


def test_lifted_pause_resumes_with_remaining_days_when_later_than_follow_up():
    # 20 days left on 03-19; lifted 04-01 → 04-21 (follow-up 04-11 is earlier)
    assert due(date(2026, 3, 9), [(date(2026, 3, 19), date(2026, 4, 1))]).due == date(2026, 4, 21)


def test_lifted_pause_near_the_end_gets_the_follow_up_period():
    # 2 days left on 04-06; lifted 05-10 → remaining gives 05-12, follow-up 05-20 is later
    assert due(date(2026, 3, 9), [(date(2026, 4, 6), date(2026, 5, 10))]).due == date(2026, 5, 20)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("later", date(2026, 5, 20)), ("remaining", date(2026, 5, 12)), ("followup", date(2026, 5, 20))],
)
def test_resume_modes(mode, expected):
    r = due(date(2026, 3, 9), [(date(2026, 4, 6), date(2026, 5, 10))], follow=FollowUp(10, False, mode))
    assert r.due == expected


def test_followup_mode_can_shorten_a_long_remainder():
    r = due(
        date(2026, 3, 9), [(date(2026, 3, 10), date(2026, 3, 12))], follow=FollowUp(10, False, "followup")
    )
    assert r.due == date(2026, 3, 22)


def test_pause_before_arrival_covers_money_arriving_during_a_suspension():
    # suspended since 02-01; money arrives 03-09; resumed 03-20 → full 30 days from 03-20
    assert due(date(2026, 3, 9), [(date(2026, 2, 1), date(2026, 3, 20))]).due == date(2026, 4, 19)


def test_pause_ending_before_arrival_is_ignored():
    assert due(date(2026, 3, 9), [(date(2026, 2, 1), date(2026, 3, 1))]).due == date(2026, 4, 8)


def test_pause_after_the_deadline_gives_only_the_follow_up():
    assert due(date(2026, 3, 9), [(date(2026, 4, 20), date(2026, 4, 25))]).due == date(2026, 5, 5)


def test_two_pauses_in_sequence():
    # 03-09 due 04-08; pause 03-19..03-29 (20 left) → 04-18; pause 04-08..04-10 (10 left) → 04-20
    r = due(date(2026, 3, 9), [(date(2026, 3, 19), date(2026, 3, 29)), (date(2026, 4, 8), date(2026, 4, 10))])
    assert r.due == date(2026, 4, 20)


def test_overlapping_pauses_merge():
    one = due(date(2026, 3, 9), [(date(2026, 3, 19), date(2026, 4, 1))])
    two = due(
        date(2026, 3, 9), [(date(2026, 3, 19), date(2026, 3, 25)), (date(2026, 3, 22), date(2026, 4, 1))]
    )
    assert one.due == two.due == date(2026, 4, 21)


def test_an_open_pause_overlapping_a_lifted_one_keeps_the_clock_paused():
    r = due(date(2026, 3, 9), [(date(2026, 3, 19), date(2026, 4, 1)), (date(2026, 3, 30), None)])
    assert r.due is None and r.paused_since == date(2026, 3, 19)


def test_pause_lifted_the_day_it_began():
    # 20 days left, 0 days paused → 04-08 stays; follow-up from 03-19 = 03-29 is earlier
    assert due(date(2026, 3, 9), [(date(2026, 3, 19), date(2026, 3, 19))]).due == date(2026, 4, 8)


def test_pause_across_month_end_and_holiday_in_working_days():
    # working days: due 04-21; paused 03-31 with 14 working days left (Apr 1-3, 7-10, 13-17, 20-21)
    r = due(date(2026, 3, 9), [(date(2026, 3, 31), date(2026, 4, 30))], limit=WORKDAYS)
    left = CAL.workdays_between(date(2026, 3, 31), date(2026, 4, 21))
    assert left == 14
    assert (
        r.due == CAL.add_workdays(date(2026, 4, 30), 14) == date(2026, 5, 22)
    )  # May Day holiday, May 9 make-up day counts


def test_follow_up_in_working_days_rolls_past_national_day():
    assert followup_due(date(2026, 9, 30), FollowUp(10, True), CAL) == date(2026, 10, 20)
    assert followup_due(date(2026, 9, 30), FollowUp(10, False), CAL) == date(2026, 10, 10)


def test_merge_pauses_clips_to_arrival_and_sorts():
    got = merge_pauses(
        [Pause(date(2026, 3, 20), date(2026, 3, 25)), Pause(date(2026, 3, 1), date(2026, 3, 12))],
        date(2026, 3, 9),
    )
    assert got == [Pause(date(2026, 3, 9), date(2026, 3, 12)), Pause(date(2026, 3, 20), date(2026, 3, 25))]


def test_followup_validation():
    with pytest.raises(ValueError, match="恢复方式"):
        FollowUp(10, False, "sometimes")
    with pytest.raises(ValueError, match="负数"):
        FollowUp(-1)


@given(
    arrived=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 10, 1)),
    start=st.integers(min_value=0, max_value=60),
    length=st.integers(min_value=0, max_value=60),
)
def test_later_mode_never_ends_before_either_rule(arrived, start, length):
    from datetime import timedelta

    s = arrived + timedelta(days=start)
    e = s + timedelta(days=length)
    got = due(arrived, [(s, e)]).due
    plain = due(arrived).due
    assert got >= e + timedelta(days=10)
    assert got >= plain + timedelta(days=length) if s <= plain else got >= e


# -- colour and lateness -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_on", "today", "color"),
    [
        (None, date(2026, 4, 1), "paused"),
        (date(2026, 4, 8), date(2026, 4, 9), "red"),
        (date(2026, 4, 8), date(2026, 4, 8), "yellow"),
        (date(2026, 4, 8), date(2026, 3, 31), "yellow"),  # 5 working days (Apr 4-6 holiday)
        (date(2026, 4, 8), date(2026, 3, 30), "green"),
    ],
)
def test_clock_color(due_on, today, color):
    assert clock_color(due_on, today, CAL, 5) == color


def test_days_overdue():
    assert days_overdue(date(2026, 4, 8), date(2026, 4, 9)) == 1
    assert days_overdue(date(2026, 4, 8), date(2026, 5, 8)) == 30
    assert days_overdue(date(2026, 4, 8), date(2026, 4, 8)) == 0
    assert days_overdue(None, date(2026, 4, 8)) == 0


# -- settlement: oldest first, held last -------------------------------------------------------------


def slots(*amounts, held=()):
    return [Slot(i, D(a), (date(2026, 3, i), i), held=i in held) for i, a in enumerate(amounts, start=1)]


@pytest.mark.parametrize(
    ("balance", "expected"),
    [
        (D("600.00"), {1: D("100.00"), 2: D("200.00"), 3: D("300.00")}),
        (
            D("450.00"),
            {1: D("0"), 2: D("150.00"), 3: D("300.00")},
        ),  # partial payout of 150 settles #1, half #2
        (D("300.00"), {1: D("0"), 2: D("0"), 3: D("300.00")}),
        (D("0.00"), {1: D("0"), 2: D("0"), 3: D("0")}),
        (D("-5.00"), {1: D("0"), 2: D("0"), 3: D("0")}),
        (D("700.00"), {1: D("100.00"), 2: D("200.00"), 3: D("300.00")}),  # money without a clock ignored
    ],
)
def test_allocate_open_fifo(balance, expected):
    assert allocate_open(slots("100.00", "200.00", "300.00"), balance) == expected


def test_held_clocks_are_settled_last():
    # #1 held: a payout of 300 takes the unheld #2 and #3's money first
    got = allocate_open(slots("100.00", "200.00", "300.00", held={1}), D("300.00"))
    assert got == {1: D("100.00"), 2: D("0"), 3: D("200.00")}


@given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=8), st.integers(0, 10**7))
def test_allocation_never_creates_money(amounts, balance_fen):
    ss = slots(*[D(a) / 100 for a in amounts])
    bal = D(balance_fen) / 100
    got = allocate_open(ss, bal)
    assert sum(got.values()) == min(bal, sum(s.amount for s in ss))
    assert all(D(0) <= got[s.ref] <= s.amount for s in ss)


def test_cover_whole_case_and_amount():
    ss = slots("100.00", "200.00", "300.00")
    assert cover(ss, None) == Cover([1, 2, 3])
    assert cover(ss, D("100.00")) == Cover([1])
    assert cover(ss, D("150.00")) == Cover([1], (2, D("50.00")))  # #2 split: 50 held, 150 runs on
    assert cover(ss, D("600.00")) == Cover([1, 2, 3])
    assert cover(ss, D("1000.00")) == Cover([1, 2, 3])
    assert cover(ss, D("30.00")) == Cover([], (1, D("30.00")))
    assert cover([], D("10.00")) == Cover([])
    assert cover(slots("0", "200.00"), D("200.00")) == Cover([2])


# -- reasons as data -----------------------------------------------------------------------------------


def test_default_reasons_each_cite_an_article_and_section():
    codes = [r.code for r in DEFAULT_REASONS]
    assert codes == ["distribution", "disputed", "frozen_elsewhere", "unreachable", "suspended"]
    for r in DEFAULT_REASONS:
        assert r.article and r.section.startswith("§")
    table = reason_table()
    assert table["suspended"].automatic and table["suspended"].whole_case
    assert "267" in table["suspended"].article
    assert table["distribution"].whole_case and not table["disputed"].whole_case


def test_configured_reasons_add_and_replace():
    table = reason_table(
        [
            {"code": "insolvency", "label": "执转破审查", "article": "执转破指导意见", "whole_case": True},
            {"code": "disputed", "label": "争议款", "article": "某条"},
        ]
    )
    assert table["insolvency"].whole_case and table["insolvency"].section == "§7.1"
    assert table["disputed"].label == "争议款"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"code": "x", "label": "y"}, "第1项"),
        ({"code": "suspended", "label": "y", "article": "z"}, "不能改写"),
    ],
)
def test_bad_configured_reason_is_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        reason_table([raw])
