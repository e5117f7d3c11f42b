"""Pure arithmetic of the leaders' pages (cases.rules_leaders): subtotals up the court tree, overdue
age buckets, the months of a trend and the chart payload."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest

from zhixing.cases import rules_leaders as rl

KEYS = ("open_cases", "overdue_nodes", "term_overdue")

# The test province: 1 粤 (high) → 2 粤01 → {4 粤0106, 5 粤0104}; 1 → 3 粤03 → 6 粤0304.
PARENTS: dict[int, int | None] = {1: None, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3}


def figs(o: int, n: int, t: int) -> dict[str, int]:
    return {"open_cases": o, "overdue_nodes": n, "term_overdue": t}


# -- subtotals --------------------------------------------------------------------------------------


def test_subtotals_of_the_province():
    own = {
        1: figs(0, 0, 0),
        2: figs(1, 4, 0),
        3: figs(0, 0, 0),
        4: figs(3, 6, 1),
        5: figs(1, 1, 0),
        6: figs(0, 0, 0),
    }
    assert rl.subtotals(PARENTS, own, KEYS) == {
        1: figs(5, 11, 1),  # the high court: the province total
        2: figs(5, 11, 1),  # the intermediate court: itself and its two basic courts (not 0)
        3: figs(0, 0, 0),
        4: figs(3, 6, 1),
        5: figs(1, 1, 0),
        6: figs(0, 0, 0),
    }


def test_an_intermediate_court_with_nothing_of_its_own_shows_its_basic_courts():
    own = {4: figs(2, 3, 1), 5: figs(7, 0, 2), 6: figs(1, 1, 1)}  # courts 1–3 absent: they count 0
    totals = rl.subtotals(PARENTS, own, KEYS)
    assert totals[2] == figs(9, 3, 3)
    assert totals[3] == figs(1, 1, 1)
    assert totals[1] == figs(10, 4, 4)


@pytest.mark.parametrize("court", list(PARENTS))
def test_each_subtotal_is_the_sum_over_the_subtree(court):
    own = {c: figs(c, 10 * c, 100 * c) for c in PARENTS}

    def below(c: int) -> set[int]:
        kids = {k for k, p in PARENTS.items() if p == c}
        return {c} | set().union(*(below(k) for k in kids)) if kids else {c}

    expected = {k: sum(own[c][k] for c in below(court)) for k in KEYS}
    assert rl.subtotals(PARENTS, own, KEYS)[court] == expected


def test_subtotals_exhaustively_over_every_one_hot_placement():
    """A single item placed in any court counts in exactly that court and its ancestors."""
    ancestors = {4: {4, 2, 1}, 5: {5, 2, 1}, 6: {6, 3, 1}, 2: {2, 1}, 3: {3, 1}, 1: {1}}
    for where, key in itertools.product(PARENTS, KEYS):
        own = {where: {key: 1}}
        totals = rl.subtotals(PARENTS, own, KEYS)
        for court in PARENTS:
            assert totals[court][key] == (1 if court in ancestors[where] else 0), (where, key, court)
            assert sum(totals[court].values()) == totals[court][key]


def test_a_view_rooted_below_the_top_treats_an_outside_parent_as_the_root():
    # A 粤01 director sees 粤01 and its basic courts; 粤01's parent (1) is outside the view.
    parents = {2: 1, 4: 2, 5: 2}
    totals = rl.subtotals(parents, {2: figs(1, 1, 1), 4: figs(2, 2, 2), 5: figs(3, 3, 3)}, KEYS)
    assert totals == {2: figs(6, 6, 6), 4: figs(2, 2, 2), 5: figs(3, 3, 3)}


def test_a_single_basic_court_and_an_empty_view():
    assert rl.subtotals({4: 2}, {4: figs(1, 2, 3)}, KEYS) == {4: figs(1, 2, 3)}
    assert rl.subtotals({}, {}, KEYS) == {}


def test_a_deep_chain_sums_all_the_way_up():
    parents: dict[int, int | None] = {i: (i - 1 if i > 1 else None) for i in range(1, 501)}
    totals = rl.subtotals(parents, {i: {"n": 1} for i in parents}, ("n",))
    assert totals[1] == {"n": 500} and totals[500] == {"n": 1} and totals[250] == {"n": 251}


def test_a_cycle_is_an_error():
    with pytest.raises(ValueError, match="循环"):
        rl.subtotals({1: 2, 2: 1}, {}, KEYS)


# -- age buckets ------------------------------------------------------------------------------------

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("days", "code"),
    [
        (-3, None),
        (0, None),
        (1, "1-7"),
        (7, "1-7"),
        (8, "8-30"),
        (30, "8-30"),
        (31, "31-90"),
        (90, "31-90"),
        (91, "91-"),
        (3650, "91-"),
    ],
)
def test_bucket_boundaries(days, code):
    b = rl.age_bucket(days)
    assert (b.code if b else None) == code


def test_days_overdue():
    assert rl.days_overdue(date(2026, 3, 9), TODAY) == 1
    assert rl.days_overdue(TODAY, TODAY) == 0
    assert rl.days_overdue(date(2026, 3, 11), TODAY) == 0
    assert rl.days_overdue(date(2025, 12, 31), TODAY) == 69


def test_due_range_selects_exactly_the_bucket_for_every_day():
    """The date filter the node list applies and the bucket of each node agree for 0–400 days."""
    for days in range(0, 401):
        due = TODAY - timedelta(days=days)
        for b in rl.AGE_BUCKETS:
            earliest, latest = rl.due_range(b, TODAY)
            in_range = due <= latest and (earliest is None or due >= earliest)
            assert in_range == (rl.age_bucket(days) == b), (days, b.code)


def test_bucket_counts():
    pairs = [
        (date(2026, 3, 9), 3),  # 1 day
        (date(2026, 3, 2), 1),  # 8 days
        (date(2026, 1, 8), 4),  # 61 days
        (date(2025, 7, 30), 2),  # 223 days
        (TODAY, 5),  # due today: not overdue
        (date(2026, 4, 1), 9),  # future
    ]
    assert rl.bucket_counts(pairs, TODAY) == {"1-7": 3, "8-30": 1, "31-90": 4, "91-": 2}
    assert rl.bucket_counts([], TODAY) == {"1-7": 0, "8-30": 0, "31-90": 0, "91-": 0}
    assert rl.bucket_by_code("8-30") == rl.AGE_BUCKETS[1] and rl.bucket_by_code("x") is None


# -- months and series ------------------------------------------------------------------------------


def test_last_months_cross_the_year():
    assert rl.last_months(TODAY, 4) == [(2025, 12), (2026, 1), (2026, 2), (2026, 3)]
    ms = rl.last_months(date(2026, 12, 31), 12)
    assert ms[0] == (2026, 1) and ms[-1] == (2026, 12) and len(ms) == 12
    assert rl.month_label((2026, 3)) == "2026-03"


def test_monthly_sums_and_drops_dates_outside():
    ms = rl.last_months(TODAY, 3)
    values = [(date(2026, 1, 31), 2), (date(2026, 1, 1), 1), (date(2026, 3, 10), 5), (date(2025, 12, 31), 9)]
    assert rl.monthly(values, ms) == [3, 0, 5]
    money = [(date(2026, 2, 3), Decimal("0.10")), (date(2026, 2, 4), Decimal("0.20"))]
    assert rl.monthly(money, ms, Decimal("0.00")) == [Decimal("0.00"), Decimal("0.30"), Decimal("0.00")]


def test_chart_payload():
    payload = rl.chart(
        "标题",
        "line",
        ["2026-02", "2026-03"],
        [
            {"name": "收案（件）", "data": [1, 2], "links": ["/a", None]},
            {"name": "执行到位（万元）", "data": [Decimal("1.5"), Decimal("0")], "axis": 1, "kind": "bar"},
        ],
        unit="件",
    )
    assert payload == {
        "title": "标题",
        "kind": "line",
        "unit": "件",
        "categories": ["2026-02", "2026-03"],
        "series": [
            {"name": "收案（件）", "data": [1, 2], "links": ["/a", None]},
            {"name": "执行到位（万元）", "data": ["1.50", "0.00"], "axis": 1, "kind": "bar"},
        ],
    }


def test_chart_refuses_mismatched_series_and_unknown_kinds():
    with pytest.raises(ValueError):
        rl.chart("t", "bar", ["a", "b"], [{"name": "x", "data": [1]}])
    with pytest.raises(ValueError):
        rl.chart("t", "bar", ["a"], [{"name": "x", "data": [1], "links": []}])
    with pytest.raises(ValueError):
        rl.chart("t", "pie", ["a"], [{"name": "x", "data": [1]}])


def test_to_wan():
    assert rl.to_wan(Decimal("12345.67")) == Decimal("1.23")
    assert rl.to_wan(Decimal("20000.00")) == Decimal("2.00")
    assert rl.to_wan(Decimal("0")) == Decimal("0.00")
