"""Triage (繁简分流) as data: each criterion of seed 004 with its track, its source and who knows the fact.

No ORM, no Django. Source: seed 004 (刘黎明, 孟村回族自治县人民法院, 2018), a basic court's practice of
繁案精办、简案快办 — not an SPC rule, and `rules.md` holds no triage article. So every threshold below is
UNCONFIRMED and lives in configuration with a default (settings ``ZHIXING_INQUIRY["triage_*"]``,
`TriageConfig`). The seed's text, criterion by criterion:

* when: "对已经完成查控、送达后的执行案件进行繁简分流" — after the inquiry and the service of the notice;
* simple (简易执行组, concluded within 3 months): 标的不大财产线索明确的; 保全到财产足以清偿债权的;
  通过向有关单位发送协助执行通知书可以办结的行为执行案件; 当事人可能和解或可能自动履行完毕的案件;
* complex (执行实施组、繁案组): 查有财产需处置的案件; 涉及人员众多的群体性案件; 案情疑难复杂、法律关系
  存在冲突的案件; 在辖区内有重大影响的案件; 上级法院指定执行的案件;
* no property (终本案件管理组): 无财产可供执行，且经再次查询财产无果的案件 — two empty rounds;
* everything else: "对于其他执行案件，采取以实施中心为主体" — the ordinary (complex) track.

Facts the platform cannot know (likely settlement, disputed law, major local impact, designation by a
higher court) are recorded by people as flags (`Criterion.recorded`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

SIMPLE, COMPLEX, DORMANT = "simple", "complex", "dormant"
TRACKS = (SIMPLE, COMPLEX, DORMANT)

SEED = "种子文献004（地方法院繁简分流做法，未经最高法规定核实）"
ZERO = Decimal("0")


@dataclass(frozen=True)
class Criterion:
    code: str
    track: str
    text: str  # the reason shown, Chinese; {placeholders} filled from the configuration
    source: str
    recorded: bool = False  # a fact people record (flag), not one the platform reads from the record


CRITERIA: tuple[Criterion, ...] = (
    Criterion("designated", COMPLEX, "上级法院指定执行的案件", f"{SEED}：上级法院指定执行的案件", True),
    Criterion(
        "disputed_law",
        COMPLEX,
        "案情疑难复杂、法律关系存在冲突",
        f"{SEED}：案情疑难复杂、法律关系存在冲突的案件",
        True,
    ),
    Criterion("major_impact", COMPLEX, "在辖区内有重大影响", f"{SEED}：在辖区内有重大影响的案件", True),
    Criterion(
        "mass",
        COMPLEX,
        "涉及人员众多的群体性案件（当事人{mass_parties_min}人以上）",
        f"{SEED}：涉及人员众多的群体性案件；人数标准可配置",
    ),
    Criterion(
        "disposal",
        COMPLEX,
        "查有不动产、车辆、股权等财产需处置，资金不足以清偿",
        f"{SEED}：查有财产需处置的案件",
    ),
    Criterion(
        "large",
        COMPLEX,
        "剩余执行标的额在{complex_claim_min}元以上，资金不足以清偿",
        f"{SEED}：“标的不大”方可简办；金额标准可配置",
    ),
    Criterion(
        "secured",
        SIMPLE,
        "已冻结、扣划的资金足以清偿剩余执行标的",
        f"{SEED}：保全到财产足以清偿债权的案件",
    ),
    Criterion(
        "funds_cover",
        SIMPLE,
        "查得资金足以清偿剩余执行标的，可冻结扣划后结案",
        f"{SEED}：标的不大、财产线索明确的案件",
    ),
    Criterion(
        "small_clear",
        SIMPLE,
        "剩余执行标的额不超过{simple_claim_max}元，财产线索明确",
        f"{SEED}：标的不大、财产线索明确的案件；金额标准可配置",
    ),
    Criterion(
        "act",
        SIMPLE,
        "行为执行案件，可通过向有关单位发送协助执行通知书办结",
        f"{SEED}：通过向有关单位发送协助执行通知书可以办结的行为执行案件",
    ),
    Criterion(
        "settlement",
        SIMPLE,
        "当事人可能和解或可能自动履行完毕",
        f"{SEED}：当事人可能和解或可能自动履行完毕的案件",
        True,
    ),
    Criterion(
        "no_assets",
        DORMANT,
        "无财产可供执行，且经{empty_rounds}轮网络查控财产无果",
        f"{SEED}：无财产可供执行，且经再次查询财产无果的案件，由终本案件管理组办理；轮数可配置",
    ),
    Criterion(
        "other",
        COMPLEX,
        "不符合简案快执条件，由执行实施团队办理",
        f"{SEED}：对于其他执行案件，采取以实施中心为主体的工作模式",
    ),
)
BY_CODE = {c.code: c for c in CRITERIA}
FLAGS = tuple(c.code for c in CRITERIA if c.recorded)  # designated, disputed_law, major_impact, settlement
# The order complex, then simple, then no property: one complex marker makes the case complex (繁案精办).
PRECEDENCE = (COMPLEX, SIMPLE, DORMANT)


@dataclass(frozen=True)
class TriageConfig:
    """The configurable part (settings ``ZHIXING_INQUIRY["triage_*"]``); defaults are UNCONFIRMED."""

    simple_claim_max: Decimal = Decimal("100000")
    complex_claim_min: Decimal = Decimal("1000000")
    mass_parties_min: int = 10
    empty_rounds: int = 2  # "经再次查询财产无果": the first round and one more
    after_notice: bool = True  # "完成查控、送达后": the notice node must be done
    act_obligations: frozenset[str] = frozenset({"deliver", "vacate", "act"})


@dataclass(frozen=True)
class Facts:
    """What the record says about a case when it is (re-)evaluated."""

    rounds: int  # inquiry rounds completed with at least one answer
    notice_done: bool  # 执行通知书 sent (the node "notice" done)
    obligation: str  # cases.Obligation: money / deliver / vacate / act
    outstanding: Decimal  # still owed (principal + interest + costs − paid)
    liquid: Decimal = ZERO  # balances of the debtors' accounts found (not closed)
    secured: Decimal = ZERO  # money frozen or deducted for the case
    property_items: int = 0  # real estate, vehicles, vessels, securities, equity found
    parties: int = 2  # applicants and debtors
    flags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    source: str
    recorded: bool

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "text": self.text, "source": self.source, "recorded": self.recorded}


@dataclass(frozen=True)
class Proposal:
    track: str  # "" while the seed's conditions for a proposal are not met yet
    reasons: tuple[Reason, ...]  # why this track (or why no proposal yet: `waiting`)
    also: tuple[Reason, ...] = ()  # criteria of other tracks the case meets too
    waiting: str = ""


def reason(code: str, config: TriageConfig) -> Reason:
    c = BY_CODE[code]
    text = c.text.format(
        simple_claim_max=config.simple_claim_max,
        complex_claim_min=config.complex_claim_min,
        mass_parties_min=config.mass_parties_min,
        empty_rounds=config.empty_rounds,
    )
    return Reason(c.code, text, c.source, c.recorded)


def met(f: Facts, config: TriageConfig) -> list[str]:
    """Codes of every criterion the facts meet, in `CRITERIA` order (`other` never: it is the fallback)."""
    money = f.outstanding > 0
    cover = max(f.liquid, f.secured)
    found = f.liquid > 0 or f.secured > 0 or f.property_items > 0
    test = {
        "designated": "designated" in f.flags,
        "disputed_law": "disputed_law" in f.flags,
        "major_impact": "major_impact" in f.flags,
        "mass": f.parties >= config.mass_parties_min,
        "disposal": money and f.property_items > 0 and cover < f.outstanding,
        "large": money and f.outstanding >= config.complex_claim_min and cover < f.outstanding,
        "secured": money and f.secured >= f.outstanding,
        "funds_cover": money and f.liquid >= f.outstanding,
        "small_clear": money and f.outstanding <= config.simple_claim_max and found,
        "act": f.obligation in config.act_obligations,
        "settlement": "settlement" in f.flags,
        "no_assets": money and not found and f.rounds >= config.empty_rounds,
        "other": False,
    }
    return [c.code for c in CRITERIA if test[c.code]]


def waiting_for(f: Facts, config: TriageConfig) -> str:
    """Why the seed's moment for triage has not come ("" when it has)."""
    if f.obligation not in config.act_obligations and f.outstanding > 0 and f.rounds == 0:
        return "首轮网络查控尚未完成（繁简分流在查控、送达完成后进行）"
    if config.after_notice and not f.notice_done:
        return "执行通知书尚未发出（繁简分流在查控、送达完成后进行）"
    return ""


def propose(f: Facts, config: TriageConfig) -> Proposal:
    """The track the seed's criteria give, with every reason and its source.

    Complex markers win over simple ones (one is enough to need 精办); the no-property track needs
    `empty_rounds` answered rounds without property; a money case with nothing found after fewer rounds
    waits for the next round; anything else is the ordinary (complex) track.
    """
    wait = waiting_for(f, config)
    if wait:
        return Proposal("", (), waiting=wait)
    codes = met(f, config)
    for track in PRECEDENCE:
        mine = [c for c in codes if BY_CODE[c].track == track]
        if mine:
            others = tuple(reason(c, config) for c in codes if c not in mine)
            return Proposal(track, tuple(reason(c, config) for c in mine), others)
    found = f.liquid > 0 or f.secured > 0 or f.property_items > 0
    if f.outstanding > 0 and not found:
        return Proposal(
            "",
            (),
            waiting=(
                f"已完成{f.rounds}轮网络查控，未发现可供执行的财产；"
                f"经{config.empty_rounds}轮查询无果后建议转终本案件管理"
            ),
        )
    return Proposal(COMPLEX, (reason("other", config),))
