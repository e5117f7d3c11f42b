"""Judgment terms that change what is owed (issue 15, rules.md §6.3): the instalment acceleration clause,
foreign-currency doubled interest (迟延履行利息解释 Art 5) and 迟延履行金 (民诉解释 Art 505 (2022))."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhixing.cases.judgment_terms import convert_instalments, late_performance_fee, to_rmb
from zhixing.cases.schedule import Bucket, accelerate, acceleration_day, build_schedule
from zhixing.core.money import AmountError

# 90,000 in three instalments of 30,000 due 2026-01-31, 2026-02-28, 2026-03-31.
I1, I2, I3 = date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)
DUES = [(I1, Decimal(30_000)), (I2, Decimal(30_000)), (I3, Decimal(30_000))]


def sched(until, payments=(), acceleration=True):
    return build_schedule(
        principal=Decimal(90_000),
        interest=Decimal(0),
        costs=Decimal(0),
        deadline=I3,
        until=until,
        payments=payments,
        instalments=DUES,
        acceleration=acceleration,
    )


# -- acceleration clause (加速到期) --------------------------------------------------------------------


def test_acceleration_day_edges():
    # on the first deadline nothing is missed yet; the day after, the unpaid first instalment is
    assert acceleration_day(DUES, [], I1) is None
    assert acceleration_day(DUES, [], date(2026, 2, 1)) == I1
    # paid in full on its last day: not missed; the second one short by a fen is
    paid = [(I1, Decimal(30_000)), (I2, Decimal("29999.99"))]
    assert acceleration_day(DUES, paid, date(2026, 3, 1)) == I2
    assert acceleration_day(DUES, paid[:1], date(2026, 2, 28)) is None
    # a payment the day after the deadline comes too late for that instalment
    assert acceleration_day(DUES, [(date(2026, 2, 1), Decimal(30_000))], date(2026, 2, 2)) == I1
    # the last instalment accelerates nothing
    on_time = [(I1, Decimal(30_000)), (I2, Decimal(30_000))]
    assert acceleration_day(DUES, on_time, date(2026, 5, 1)) is None
    assert accelerate(DUES, I1) == [(I1, Decimal(90_000))]
    assert accelerate(DUES, I2) == [(I1, Decimal(30_000)), (I2, Decimal(60_000))]


def test_missed_first_instalment_makes_everything_due_and_doubles_on_the_whole():
    s = sched(date(2026, 2, 10))  # 10 days after I1
    assert s.accelerated_on == I1
    assert s.not_due == Decimal("0.00")
    assert s.enforceable_owed == Decimal("90157.50")
    # 90,000 × 0.0175 % × 10 days = 157.50 (without the clause: 30,000 × … = 52.50)
    assert s.doubled_total == Decimal("157.50")
    plain = sched(date(2026, 2, 10), acceleration=False)
    assert (plain.accelerated_on, plain.doubled_total, plain.not_due) == (
        None,
        Decimal("52.50"),
        Decimal(60_000),
    )


def test_instalments_paid_on_time_keep_the_schedule():
    s = sched(date(2026, 3, 10), payments=[(I1, Decimal(30_000)), (I2, Decimal(30_000))])
    assert (s.accelerated_on, s.not_due, s.doubled_total) == (None, Decimal("30000.00"), Decimal("0.00"))


def test_acceleration_after_a_late_second_instalment():
    # first paid on time, second missed: from 2026-03-01 the remaining 60,000 bear the doubled part
    s = sched(date(2026, 3, 5), payments=[(I1, Decimal(30_000))])
    assert s.accelerated_on == I2
    assert s.owed[Bucket.PRINCIPAL] == Decimal("60000.00") and s.not_due == Decimal("0.00")
    assert s.doubled_total == Decimal("52.50")  # 60,000 × 0.000175 × 5


# -- foreign currency (迟延履行利息解释 Art 5) ---------------------------------------------------------


def test_to_rmb_half_up_to_the_fen():
    assert to_rmb(Decimal("10000.00"), Decimal("7.1234")) == Decimal("71234.00")
    assert to_rmb(Decimal("0.01"), Decimal("0.5")) == Decimal("0.01")  # 0.005 rounds up
    assert to_rmb(Decimal("1.00"), Decimal("0.0649")) == Decimal("0.06")
    with pytest.raises(AmountError):
        to_rmb(Decimal(1), Decimal(0))
    with pytest.raises(AmountError):
        to_rmb(Decimal(-1), Decimal(7))


def test_converted_instalments_add_up_to_the_converted_total():
    dues = [(I1, Decimal("333.33")), (I2, Decimal("333.33")), (I3, Decimal("333.34"))]
    total = to_rmb(Decimal("1000.00"), Decimal("7.12345"))
    out = convert_instalments(dues, total, Decimal("7.12345"))
    assert sum(a for _, a in out) == total == Decimal("7123.45")
    assert out[0] == (I1, Decimal("2374.46"))


def test_doubled_part_in_the_foreign_currency_is_the_same_rate():
    s = build_schedule(
        principal=Decimal("10000.00"),
        interest=Decimal(0),
        costs=Decimal(0),
        deadline=I1,
        until=date(2026, 2, 10),
    )
    assert s.doubled_total == Decimal("17.50")  # USD 10,000 × 0.0175 % × 10 days, in USD


# -- 迟延履行金 (民诉解释 Art 505) ---------------------------------------------------------------------


def test_late_performance_fee_doubles_the_loss_or_takes_the_courts_amount():
    assert late_performance_fee(Decimal("1234.56"), None) == Decimal("2469.12")
    assert late_performance_fee(Decimal("1234.56"), Decimal("500")) == Decimal("2469.12")  # loss wins
    assert late_performance_fee(Decimal("0"), Decimal("500")) == Decimal("500.00")
    assert late_performance_fee(None, Decimal("500")) == Decimal("500.00")
    assert late_performance_fee(None, None) == Decimal("0.00")
    with pytest.raises(AmountError):
        late_performance_fee(Decimal("-1"), None)
