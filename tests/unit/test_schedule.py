"""The performance schedule: allocation order (迟延履行利息解释 Art 4), daily doubled interest (Arts 1–3)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.cases.rules import Pause, delay_interest
from zhixing.cases.schedule import LEGAL_ORDER, Bucket, build_schedule, order_label, parse_order
from zhixing.core.money import AmountError

D0 = date(2026, 1, 1)  # performance deadline
P, X = Bucket.PRINCIPAL, Bucket.DOUBLED


def sched(**kw):
    base = {"principal": Decimal(100_000), "interest": Decimal(0), "costs": Decimal(0), "deadline": D0}
    base.update(kw)
    return build_schedule(**base)


def money(d):
    return {str(b): str(v) for b, v in d.items()}


# -- accrual ---------------------------------------------------------------------------------------


def test_no_payment_ten_days_is_the_simple_product():
    s = sched(until=date(2026, 1, 11))
    assert (s.delay_days, s.doubled_total, s.owed[X], s.total_owed) == (
        10,
        Decimal("175.00"),
        Decimal("175.00"),
        Decimal("100175.00"),
    )
    assert s.rows == []


def test_nothing_accrues_on_or_before_the_deadline():
    assert sched(until=D0).doubled_total == Decimal("0.00")
    assert sched(until=D0 - timedelta(days=5)).delay_days == 0
    assert sched(until=D0 + timedelta(days=1)).doubled_total == Decimal("17.50")


def test_paused_days_are_not_counted():
    s = sched(until=date(2026, 1, 11), pauses=[Pause(date(2026, 1, 5), date(2026, 1, 8))])
    assert (s.delay_days, s.doubled_total) == (7, Decimal("122.50"))


def test_open_pause_stops_accrual_until_today():
    s = sched(until=date(2026, 1, 11), pauses=[Pause(date(2026, 1, 8), None)])
    assert (s.delay_days, s.doubled_total) == (6, Decimal("105.00"))


# -- allocation in the legal order ----------------------------------------------------------------


def test_legal_order_costs_then_interest_then_principal_then_doubled():
    s = sched(
        interest=Decimal(5000),
        costs=Decimal(1000),
        until=date(2026, 1, 21),
        payments=[(date(2026, 1, 11), Decimal(10_000))],
    )
    (row,) = s.rows
    assert (row.days, row.accrued) == (10, Decimal("175.00"))
    assert money(row.paid) == {
        "costs": "1000.00",
        "interest": "5000.00",
        "principal": "4000.00",
        "doubled": "0.00",
    }
    assert money(row.owed) == {
        "costs": "0.00",
        "interest": "0.00",
        "principal": "96000.00",
        "doubled": "175.00",
    }
    # the next 10 days accrue on the 96,000 still unpaid
    assert (s.doubled_total, s.owed[X], s.total_owed, s.delay_days) == (
        Decimal("343.00"),
        Decimal("343.00"),
        Decimal("96343.00"),
        20,
    )


def test_doubled_part_is_paid_last_when_money_is_short():
    s = build_schedule(
        principal=Decimal(1000),
        interest=Decimal(0),
        costs=Decimal(0),
        deadline=D0,
        until=date(2026, 1, 21),
        payments=[(date(2026, 1, 11), Decimal(1000))],
    )
    (row,) = s.rows
    assert (row.paid[P], row.paid[X], row.owed[X]) == (Decimal(1000), Decimal("0.00"), Decimal("1.75"))
    # nothing more accrues once the principal is paid; the doubled part stays owed
    assert (s.doubled_total, s.owed[X], s.total_owed) == (Decimal("1.75"), Decimal("1.75"), Decimal("1.75"))


def test_second_payment_settles_the_doubled_part_and_leaves_a_surplus():
    s = build_schedule(
        principal=Decimal(1000),
        interest=Decimal(0),
        costs=Decimal(0),
        deadline=D0,
        until=date(2026, 2, 1),
        payments=[(date(2026, 1, 11), Decimal(1000)), (date(2026, 1, 20), Decimal(10))],
    )
    second = s.rows[1]
    assert (second.days, second.paid[X], second.surplus) == (9, Decimal("1.75"), Decimal("8.25"))
    assert (s.total_owed, s.surplus) == (Decimal("0.00"), Decimal("8.25"))


def test_payments_on_one_day_and_out_of_order_are_sorted():
    s = sched(
        until=date(2026, 1, 21),
        payments=[
            (date(2026, 1, 11), Decimal(1000)),
            (date(2026, 1, 6), Decimal(500)),
            (date(2026, 1, 11), Decimal(500)),
        ],
    )
    assert [(r.paid_on, r.days) for r in s.rows] == [
        (date(2026, 1, 6), 5),
        (date(2026, 1, 11), 5),
        (date(2026, 1, 11), 0),
    ]
    # 5 days on 100,000 + 5 days on 99,500 + 10 days on 98,000
    expected = (Decimal(100_000) * 5 + Decimal(99_500) * 5 + Decimal(98_000) * 10) * Decimal("0.000175")
    assert s.doubled_total == expected.quantize(Decimal("0.01"))


def test_payment_before_the_deadline_accrues_nothing_and_lowers_the_base():
    s = sched(until=date(2026, 1, 11), payments=[(date(2025, 12, 20), Decimal(50_000))])
    assert (s.rows[0].days, s.doubled_total) == (0, Decimal("87.50"))


def test_payments_after_until_are_left_out():
    s = sched(until=date(2026, 1, 11), payments=[(date(2026, 1, 12), Decimal(50_000))])
    assert (s.rows, s.doubled_total) == ([], Decimal("175.00"))


def test_payment_on_a_paused_day_counts_no_day():
    s = sched(
        until=date(2026, 1, 11),
        pauses=[Pause(date(2026, 1, 5), date(2026, 1, 11))],
        payments=[(date(2026, 1, 8), Decimal(100_000))],
    )
    assert (s.rows[0].days, s.doubled_total) == (3, Decimal("52.50"))  # Jan 2–4


# -- an agreed order ------------------------------------------------------------------------------


def test_agreed_order_doubled_first():
    s = sched(
        interest=Decimal(5000),
        costs=Decimal(1000),
        until=date(2026, 1, 21),
        payments=[(date(2026, 1, 11), Decimal(10_000))],
        order=parse_order("doubled,costs,interest,principal"),
    )
    (row,) = s.rows
    assert money(row.paid) == {
        "costs": "1000.00",
        "interest": "5000.00",
        "principal": "3825.00",
        "doubled": "175.00",
    }
    # 96,175 × 0.000175 × 10 = 168.30625: accrual stays exact, rounded only when owed
    assert (s.doubled_total, s.owed[X], s.total_owed) == (
        Decimal("343.31"),
        Decimal("168.31"),
        Decimal("96343.31"),
    )


def test_parse_order_and_label():
    assert parse_order("costs, interest,principal ,doubled") == LEGAL_ORDER
    assert order_label(LEGAL_ORDER) == "执行费用→一般债务利息→本金→加倍部分债务利息"
    for bad in (
        "",
        "costs,interest,principal",
        "costs,costs,principal,doubled",
        "costs,interest,principal,x",
    ):
        with pytest.raises(ValueError):
            parse_order(bad)


# -- bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["principal", "interest", "costs", "rate", "late_fee"])
def test_negative_or_non_finite_amounts_refused(field):
    with pytest.raises(AmountError):
        sched(until=date(2026, 1, 11), **{field: Decimal(-1)})
    with pytest.raises(AmountError):
        sched(until=date(2026, 1, 11), **{field: Decimal("NaN")})


@pytest.mark.parametrize("amount", [Decimal(0), Decimal(-5), Decimal("Infinity")])
def test_non_positive_payment_refused(amount):
    with pytest.raises(AmountError):
        sched(until=date(2026, 1, 11), payments=[(date(2026, 1, 5), amount)])


# -- properties ------------------------------------------------------------------------------------

_amounts = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
_days = st.integers(min_value=-10, max_value=400)


@settings(max_examples=150, deadline=None)
@given(
    principal=_amounts,
    interest=st.integers(min_value=0, max_value=100_000).map(lambda c: Decimal(c) / 100),
    costs=st.integers(min_value=0, max_value=100_000).map(lambda c: Decimal(c) / 100),
    payments=st.lists(st.tuples(_days, _amounts), max_size=6),
    order=st.permutations(list(Bucket)),
)
def test_every_yuan_is_accounted_for(principal, interest, costs, payments, order):
    until = D0 + timedelta(days=400)
    dated = [(D0 + timedelta(days=d), a) for d, a in payments]
    s = build_schedule(
        principal=principal,
        interest=interest,
        costs=costs,
        deadline=D0,
        until=until,
        payments=dated,
        order=order,
    )
    paid = sum(s.paid.values(), Decimal(0))
    assert paid + s.surplus == sum((a for _, a in dated), Decimal(0))
    assert s.total_owed == principal + interest + costs + s.doubled_total - paid
    assert all(v >= 0 for v in s.owed.values())
    if s.surplus > 0:
        assert s.total_owed == 0


@settings(max_examples=150, deadline=None)
@given(principal=_amounts, payments=st.lists(st.tuples(_days, _amounts), max_size=5))
def test_principal_only_matches_the_simple_interest_while_payments_do_not_exceed_it(principal, payments):
    until = D0 + timedelta(days=400)
    dated = [(D0 + timedelta(days=d), a) for d, a in payments]
    if sum((a for _, a in dated), Decimal(0)) > principal:
        return
    s = build_schedule(
        principal=principal, interest=Decimal(0), costs=Decimal(0), deadline=D0, until=until, payments=dated
    )
    assert s.doubled_total == delay_interest(principal, D0, until, dated)


# -- running general interest and instalments (issue 15 item 3) ------------------------------------

from zhixing.cases.schedule import RunningInterest  # noqa: E402

I = Bucket.INTEREST  # noqa: E741
RUN = RunningInterest(rate_percent=Decimal("3.65"), start=D0, cap=Decimal(100_000))  # 10.00 a day


def test_running_interest_counts_its_start_day_and_the_day_paid():
    s = sched(until=date(2026, 1, 10), running=RUN)
    assert (s.running_total, s.interest_total, s.owed[I]) == (Decimal("100.00"),) * 3
    assert s.doubled_total == Decimal("157.50")  # 9 days after the deadline × 17.50
    assert sched(until=D0 - timedelta(days=1), running=RUN).running_total == Decimal("0.00")
    # the fixed figure adjudged and the running part add up
    assert sched(until=date(2026, 1, 10), running=RUN, interest=Decimal(500)).interest_total == Decimal(
        "600.00"
    )


def test_running_interest_follows_the_unpaid_principal():
    s = sched(until=date(2026, 1, 10), running=RUN, payments=[(date(2026, 1, 5), Decimal(50_000))])
    (row,) = s.rows
    assert (row.interest_accrued, row.paid[I], row.paid[P]) == (
        Decimal("50.00"),
        Decimal("50.00"),
        Decimal("49950.00"),
    )
    # 5 more days on 50,050 = 25.025: 75.025 accrued in all, rounded half-up once
    assert (s.running_total, s.owed[I]) == (Decimal("75.03"), Decimal("25.03"))
    assert s.doubled_total == Decimal("113.79")  # 4 × 17.50 + 5 × 50,050 × 0.0175 %


def test_running_interest_bears_on_the_principal_not_the_litigation_costs():
    run = RunningInterest(rate_percent=Decimal("3.65"), start=D0, cap=Decimal(90_000))
    s = sched(until=date(2026, 1, 10), running=run)  # bucket 100,000 = 90,000 principal + 10,000 costs
    assert s.running_total == Decimal("90.00")


def test_running_interest_rate_and_basis_are_checked():
    with pytest.raises(AmountError):
        RunningInterest(rate_percent=Decimal(0), start=D0, cap=Decimal(1))
    with pytest.raises(AmountError):
        RunningInterest(rate_percent=Decimal("100.01"), start=D0, cap=Decimal(1))
    with pytest.raises(ValueError):
        RunningInterest(rate_percent=Decimal(1), start=D0, cap=Decimal(1), day_basis=364)
    r360 = RunningInterest(rate_percent=Decimal("3.6"), start=D0, cap=Decimal(100_000), day_basis=360)
    assert sched(until=date(2026, 1, 10), running=r360).running_total == Decimal("100.00")


TWO = [(D0, Decimal(40_000)), (date(2026, 2, 1), Decimal(60_000))]


@pytest.mark.parametrize(
    ("until", "doubled", "not_due"),
    [
        (D0, "0.00", "100000.00"),  # the first instalment's last day: nothing may be enforced yet
        (date(2026, 1, 11), "70.00", "60000.00"),  # 10 days on the first 40,000
        (date(2026, 2, 1), "217.00", "60000.00"),  # the second's last day: still not due
        (date(2026, 2, 2), "234.50", "0.00"),  # both late: 32 × 7.00 + 1 × 10.50
        (date(2026, 2, 11), "392.00", "0.00"),  # 41 × 7.00 + 10 × 10.50
    ],
)
def test_each_instalment_runs_from_its_own_deadline(until, doubled, not_due):
    s = sched(until=until, deadline=date(2026, 2, 1), instalments=TWO)
    assert (s.doubled_total, s.not_due) == (Decimal(doubled), Decimal(not_due))
    assert s.enforceable_owed == s.total_owed - Decimal(not_due)


def test_a_payment_beyond_the_due_instalment_stops_nothing_twice():
    pay = [(date(2026, 1, 11), Decimal(50_000))]
    s = sched(until=date(2026, 2, 11), deadline=date(2026, 2, 1), instalments=TWO, payments=pay)
    assert s.doubled_total == Decimal("157.50")  # 10 × 7.00, nothing till 1 Feb, then 10 × 50,000
    early = sched(until=date(2026, 1, 20), deadline=date(2026, 2, 1), instalments=TWO, payments=pay)
    assert (early.not_due, early.enforceable_owed) == (Decimal("50000.00"), Decimal("70.00"))


def test_instalments_must_add_up_and_be_positive():
    with pytest.raises(ValueError):
        sched(until=D0, instalments=[(D0, Decimal(1))])
    with pytest.raises(AmountError):
        sched(until=D0, instalments=[(D0, Decimal(100_001)), (date(2026, 2, 1), Decimal(-1))])


def test_without_instalments_the_whole_debt_is_enforceable():
    # Filing refuses an unexpired single period (执行工作规定 Art 16), so nothing is "not yet due".
    s = sched(until=D0 - timedelta(days=10))
    assert (s.not_due, s.enforceable_owed) == (Decimal("0.00"), Decimal("100000.00"))


# -- 迟延履行金 of a non-money obligation beside a money debt (民诉解释 Art 505; 迟延履行利息解释 Art 1) --


def test_the_late_fee_is_owed_but_bears_no_doubled_interest():
    # a delivery case that also orders 10,000: the court sets 2,000 迟延履行金; ten days late
    s = sched(principal=Decimal(10_000), late_fee=Decimal(2_000), until=date(2026, 1, 11))
    assert (s.delay_days, s.doubled_total) == (10, Decimal("17.50"))  # 10,000 × 0.0175 % × 10
    assert s.owed[P] == Decimal("12000.00") and s.total_owed == Decimal("12017.50")


def test_the_late_fee_is_paid_last_within_the_principal_bucket():
    # 10,000 paid on day 5 settles the interest-bearing debt (the heavier burden, 民法典 Art 560):
    # nothing accrues after it although the 2,000 late fee is still owed
    s = sched(
        principal=Decimal(10_000),
        late_fee=Decimal(2_000),
        payments=[(date(2026, 1, 6), Decimal(10_000))],
        until=date(2026, 1, 31),
    )
    assert (s.doubled_total, s.owed[P]) == (Decimal("8.75"), Decimal("2000.00"))  # 5 days × 1.75


def test_instalments_add_up_to_the_money_debt_without_the_late_fee():
    s = sched(
        principal=Decimal(10_000),
        late_fee=Decimal(500),
        instalments=[(date(2026, 1, 1), Decimal(4_000)), (date(2026, 2, 1), Decimal(6_000))],
        until=date(2026, 1, 11),
    )
    assert s.doubled_total == Decimal("7.00")  # only the first instalment is late: 4,000 × 0.0175 % × 10
    assert s.not_due == Decimal("6000.00") and s.owed[P] == Decimal("10500.00")
