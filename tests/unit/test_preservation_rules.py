"""诉执衔接's pure matching: who a party is across cases, document numbers compared, parties checked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from zhixing.cases.rules_preservation import normalise_number, number_variants, parties_problem, subject_key


def test_subject_key_prefers_identity_then_credit_code_then_name() -> None:
    assert subject_key(" 11010519491231002x ", "", "张三") == "11010519491231002X"
    assert subject_key("", "91110000600037341l", "某公司") == "91110000600037341L"
    assert subject_key("", "", " 张三 ") == "name:张三"


def test_numbers_match_across_bracket_widths_and_spaces() -> None:
    assert normalise_number("(2026)粤0106民初500号") == "（2026）粤0106民初500号"
    assert normalise_number(" （2026） 粤0106民初500号\u3000") == "（2026）粤0106民初500号"
    assert normalise_number("(2026)粤0106民初500号") != normalise_number("（2026）粤0106民初501号")


def test_parties_must_all_reappear_in_their_role() -> None:
    preserved = [("applicant", "A"), ("debtor", "D")]
    more = [("applicant", "A"), ("debtor", "D"), ("debtor", "E")]
    assert parties_problem(preserved, more, "执保1号") is None
    assert parties_problem(preserved, [("applicant", "B"), ("debtor", "D")], "执保1号") == (
        "保全案件执保1号的申请执行人（A）不是本案的申请执行人，当事人不一致的不能转入"
    )
    # The debtor named as an applicant is not the debtor.
    assert parties_problem(preserved, [("applicant", "A"), ("applicant", "D")], "执保1号") == (
        "保全案件执保1号的被执行人（D）不是本案的被执行人，当事人不一致的不能转入"
    )
    assert parties_problem([("debtor", "name:李四")], [], "执保2号") == (
        "保全案件执保2号的被执行人（李四）不是本案的被执行人，当事人不一致的不能转入"
    )


_PARTY = st.tuples(st.sampled_from(["applicant", "debtor"]), st.sampled_from(["A", "B", "C", "D"]))


@hsettings(max_examples=150, deadline=None)
@given(st.sets(_PARTY, max_size=5), st.sets(_PARTY, max_size=6))
def test_match_is_exactly_inclusion(preserved: set[tuple[str, str]], filed: set[tuple[str, str]]) -> None:
    assert (parties_problem(preserved, filed, "n") is None) == preserved.issubset(filed)


def test_number_variants_cover_both_bracket_widths() -> None:
    assert number_variants(" (2026)粤0106执保1号") == [
        "(2026)粤0106执保1号",
        "（2026）粤0106执保1号",
    ]
