"""Reads about a case's term and claim: the periods not counted, the application period, the claim kind.

Read-only; the case passed in was read through `queries.get_case` (court scoping applied there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from zhixing.core.holidays import current_calendar

from .fees import computes_delay_interest
from .higher_court import HigherCourtDate, found_property_date, higher_court_date
from .limitation import Limitation, application_period, resumption_unlimited
from .models import EnforcementCase, ExcludedPeriod, Obligation, Suspension
from .rules import Pause

__all__ = [
    "ClaimKind",
    "claim_kind",
    "excluded_periods",
    "found_property_higher_court",
    "higher_court_of",
    "limitation_of",
    "open_excluded_periods",
]


def limitation_of(case: EnforcementCase) -> Limitation:
    """The 2-year application period of the case (CPL-2023 Art 250) and whether it was applied for late;
    a case resuming a 终本 case is not subject to it (民诉解释 Art 517(2))."""
    mode = case.origin.closing_mode if case.origin_id and case.origin else None
    return application_period(
        case.performance_deadline, case.applied_on, current_calendar(), unlimited=resumption_unlimited(mode)
    )


def higher_court_of(
    case: EnforcementCase,
    suspensions: Iterable[Suspension] | None = None,
    excluded: Iterable[ExcludedPeriod] | None = None,
) -> HigherCourtDate:
    """From when the applicant may apply to the next-higher court (CPL-2023 Art 237; 执行程序解释
    Art 13 periods not counted). The case page passes the rows it already read."""
    return higher_court_date(
        case.applied_on,
        [Pause(s.start, s.end) for s in (case.suspensions.all() if suspensions is None else suspensions)],
        [
            (p.kind, Pause(p.start, p.end))
            for p in (case.excluded_periods.all() if excluded is None else excluded)
        ],
        current_calendar(),
    )


def found_property_higher_court(
    case: EnforcementCase, found_days: Iterable[date]
) -> dict[date, HigherCourtDate]:
    """执行程序解释 Art 10(2) for each day property of the case was found (the asset register's
    `found_at`): from when the applicant may apply to the next-higher court if that property is not
    executed 6 months after it was found. Days on or before the application's receipt are left out
    (Art 10(1), `higher_court_of`). Two queries whatever the number of days."""
    days = sorted({d for d in found_days if d > case.applied_on})
    if not days:
        return {}
    suspensions = [Pause(s.start, s.end) for s in case.suspensions.all()]
    excluded = [(p.kind, Pause(p.start, p.end)) for p in case.excluded_periods.all()]
    calendar = current_calendar()
    out: dict[date, HigherCourtDate] = {}
    for d in days:
        result = found_property_date(case.applied_on, d, suspensions, excluded, calendar)
        if result is not None:
            out[d] = result
    return out


def excluded_periods(case: EnforcementCase) -> list[ExcludedPeriod]:
    return list(case.excluded_periods.order_by("start", "id"))


def open_excluded_periods(case: EnforcementCase) -> list[ExcludedPeriod]:
    return [p for p in excluded_periods(case) if p.end is None]


@dataclass(frozen=True)
class ClaimKind:
    """How the case's claim is shown: money (interest computed) or an act (迟延履行金 set by the court)."""

    obligation: str
    label: str
    detail: str
    money: bool
    interest: bool

    @property
    def delay_charge_note(self) -> str:
        if self.money:
            return ""
        return (
            "迟延履行金：由人民法院根据具体案件情况决定（有损失的为损失的二倍，无损失的由法院酌定；"
            "民诉法解释第505条），不计算迟延履行利息"
        )


def claim_kind(case: EnforcementCase) -> ClaimKind:
    money = case.obligation == Obligation.MONEY
    return ClaimKind(
        obligation=case.obligation,
        label=str(Obligation(case.obligation).label),
        detail=case.obligation_detail,
        money=money,
        interest=computes_delay_interest(case.obligation) or case.principal > 0,
    )
