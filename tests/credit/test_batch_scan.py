"""The batch scanned into arrays and its answers joined from bytes (`screening_scan`, `gateway.compact`).

The assembled CSV and compact JSON are compared byte for byte with what the former per-hit code wrote
(`screening_csv.hits_csv` and ``json.dumps`` of the answer's structure) on random batches, indexes,
partner kinds and court/case details; the sorted copy of the index answers as the live set while the
index changes; a batch's cached tails follow the change log like the single check's.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import factories
from tests.credit.conftest import ADULT_ID, debtor, debtor_case, make_partner
from zhixing.credit import rules, services
from zhixing.credit.gateway import Engine, Job
from zhixing.credit.gateway.answers import _cleaned
from zhixing.credit.gateway.compact import (
    DETAIL_FIELDS,
    csv_body,
    csv_tail,
    json_body,
    json_tail,
    legacy_body,
)
from zhixing.credit.models import Restriction
from zhixing.credit.screening import COMMON_MASK, ScreeningIndex, malformed
from zhixing.credit.screening_csv import CSV_HEADER, hits_csv
from zhixing.credit.screening_scan import _in_table, hashed_table
from zhixing.credit.synthetic import synthetic_id
from zhixing.credit.visibility import VIEWS, view_of

PEOPLE = [synthetic_id(i) for i in range(12)]
OTHER_MASKS = [rules.CODE_BITS["exit"], rules.CODE_BITS["hsr"] | rules.CODE_BITS["exit"], 0]
LINES = st.one_of(
    st.sampled_from(PEOPLE),
    st.sampled_from(PEOPLE).map(lambda s: s[:17] + ("0" if s[17] != "0" else "1")),  # a wrong check digit
    st.sampled_from([factories.VALID_CREDIT, "", "GARBAGE", "11010519491231002X", " " + PEOPLE[0]]),
)
CELLS = st.one_of(
    st.none(), st.sampled_from(["广州市天河区人民法院", "某院,二庭", '"引号"', "=1+2", "（2026）粤执1号"])
)
DETAILS = st.one_of(st.none(), st.tuples(st.sampled_from([None, "2026-03-10"]), CELLS, CELLS))


def _index(draw: Any) -> ScreeningIndex:
    idx = ScreeningIndex()
    for number in draw(st.lists(st.sampled_from(PEOPLE), max_size=12, unique=True)):
        idx.set(number, draw(st.sampled_from([COMMON_MASK, COMMON_MASK, *OTHER_MASKS])))
    if draw(st.booleans()):
        idx.set(factories.VALID_CREDIT, rules.items_mask([2]) | rules.CODE_BITS["blacklist"])
    return idx


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=25), st.sampled_from(sorted(VIEWS)), st.data())
def test_the_answers_joined_from_bytes_are_the_former_per_hit_answers(
    lines: list[str], kind: str, data: Any
) -> None:
    idx = _index(data.draw)
    view = view_of(kind)
    body = "\n".join(lines).encode()
    scan = idx.scan_lines(body, view.mask)
    batch = idx.screen_lines(body, view.mask)
    assert scan.batch() == batch and list(batch.hits) == scan.positions.tolist()
    shown = {p: data.draw(DETAILS) for p in batch.hits}
    # CSV: hits_csv with each hit's details (a hit without any: ",,,").
    tails = [csv_tail(shown[p]) for p in batch.hits]
    details = {p: s for p, s in shown.items() if s is not None}
    assert csv_body(scan, tails) == hits_csv(batch, details).encode()
    # Compact JSON: json.dumps of the structure the handler built, only the fields the kind may see.
    fields = [i for i, f in enumerate(DETAIL_FIELDS) if f in view.fields]
    hits = []
    for p, m in batch.hits.items():
        hit: dict[str, Any] = {"pos": p, "mask": m, "restrictions": rules.codes_of(m)}
        hit.update((DETAIL_FIELDS[i], (shown[p] or (None, None, None))[i]) for i in fields)
        hits.append(hit)
    reasons = {str(p): batch.reasons.get(p, "format") for p in batch.invalid}
    expected = {"asked": batch.asked, "hits": hits, "invalid": batch.invalid, "invalid_reasons": reasons}
    joined = json_body(scan, [json_tail(view, shown[p]) for p in batch.hits])
    assert joined == json.dumps(expected, ensure_ascii=False, default=str).encode()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(LINES, st.text(max_size=20).filter(lambda t: not rules.control_char(t))), max_size=25),
    st.sampled_from(sorted(VIEWS)),
    st.data(),
)
def test_the_original_json_batch_joined_from_text_is_the_former_answer(
    ids: list[str], kind: str, data: Any
) -> None:
    idx = _index(data.draw)
    cleaned = _cleaned(ids)
    assert cleaned == [i.strip().upper() for i in ids]
    invalid = malformed(cleaned)
    hits = idx.check_many(cleaned, view_of(kind).mask)
    expected = {
        "asked": len(cleaned),
        "restricted": {k: rules.codes_of(m) for k, m in hits.items()},
        "invalid": list(invalid),
        "invalid_reasons": invalid,
    }
    joined = legacy_body(len(cleaned), hits, invalid)
    try:
        former = json.dumps(expected, ensure_ascii=False, default=str).encode()
    except UnicodeEncodeError:  # a lone surrogate: the caller dumps it escaped
        assert joined is None
        return
    if all(k.isascii() and k.isalnum() for k in hits):  # resident IDs and credit codes always are
        assert joined == former
    else:
        assert joined is None


def test_a_full_batch_of_hits_and_an_empty_one() -> None:
    idx = ScreeningIndex()
    idx.load((s, COMMON_MASK) for s in PEOPLE)
    rail = view_of("railway").mask
    scan = idx.scan_lines("\n".join(PEOPLE).encode(), rail)
    plain = csv_tail(None)
    assert (
        csv_body(scan, [plain] * len(PEOPLE))
        == (CSV_HEADER + "\n" + "".join(f"{p},{rail},,,\n" for p in range(1, 13))).encode()
    )
    empty = idx.scan_lines(b"", rail)
    assert csv_body(empty, []) == (CSV_HEADER + "\n").encode()
    assert json_body(empty, []) == b'{"asked": 0, "hits": [], "invalid": [], "invalid_reasons": {}}'


def test_the_hashed_copy_answers_as_the_live_set_while_the_index_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    idx = ScreeningIndex()
    idx.bulk_load_keys(rules.id_key(s) or 0 for s in PEOPLE[:6])
    body = "\n".join(PEOPLE).encode()

    def hits() -> list[int]:
        return idx.scan_lines(body, COMMON_MASK).positions.tolist()

    assert hits() == [1, 2, 3, 4, 5, 6] and idx.key_table.base is not None
    copy = idx.key_table.base
    idx.set(PEOPLE[0], 0)  # removed
    idx.set(PEOPLE[8], COMMON_MASK)  # added
    idx.set(PEOPLE[9], rules.CODE_BITS["exit"])  # another mask: the dict, not the set
    assert idx.scan_lines(body, COMMON_MASK | rules.CODE_BITS["exit"]).positions.tolist() == [
        2,
        3,
        4,
        5,
        6,
        9,
        10,
    ]
    assert idx.key_table.base is copy and len(idx.key_table.touched) == 3  # answered from the set
    # Past the refresh threshold the copy is made again, without the touched keys.
    monkeypatch.setattr(idx.key_table, "REFRESH_AT", 1)
    assert hits() == [2, 3, 4, 5, 6, 9]
    assert idx.key_table.base is not copy and not idx.key_table.touched
    assert sorted(idx.key_table.base[0].tolist()) == sorted(
        rules.id_key(s) or 0 for s in [*PEOPLE[1:6], PEOPLE[8]]
    )


@settings(max_examples=200, deadline=None)
@given(
    st.sets(st.integers(min_value=0, max_value=11**18 - 1), max_size=300),
    st.lists(st.integers(min_value=0, max_value=11**18 - 1), max_size=200),
)
def test_the_hashed_table_answers_membership_as_the_set_does(live: set[int], others: list[int]) -> None:
    """Any key set (empty, one key, keys sharing buckets) and any questions (members, repeats, strangers)."""
    table, offsets = hashed_table(np.fromiter(live, dtype=np.int64, count=len(live)))
    assert len(table) == len(live) and len(offsets) == max(1, len(live)) + 1 and offsets[-1] == len(live)
    asked = [*others, *sorted(live)[:100], *others[:20]]
    found = _in_table(table, offsets, np.array(asked, dtype=np.int64))
    assert found.tolist() == [k in live for k in asked]


def test_the_hashed_table_at_scale_finds_every_member_and_no_stranger() -> None:
    """200,000 synthetic persons' keys (the benchmark's, which cluster by area and birth date): every
    member found, no stranger found, and no bucket much fuller than a random hash would make it."""
    live = np.array([rules.id_key(synthetic_id(i)) for i in range(200_000)], dtype=np.int64)
    table, offsets = hashed_table(live)
    strangers = np.array([rules.id_key(synthetic_id(i, listed=False)) for i in range(20_000)], dtype=np.int64)
    assert _in_table(table, offsets, live).all()
    assert not _in_table(table, offsets, strangers).any()
    assert int(np.diff(offsets).max()) <= 12  # Poisson(1) over 200,000 buckets: ~9 expected


@pytest.mark.django_db
def test_a_batch_s_cached_court_and_case_follow_the_change_log(people: dict[str, Any]) -> None:
    first = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], first, debtor(first), items=[1, 9], bound_persons=[])
    _, key = make_partner("railway", "国铁集团", rate=10_000)
    engine = Engine()

    def rows() -> list[str]:
        job = Job("batch", key, "text/plain", "text/csv", "", f"{synthetic_id(1)}\n{ADULT_ID}".encode())
        (answer,) = engine.process([job])
        return answer.body.decode().splitlines()[1:]

    assert [r.split(",")[-1] for r in rows()] == [first.number]
    second = debtor_case(people["clerk"])
    services.restrict_consumption(people["judge"], second, debtor(second), items=[1, 9], bound_persons=[])
    services.lift_restriction(people["judge"], Restriction.objects.get(case=first), trigger="performed")
    assert [r.split(",")[-1] for r in rows()] == [second.number]
    services.lift_restriction(people["judge"], Restriction.objects.get(case=second), trigger="performed")
    assert rows() == []
