"""The pure reconciliation arithmetic: candidate ranking, the day's status, which days run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from zhixing.core.workdays import WorkCalendar
from zhixing.funds import reconciliation as rc

D = Decimal
DAY = date(2026, 3, 10)


@dataclass
class Diff:
    side: str
    amount: Decimal
    status: str = "open"
    other_amount: Decimal | None = None
    matched_date: date | None = None


def test_candidates_rank_by_days_then_party():
    x = rc.Item("B1", DAY, D("450.00"), "", "广州某公司", "6222")
    pool = [
        rc.Item("far", DAY + timedelta(days=4), D("450.00")),  # outside the window
        rc.Item("other-amount", DAY, D("451.00")),
        rc.Item("near-stranger", DAY + timedelta(days=1), D("450.00"), "", "张三"),
        rc.Item("same-day", DAY, D("450.00"), "", "李四"),
        rc.Item("same-account", DAY + timedelta(days=2), D("450.00"), "", "", "6222"),
        rc.Item("similar-name", DAY + timedelta(days=1), D("450.00"), "", "某公司"),
    ]
    got = [c.ref for c in rc.rank_candidates(x, pool, window=3, limit=5)]
    assert got == ["same-account", "similar-name", "same-day", "near-stranger"]  # 110, 110 (by ref), 100, 90
    assert [c.ref for c in rc.rank_candidates(x, pool, window=3, limit=1)] == ["same-account"]
    assert rc.candidate_score(x, pool[3]) == 100 and rc.candidate_score(x, pool[4]) == 110


def test_similar_party():
    a = rc.Item("a", DAY, D("1"), "", "广州市恒发贸易有限公司", "1")
    assert rc.similar_party(a, rc.Item("b", DAY, D("1"), "", "恒发贸易", "2"))
    assert rc.similar_party(a, rc.Item("b", DAY, D("1"), "", "", "1"))
    assert not rc.similar_party(a, rc.Item("b", DAY, D("1"), "", "恒", "2"))


@pytest.mark.parametrize(
    ("ledger", "bank", "items", "want"),
    [
        # A clean day.
        ("100.00", "100.00", [], ("balanced", "0.00", 0)),
        # No line differs but the balances do (an earlier day's difference): unexplained.
        ("100.00", "90.00", [], ("differences", "10.00", 0)),
        # A lost notice: the ledger lacks 50.00; open, so it explains the difference.
        ("100.00", "150.00", [Diff("bank_only", D("50.00"))], ("differences", "0.00", 1)),
        # … booked: the ledger holds it now.
        ("150.00", "150.00", [Diff("bank_only", D("50.00"), "booked")], ("confirmed", "0.00", 0)),
        # The same money under two references, same day, matched.
        (
            "100.00",
            "100.00",
            [
                Diff("bank_only", D("5.00"), "matched", matched_date=DAY),
                Diff("ledger_only", D("5.00"), "matched", matched_date=DAY),
            ],
            ("confirmed", "0.00", 0),
        ),
        # A payout the bank paid the day after (未达账项): matched to a later day, it explains 7.00.
        (
            "93.00",
            "100.00",
            [Diff("ledger_only", D("-7.00"), "matched", matched_date=DAY + timedelta(days=1))],
            ("confirmed", "0.00", 0),
        ),
        # Matched to an earlier day's ledger entry: both balances hold it.
        (
            "100.00",
            "100.00",
            [Diff("bank_only", D("5.00"), "matched", matched_date=DAY - timedelta(days=1))],
            ("confirmed", "0.00", 0),
        ),
        # Same reference, different amounts: explained but never confirmed by a match.
        (
            "101.00",
            "100.00",
            [Diff("amount", D("100.00"), other_amount=D("101.00"))],
            ("differences", "0.00", 1),
        ),
        # Without a bank balance only the lines count.
        ("100.00", None, [], ("balanced", "0.00", 0)),
    ],
)
def test_settle(ledger, bank, items, want):
    got = rc.settle(DAY, D(ledger), None if bank is None else D(bank), items)
    assert (got.status, str(got.unexplained), got.open_count) == (want[0], want[1], want[2])


CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("today", "last", "want"),
    [
        (date(2026, 3, 11), None, [date(2026, 3, 10)]),  # Wednesday: Tuesday
        (date(2026, 3, 16), None, [date(2026, 3, 13), date(2026, 3, 14), date(2026, 3, 15)]),  # Monday
        (date(2026, 3, 14), None, []),  # Saturday: nothing
        (
            date(2026, 10, 8),
            None,
            [date(2026, 9, 30)] + [date(2026, 10, d) for d in range(1, 8)],
        ),  # after 国庆
        (date(2026, 3, 16), date(2026, 3, 14), [date(2026, 3, 15)]),  # Friday and Saturday done already
    ],
)
def test_days_to_reconcile(today, last, want):
    assert rc.days_to_reconcile(today, CAL.is_workday, last) == want
