"""Which paused periods stop the doubled delay interest (加倍部分债务利息) — a table, row by row.

迟延履行利息解释 (2014) Art 3 para 3 (rules.md §6.3 "Excluded periods", [L12]): "非因被执行人的申请，对
生效法律文书审查而中止或者暂缓执行的期间及再审中止执行的期间，不计算加倍部分债务利息". Only two
kinds of period are named:

* a suspension or deferral (中止/暂缓执行) while the effective instrument is reviewed, when the debtor
  did not ask for it;
* a suspension because the judgment is retried (再审中止执行).

Every other suspension ground (CPL-2023 Art 267: the applicant agrees to postpone, a third-party
objection, a party died or was dissolved, other) and every other period the enforcement *term* does not
count (审限规定 Art 9: appraisal, auction, public notice…) keeps the doubled interest running: the
interpretation names them nowhere. Rows whose reading is not confirmed by the text (bankruptcy, a
higher court's stay, "other") carry ``confirmed=False``: `settings.ZHIXING_CASES["interest_excluded"]`
may override them (a dict key → bool), never the confirmed ones.

Pure module: keys are strings (``"suspension:<ground>"``, ``"period:<kind>"``), no ORM. A suspension
for review of the instrument is a CPL 267(5) "other" suspension flagged `Suspension.instrument_review`;
its key is ``"suspension:instrument_review"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["EXCLUSIONS", "Exclusion", "excludes_interest", "period_key", "suspension_key"]

ART_3_3 = "迟延履行利息解释第3条第3款"


@dataclass(frozen=True)
class Exclusion:
    """One row: does a period of this kind stop the doubled interest, and why."""

    key: str
    excluded: bool
    article: str
    reason: str
    confirmed: bool = True
    # Art 3(3) "非因被执行人的申请": the row applies only when the debtor did not ask for the period.
    unless_debtor_requested: bool = False


_ROWS: tuple[Exclusion, ...] = (
    # -- suspensions (中止执行), CPL-2023 Art 267 and other laws --------------------------------------
    Exclusion(
        "suspension:instrument_review",
        True,
        ART_3_3,
        "对生效法律文书审查而中止执行，且非因被执行人申请：不计加倍部分债务利息",
        unless_debtor_requested=True,
    ),
    Exclusion("suspension:retrial", True, ART_3_3, "再审中止执行的期间不计加倍部分债务利息"),
    Exclusion(
        "suspension:applicant_agrees", False, ART_3_3, "申请人同意延期不属第3条第3款所列期间，照常计息"
    ),
    Exclusion("suspension:objection", False, ART_3_3, "案外人异议中止不属第3条第3款所列期间，照常计息"),
    Exclusion("suspension:heir_pending", False, ART_3_3, "等待继承人不属第3条第3款所列期间，照常计息"),
    Exclusion(
        "suspension:successor_pending", False, ART_3_3, "等待权利义务承受人不属第3条第3款所列期间，照常计息"
    ),
    Exclusion(
        "suspension:bankruptcy",
        False,
        ART_3_3,
        "受理破产申请后中止执行：第3条第3款未列明（破产程序中利息另依企业破产法处理，未核实），默认照常计息",
        confirmed=False,
    ),
    Exclusion(
        "suspension:other", False, ART_3_3, "其他中止情形：第3条第3款未列明，默认照常计息", confirmed=False
    ),
    # -- other periods the term does not count (审限规定 Art 9) -----------------------------------------
    Exclusion(
        "period:review_deferral",
        True,
        ART_3_3,
        "对生效法律文书审查而暂缓执行，且非因被执行人申请：不计加倍部分债务利息",
        unless_debtor_requested=True,
    ),
    Exclusion("period:deferral", False, ART_3_3, "执行和解或提供担保后暂缓执行：不属所列期间，照常计息"),
    Exclusion(
        "period:higher_court_stay",
        False,
        ART_3_3,
        "上级法院通知暂缓执行：是否因审查执行依据不明（未核实），默认照常计息；审查执行依据的请登记为“审查执行依据暂缓执行”",
        confirmed=False,
    ),
    Exclusion("period:appraisal", False, ART_3_3, "鉴定、评估期间只不计入执行期限，照常计息"),
    Exclusion("period:audit", False, ART_3_3, "审计、资产清理期间只不计入执行期限，照常计息"),
    Exclusion(
        "period:auction", False, ART_3_3, "拍卖、变卖期间只不计入执行期限，照常计息（利息计至成交裁定生效日）"
    ),
    Exclusion("period:public_notice", False, ART_3_3, "公告期间只不计入执行期限，照常计息"),
    Exclusion("period:jurisdiction", False, ART_3_3, "管辖争议期间只不计入执行期限，照常计息"),
    # rule
    Exclusion(
        "period:coordination", False, ART_3_3, "执行争议协调期间只不计入申请上级法院执行的六个月，照常计息"
    ),
)

EXCLUSIONS: Mapping[str, Exclusion] = {row.key: row for row in _ROWS}


def suspension_key(ground: str) -> str:
    return f"suspension:{ground}"


def period_key(kind: str) -> str:
    return f"period:{kind}"


def excludes_interest(
    key: str, debtor_requested: bool = False, overrides: Mapping[str, bool] | None = None
) -> bool:
    """True when a period of kind `key` stops the doubled interest (Art 3(3)).

    An unknown key keeps the interest running (the interpretation names no other period). `overrides`
    (configuration) changes only rows marked ``confirmed=False``; a row that applies only "非因被执行人的
    申请" never excludes a period the debtor asked for.
    """
    row = EXCLUSIONS.get(key)
    if row is None:
        return False
    excluded = row.excluded
    if not row.confirmed and overrides and key in overrides:
        excluded = bool(overrides[key])
    if row.unless_debtor_requested and debtor_requested:
        return False
    return excluded
