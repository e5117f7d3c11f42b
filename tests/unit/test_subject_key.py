"""`id_documents.subject_key`'s fast path for 18-character resident IDs: the same keys and the same
errors as `parse_subject` on random valid and invalid input (credit/services/partners.normalise_subject)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.core.id_documents import parse_subject, subject_key
from zhixing.core.identity import IdentityError, _ric_check_char

TODAY = date(2026, 12, 3)


def outcome(fn, text: str) -> tuple[str, str]:
    try:
        return ("key", fn(text, TODAY) if fn is subject_key else fn(text, TODAY).key)
    except IdentityError as exc:
        return ("error", str(exc))


def with_check(body17: str) -> str:
    return body17 + _ric_check_char(body17)


area = st.sampled_from(["110101", "440106", "810000", "820000", "830000", "999999", "910000", "000000"])
day = st.dates(date(1880, 1, 1), date(2030, 12, 31)).map(lambda d: d.strftime("%Y%m%d"))
raw_date = st.text("0123456789", min_size=8, max_size=8)
seq = st.text("0123456789", min_size=3, max_size=3)
body = st.builds(lambda a, d, s: a + d + s, area, st.one_of(day, raw_date), seq)
valid_like = body.map(with_check)
last_wrong = st.builds(lambda b, c: b + c, body, st.sampled_from(list("0123456789Xx ")))
lower_x = body.filter(lambda b: _ric_check_char(b) == "X").map(lambda b: b + "x")
mangled = st.builds(
    lambda v, i, c: v[:i] + c + v[i + 1 :],
    valid_like,
    st.integers(0, 17),
    st.sampled_from([*"0123456789AXx ０１:", "\u3000", "Ａ"]),
)
anything = st.text(st.sampled_from([*"0123456789Xx H M P:ORG９", "\u3000"]), max_size=20)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(valid_like, last_wrong, lower_x, mangled, anything, st.text(max_size=19)))
def test_fast_path_gives_what_parse_subject_gives(text: str) -> None:
    assert outcome(subject_key, text) == outcome(parse_subject, text)


@pytest.mark.parametrize(
    "text",
    [
        "11010119900307803X",  # valid, check X
        "11010119900307803x",  # lower-case x: the key upper-cases it
        "110101199003078031",  # wrong check character
        "110101199002308039",  # 30 February
        "110101203001018031",  # born after today
        "810000199001010015",  # a Hong Kong residence permit
        "91350100M000100Y43",  # a credit code
        "１１０１０１１９９００３０７８０３Ｘ",  # full width: the full path folds it
        " 11010119900307803X",
        "",
    ],
)
def test_examples(text: str) -> None:
    assert outcome(subject_key, text) == outcome(parse_subject, text)


def test_fast_path_taken_for_a_valid_resident_id(monkeypatch: pytest.MonkeyPatch) -> None:
    import zhixing.core.id_documents as docs

    monkeypatch.setattr(docs, "parse_subject", lambda *_a: pytest.fail("slow path taken"))
    number = with_check("11010119900307803")
    assert docs.subject_key(number, TODAY) == number
    assert docs.subject_key(number[:17] + number[17].lower(), TODAY) == number
