"""Pure arithmetic: check digits, settlement, largest remainder, distribution order, deadlines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.core.workdays import WorkCalendar
from zhixing.funds import reconciliation as rc
from zhixing.funds import rules
from zhixing.funds.rules import Claim, PayoutLimit, distribute, largest_remainder

D = Decimal
CAL = WorkCalendar()
fen = st.integers(min_value=0, max_value=10**11).map(lambda n: (D(n) / 100).quantize(D("0.01")))


def test_check_digits_roundtrip():
    n = rules.sub_account_number("880106", 42)
    assert len(n) == 18 and int(n) % 97 == 1
    assert rules.parse_sub_account(n, 6) == ("880106", 42)
    assert rules.parse_sub_account(n[:-1] + str((int(n[-1]) + 1) % 10), 6) is None
    assert rules.parse_sub_account("abc", 6) is None


def test_check_digits_00_and_01_are_never_valid():
    """ "00"/"01" have the remainder of "97"/"98": a transfer to one must go to unidentified receipts."""
    for right in ("97", "98"):
        case_id = next(i for i in range(1, 10_000) if rules.sub_account_number("880106", i).endswith(right))
        n = rules.sub_account_number("880106", case_id)
        assert rules.parse_sub_account(n, 6) == ("880106", case_id)
        twin = n[:-2] + ("00" if right == "97" else "01")
        assert int(twin) % 97 == 1  # the remainder test alone would accept it
        assert rules.parse_sub_account(twin, 6) is None


@given(st.integers(min_value=1, max_value=10**10 - 1), st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_error_is_detected(case_id, pos, delta):
    n = rules.sub_account_number("880106", case_id)
    i = pos + 6
    bad = n[:i] + str((int(n[i]) + delta) % 10) + n[i + 1 :]
    assert rules.parse_sub_account(bad, 6) is None


def test_settle_order():
    s = rules.settle(D("1000.00"), D("300.00"), D("800.00"))
    assert (s.costs, s.fee, s.available) == (D("300.00"), D("700.00"), D("0.00"))
    s = rules.settle(D("5000.00"), D("300.00"), D("800.00"))
    assert s.available == D("3900.00")
    with pytest.raises(ValueError):
        rules.settle(D("-1"), D("0"), D("0"))


def test_one_fen_left_over_goes_to_largest_remainder():
    assert largest_remainder(D("0.01"), [D("1"), D("1"), D("1")]) == [D("0.01"), D("0.00"), D("0.00")]
    assert largest_remainder(D("100.00"), [D("1"), D("1"), D("1")]) == [D("33.34"), D("33.33"), D("33.33")]
    assert largest_remainder(D("10.00"), [D("1"), D("2")]) == [D("3.33"), D("6.67")]


def test_equal_claims_equal_shares():
    assert largest_remainder(D("90.00"), [D("50")] * 3) == [D("30.00")] * 3


@given(fen, st.lists(fen, min_size=1, max_size=12))
def test_largest_remainder_never_creates_or_loses_a_fen(total, weights):
    if sum(weights) == 0:
        return
    total = min(total, sum(weights))
    shares = largest_remainder(total, weights)
    assert sum(shares) == total
    assert all(s <= w for s, w in zip(shares, weights, strict=True))
    assert all(s == s.quantize(D("0.01")) and s >= 0 for s in shares)


def test_priority_larger_than_proceeds():
    d = distribute(
        D("1000.00"),
        D("100.00"),
        [
            Claim("m", D("5000.00"), priority=True, priority_date=date(2020, 1, 1)),
            Claim("o", D("300.00")),
        ],
        enterprise_debtor=False,
    )
    assert d.costs == D("100.00")
    assert [s.paid for s in d.shares] == [D("900.00"), D("0.00")]
    assert d.surplus == 0 and d.total == D("1000.00")


def test_several_priorities_by_date():
    d = distribute(
        D("1000.00"),
        D("0"),
        [
            Claim("late", D("800.00"), priority=True, priority_date=date(2021, 1, 1)),
            Claim("early", D("800.00"), priority=True, priority_date=date(2019, 1, 1)),
        ],
        enterprise_debtor=False,
    )
    assert [s.paid for s in d.shares] == [D("200.00"), D("800.00")]


def test_enterprise_by_seizure_date_person_pro_rata():
    claims = [
        Claim("a", D("600.00"), seized_on=date(2024, 5, 1)),
        Claim("b", D("600.00"), seized_on=date(2024, 1, 1)),
    ]
    ent = distribute(D("1000.00"), D("0"), claims, enterprise_debtor=True)
    assert [s.paid for s in ent.shares] == [D("400.00"), D("600.00")]
    per = distribute(D("1000.00"), D("0"), claims, enterprise_debtor=False)
    assert [s.paid for s in per.shares] == [D("500.00"), D("500.00")]


def test_surplus_refunded():
    d = distribute(D("1000.00"), D("10.00"), [Claim("a", D("100.00"))], enterprise_debtor=False)
    assert d.surplus == D("890.00")


@settings(max_examples=300)
@given(
    fen,
    fen,
    st.lists(st.tuples(fen, st.booleans(), st.integers(0, 3000)), min_size=1, max_size=8),
    st.booleans(),
)
def test_distribution_adds_up(proceeds, costs, raw, enterprise):
    claims = [
        Claim(
            str(i),
            a,
            priority=p,
            priority_date=date(2000, 1, 1).fromordinal(730000 + n),
            seized_on=date(2000, 1, 1).fromordinal(730000 + n),
        )
        for i, (a, p, n) in enumerate(raw)
    ]
    d = distribute(proceeds, costs, claims, enterprise)
    assert d.total == proceeds
    assert all(D(0) <= s.paid <= s.claimed for s in d.shares)
    if d.surplus > 0:
        assert all(s.paid == s.claimed for s in d.shares)


def test_payout_deadlines_around_holidays():
    # Money arriving before National Day 2026: 5 working days skip the holiday week.
    assert rules.payout_due(date(2026, 9, 30), PayoutLimit(5, workdays=True), CAL) == date(2026, 10, 13)
    assert rules.payout_due(date(2026, 3, 2), PayoutLimit(30), CAL) == date(2026, 4, 1)
    assert rules.claim_due(date(2026, 3, 13), 3, CAL) == date(2026, 3, 18)


def test_warning_levels():
    due = date(2026, 3, 18)
    assert rules.warning_level(due, date(2026, 3, 19), CAL) == "red"
    assert rules.warning_level(due, date(2026, 3, 17), CAL) == "yellow"
    assert rules.warning_level(due, date(2026, 3, 2), CAL) == "green"
    assert rules.warning_level(None, date(2026, 3, 2), CAL) == "green"


def test_reconcile_lists_differences_with_candidates():
    d = date(2026, 3, 10)
    bank = [rc.Item("A", d, D("10.00")), rc.Item("B", d, D("20.00")), rc.Item("C", d, D("5.00"))]
    ledger = [rc.Item("A", d, D("10.00")), rc.Item("B", d, D("21.00")), rc.Item("X", d, D("5.00"))]
    r = rc.reconcile(d, bank, ledger, D("36.00"), D("35.00"))
    assert r.matched == 1 and r.balance_difference == D("1.00") and not r.ok
    sides = {(x.side, x.item.ref): [c.ref for c in x.candidates] for x in r.differences}
    assert sides == {("amount", "B"): [], ("bank_only", "C"): ["X"], ("ledger_only", "X"): ["C"]}
