"""The in-memory screening index (pure) and its refresh from the change log."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from zhixing.credit import queries, rules, services
from zhixing.credit.models import ChangeEvent
from zhixing.credit.screening import (
    COMMON_MASK,
    ScreeningIndex,
    digest64,
    feed_deltas,
    hash_prefix,
    keyed_hash,
)

from .conftest import ADULT_ID, debtor, debtor_case, open_listing_data

RAIL = rules.partner_mask("railway")
AIR = rules.partner_mask("airline")
X_ID = "11010519491231002X"


def test_common_other_and_units() -> None:
    idx = ScreeningIndex()
    idx.set(ADULT_ID, COMMON_MASK)
    idx.set(X_ID, rules.CODE_BITS["exit"])
    idx.set(factories.VALID_CREDIT, rules.items_mask([2]))
    assert idx.mask_of(ADULT_ID) == COMMON_MASK and len(idx) == 3
    assert idx.check_many([ADULT_ID, X_ID, factories.VALID_CREDIT, "bad"], AIR) == {
        ADULT_ID: rules.CODE_BITS["flight"],
        X_ID: rules.CODE_BITS["exit"],
    }
    # Fast path (all well-formed IDs) and slow path (a unit code in the batch) agree.
    assert idx.check_many([ADULT_ID, X_ID], RAIL) == {ADULT_ID: RAIL}
    idx.set(ADULT_ID, 0)
    idx.set(X_ID, 0)
    idx.set(factories.VALID_CREDIT, 0)
    assert len(idx) == 0 and idx.check_many([ADULT_ID], RAIL) == {}


def test_batch_rejects_misplaced_x_and_wrong_length() -> None:
    idx = ScreeningIndex()
    idx.set(X_ID, COMMON_MASK)
    assert idx.check_many(["1101051949123100X2", X_ID[:-1], X_ID + "1"], COMMON_MASK) == {}
    assert idx.check_many([X_ID, X_ID.lower()], COMMON_MASK) == {X_ID: COMMON_MASK}


@given(st.lists(st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True), min_size=1, max_size=30), st.data())
def test_batch_matches_single_look_ups(ids: list[str], data: Any) -> None:
    idx = ScreeningIndex()
    listed = data.draw(st.lists(st.sampled_from(ids), max_size=len(ids)))
    for number in listed:
        idx.set(number, COMMON_MASK if int(number[5]) % 2 else rules.CODE_BITS["hsr"])
    # A number with a wrong check character is never a hit (issue 14: reported invalid instead).
    valid = [n for n in ids if not rules.subject_invalid(n)]
    expected = {n: idx.mask_of(n) & RAIL for n in valid if idx.mask_of(n) & RAIL}
    assert idx.check_many(ids, RAIL) == expected


def test_stored_digest_is_the_prefix_of_the_partners_hash() -> None:
    h = keyed_hash("secret", X_ID)
    assert digest64(b"secret", X_ID) == hash_prefix(h)
    assert -(2**63) <= hash_prefix(h) < 2**63
    assert hash_prefix("f" * 64) == -1 and hash_prefix("7" + "f" * 63) == 2**63 - 1
    assert digest64(b"other", X_ID) != hash_prefix(h)


def test_feed_deltas_only_what_the_partner_sees() -> None:
    rows = [
        (1, "A", 0, rules.CODE_BITS["exit"], None),
        (2, "B", 0, COMMON_MASK, None),
        (3, "B", COMMON_MASK, rules.CODE_BITS["hsr"], None),
        (4, "B", rules.CODE_BITS["hsr"], 0, None),
    ]
    out, last = feed_deltas(rows, RAIL, 10)
    assert [(d["seq"], d["action"]) for d in out] == [(2, "added"), (3, "changed"), (4, "removed")]
    assert last == 4
    out, last = feed_deltas(rows, RAIL, 1)
    assert len(out) == 1 and last == 2


def test_index_follows_change_log_and_rebuilds(people: dict) -> None:
    c = debtor_case(people["clerk"])
    assert queries.current_index().mask_of(ADULT_ID) == 0
    x = services.list_debtor(people["judge"], c, debtor(c), open_listing_data())
    idx = queries.current_index()  # first load from the register
    assert idx.mask_of(ADULT_ID) == COMMON_MASK
    services.remove_listing(people["judge"], x, trigger="performed", trigger_on=date(2026, 3, 10))
    assert queries.current_index() is idx  # applied incrementally from the change log
    assert idx.mask_of(ADULT_ID) == 0
    # The log went back (a restore): the next look-up rebuilds from the register.
    idx.cursor = (ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 100
    assert queries.current_index() is not idx
