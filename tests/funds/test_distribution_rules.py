"""Distribution arithmetic (funds.distribution_rules): order, pro rata to the fen, periods, cut-offs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.core.workdays import WorkCalendar
from zhixing.funds import distribution_rules as dr
from zhixing.funds.distribution_rules import ORDINARY, PRIORITY, SECURED, ClaimIn


def paid(alloc: dr.Allocation) -> dict[str, D]:
    return {ln.ref: ln.paid for ln in alloc.lines}


def test_costs_first_then_everything_paid_and_surplus_returned() -> None:
    a = dr.allocate(D("1000.00"), D("100.00"), [ClaimIn("a", ORDINARY, D("300.00"))], enterprise_debtor=False)
    assert a.costs == D("100.00") and paid(a) == {"a": D("300.00")} and a.surplus == D("600.00")
    assert a.total == D("1000.00")


def test_costs_exceeding_proceeds_take_everything() -> None:
    a = dr.allocate(
        D("50.00"),
        D("80.00"),
        [ClaimIn("a", SECURED, D("10.00"), security_date=date(2020, 1, 1))],
        enterprise_debtor=False,
    )
    assert a.costs == D("50.00") and paid(a) == {"a": D("0.00")} and a.surplus == D("0.00")


def test_priority_before_secured_before_ordinary() -> None:
    claims = [
        ClaimIn("ord", ORDINARY, D("500.00")),
        ClaimIn("sec", SECURED, D("400.00"), security_date=date(2021, 1, 1)),
        ClaimIn("pri", PRIORITY, D("300.00")),
    ]
    a = dr.allocate(D("800.00"), D("0.00"), claims, enterprise_debtor=False)
    assert paid(a) == {"ord": D("100.00"), "sec": D("400.00"), "pri": D("300.00")}
    assert [ln.ref for ln in a.lines] == ["ord", "sec", "pri"]  # lines keep the input order


def test_securities_by_date_of_creation_earlier_first() -> None:
    claims = [
        ClaimIn("late", SECURED, D("600.00"), security_date=date(2022, 6, 1)),
        ClaimIn("early", SECURED, D("600.00"), security_date=date(2021, 6, 1)),
    ]
    a = dr.allocate(D("1000.00"), D("0.00"), claims, enterprise_debtor=False)
    assert paid(a) == {"early": D("600.00"), "late": D("400.00")}


def test_rank_comes_before_date_for_securities() -> None:
    claims = [
        ClaimIn("r2", SECURED, D("600.00"), rank=2, security_date=date(2020, 1, 1)),
        ClaimIn("r1", SECURED, D("600.00"), rank=1, security_date=date(2023, 1, 1)),
    ]
    a = dr.allocate(D("700.00"), D("0.00"), claims, enterprise_debtor=False)
    assert paid(a) == {"r1": D("600.00"), "r2": D("100.00")}


def test_equal_rank_equal_date_securities_share_pro_rata_to_the_fen() -> None:
    same = date(2021, 6, 1)
    claims = [
        ClaimIn("a", SECURED, D("100.00"), security_date=same),
        ClaimIn("b", SECURED, D("100.00"), security_date=same),
        ClaimIn("c", SECURED, D("100.00"), security_date=same),
        ClaimIn("o", ORDINARY, D("50.00")),
    ]
    a = dr.allocate(D("100.00"), D("0.00"), claims, enterprise_debtor=False)
    # 100.00 / 3: 33.33 each and the last fen to the first (largest remainder, ties to the earlier)
    assert paid(a) == {"a": D("33.34"), "b": D("33.33"), "c": D("33.33"), "o": D("0.00")}
    assert {ln.ref: ln.tier for ln in a.lines} == {"a": 1, "b": 1, "c": 1, "o": 2}


def test_equal_rank_priority_claims_share_pro_rata() -> None:
    claims = [ClaimIn("a", PRIORITY, D("200.00")), ClaimIn("b", PRIORITY, D("100.00"))]
    a = dr.allocate(D("100.00"), D("0.00"), claims, enterprise_debtor=False)
    assert paid(a) == {"a": D("66.67"), "b": D("33.33")}


def test_ordinary_pro_rata_for_natural_person_debtor() -> None:
    claims = [
        ClaimIn("a", ORDINARY, D("300.00"), seized_on=date(2026, 1, 1)),
        ClaimIn("b", ORDINARY, D("300.00"), seized_on=date(2026, 2, 1)),
        ClaimIn("c", ORDINARY, D("300.00")),
    ]
    a = dr.allocate(D("1000.00"), D("100.01"), claims, enterprise_debtor=False)
    assert paid(a) == {"a": D("300.00"), "b": D("300.00"), "c": D("299.99")}  # 899.99 shared, 2 fen extra
    assert a.surplus == D("0.00") and a.total == D("1000.00")


def test_ordinary_by_seizure_date_for_enterprise_debtor() -> None:
    claims = [
        ClaimIn("late", ORDINARY, D("300.00"), seized_on=date(2026, 2, 1)),
        ClaimIn("early", ORDINARY, D("300.00"), seized_on=date(2026, 1, 1)),
        ClaimIn("none", ORDINARY, D("300.00")),
    ]
    a = dr.allocate(D("500.00"), D("0.00"), claims, enterprise_debtor=True)
    assert paid(a) == {"early": D("300.00"), "late": D("200.00"), "none": D("0.00")}


def test_enterprise_same_seizure_date_shares_pro_rata() -> None:
    d = date(2026, 1, 1)
    claims = [
        ClaimIn("a", ORDINARY, D("100.00"), seized_on=d),
        ClaimIn("b", ORDINARY, D("300.00"), seized_on=d),
    ]
    a = dr.allocate(D("100.00"), D("0.00"), claims, enterprise_debtor=True)
    assert paid(a) == {"a": D("25.00"), "b": D("75.00")}


def test_bad_inputs_refused() -> None:
    with pytest.raises(ValueError):
        dr.allocate(D("-1"), D("0"), [], enterprise_debtor=False)
    with pytest.raises(ValueError):
        dr.allocate(D("1"), D("0"), [ClaimIn("a", "weird", D("1"))], enterprise_debtor=False)
    with pytest.raises(ValueError):
        dr.allocate(D("1"), D("0"), [ClaimIn("a", ORDINARY, D("-1"))], enterprise_debtor=False)
    with pytest.raises(ValueError):
        dr.allocate(D("1"), D("0"), [ClaimIn("a", ORDINARY, D("1"), rank=0)], enterprise_debtor=False)


def test_no_claims_everything_is_surplus() -> None:
    a = dr.allocate(D("10.00"), D("1.00"), [], enterprise_debtor=False)
    assert a.lines == () and a.surplus == D("9.00")


def test_disputed_amount_is_what_the_losers_lose() -> None:
    claims = [ClaimIn("a", ORDINARY, D("600.00")), ClaimIn("b", ORDINARY, D("400.00"))]
    before = dr.allocate(D("500.00"), D("0.00"), claims, enterprise_debtor=False)
    after = dr.allocate(
        D("500.00"), D("0.00"), [claims[0], ClaimIn("b", ORDINARY, D("0.00"))], enterprise_debtor=False
    )
    assert paid(before) == {"a": D("300.00"), "b": D("200.00")}
    assert dr.disputed_amount(before, after) == D("200.00")
    # an objection that would raise a claim takes money from the others (and the surplus)
    rich = dr.allocate(D("1500.00"), D("0.00"), claims, enterprise_debtor=False)
    more = dr.allocate(
        D("1500.00"), D("0.00"), [claims[0], ClaimIn("b", ORDINARY, D("1000.00"))], enterprise_debtor=False
    )
    assert paid(more) == {"a": D("562.50"), "b": D("937.50")} and more.surplus == D("0.00")
    assert rich.surplus == D("500.00") and dr.disputed_amount(rich, more) == D("537.50")  # 37.50 + 500


amounts = st.decimals(min_value=D("0.00"), max_value=D("100000.00"), places=2)
kinds = st.sampled_from([PRIORITY, SECURED, ORDINARY])
dates = st.sampled_from([date(2020, 1, 1), date(2021, 1, 1), None])


@settings(deadline=None)  # pure arithmetic; a loaded CI machine must not fail it on time
@given(
    proceeds=amounts,
    costs=amounts,
    claims=st.lists(st.tuples(kinds, amounts, st.integers(1, 3), dates, dates), max_size=8),
    enterprise=st.booleans(),
)
def test_parts_always_add_up_and_nobody_gets_more_than_claimed(proceeds, costs, claims, enterprise) -> None:
    ins = [
        ClaimIn(
            str(i),
            k,
            amt,
            rank=r,
            security_date=(sd or date(2020, 1, 1)) if k == SECURED else None,
            seized_on=so,
        )
        for i, (k, amt, r, sd, so) in enumerate(claims)
    ]
    a = dr.allocate(proceeds, costs, ins, enterprise_debtor=enterprise)
    assert a.total == proceeds
    assert all(D("0") <= ln.paid <= ln.claimed for ln in a.lines)
    assert a.surplus >= 0
    if a.surplus > 0:  # money left over only when every claim is paid in full
        assert all(ln.paid == ln.claimed for ln in a.lines)
    # an earlier tier is paid in full before a later tier gets anything
    for x in a.lines:
        for y in a.lines:
            if x.tier < y.tier and y.paid > 0:
                assert x.paid == x.claimed


CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 4, 1), date(2026, 4, 16)),  # Thursday: a working day, no roll
        (date(2026, 4, 16), date(2026, 5, 6)),  # 5-1 is Labour Day (holiday to 5-5): rolls to 5-6
        (date(2026, 9, 16), date(2026, 10, 8)),  # 10-1 National Day: rolls past the Golden Week
        (date(2026, 3, 30), date(2026, 4, 14)),  # Tuesday
        (date(2026, 3, 27), date(2026, 4, 13)),  # 4-11 Saturday: rolls to Monday 4-13
    ],
)
def test_periods_roll_past_holidays(start: date, due: date) -> None:
    assert dr.period_end(start, 15, CAL) == due


def test_period_on_a_table_holiday_rolls() -> None:
    cal = WorkCalendar({2026: {date(2026, 4, 16): False}})
    assert dr.period_end(date(2026, 4, 1), 15, cal) == date(2026, 4, 17)
    with pytest.raises(ValueError):
        dr.period_end(date(2026, 4, 1), -1, cal)


def test_joining_cut_off() -> None:
    filed, cutoff = date(2026, 3, 4), date(2026, 5, 1)
    assert dr.joining_refusal(date(2026, 3, 4), filed, cutoff) is None
    assert dr.joining_refusal(date(2026, 5, 1), filed, cutoff) is None
    assert dr.joining_refusal(date(2026, 5, 2), filed, None) is None
    assert "执行终结前" in (dr.joining_refusal(date(2026, 5, 2), filed, cutoff) or "")
    assert "2026-05-01" in (dr.joining_refusal(date(2026, 5, 2), filed, cutoff) or "")
    assert "执行程序开始后" in (dr.joining_refusal(date(2026, 3, 3), filed, cutoff) or "")


def test_first_seizing_court_distributes() -> None:
    assert dr.seizure_refusal("甲院", "甲院") is None
    assert "首先查封" in (dr.seizure_refusal("甲院", "") or "")
    msg = dr.seizure_refusal("甲院", "乙院") or ""
    assert "乙院首先查封" in msg and "第五十六条" in msg
