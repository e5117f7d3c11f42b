"""Pure triage rules (seed 004): each criterion alone, then every combination of the criteria's inputs."""

from __future__ import annotations

import itertools
from decimal import Decimal as D

import pytest

from zhixing.inquiry import rules_triage as R

CFG = R.TriageConfig()
COMPLEX_FLAGS = {"designated", "disputed_law", "major_impact"}


def facts(**kw: object) -> R.Facts:
    base: dict[str, object] = {
        "rounds": 1,
        "notice_done": True,
        "obligation": "money",
        "outstanding": D("50000"),
    }
    base.update(kw)
    return R.Facts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "track", "codes"),
    [
        # simple (简易执行组)
        ({"liquid": D("60000")}, "simple", ["funds_cover", "small_clear"]),
        ({"secured": D("50000")}, "simple", ["secured", "small_clear"]),
        ({"liquid": D("100")}, "simple", ["small_clear"]),
        ({"obligation": "vacate", "outstanding": D("0"), "rounds": 0}, "simple", ["act"]),
        ({"obligation": "deliver", "outstanding": D("0"), "rounds": 0}, "simple", ["act"]),
        ({"obligation": "act", "outstanding": D("0"), "rounds": 0}, "simple", ["act"]),
        ({"flags": frozenset({"settlement"})}, "simple", ["settlement"]),
        # complex (执行实施组、繁案组)
        ({"flags": frozenset({"designated"}), "liquid": D("60000")}, "complex", ["designated"]),
        ({"flags": frozenset({"disputed_law"})}, "complex", ["disputed_law"]),
        ({"flags": frozenset({"major_impact"})}, "complex", ["major_impact"]),
        ({"parties": 10, "liquid": D("60000")}, "complex", ["mass"]),
        ({"property_items": 1, "liquid": D("100")}, "complex", ["disposal"]),
        ({"outstanding": D("2000000"), "liquid": D("100")}, "complex", ["large"]),
        ({"outstanding": D("500000"), "liquid": D("100")}, "complex", ["other"]),
        # no property (终本案件管理组): only after the second empty round
        ({"rounds": 2}, "dormant", ["no_assets"]),
        ({"rounds": 3}, "dormant", ["no_assets"]),
    ],
)
def test_each_criterion(kw: dict[str, object], track: str, codes: list[str]) -> None:
    p = R.propose(facts(**kw), CFG)
    assert p.track == track
    assert [r.code for r in p.reasons] == codes
    assert all(r.source.startswith("种子文献004") and r.text for r in p.reasons)


def test_reasons_name_the_configured_numbers() -> None:
    cfg = R.TriageConfig(simple_claim_max=D("80000"), empty_rounds=3, mass_parties_min=20)
    assert R.propose(facts(liquid=D("1")), cfg).reasons[0].text == "剩余执行标的额不超过80000元，财产线索明确"
    dormant = R.propose(facts(rounds=3), cfg)
    assert dormant.track == "dormant"
    assert dormant.reasons[0].text == "无财产可供执行，且经3轮网络查控财产无果"
    assert R.propose(facts(parties=20, liquid=D("1")), cfg).reasons[0].text == (
        "涉及人员众多的群体性案件（当事人20人以上）"
    )


def test_one_empty_round_waits_for_the_second() -> None:
    p = R.propose(facts(rounds=1), CFG)
    assert p.track == ""
    assert p.waiting == "已完成1轮网络查控，未发现可供执行的财产；经2轮查询无果后建议转终本案件管理"
    # A configured single round proposes at once.
    assert R.propose(facts(rounds=1), R.TriageConfig(empty_rounds=1)).track == "dormant"


def test_preconditions_follow_the_seed() -> None:
    assert R.propose(facts(rounds=0, liquid=D("1")), CFG).waiting == (
        "首轮网络查控尚未完成（繁简分流在查控、送达完成后进行）"
    )
    assert R.propose(facts(notice_done=False, liquid=D("1")), CFG).waiting == (
        "执行通知书尚未发出（繁简分流在查控、送达完成后进行）"
    )
    no_notice = R.TriageConfig(after_notice=False)
    assert R.propose(facts(notice_done=False, liquid=D("1")), no_notice).track == "simple"
    # An act-performance case needs no inquiry round, but the notice still.
    assert R.propose(facts(obligation="act", rounds=0), CFG).track == "simple"
    assert R.propose(facts(obligation="act", rounds=0, notice_done=False), CFG).track == ""
    # Which obligations count as act-performance is configuration.
    vacate_complex = R.TriageConfig(act_obligations=frozenset({"deliver", "act"}))
    assert R.propose(facts(obligation="vacate", outstanding=D("0")), vacate_complex).track == "complex"


def test_complex_markers_win_and_the_rest_is_listed_as_also() -> None:
    p = R.propose(facts(liquid=D("60000"), flags=frozenset({"settlement", "major_impact"})), CFG)
    assert p.track == "complex"
    assert [r.code for r in p.reasons] == ["major_impact"]
    assert [r.code for r in p.also] == ["funds_cover", "small_clear", "settlement"]
    assert [r.recorded for r in p.reasons] == [True]


def test_every_criterion_is_data_with_a_source() -> None:
    assert {c.code for c in R.CRITERIA if c.recorded} == {
        "designated",
        "disputed_law",
        "major_impact",
        "settlement",
    }
    assert set(R.FLAGS) == {"designated", "disputed_law", "major_impact", "settlement"}
    for c in R.CRITERIA:
        assert c.track in R.TRACKS and "种子文献004" in c.source and c.text


FLAG_SETS = [frozenset(s) for n in range(5) for s in itertools.combinations(R.FLAGS, n)]
GRID = itertools.product(
    FLAG_SETS,
    ["money", "deliver"],
    [D("0"), D("50000"), D("500000"), D("2000000")],  # outstanding
    [D("0"), D("100"), D("3000000")],  # liquid
    [D("0"), D("3000000")],  # secured
    [0, 1],  # property items
    [2, 10],  # parties
    [0, 1, 2],  # rounds
    [True, False],  # notice
)


def test_exhaustive_over_the_criteria() -> None:
    """Every combination of the criteria's inputs (18,432 cases) against the seed's rules, stated
    independently of the implementation's order of tests."""
    seen: set[str] = set()
    for flags, obligation, owed, liquid, secured, items, parties, rounds, notice in GRID:
        f = R.Facts(rounds, notice, obligation, owed, liquid, secured, items, parties, flags)
        p = R.propose(f, CFG)
        codes = [r.code for r in p.reasons]
        seen.update(codes)
        act = obligation != "money"
        found = liquid > 0 or secured > 0 or items > 0
        not_yet = (not act and owed > 0 and rounds == 0) or not notice
        if not_yet:
            assert p.track == "" and p.waiting.endswith("（繁简分流在查控、送达完成后进行）")
            continue
        met = set(R.met(f, CFG))
        assert {r.code for r in p.reasons + p.also} == met or codes == ["other"]
        assert all(R.BY_CODE[c].track == p.track for c in codes)
        assert all(R.BY_CODE[r.code].track != p.track for r in p.also)
        complex_met = bool(flags & COMPLEX_FLAGS) or parties >= 10
        complex_met |= owed > 0 and max(liquid, secured) < owed and (items > 0 or owed >= D("1000000"))
        simple_met = act or "settlement" in flags or (owed > 0 and (max(liquid, secured) >= owed))
        simple_met |= D("0") < owed <= D("100000") and found
        if complex_met:
            assert p.track == "complex", f
            assert flags & COMPLEX_FLAGS <= set(codes)
        elif simple_met:
            assert p.track == "simple", f
            assert ("act" in codes) == act and ("settlement" in codes) == ("settlement" in flags)
        elif owed > 0 and not found and rounds >= 2:
            assert (p.track, codes) == ("dormant", ["no_assets"])
        elif owed > 0 and not found:
            assert p.track == "" and p.waiting.startswith(f"已完成{rounds}轮网络查控")
        else:
            assert (p.track, codes) == ("complex", ["other"]), f
    assert seen == {c.code for c in R.CRITERIA}
