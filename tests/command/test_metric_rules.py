"""Quality metrics on a hand-made case set with exact expected values (rules.md §10, R-10.1/R-10.2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.command import metric_rules as mr

START, END = date(2026, 1, 1), date(2026, 6, 30)
CFG = mr.MetricConfig()


def f(i: int, **kw: object) -> mr.CaseFacts:
    base: dict[str, object] = {"id": i, "court_id": 1, "type_code": "执", "filed_on": date(2026, 2, 1)}
    base.update(kw)
    return mr.CaseFacts(**base)  # type: ignore[arg-type]


# Ten cases, each chosen to hit one edge of a definition.
CASES = [
    # 1 performed within term, claim 1000 paid 1000, 59 days
    f(
        1,
        closed_on=date(2026, 4, 1),
        closing_mode="performed",
        claim=D("1000"),
        paid=D("1000"),
        term_due=date(2026, 8, 1),
    ),
    # 2 performed after its term, claim 500 paid 400, carried over from 2025 (filed 2025-10-01)
    f(
        2,
        filed_on=date(2025, 10, 1),
        closed_on=date(2026, 5, 1),
        closing_mode="performed",
        claim=D("500"),
        paid=D("400"),
        term_due=date(2026, 4, 1),
    ),
    # 3 dormant (终本) in period: closed, not actual, not "with property"
    f(
        3,
        closed_on=date(2026, 3, 1),
        closing_mode="dormant",
        claim=D("2000"),
        paid=D("100"),
        term_due=date(2026, 8, 1),
    ),
    # 4 terminated: with property, not actual
    f(4, closed_on=date(2026, 6, 30), closing_mode="terminated", claim=D("300"), term_due=date(2026, 8, 1)),
    # 5 open, filed in period
    f(5, claim=D("700")),
    # 6 open, carried over
    f(6, filed_on=date(2025, 3, 1)),
    # 7 closed before the period: not accepted, not closed in it
    f(
        7,
        filed_on=date(2025, 1, 1),
        closed_on=date(2025, 12, 31),
        closing_mode="performed",
        claim=D("9"),
        paid=D("9"),
        term_due=date(2026, 1, 1),
    ),
    # 8 filed after the period
    f(8, filed_on=date(2026, 7, 1)),
    # 9 执恢 case closed performed in period: excluded from 结案率 only
    f(
        9,
        type_code="执恢",
        closed_on=date(2026, 2, 11),
        closing_mode="performed",
        claim=D("100"),
        paid=D("100"),
        term_due=date(2026, 8, 1),
    ),
    # 10 performed on the last day of its term (still within)
    f(
        10,
        closed_on=date(2026, 6, 1),
        closing_mode="performed",
        claim=D("200"),
        paid=D("200"),
        term_due=date(2026, 6, 1),
    ),
]


def test_accepted_and_closed_sets() -> None:
    assert [c.id for c in mr.accepted(CASES, START, END, CFG)] == [1, 2, 3, 4, 5, 6, 10]
    assert [c.id for c in mr.closed_in(CASES, START, END)] == [1, 2, 3, 4, 9, 10]


def test_closure_rate_excludes_resumed_and_preservation_cases() -> None:
    r = mr.closure_rate(CASES, START, END, CFG)
    assert (r.numerator, r.denominator, r.value) == (5, 7, D("71.43"))
    assert "执保、执恢" in r.definition and r.unconfirmed


def test_actual_closure_rate() -> None:
    r = mr.actual_closure_rate(CASES, START, END, CFG)
    assert (r.numerator, r.denominator, r.value) == (4, 6, D("66.67"))


def test_money_in_place_rate() -> None:
    r = mr.money_in_place_rate(CASES, START, END, CFG)
    # paid of performed: 1000 + 400 + 100 + 200 = 1700; claim of all closed: 1000+500+2000+300+100+200 = 4100
    assert (r.numerator, r.denominator, r.value) == (D("1700"), D("4100"), D("41.46"))


def test_average_days_to_close() -> None:
    r = mr.average_days_to_close(CASES, START, END, CFG)
    # 59 + 212 + 28 + 149 + 10 + 120 = 578 days over 6 cases
    assert (r.numerator, r.denominator, r.value, r.unit) == (578, 6, D("96.33"), "天")


def test_actual_within_term_counts_the_terms_last_day() -> None:
    r = mr.actual_within_term_rate(CASES, START, END, CFG)
    # with property: 1, 2, 4, 9, 10; actual within term: 1, 9, 10
    assert (r.numerator, r.denominator, r.value, r.target, r.met) == (3, 5, D("60.00"), D("90"), False)


def test_three_year_overall_and_the_2018_reading() -> None:
    r = mr.three_year_rate(CASES, START, END, CFG)
    # filed 2024-01-01..2026-06-30, not 执恢: 1,2,3,4,5,6,7,10 -> closed by END: 1,2,3,4,7,10
    assert (r.numerator, r.denominator, r.value) == (6, 8, D("75.00"))
    alt = mr.three_year_rate(CASES, START, END, mr.MetricConfig(eighty_formula="dormant_plus_actual"))
    # closed in period 1,2,3,4,9,10: dormant 3 + actual within term 1, 9, 10
    assert (alt.numerator, alt.denominator, alt.value) == (4, 6, D("66.67"))


def test_source_metrics_show_missing_without_a_source() -> None:
    results = mr.court_metrics(CASES, START, END, CFG)
    by = {r.code: r for r in results}
    assert by["dormant_compliance"].state == "missing" and by["dormant_compliance"].value is None
    assert by["petition_completion"].state == "missing"
    with_sources = mr.court_metrics(
        CASES, START, END, CFG, {"closed": 8, "compliant": 7}, {"due": 3, "answered_on_time": 3}
    )
    by = {r.code: r for r in with_sources}
    assert by["dormant_compliance"].value == D("87.50") and by["petition_completion"].value == D("100.00")
    assert [r.code for r in with_sources][:4] == [
        "actual_within_term",
        "dormant_compliance",
        "petition_completion",
        "three_year",
    ]


def test_empty_sets_are_empty_not_zero() -> None:
    r = mr.closure_rate([], START, END, CFG)
    assert (r.value, r.state) == (None, "empty")
    assert mr.average_days_to_close([], START, END, CFG).state == "empty"


def test_courts_reaching_standard() -> None:
    ok = mr.Result("actual_within_term", "", "", 9, 10, D("90.00"))
    low = mr.Result("actual_within_term", "", "", 8, 10, D("80.00"))
    missing = mr.Result("dormant_compliance", "", "", state="missing")
    high = mr.Result("petition_completion", "", "", 1, 1, D("100.00"))
    std = mr.courts_reaching_standard({"a": [ok, missing, high], "b": [low, high], "c": [missing]}, CFG)
    assert (std.result.numerator, std.result.denominator, std.result.value) == (1, 2, D("50.00"))
    assert std.reached == ["a"] and std.missing == ["c"]


def test_rate_rounds_half_up() -> None:
    assert mr.rate(1, 8) == D("12.50") and mr.rate(1, 3) == D("33.33") and mr.rate(2, 3) == D("66.67")
    assert mr.rate(1, 0) is None


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 400),
            st.one_of(st.none(), st.integers(0, 400)),
            st.sampled_from(["performed", "dormant", "terminated", "withdrawn"]),
            st.sampled_from(["执", "执恢", "执保"]),
        ),
        max_size=30,
    )
)
def test_rates_are_fractions_between_0_and_100(rows: list[tuple[int, int | None, str, str]]) -> None:
    base = date(2025, 6, 1)
    from datetime import timedelta

    facts = [
        f(
            i,
            filed_on=base + timedelta(days=a),
            type_code=t,
            closed_on=None if b is None else base + timedelta(days=a + b),
            closing_mode="" if b is None else m,
            claim=D("10"),
            paid=D("5"),
            term_due=base + timedelta(days=a + 180),
        )
        for i, (a, b, m, t) in enumerate(rows)
    ]
    for r in mr.court_metrics(facts, START, END, CFG):
        if r.value is not None and r.unit == "%":
            assert D("0") <= r.value <= D("100")
            assert r.numerator is not None and r.denominator is not None and r.numerator <= r.denominator


@pytest.mark.parametrize(
    ("mode", "paid", "details", "expected"),
    [
        # closed as performed, paid directly to the applicant: the closing's 执行到位金额 counts
        ("performed", "0", {"performed_amount": "10000.00"}, "10000.00"),
        # more recorded than stated (interest paid too): the money recorded counts
        ("performed", "10500.00", {"performed_amount": "10000.00"}, "10500.00"),
        # other closings, or no stated amount: what was recorded
        ("dormant", "300.00", {"performed_amount": "999"}, "300.00"),
        ("performed", "50.00", {}, "50.00"),
        ("performed", "50.00", {"performed_amount": "abc"}, "50.00"),
        ("", "0", None, "0"),
    ],
)
def test_what_a_case_counts_as_in_place(mode: str, paid: str, details: Any, expected: str) -> None:
    assert mr.in_place(mode, D(paid), details) == D(expected)
