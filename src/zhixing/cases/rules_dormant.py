"""The preconditions of 终结本次执行程序 (终本) and the compliance score of a dormant case — pure, no ORM.

终本规定 Art 1 (rules.md §5) lists five cumulative conditions; Arts 2 and 3 say what "ordered to report
assets" and "exhausted investigation" mean; the interview with the applicant (约谈) comes before the
ruling. Each condition is checked here from *facts* the services gather: what the platform's own record
shows (the case, the credit domain's restrictions and listings, the inquiry domain's rounds), and what
the judge confirmed with evidence (an uploaded file or a recorded note) where the platform cannot know
(an on-site visit, a search for a missing debtor, a paper restriction order).

A precondition is one of three kinds:
* ``record`` — only the record can satisfy it (the 3 months since filing; the notice and the asset-report
  order, which the platform itself issues and serves);
* ``either`` — the record, or failing that the judge's confirmation with evidence;
* ``judge`` — only the judge's confirmation (the platform keeps no record of it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .closing import DORMANT_MIN_MONTHS, add_months

RECORD, EITHER, JUDGE = "record", "either", "judge"
MET, CONFIRMED, MISSING, NOT_REQUIRED = "met", "confirmed", "missing", "not_required"
STATE_LABELS = {
    MET: "系统记录已满足",
    CONFIRMED: "法官确认（附证据）",
    MISSING: "未满足",
    NOT_REQUIRED: "本案不适用",
}


@dataclass(frozen=True)
class Precondition:
    key: str
    label: str
    article: str
    kind: str
    hint: str = ""  # what the judge's evidence should show


# rule
# The order is the order of 终本规定 Art 1 items (1)–(5), then the interview.
PRECONDITIONS: tuple[Precondition, ...] = (
    Precondition("notice_served", "执行通知书已送达", "终本规定第1条第1项", RECORD),
    Precondition("asset_report_order", "报告财产令已发出并送达", "终本规定第1条第1项、第2条", RECORD),
    Precondition(
        "consumption_restriction",
        "已发出限制消费令",
        "终本规定第1条第2项",
        EITHER,
        "系统外签发的限制消费令及送达回证",
    ),
    Precondition(
        "listing",
        "符合条件的已纳入失信被执行人名单",
        "终本规定第1条第2项；失信规定第1条",
        EITHER,
        "不符合纳入条件的理由，或系统外的纳入决定书",
    ),
    Precondition(
        "network_inquiry",
        "已通过网络执行查控系统查询财产",
        "终本规定第1条第3项、第3条",
        EITHER,
        "总对总、点对点查询结果",
    ),
    Precondition(
        "leads_verified",
        "申请执行人或他人提供的财产线索已核查",
        "终本规定第3条",
        JUDGE,
        "线索核查记录；无线索的注明",
    ),
    Precondition(
        "on_site",
        "已到被执行人住所地或财产所在地实地调查",
        "终本规定第3条第3项",
        JUDGE,
        "实地调查笔录、照片",
    ),
    Precondition("three_months", "自立案之日起已超过3个月", "终本规定第1条第4项", RECORD),
    Precondition(
        "missing_debtor_searched",
        "被执行人下落不明的，已依法查找",
        "终本规定第1条第5项",
        JUDGE,
        "查找记录；被执行人下落清楚的注明",
    ),
    Precondition(
        "obstruction_punished",
        "妨害执行的，已依法采取罚款、拘留等强制措施或追究刑事责任",
        "终本规定第1条第5项",
        JUDGE,
        "罚款、拘留决定书或移送材料；无妨害执行行为的注明",
    ),
    Precondition(
        "interview",
        "已约谈申请执行人并听取意见",
        "终本规定（约谈，条文号待核实）",
        JUDGE,
        "约谈笔录（告知执行情况、财产调查措施、终本依据及法律后果，并记录申请执行人意见）",
    ),
)
BY_KEY = {p.key: p for p in PRECONDITIONS}
# The preconditions a judge may confirm with evidence (the form's choices).
CONFIRMABLE = tuple(p for p in PRECONDITIONS if p.kind != RECORD)


@dataclass(frozen=True)
class Facts:
    """What a case's record shows, gathered by the services (no ORM here).

    `record` maps a precondition key to True when the platform's record satisfies it; `required` maps a
    key to False when the condition does not apply to the case (e.g. the asset-report order and the
    consumption restriction of a case without a money claim); `confirmed` is the set of keys the judge
    confirmed with evidence; `details` is what the record says, shown beside each check.
    """

    filed_on: date
    money: bool = True
    record: dict[str, bool] = field(default_factory=dict)
    required: dict[str, bool] = field(default_factory=dict)
    confirmed: frozenset[str] = frozenset()
    details: dict[str, str] = field(default_factory=dict)
    interview_required: bool = True


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    article: str
    state: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state != MISSING

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def _required(p: Precondition, facts: Facts) -> bool:
    if p.key == "interview" and not facts.interview_required:
        return False
    if p.key in ("asset_report_order", "consumption_restriction") and not facts.money:
        # 财产调查规定 Art 3 and 限消规定 Art 1 concern money obligations.
        return False
    return facts.required.get(p.key, True)


def evaluate(facts: Facts, closed_on: date) -> list[Check]:
    """One check per precondition, in `PRECONDITIONS` order, for closing on `closed_on`.

    # rule: R-5.1
    # rule: R-5.11
    """
    checks = []
    for p in PRECONDITIONS:
        detail = facts.details.get(p.key, "")
        if p.key == "three_months":
            limit = add_months(facts.filed_on, DORMANT_MIN_MONTHS)
            met = closed_on > limit
            detail = f"立案日期 {facts.filed_on}，须在 {limit} 之后结案"
            checks.append(Check(p.key, p.label, p.article, MET if met else MISSING, detail))
            continue
        if not _required(p, facts):
            state = NOT_REQUIRED
        elif p.kind != JUDGE and facts.record.get(p.key, False):
            state = MET
        elif p.kind != RECORD and p.key in facts.confirmed:
            state = CONFIRMED
        else:
            state = MISSING
        checks.append(Check(p.key, p.label, p.article, state, detail))
    return checks


def missing(checks: list[Check]) -> list[Check]:
    return [c for c in checks if not c.ok]


def refusal(checks: list[Check]) -> str:
    """The Chinese message naming every missing precondition ("" when none is missing)."""
    gaps = missing(checks)
    if not gaps:
        return ""
    names = "；".join(f"{i}. {c.label}（{c.article}）" for i, c in enumerate(gaps, 1))
    return f"不符合终结本次执行程序的条件，尚缺：{names}"


# rule
@dataclass(frozen=True)
class Score:
    """A dormant case's compliance (终本合格率 counts the compliant ones): `met` of `total` checks held,
    the ruling generated; compliant only when every check held and the ruling exists."""

    met: int
    total: int
    ruling: bool

    @property
    def compliant(self) -> bool:
        return self.met == self.total and self.total > 0 and self.ruling


def score(states: dict[str, str], ruling: bool) -> Score:
    """Score a case from the states recorded at its closing (key → state). A precondition that has no
    recorded state (a case closed before the checks existed, or by a path that skipped them) counts as
    missing: the compliance check never assumes what it cannot see."""
    met = sum(1 for p in PRECONDITIONS if states.get(p.key, MISSING) != MISSING)
    return Score(met=met, total=len(PRECONDITIONS), ruling=ruling)


def rate(scores: list[Score]) -> float | None:
    """终本合格率: the share of compliant dormant cases; None when there are none."""
    if not scores:
        return None
    return sum(1 for s in scores if s.compliant) / len(scores)
