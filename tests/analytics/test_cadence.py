"""Income regularity (cadence.py): weekly, bi-weekly, semi-monthly, monthly and irregular pay."""

from __future__ import annotations

from datetime import datetime, timedelta

from zhixing.analytics import cadence
from zhixing.analytics.ruleconfig import DEFAULT_CONFIG

CFG = DEFAULT_CONFIG["regular"]
START = datetime(2026, 1, 2, 9, 0)


def every(days: float, n: int, amount: float = 2500.0) -> tuple[list[datetime], list[float], list[int]]:
    times = [START + timedelta(days=days * i) for i in range(n)]
    return times, [amount] * n, list(range(1, n + 1))


def test_weekly_pay() -> None:
    got = cadence.assess(*every(7, 14, 600.0), CFG)
    assert got is not None and (got["cadence"], got["n"], got["months"]) == ("weekly", 14, 4)
    assert round(got["monthly"], 2) == round(600 * 30.44 / 7, 2)


def test_biweekly_pay_the_issue_case() -> None:
    got = cadence.assess(*every(14, 8), CFG)
    assert got is not None and (got["cadence"], got["period_days"]) == ("biweekly", 14.0)


def test_semimonthly_pay_on_the_1st_and_16th() -> None:
    times = [datetime(2026, m, d, 9) for m in (1, 2, 3, 4) for d in (1, 16)]
    got = cadence.assess(times, [3000.0] * 8, list(range(8)), CFG)
    assert got is not None and got["cadence"] == "semimonthly"


def test_monthly_pay_on_drifting_days() -> None:
    times = [datetime(2026, 1, 10), datetime(2026, 2, 10), datetime(2026, 3, 12), datetime(2026, 4, 11)]
    got = cadence.assess(times, [8000.0, 8000.0, 8100.0, 7900.0], [1, 2, 3, 4], CFG)
    assert got is not None and got["cadence"] == "monthly" and round(got["period_days"], 1) == 30.3


def test_irregular_pay_with_steady_monthly_totals() -> None:
    # piece-rate pay on changing days and in changing lumps, about 6,000 a month
    days = [3, 19, 7, 11, 27, 2, 14, 22, 9, 30, 6, 21, 12]
    months = [1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6]
    amounts = [2500.0, 3500.0, 1000.0, 2000.0, 3100.0, 2000.0, 2000.0, 1900.0, 4000.0, 2100.0]
    amounts += [3000.0, 3000.0, 5800.0]
    times = [datetime(2026, m, d, 10) for m, d in zip(months, days, strict=True)]
    got = cadence.assess(times, amounts, list(range(13)), CFG)
    assert got is not None and (got["cadence"], got["months"], got["n"]) == ("irregular", 6, 13)
    assert round(got["monthly"], 2) == 5983.33  # (6000 + 6100 + 5900 + 6100 + 6000 + 5800) / 6
    # the same pay over five months is not yet a record long enough
    assert cadence.assess(times[:12], amounts[:12], list(range(12)), CFG) is None


def test_one_off_transfers_from_the_payer_do_not_hide_the_salary() -> None:
    times, amounts, ids = every(14, 8)
    times.insert(3, START + timedelta(days=30))
    amounts.insert(3, 20000.0)
    ids.insert(3, 99)
    got = cadence.assess(times, amounts, ids, CFG)
    assert got is not None and got["cadence"] == "biweekly" and 99 not in got["ids"]


def test_edges_that_are_not_regular() -> None:
    assert cadence.assess(*every(14, 2), CFG) is None  # two payments are no stream
    # every 20 days falls between the periodic windows; over six months it is steady income, irregular
    assert cadence.periodic(*every(20, 6)[:2], CFG) is None
    assert cadence.assess(*every(20, 6), CFG) is None  # four months only
    assert cadence.assess(*every(20, 10), CFG)["cadence"] == "irregular"  # type: ignore[index]
    assert cadence.assess(*every(7, 8, 200.0), CFG) is None  # 200 a week ≈ 870 a month < 1,000
    assert cadence.assess(*every(14, 4), CFG) is None  # two calendar months only
    # wildly varying amounts on varying days: neither periodic nor steady month by month
    times = [datetime(2026, m, d) for m, d in ((1, 3), (2, 20), (3, 1), (4, 28), (5, 9))]
    assert cadence.assess(times, [500.0, 9000.0, 1200.0, 15000.0, 300.0], list(range(5)), CFG) is None


def test_irregular_needs_most_months_covered() -> None:
    times = [datetime(2026, m, 5) for m in (1, 2, 3, 4, 5, 9, 10)]  # 7 of 10 months
    assert cadence.irregular(times, [5000.0] * 7, CFG) is None
    assert cadence.irregular([*times, datetime(2026, 8, 5)], [5000.0] * 8, CFG) is not None  # 8 of 10
    assert cadence.irregular(times, [5000.0] * 4, {**CFG, "irregular": None}) is None


def test_payee_config_is_monthly_only() -> None:
    assert cadence.assess(*every(14, 8, 3000.0), DEFAULT_CONFIG["payee"]) is None
    assert cadence.assess(*every(30.4, 5, 3000.0), DEFAULT_CONFIG["payee"])["cadence"] == "monthly"  # type: ignore[index]
