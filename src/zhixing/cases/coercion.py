"""Coercive measures (强制措施) and the refusal-to-execute crime: limits, clocks and situations (pure).

rules.md §8. Every measure here needs the court president's approval (CPL-2023 Art 119; search:
SPC-CPL-Interp 494 (2022) — the 搜查令 is signed by the president). The limits of fines and detention are
`rules_sanctions` (R-0.10); this module adds summons by force, the family-notice clock of detention and
the review (复议) clocks, and the 2024 interpretation's situations of the refusal crime as data.

Clocks in days follow CPL Art 85: the day the period starts is not counted and a last day that is not a
working day rolls on to the next working day (`rules.compute_deadline` with `Unit.DAYS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from zhixing.core.workdays import WorkCalendar

from . import rules_sanctions
from .rules import Unit, compute_deadline

SUMMONS_HOURS = 8  # SPC-CPL-Interp 482 (2022): questioning after a summons by force lasts at most 8 hours
SUMMONS_HOURS_COMPLEX = 24  # ... 24 hours where the case is complex and detention may follow
FAMILY_NOTICE_HOURS = 24  # SPC-CPL-Interp 181 (2022): the detainee's family is told within 24 hours
REVIEW_APPLY_DAYS = 3  # SPC-CPL-Interp 185 (2022): 复议 applied for within 3 days of receiving the decision
REVIEW_DECIDE_DAYS = 5  # ... and the higher court decides within 5 days of receiving the application


class MeasureKind(StrEnum):
    FINE = "fine"
    DETENTION = "detention"
    SUMMONS = "summons"
    SEARCH = "search"


MEASURE_LABELS: dict[MeasureKind, str] = {
    MeasureKind.FINE: "罚款",
    MeasureKind.DETENTION: "司法拘留",
    MeasureKind.SUMMONS: "拘传",
    MeasureKind.SEARCH: "搜查",
}
# Which measures a higher court may review (复议): the decisions of CPL-2023 Art 119 (fine, detention).
REVIEWABLE = frozenset({MeasureKind.FINE, MeasureKind.DETENTION})


class MeasureError(ValueError):
    """A measure outside its statutory limits; `field` names the input (Chinese message)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class CheckedMeasure:
    kind: MeasureKind
    amount: Decimal | None = None
    days: int | None = None
    hours: int | None = None


# rule
def check_measure(
    kind: str, *, unit: bool, amount: str = "", days: str = "", hours: str = "", complex_case: bool = False
) -> CheckedMeasure:
    """The measure's quantity within its limit, or MeasureError naming the field and the article.

    Fine: person ≤ 100,000 yuan, organisation 50,000–1,000,000 (CPL-2023 Art 118). Detention: 1–15 days,
    natural persons only (Art 118; a unit's responsible person is detained as a person). Summons by force:
    1–8 hours of questioning, up to 24 when complex and detention may follow (SPC-CPL-Interp 482 (2022)),
    natural persons only. Search carries no quantity.
    """
    try:
        k = MeasureKind(kind)
    except ValueError:
        raise MeasureError("请选择强制措施种类（罚款、拘留、拘传、搜查）", "kind") from None
    try:
        if k is MeasureKind.FINE:
            return CheckedMeasure(k, amount=rules_sanctions.check_fine(amount, unit=unit))
        if k is MeasureKind.DETENTION:
            return CheckedMeasure(k, days=rules_sanctions.check_detention(days, unit=unit))
    except rules_sanctions.SanctionError as exc:
        raise MeasureError(str(exc), "amount" if k is MeasureKind.FINE else "days") from exc
    except ArithmeticError as exc:  # an amount like 1E+999999 cannot even be rounded to fen
        raise MeasureError("罚款金额须为数字（元）", "amount") from exc
    if k is MeasureKind.SUMMONS:
        if unit:
            raise MeasureError("拘传的对象是自然人；单位被执行人请拘传其法定代表人或主要负责人", "party")
        text = hours.strip()
        if not (text.isascii() and text.isdigit()):  # str.isdigit() alone takes "²", which int() refuses
            raise MeasureError("拘传询问时间须为整数小时", "hours")
        limit = SUMMONS_HOURS_COMPLEX if complex_case else SUMMONS_HOURS
        h = int(text) if len(text) <= 6 else limit + 1  # int() refuses past 4300 digits
        if not 1 <= h <= limit:
            if complex_case:
                msg = "拘传询问时间不得超过二十四小时（民诉法解释第四百八十二条）"
            else:
                msg = (
                    "拘传询问时间不得超过八小时；情况复杂、依法可能采取拘留措施的，"
                    "不得超过二十四小时（民诉法解释第四百八十二条）"
                )
            raise MeasureError(msg, "hours")
        return CheckedMeasure(k, hours=h)
    return CheckedMeasure(k)


# rule
def family_notice_due(detained_at: datetime) -> datetime:
    """The latest moment the detainee's family must be told (24 hours after custody began)."""
    return detained_at + timedelta(hours=FAMILY_NOTICE_HOURS)


# rule
def summons_ends_at(started_at: datetime, hours: int) -> datetime:
    """The end of the questioning time granted by the decision."""
    return started_at + timedelta(hours=hours)


# rule
def review_apply_by(served_on: date, calendar: WorkCalendar) -> date:
    """Last day to apply for review (复议): 3 days from receipt of the decision (CPL Art 85 counting)."""
    due = compute_deadline(served_on, REVIEW_APPLY_DAYS, Unit.DAYS, calendar).due
    assert due is not None  # no pauses
    return due


# rule
def review_decide_by(applied_on: date, calendar: WorkCalendar) -> date:
    """Last day for the higher court to decide the review: 5 days from the application."""
    due = compute_deadline(applied_on, REVIEW_DECIDE_DAYS, Unit.DAYS, calendar).due
    assert due is not None
    return due


# -- the refusal-to-execute crime (刑法第三百一十三条) ----------------------------------------------------


@dataclass(frozen=True)
class Situation:
    code: str
    article: str
    severity: str  # "serious" (情节严重) or "especially" (情节特别严重)
    text: str


_I = "法释〔2024〕13号"
# rule
SITUATIONS: tuple[Situation, ...] = (
    Situation(
        "3.1",
        f"{_I}第三条第（一）项",
        "serious",
        "放弃债权、虚假和解、虚假转让等恶意处分财产权益，致使判决、裁定无法执行",
    ),
    Situation(
        "3.2",
        f"{_I}第三条第（二）项",
        "serious",
        "以明显不合理高价受让财产、为他人债务提供担保等恶意减损责任财产，致使无法执行",
    ),
    Situation(
        "3.3",
        f"{_I}第三条第（三）项",
        "serious",
        "伪造、毁灭、隐匿履行能力的重要证据或阻止作证、指使作伪证，妨碍查明财产，致使无法执行",
    ),
    Situation(
        "3.4",
        f"{_I}第三条第（四）项",
        "serious",
        "拒绝报告或虚假报告财产、违反限制消费令等，经罚款、拘留等强制措施后仍拒不执行",
    ),
    Situation(
        "3.5",
        f"{_I}第三条第（五）项",
        "serious",
        "经罚款、拘留后仍拒不交付指定财物、票证或拒不迁出房屋、退出土地，致使无法执行",
    ),
    Situation(
        "3.6",
        f"{_I}第三条第（六）项",
        "serious",
        "经罚款、拘留后仍拒不履行协助行使人身权益等作为义务，致使无法执行，情节恶劣",
    ),
    Situation(
        "3.7",
        f"{_I}第三条第（七）项",
        "serious",
        "经罚款、拘留后仍违反人身安全保护令、禁止从业决定等不作为义务，造成伤害或严重影响",
    ),
    Situation(
        "3.8",
        f"{_I}第三条第（八）项",
        "serious",
        "以恐吓、辱骂、聚众哄闹、威胁或拉拽、推搡等阻碍执行人员进入现场，情节恶劣",
    ),
    Situation(
        "3.9",
        f"{_I}第三条第（九）项",
        "serious",
        "毁损、抢夺执行案件材料、公务车辆、执行器械、执行人员服装或证件，致使执行无法进行",
    ),
    Situation("3.10", f"{_I}第三条第（十）项", "serious", "其他有能力执行而拒不执行，情节严重的情形"),
    Situation(
        "4.1",
        f"{_I}第四条第（一）项",
        "especially",
        "通过虚假诉讼、虚假仲裁、虚假公证等方式妨害执行，致使无法执行",
    ),
    Situation("4.2", f"{_I}第四条第（二）项", "especially", "聚众冲击执行现场，致使执行工作无法进行"),
    Situation(
        "4.3",
        f"{_I}第四条第（三）项",
        "especially",
        "以围攻、扣押、殴打等暴力方法攻击执行人员，致使执行工作无法进行",
    ),
    Situation(
        "4.4", f"{_I}第四条第（四）项", "especially", "因拒不执行致使申请执行人自杀、自残或者造成其他严重后果"
    ),
    Situation("4.5", f"{_I}第四条第（五）项", "especially", "其他情节特别严重的情形"),
)
SITUATION_BY_CODE = {s.code: s for s in SITUATIONS}
# Situations 3.4–3.7 require that a fine or detention was already imposed ("经采取罚款、拘留等强制措施后").
AFTER_SANCTION = frozenset({"3.4", "3.5", "3.6", "3.7"})


# rule
def check_situations(codes: list[str], *, sanctioned: bool) -> list[Situation]:
    """The chosen situations of Art 3/4, or MeasureError: none chosen, an unknown code, or one of the
    "after a fine or detention" situations on a case where no fine or detention was approved."""
    if not codes:
        raise MeasureError("请至少选择一种拒不执行情形（法释〔2024〕13号第三条、第四条）", "situations")
    out = []
    for c in codes:
        s = SITUATION_BY_CODE.get(c)
        if s is None:
            raise MeasureError(f"未知的拒不执行情形：{c}", "situations")
        if c in AFTER_SANCTION and not sanctioned:
            raise MeasureError(
                f"“{s.text}”须以已经采取罚款、拘留等强制措施为前提，本案尚无经批准的罚款或拘留", "situations"
            )
        out.append(s)
    return out
