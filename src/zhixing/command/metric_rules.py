"""Quality metrics (执行质效) as pure arithmetic over hand-checkable case facts — no ORM, no clock.

# rule: R-10.1 (the "four 90 % and one 80 %")
# rule: R-10.2 (the common KPIs), rules.md §10.

Every metric is a fraction (numerator ÷ denominator, shown with both terms) or, for average days, a sum
÷ count. Definitions that rules.md marks UNCONFIRMED are `MetricConfig` fields with documented defaults
(settings ``ZHIXING_COMMAND["metrics"]``); each result carries the definition text the page shows, built
from the configuration actually used, so what is printed is what was computed.

A period is the closed date range [start, end]. A case is *accepted* (受理) in it when it was filed on or
before `end` and not closed before `start` (carried over + new: the local formula of [P34]); it is
*closed* in it when its closing date falls inside the range. 终本 (dormant) is a closing mode
(执行工作规定 Art 64), so a dormant case counts as closed on its closing date.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CaseFacts:
    """What the metrics need of one enforcement case (read by `zhixing.cases.queries_quality`)."""

    id: int
    court_id: int
    type_code: str  # 类型代字: 执, 执恢, 执保 …
    filed_on: date
    closed_on: date | None = None
    closing_mode: str = ""  # cases.ClosingMode value, "" while open
    claim: Decimal = Decimal("0")  # 执行标的额 (principal + adjudged interest + litigation costs)
    paid: Decimal = Decimal("0")  # 已执行到位
    term_due: date | None = None  # statutory enforcement term's last day (审限规定 Art 5, with extensions)
    team_id: int | None = None
    handler_id: int | None = None


@dataclass(frozen=True)
class MetricConfig:
    """The definitions rules.md leaves UNCONFIRMED, with the defaults this platform documents."""

    # [P34] (local rule; national formula UNCONFIRMED): 执保 and 执恢 cases are left out of 结案率.
    excluded_types: tuple[str, ...] = ("执保", "执恢")
    # SPC 2008 [P33]: compulsory execution + voluntary performance + settlement — in this platform's
    # closing modes all three close as 执行完毕.
    actual_modes: tuple[str, ...] = ("performed",)
    # 有财产可供执行案件 (UNCONFIRMED): closed cases other than 终本, 销案, 不予执行 and 驳回.
    property_modes: tuple[str, ...] = ("performed", "terminated")
    # 三年案件整体执结率 (UNCONFIRMED): "overall" = of the cases filed in the three calendar years ending
    # with the period's year, the share closed by the period's end; "dormant_plus_actual" = the 2018-07
    # form, (终本 closings + actual closings within the term) ÷ closed cases of the period.
    eighty_formula: str = "overall"
    # The bar each court must reach for the 4th "90 %" (全国90%以上法院达标).
    target_90: Decimal = Decimal("90")
    target_80: Decimal = Decimal("80")


@dataclass
class Result:
    """One metric for one group: its figures, the definition shown beside them, and its state."""

    code: str
    label: str
    definition: str
    numerator: Decimal | int | None = None
    denominator: Decimal | int | None = None
    value: Decimal | None = None  # percent (2 places) for rates, days (2 places) for average days
    unit: str = "%"
    target: Decimal | None = None
    unconfirmed: bool = False
    state: str = "ok"  # ok | empty (denominator 0) | missing (no source registered: 未接入)

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target


def rate(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """numerator ÷ denominator as a percent rounded half-up to 2 places; None when nothing to divide."""
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)


def _fraction(
    code: str, label: str, definition: str, num: Decimal | int, den: Decimal | int, **kw: object
) -> Result:
    value = rate(num, den)
    return Result(
        code,
        label,
        definition,
        num,
        den,
        value,
        state="ok" if value is not None else "empty",
        **kw,  # type: ignore[arg-type]
    )


def accepted(facts: Iterable[CaseFacts], start: date, end: date, cfg: MetricConfig) -> list[CaseFacts]:
    """受理: filed by `end`, not closed before `start`, of a counted type (carried over + new)."""
    return [
        f
        for f in facts
        if f.type_code not in cfg.excluded_types
        and f.filed_on <= end
        and (f.closed_on is None or f.closed_on >= start)
    ]


def in_place(closing_mode: str, paid: Decimal, details: Mapping[str, Any] | None) -> Decimal:
    """What a case counts as performed (到位) in the metrics: the money recorded on it, or — for a
    case closed as performed (执行完毕) — the 执行到位金额 its closing states, whichever is more. Money the
    debtor paid the applicant directly is on the closing record only, so a performed case with nothing
    paid through the court counted 0 and the court's 执行到位率 read near zero."""
    if closing_mode != "performed" or not details:
        return paid
    try:
        stated = Decimal(str(details.get("performed_amount") or "0"))
    except (ArithmeticError, ValueError):
        return paid
    return max(paid, stated) if stated.is_finite() else paid


def closed_in(facts: Iterable[CaseFacts], start: date, end: date) -> list[CaseFacts]:
    return [f for f in facts if f.closed_on is not None and start <= f.closed_on <= end and f.closing_mode]


def within_term(f: CaseFacts) -> bool:
    """Closed on or before the last day of its enforcement term (a case without a term is not)."""
    return f.closed_on is not None and f.term_due is not None and f.closed_on <= f.term_due


def closure_rate(facts: Sequence[CaseFacts], start: date, end: date, cfg: MetricConfig) -> Result:
    acc = accepted(facts, start, end, cfg)
    closed = closed_in(acc, start, end)
    excluded = "、".join(cfg.excluded_types) or "无"
    return _fraction(
        "closure_rate",
        "结案率",
        f"期内结案数 ÷ 期内受理案件数（旧存 + 新收），不含{excluded}类案件；全国统一口径待核实",
        len(closed),
        len(acc),
        unconfirmed=True,
    )


def _mode_names(modes: Iterable[str]) -> str:
    names = {
        "performed": "执行完毕",
        "dormant": "终结本次执行程序",
        "terminated": "终结执行",
        "withdrawn": "销案",
        "refused": "不予执行",
        "dismissed": "驳回申请",
    }
    return "、".join(names.get(m, m) for m in modes)


def actual_closure_rate(facts: Sequence[CaseFacts], start: date, end: date, cfg: MetricConfig) -> Result:
    closed = closed_in(facts, start, end)
    actual = [f for f in closed if f.closing_mode in cfg.actual_modes]
    return _fraction(
        "actual_closure_rate",
        "实际执行率",
        f"期内以{_mode_names(cfg.actual_modes)}方式结案的案件数 ÷ 期内结案数（最高法2008年案件质量评估口径）",
        len(actual),
        len(closed),
    )


def money_in_place_rate(facts: Sequence[CaseFacts], start: date, end: date, cfg: MetricConfig) -> Result:
    closed = closed_in(facts, start, end)
    paid = sum((f.paid for f in closed if f.closing_mode in cfg.actual_modes), Decimal("0"))
    claimed = sum((f.claim for f in closed), Decimal("0"))
    return _fraction(
        "money_in_place_rate",
        "执行到位率",
        f"期内以{_mode_names(cfg.actual_modes)}方式结案案件的到位金额 ÷ 期内结案案件的申请执行标的额",
        paid,
        claimed,
    )


def average_days_to_close(facts: Sequence[CaseFacts], start: date, end: date, cfg: MetricConfig) -> Result:
    closed = closed_in(facts, start, end)
    days = sum((f.closed_on - f.filed_on).days for f in closed if f.closed_on is not None)
    value = (Decimal(days) / Decimal(len(closed))).quantize(CENT, ROUND_HALF_UP) if closed else None
    return Result(
        "average_days",
        "结案平均用时",
        "期内结案案件自立案日至结案日的自然日数之和 ÷ 期内结案数；公式待核实",
        days,
        len(closed),
        value,
        unit="天",
        unconfirmed=True,
        state="ok" if closed else "empty",
    )


def actual_within_term_rate(facts: Sequence[CaseFacts], start: date, end: date, cfg: MetricConfig) -> Result:
    """90 % no. 1: 有财产可供执行案件法定期限内实际执结率."""
    with_property = [f for f in closed_in(facts, start, end) if f.closing_mode in cfg.property_modes]
    done = [f for f in with_property if f.closing_mode in cfg.actual_modes and within_term(f)]
    return _fraction(
        "actual_within_term",
        "有财产可供执行案件法定期限内实际执结率",
        f"期内以{_mode_names(cfg.actual_modes)}方式且在执行期限内结案的案件数 ÷ 期内以"
        f"{_mode_names(cfg.property_modes)}方式结案的案件数（“有财产可供执行案件”的范围待核实）",
        len(done),
        len(with_property),
        target=cfg.target_90,
        unconfirmed=True,
    )


def source_rate(
    code: str,
    label: str,
    definition: str,
    counts: Mapping[str, int] | None,
    num_key: str,
    den_key: str,
    target: Decimal | None,
) -> Result:
    """A rate whose two counts come from another domain's registered source; 未接入 without one."""
    if counts is None:
        return Result(code, label, definition, target=target, state="missing")
    return _fraction(code, label, definition, int(counts[num_key]), int(counts[den_key]), target=target)


def three_year_rate(facts: Sequence[CaseFacts], start: date, end: date, cfg: MetricConfig) -> Result:
    """The "one 80 %": 三年案件整体执结率 (formula UNCONFIRMED; two readings, see MetricConfig)."""
    if cfg.eighty_formula == "dormant_plus_actual":
        closed = closed_in(facts, start, end)
        good = [
            f
            for f in closed
            if f.closing_mode == "dormant" or (f.closing_mode in cfg.actual_modes and within_term(f))
        ]
        return _fraction(
            "three_year",
            "终本结案率与法定期限内实际执结率之和",
            "期内终本结案数与在执行期限内实际执结数之和 ÷ 期内结案数"
            "（2018年7月“三个90%、一个80%”表述，待核实）",
            len(good),
            len(closed),
            target=cfg.target_80,
            unconfirmed=True,
        )
    first = date(end.year - 2, 1, 1)
    filed = [f for f in facts if first <= f.filed_on <= end and f.type_code not in cfg.excluded_types]
    closed = [f for f in filed if f.closed_on is not None and f.closed_on <= end and f.closing_mode]
    return _fraction(
        "three_year",
        "三年案件整体执结率",
        f"{first.year}年1月1日至期末立案的案件中，期末前已结案的比例（不含"
        f"{'、'.join(cfg.excluded_types) or '无'}类案件；公式待核实）",
        len(closed),
        len(filed),
        target=cfg.target_80,
        unconfirmed=True,
    )


DORMANT_LABEL = "终本合格率"
DORMANT_DEF = "期内终本结案且经核查符合终本程序标准的案件数 ÷ 期内终本结案数（数据来自案件管理的终本核查）"
PETITION_LABEL = "执行信访办结率"
PETITION_DEF = (
    "期内应办结的执行信访件中按期（30个工作日内）办结的件数 ÷ 期内应办结的执行信访件数（数据来自信访）"
)


OBJECTION_LABEL = "执行异议按期审查率"
OBJECTION_DEF = (
    "期内收到的执行异议中在收到之日起15日内作出裁定的件数 ÷ 期内收到且已裁定的执行异议件数"
    "（民事诉讼法第二百三十六、二百三十八条；数据来自执行异议）"
)
OBJECTION_DAYS_LABEL = "执行异议平均审查用时"
OBJECTION_DAYS_DEF = (
    "期内收到且已裁定的执行异议自收到之日至裁定之日的自然日数之和 ÷ 已裁定件数（数据来自执行异议）"
)


def objection_days(counts: Mapping[str, int] | None) -> Result:
    """Average days from receipt to ruling of the objections received in the period (source
    `objection_counts`: `days_to_decide` ÷ `decided`); 未接入 without the source."""
    if counts is None:
        return Result("objection_days", OBJECTION_DAYS_LABEL, OBJECTION_DAYS_DEF, unit="天", state="missing")
    days, decided = int(counts["days_to_decide"]), int(counts["decided"])
    value = (Decimal(days) / Decimal(decided)).quantize(CENT, ROUND_HALF_UP) if decided else None
    return Result(
        "objection_days",
        OBJECTION_DAYS_LABEL,
        OBJECTION_DAYS_DEF,
        days,
        decided,
        value,
        unit="天",
        state="ok" if decided else "empty",
    )


def court_metrics(
    facts: Sequence[CaseFacts],
    start: date,
    end: date,
    cfg: MetricConfig,
    dormant: Mapping[str, int] | None = None,
    petitions: Mapping[str, int] | None = None,
    objections: Mapping[str, int] | None = None,
) -> list[Result]:
    """Every metric for one group of cases, in display order (the four 90 % first)."""
    return [
        actual_within_term_rate(facts, start, end, cfg),
        source_rate(
            "dormant_compliance", DORMANT_LABEL, DORMANT_DEF, dormant, "compliant", "closed", cfg.target_90
        ),
        source_rate(
            "petition_completion",
            PETITION_LABEL,
            PETITION_DEF,
            petitions,
            "answered_on_time",
            "due",
            cfg.target_90,
        ),
        three_year_rate(facts, start, end, cfg),
        closure_rate(facts, start, end, cfg),
        actual_closure_rate(facts, start, end, cfg),
        money_in_place_rate(facts, start, end, cfg),
        average_days_to_close(facts, start, end, cfg),
        # Issue 19 item 5: objections decided within their 15 days, and the average days to decide.
        source_rate(
            "objection_in_time",
            OBJECTION_LABEL,
            OBJECTION_DEF,
            objections,
            "decided_in_time",
            "decided",
            None,
        ),
        objection_days(objections),
    ]


STANDARD_CODES = ("actual_within_term", "dormant_compliance", "petition_completion")


@dataclass
class Standard:
    """The 4th "90 %": the share of courts that reach 90 % in each of the three court-level rates."""

    result: Result
    reached: list[Hashable] = field(default_factory=list)
    missing: list[Hashable] = field(default_factory=list)


def courts_reaching_standard(per_court: Mapping[Hashable, Sequence[Result]], cfg: MetricConfig) -> Standard:
    """A court reaches the standard when each of the three rates it has is ≥ the target.

    A rate with no source (未接入) or nothing to measure (0 ÷ 0) is not held against the court; a court
    with none of the three measurable is left out of both terms.
    """
    reached: list[Hashable] = []
    measured: list[Hashable] = []
    for court, results in per_court.items():
        rates = [r for r in results if r.code in STANDARD_CODES and r.value is not None]
        if not rates:
            continue
        measured.append(court)
        if all(r.value is not None and r.value >= cfg.target_90 for r in rates):
            reached.append(court)
    result = _fraction(
        "courts_standard",
        "达标法院比例",
        "三项“90%”指标（已接入且有数据的）均达到90%的法院数 ÷ 参评法院数",
        len(reached),
        len(measured),
        target=cfg.target_90,
    )
    return Standard(result, reached, [c for c in per_court if c not in measured])


def group_by(
    facts: Iterable[CaseFacts], key: Callable[[CaseFacts], Hashable]
) -> dict[Hashable, list[CaseFacts]]:
    groups: dict[Hashable, list[CaseFacts]] = {}
    for f in facts:
        groups.setdefault(key(f), []).append(f)
    return groups
