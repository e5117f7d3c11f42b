"""The objection clocks and the disposal block, pure (an explicit holiday table, no database)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.core.workdays import WorkCalendar
from zhixing.objections import rules
from zhixing.objections.rules import BlockFacts

# 2026 as the State Council published it: National Day + Mid-Autumn 10-01..10-07 off, 09-20 and 10-10
# (Sat) worked; Spring Festival 2027 assumed 02-06..02-12 off for the cross-year case.
CAL = WorkCalendar(
    {
        2026: {
            **{date(2026, 10, d): False for d in range(1, 8)},
            date(2026, 9, 20): True,
            date(2026, 10, 10): True,
        },
        2027: {date(2027, 2, d): False for d in range(6, 13)},
    }
)


def test_decision_clock_is_15_calendar_days_and_a_holiday_last_day_rolls() -> None:
    # 15 days from the day after receipt; an ordinary working last day stays.
    assert rules.decision_due(date(2026, 9, 1), CAL) == date(2026, 9, 16)
    # Last day Tue 10-06 falls in the holiday → Thu 10-08.
    assert rules.decision_due(date(2026, 9, 21), CAL) == date(2026, 10, 8)
    # Last day Sat 10-10 is a make-up working day: it stays.
    assert rules.decision_due(date(2026, 9, 25), CAL) == date(2026, 10, 10)
    # Last day Sun 10-11 → Mon 10-12.
    assert rules.decision_due(date(2026, 9, 26), CAL) == date(2026, 10, 12)
    # Across the year: last day Tue 2027-02-09 is in the Spring Festival; the next day off the holiday is
    # Sat 02-13, a rest day (not listed as worked), so Mon 02-15.
    assert rules.decision_due(date(2027, 1, 25), CAL) == date(2027, 2, 15)


def test_notify_suit_and_review_windows() -> None:
    assert rules.notify_due(date(2026, 9, 28), CAL) == date(2026, 10, 8)  # 10-01 in the holiday
    assert rules.suit_due(date(2026, 9, 30), CAL) == date(2026, 10, 15)
    assert rules.suit_due(date(2026, 9, 19), CAL) == date(2026, 10, 8)  # 10-04 → 10-08
    assert rules.review_filing_due(date(2026, 9, 24), CAL) == date(2026, 10, 8)  # 10-04 → 10-08
    assert rules.review_filing_due(date(2026, 9, 14), CAL) == date(2026, 9, 24)
    assert rules.review_decision_due(date(2026, 9, 14), 30, CAL) == date(2026, 10, 14)


def test_review_decision_clock_rolls_over_holidays() -> None:
    # rule: R-0.13 — the higher court's own clock (configured days) from the 复议's receipt.
    assert rules.review_decision_due(date(2026, 9, 6), 30, CAL) == date(2026, 10, 8)  # 10-06 → 10-08
    assert rules.review_decision_due(date(2026, 9, 10), 30, CAL) == date(2026, 10, 10)  # make-up day stays
    assert rules.review_decision_due(date(2027, 1, 10), 30, CAL) == date(2027, 2, 15)  # Spring Festival
    assert rules.review_filing_due(date(2027, 1, 30), CAL) == date(2027, 2, 15)  # 02-09 → 02-15


def _f(status: str, served: date | None = None, suit: str = "") -> BlockFacts:
    due = rules.suit_due(served, CAL) if served else None
    return BlockFacts(status, served, due, suit, "（2026）粤0106执异1号")


def test_block_reason_in_every_state() -> None:
    today = date(2026, 10, 15)
    assert "正在审查" in rules.block_reason(_f("pending"), today)
    assert "中止对该财产的执行" in rules.block_reason(_f("upheld"), today)
    assert "尚未送达" in rules.block_reason(_f("rejected"), today)
    served = _f("rejected", date(2026, 9, 30))  # window ends 10-15
    assert "2026-10-15前（含当日）" in rules.block_reason(served, date(2026, 10, 15))
    assert rules.block_reason(served, date(2026, 10, 16)) == ""
    assert "正在审理" in rules.block_reason(_f("rejected", date(2026, 9, 30), "pending"), date(2027, 5, 1))
    assert rules.block_reason(_f("rejected", date(2026, 9, 30), "ended"), today) == ""
    assert rules.block_reason(_f("upheld", date(2026, 9, 30), "ended"), today) == ""
    assert rules.block_reason(_f("withdrawn"), today) == ""


@settings(max_examples=200, deadline=None)
@given(
    status=st.sampled_from(["pending", "upheld", "rejected", "withdrawn"]),
    served=st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 12, 1))),
    suit=st.sampled_from(["", "pending", "ended"]),
    offset=st.integers(-5, 60),
)
def test_block_matches_the_statute_for_any_state_and_day(
    status: str, served: date | None, suit: str, offset: int
) -> None:
    """Blocked exactly when: a suit is pending; or no suit has ended, not withdrawn, and (pending, upheld,
    rejected and unserved, or rejected with today within the window)."""
    f = _f(status, served, suit)
    today = (served or date(2026, 6, 1)) + timedelta(days=offset)
    blocked = bool(rules.block_reason(f, today))
    in_window = f.suit_due is not None and today <= f.suit_due
    expected = suit == "pending" or (
        suit != "ended"
        and status != "withdrawn"
        and (status in ("pending", "upheld") or (status == "rejected" and (served is None or in_window)))
    )
    assert blocked == expected


def test_final_on_after_the_window_without_a_suit() -> None:
    """R-0.16: final the day after `suit_due` once it has passed; never before service, with a suit, or
    for a pending or withdrawn objection."""
    due = date(2026, 5, 6)  # 04-16 + 15 = 05-01 in the Labour Day holiday → 05-06
    served = date(2026, 4, 16)
    for status in (rules.UPHELD, rules.REJECTED):
        f = rules.BlockFacts(status, served, due, "")
        assert rules.final_on(f, date(2026, 5, 6)) is None
        assert rules.final_on(f, date(2026, 5, 7)) == date(2026, 5, 7)
        assert rules.final_on(f, date(2026, 9, 1)) == date(2026, 5, 7)
        assert rules.final_on(rules.BlockFacts(status, None, None, ""), date(2026, 9, 1)) is None
        for suit in ("pending", "ended"):
            assert rules.final_on(rules.BlockFacts(status, served, due, suit), date(2026, 9, 1)) is None
    for status in (rules.PENDING, rules.WITHDRAWN):
        assert rules.final_on(rules.BlockFacts(status, served, due, ""), date(2026, 9, 1)) is None
