"""Credit repair (信用修复): its conditions and decision period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# -- credit repair (信用修复) ----------------------------------------------------------------------------
# 失信规定 Art 2(2) (early deletion when the debtor performs or corrects), Art 10(1)(1)–(2), and
# 善意文明执行意见 (法发〔2019〕35号) on credit repair; the conditions below beyond those articles are
# UNCONFIRMED and configurable (`ZHIXING_CREDIT_REPAIR`, docs/rules-additions.md "Credit repair").
REPAIR_CONDITIONS: dict[str, str] = {
    "performed": "已履行生效法律文书确定的全部义务（系统按案件到位款计算）",
    "settled": "与申请执行人达成执行和解协议并已履行完毕，或申请执行人书面同意修复",
    "corrected": "已主动纠正失信行为（第1项情形无须另行纠正）",
    "no_other_listing": "无其他在册的失信记录",
    "min_days": "纳入失信名单已满规定天数",
}


@dataclass(frozen=True)
class RepairPolicy:
    """Configurable credit-repair conditions (defaults: docs/rules-additions.md)."""

    min_listed_days: int = 0  # days from the listing decision to the application
    decision_days: int = 15  # the court decides within 15 days (by analogy with Arts 5(2) and 12)
    allow_settlement: bool = True  # a performed settlement / the applicant's consent replaces performance


@dataclass(frozen=True)
class RepairFacts:
    ground: int
    decided_on: date
    applied_on: date
    performed_in_full: bool
    settled: bool
    corrected: bool
    other_active_listings: int


def repair_conditions(facts: RepairFacts, policy: RepairPolicy = RepairPolicy()) -> dict[str, bool]:
    """Each condition of REPAIR_CONDITIONS, met or not."""
    return {
        "performed": facts.performed_in_full,
        "settled": policy.allow_settlement and facts.settled,
        "corrected": facts.ground == 1 or facts.corrected,
        "no_other_listing": facts.other_active_listings == 0,
        "min_days": (facts.applied_on - facts.decided_on).days >= policy.min_listed_days,
    }


def repair_missing(facts: RepairFacts, policy: RepairPolicy = RepairPolicy()) -> list[str]:
    """The unmet conditions, in Chinese; [] when credit repair may be granted.

    Performance in full OR (where allowed) a performed settlement / the applicant's consent; AND the
    dishonest act corrected (grounds 2–6); AND no other active listing; AND the minimum time listed.
    """
    met = repair_conditions(facts, policy)
    missing = []
    if not (met["performed"] or met["settled"]):
        missing.append(
            REPAIR_CONDITIONS["performed"]
            + ("或" + REPAIR_CONDITIONS["settled"] if policy.allow_settlement else "")
        )
    for k in ("corrected", "no_other_listing"):
        if not met[k]:
            missing.append(REPAIR_CONDITIONS[k])
    if not met["min_days"]:
        missing.append(f"纳入失信名单须满{policy.min_listed_days}日方可申请信用修复")
    return missing


def repair_decision_due(applied_on: date, policy: RepairPolicy = RepairPolicy()) -> date:
    return applied_on + timedelta(days=policy.decision_days)
