"""The applicant's right to apply to the next-higher court — pure date arithmetic, no ORM, no clock.

CPL-2023 Art 237 (CPL-2021 Art 233, CPL-2017 Art 226): when the enforcement court has not executed
the case **more than 6 months after receiving the application** (申请执行书), the applicant may apply to
the next-higher court, which may order time-limited execution, take the case over or assign another
court (执行程序解释 Arts 10–12). The 6 months do **not** count (执行程序解释 Art 13, read in [L5]):
公告期间、鉴定评估期间、管辖争议处理期间、执行争议协调期间、暂缓执行期间以及中止执行期间.

That list differs from the periods the enforcement term does not count (审限规定 Art 9, rules R-2.1.4
and R-2.1.5): an audit / asset clearing by a professional body and the auction or sale of seized
property stop the term, but **not** these 6 months; and the 6 months run from receipt of the
application, the term from filing. The coordination of an enforcement dispute between courts
(执行争议协调, `ExcludedPeriod` kind ``coordination``) is deducted here (rule R-2.1.7); it stops the term
only when configured (审限规定 Art 9 does not name it).

The last day is not moved past a holiday: the 6 months are the court's, not a period for a party's act
(CPL Art 85 para 3 protects the party who must act); the applicant may apply from the day after it.

执行程序解释 Art 10 names the situations separately: (1) property the debtor had when the application was
made, not executed 6 months after receipt of the application (`higher_court_date`); (2) property found
in the course of enforcement, not executed 6 months after **the day it was found**
(`found_property_date`, rule R-2.1.9: the asset register records when each asset was found); the same
Art 13 periods are not counted in either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from zhixing.core.workdays import WorkCalendar

from .rules import Pause, Unit, compute_deadline

__all__ = [
    "EXCLUDED_KINDS",
    "HIGHER_COURT_MONTHS",
    "HigherCourtDate",
    "found_property_date",
    "higher_court_date",
]

HIGHER_COURT_MONTHS = 6  # CPL-2023 Art 237: 超过六个月未执行

# `ExcludedPeriod.Kind` values that 执行程序解释 Art 13 names (暂缓执行 in all its forms, 鉴定评估,
# 公告, 管辖争议, 执行争议协调); AUDIT and AUCTION are not named there and count.
# rule
EXCLUDED_KINDS = frozenset(
    {
        "deferral",
        "higher_court_stay",
        "review_deferral",
        "appraisal",
        "public_notice",
        "jurisdiction",
        "coordination",
    }
)


@dataclass(frozen=True)
class HigherCourtDate:
    """The last day of the 6 months and the first day the applicant may apply to the higher court;
    both None while a period not counted (or a suspension) is still running."""

    last_day: date | None
    may_apply_from: date | None

    def may_apply_on(self, day: date) -> bool:
        return self.may_apply_from is not None and day >= self.may_apply_from


# rule
def higher_court_date(
    applied_on: date,
    suspensions: Sequence[Pause],
    excluded: Iterable[tuple[str, Pause]],
    calendar: WorkCalendar,
) -> HigherCourtDate:
    """When the applicant may apply to the next-higher court (CPL-2023 Art 237; 执行程序解释 Arts 10, 13).

    `suspensions`: the case's 中止执行 periods; `excluded`: (kind, period) of its other periods not
    counted in the term — only the kinds Art 13 names (`EXCLUDED_KINDS`) are deducted here.
    """
    pauses = [*suspensions, *(p for kind, p in excluded if kind in EXCLUDED_KINDS)]
    deadline = compute_deadline(
        applied_on, HIGHER_COURT_MONTHS, Unit.MONTHS, calendar, pauses=pauses, roll_to_workday=False
    )
    if deadline.due is None:
        return HigherCourtDate(None, None)
    return HigherCourtDate(deadline.due, deadline.due + timedelta(days=1))


# rule
def found_property_date(
    applied_on: date,
    found_on: date,
    suspensions: Sequence[Pause],
    excluded: Iterable[tuple[str, Pause]],
    calendar: WorkCalendar,
) -> HigherCourtDate | None:
    """执行程序解释 Art 10(2): property found in the course of enforcement and not executed more than 6
    months after the day it was found — the applicant may apply to the next-higher court from the day
    after the last day (Art 13 periods not counted, as for Art 10(1)).

    None for property found on or before the day the application was received: that property existed
    when the application was made, and Art 10(1) counts its 6 months from receipt (`higher_court_date`).
    """
    if found_on <= applied_on:
        return None
    return higher_court_date(found_on, suspensions, excluded, calendar)
