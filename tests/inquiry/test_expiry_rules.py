"""The pure 轮候 arithmetic (查封规定 Art 26) and term helpers, exhaustively over small queues."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.inquiry import rules

H = rules.QueueHolder


def test_the_next_in_line_takes_the_first_place() -> None:
    queue = [H(2, 2, date(2026, 5, 10)), H(3, 3, date(2026, 6, 1))]
    assert rules.advance_queue(queue, [H(1, 1, date(2026, 4, 1))]) == {2: 1, 3: 2}


def test_a_lift_behind_moves_nobody_ahead() -> None:
    queue = [H(1, 1, date(2026, 4, 1)), H(3, 3, date(2026, 6, 1))]
    assert rules.advance_queue(queue, [H(2, 2, date(2026, 5, 10))]) == {3: 2}


def test_holders_outside_the_platform_keep_their_places() -> None:
    # Rank 1 is another court's seizure (unknown here); ours at 2 leaves: the one at 3 moves to 2, not 1.
    assert rules.advance_queue([H(3, 3, None)], [H(2, 2, None)]) == {3: 2}


def test_several_lifted_at_once() -> None:
    queue = [H(3, 3, None), H(4, 4, None), H(5, 5, None)]
    assert rules.advance_queue(queue, [H(1, 1, None), H(2, 2, None), H(4, 4, None)]) == {3: 1, 5: 2}


def test_equal_ranks_go_by_earlier_registration() -> None:
    # Two holders reported at the same place: the earlier registration comes first.
    queue = [H(7, 2, date(2026, 6, 1)), H(8, 2, date(2026, 5, 1))]
    assert rules.advance_queue(queue, [H(1, 1, date(2026, 4, 1))]) == {8: 1}  # 7 stays 2


def test_nothing_lifted_changes_nothing() -> None:
    assert rules.advance_queue([H(1, 1, None), H(2, 2, None)], []) == {}


@given(st.integers(min_value=1, max_value=6), st.data())
def test_ranks_stay_distinct_and_in_order(n: int, data: st.DataObject) -> None:
    holders = [H(i, i, date(2026, 1, i)) for i in range(1, n + 1)]
    lifted = data.draw(st.lists(st.sampled_from(holders), unique=True))
    staying = [h for h in holders if h not in lifted]
    new = {h.asset_id: rules.advance_queue(staying, lifted).get(h.asset_id, h.rank) for h in staying}
    assert sorted(new.values()) == list(range(1, len(staying) + 1))  # a contiguous queue stays contiguous
    order = [h.asset_id for h in staying]
    assert sorted(order, key=lambda i: new[i]) == order  # nobody overtakes


@pytest.mark.parametrize(
    ("kind", "day", "start", "expires"),
    [
        ("funds", date(2026, 9, 15), date(2026, 9, 15), date(2027, 9, 14)),
        ("movable", date(2026, 9, 15), date(2026, 9, 15), date(2028, 9, 14)),
        ("real_estate", date(2026, 9, 15), date(2026, 9, 15), date(2029, 9, 14)),
        ("real_estate", date(2028, 2, 29), date(2028, 2, 29), date(2031, 2, 27)),
    ],
)
def test_effective_term_counts_from_the_day_it_takes_effect(
    kind: str, day: date, start: date, expires: date
) -> None:
    assert rules.effective_term(day, kind) == (start, expires)


def test_days_left() -> None:
    assert [
        rules.days_left(date(2027, 3, 9), d) for d in (date(2027, 2, 7), date(2027, 3, 9), date(2027, 3, 10))
    ] == [
        30,
        0,
        -1,
    ]


def test_every_small_queue_exhaustively() -> None:
    """All subsets lifted from a queue of 5 known holders behind 0–2 unknown ones."""
    for outside in range(3):
        holders = [H(i, outside + i, None) for i in range(1, 6)]
        for k in range(6):
            for lifted in itertools.combinations(holders, k):
                staying = [h for h in holders if h not in lifted]
                ranks = rules.advance_queue(staying, list(lifted))
                got = [ranks.get(h.asset_id, h.rank) for h in staying]
                assert got == [outside + i for i in range(1, len(staying) + 1)], (outside, lifted)
