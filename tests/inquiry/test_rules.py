"""Pure rules: control terms and expiry, headroom, freeze/seizure checks, release plans, backoff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.inquiry import rules


@pytest.mark.parametrize(
    ("kind", "start", "expires"),
    [
        ("funds", date(2026, 3, 10), date(2027, 3, 9)),  # deposits: 1 year
        ("movable", date(2026, 3, 10), date(2028, 3, 9)),  # movables: 2 years
        ("real_estate", date(2026, 3, 10), date(2029, 3, 9)),  # real estate: 3 years
        ("right", date(2026, 1, 1), date(2028, 12, 31)),  # other property rights: 3 years
        ("funds", date(2028, 2, 29), date(2029, 2, 27)),  # leap day start → 28 Feb next year, minus one
        ("funds", date(2026, 3, 1), date(2027, 2, 28)),
    ],
)
def test_control_expiry(kind: str, start: date, expires: date) -> None:
    assert rules.control_expiry(start, kind) == expires


def test_info_categories_cannot_be_controlled() -> None:
    with pytest.raises(rules.RuleError):
        rules.control_expiry(date(2026, 1, 1), "info")


def test_renewal_runs_on_from_the_old_expiry() -> None:
    assert rules.renewal_expiry(date(2027, 3, 9), "funds") == date(2028, 3, 9)
    assert rules.renewal_expiry(date(2029, 3, 9), "real_estate") == date(2032, 3, 9)


@pytest.mark.parametrize(
    ("expires", "today", "state"),
    [
        (None, date(2026, 1, 1), "none"),
        (date(2026, 5, 1), date(2026, 3, 1), "ok"),
        (date(2026, 5, 1), date(2026, 4, 1), "warn"),  # exactly 30 days left
        (date(2026, 5, 1), date(2026, 4, 2), "warn"),
        (date(2026, 5, 1), date(2026, 3, 31), "ok"),  # 31 days left
        (date(2026, 5, 1), date(2026, 5, 1), "warn"),  # last day still valid
        (date(2026, 5, 1), date(2026, 5, 2), "lapsed"),
    ],
)
def test_expiry_state(expires: date | None, today: date, state: str) -> None:
    assert rules.expiry_state(expires, today, 30) == state


def test_claim_outstanding_never_negative() -> None:
    c = rules.Claim(D("100"), D("10"), D("1.75"), D("50"), D("0"))
    assert c.outstanding == D("161.75")
    assert rules.Claim(D("100"), D("0"), D("0"), D("0"), D("500")).outstanding == D("0.00")


def test_headroom() -> None:
    assert rules.headroom(D("100"), D("40")) == D("60.00")
    assert rules.headroom(D("100"), D("140")) == D("0.00")


def test_check_freeze() -> None:
    assert rules.check_freeze(D("60"), D("60")).allowed
    assert not rules.check_freeze(D("60.01"), D("60")).allowed
    assert "超标的" in rules.check_freeze(D("1"), D("0")).message
    assert not rules.check_freeze(D("0"), D("60")).allowed


def test_check_seizure_indivisible_needs_reason() -> None:
    assert rules.check_seizure(D("50"), D("60"), "").allowed
    refused = rules.check_seizure(D("500000"), D("60"), "")
    assert not refused.allowed and "不可分" in refused.message
    assert rules.check_seizure(D("500000"), D("60"), "唯一财产，不可分割").allowed
    assert not rules.check_seizure(D("50"), D("0"), "理由").allowed  # nothing left to secure


def test_remainder_after_partial() -> None:
    assert rules.remainder_after_partial(D("100"), D("30")) == D("70.00")
    assert rules.remainder_after_partial(D("100"), D("100")) == D("0.00")


def test_plan_release_frees_largest_frozen_first_and_keeps_needed_seizures() -> None:
    held = [rules.Held(1, D("30"), D("0")), rules.Held(2, D("50"), D("0")), rules.Held(3, D("0"), D("400"))]
    assert rules.plan_release(D("60"), held) == [(2, D("50")), (1, D("10"))]
    assert rules.plan_release(D("500"), held) == [(3, None), (2, D("50")), (1, D("30"))]
    assert rules.plan_release(D("0"), held) == []


@given(
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.lists(st.tuples(st.decimals(min_value=0, max_value=10**5, places=2), st.booleans()), max_size=8),
)
def test_plan_release_never_releases_more_than_the_excess(excess: D, items: list[tuple[D, bool]]) -> None:
    held = [
        rules.Held(i, D(0) if seized else v, v if seized else D(0)) for i, (v, seized) in enumerate(items)
    ]
    plan = rules.plan_release(excess, held)
    by_id = {h.asset_id: h for h in held}
    released = sum((by_id[i].seized_value if amt is None else amt) for i, amt in plan)
    assert released <= max(excess, D(0))
    for i, amt in plan:
        assert amt is None or D(0) < amt <= by_id[i].frozen


@pytest.mark.parametrize(("attempt", "seconds"), [(0, 5), (1, 5), (2, 10), (3, 20), (8, 600), (20, 600)])
def test_backoff(attempt: int, seconds: int) -> None:
    assert rules.backoff_seconds(attempt, 5, 600) == seconds
