"""The period for applying for enforcement (申请执行期间) — pure arithmetic, no ORM, no clock.

CPL-2023 Art 250 (CPL-2021 Art 246; rules.md §0 "Limitation period"): the period is **2 years**, counted
from the last day of the performance period the instrument fixes; for performance in instalments, from
the expiry of the **last** instalment; without a stated period, from the day the instrument took effect.
Its suspension and interruption follow the rules on limitation (执行程序解释 Arts 19–21), which the
court cannot see at filing — so an application after the period is a *warning*, never a refusal: the
debtor must raise the objection, and only then does the court rule 不予执行 (SPC-CPL-Interp 2022
Art 481).

The period is counted as a civil period in years: it starts the day after the last day of performance
(民法典 Art 201), ends on the corresponding day two years later or the month's last day (Art 202), and
moves to the next working day when that day is a statutory holiday (Art 203; CPL Art 85).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhixing.core.workdays import WorkCalendar

from .rules import Unit, compute_deadline

__all__ = ["APPLICATION_PERIOD_MONTHS", "Limitation", "application_period", "resumption_unlimited"]

APPLICATION_PERIOD_MONTHS = 24  # CPL-2023 Art 250: 二年


@dataclass(frozen=True)
class Limitation:
    """The last day to apply, whether `applied_on` came after it, and calendar years not yet loaded."""

    last_day: date
    applied_on: date
    expired: bool
    missing_years: tuple[int, ...] = ()

    @property
    def days_late(self) -> int:
        return max((self.applied_on - self.last_day).days, 0)

    @property
    def message(self) -> str:
        """The Chinese warning shown at filing and on the case ("" when in time)."""
        if not self.expired:
            return ""
        return (
            f"申请执行日期{self.applied_on.isoformat()}已超过二年申请执行期间"
            f"（届满日{self.last_day.isoformat()}，超过{self.days_late}日，民事诉讼法第250条）。"
            "仍可立案：期间可能因中止、中断而延长；被执行人提出时效抗辩且成立的，裁定不予执行。"
        )


# rule
def resumption_unlimited(origin_closing_mode: str | None) -> bool:
    """Whether a resumed case's application escapes the 2-year period: after 终本 the applicant may apply
    again whenever it finds executable property, "不受申请执行时效期间的限制" (民诉解释 Art 517(2) (2022);
    终本规定 Art 9(1)). Resumptions after other closings (e.g. a breached settlement) are not exempted."""
    return origin_closing_mode == "dormant"


def application_period(
    performance_deadline: date, applied_on: date, calendar: WorkCalendar, *, unlimited: bool = False
) -> Limitation:
    """The 2-year application period counted from `performance_deadline` (the last day of performance,
    for instalments the last instalment's), and whether `applied_on` was after its last day. `unlimited`:
    the application is not subject to the period (`resumption_unlimited`): never expired."""
    deadline = compute_deadline(performance_deadline, APPLICATION_PERIOD_MONTHS, Unit.MONTHS, calendar)
    assert deadline.due is not None  # no pauses: a date is always given
    return Limitation(
        last_day=deadline.due,
        applied_on=applied_on,
        expired=applied_on > deadline.due and not unlimited,
        missing_years=deadline.missing_years,
    )
