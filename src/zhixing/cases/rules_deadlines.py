"""Pure deadline arithmetic of an enforcement case: periods in days, working days or months with
suspensions (pauses), extensions of the enforcement term, a node's colour and capped due date.

No ORM, no clock: "today" is always an argument (DESIGN invariant 7 "Deadlines are computed")."""

from __future__ import annotations

import calendar as _gregorian
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from zhixing.core.workdays import WorkCalendar

_ONE_DAY = timedelta(days=1)


class Unit(StrEnum):
    """How a period's budget is counted."""

    WORKDAYS = "workdays"  # working days on the statutory calendar (e.g. local node rules)
    DAYS = "days"  # calendar days (CPL Art 85: periods in days)
    MONTHS = "months"  # calendar months (e.g. the 6-month enforcement period, 审限规定 Art 5)


@dataclass(frozen=True)
class Pause:
    """A suspension of the clock: days in [start, end) do not count; ``end`` None = still suspended.

    Sources: 执行工作规定 Art 63 (period excludes suspension, 中止), 审限规定 Art 9 (periods not counted),
    迟延履行利息解释 Art 3(3) (delay interest not computed while suspended).
    """

    start: date
    end: date | None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"中止期间错误：结束日期{self.end.isoformat()}早于开始日期{self.start.isoformat()}"
            )


@dataclass(frozen=True)
class Deadline:
    """A computed due date.

    ``due`` is None while an open pause stops the clock. ``missing_years`` lists, ascending, the
    calendar years the computation consulted that the calendar does not cover (weekend-only fallback
    used: show a warning until the year's holiday table is loaded); it is empty when ``due`` is None
    (no date to doubt) and for DAYS/MONTHS without ``roll_to_workday`` (calendar not consulted).
    """

    due: date | None
    missing_years: tuple[int, ...]


# -- pauses ------------------------------------------------------------------------------------------


class _Pauses:
    """Pauses merged into disjoint closed intervals of paused days, plus the earliest open pause."""

    def __init__(self, pauses: Sequence[Pause]) -> None:
        closed: list[tuple[date, date]] = []
        open_start: date | None = None
        for p in pauses:
            if p.end is None:
                open_start = p.start if open_start is None else min(open_start, p.start)
            elif p.end > p.start:
                closed.append((p.start, p.end - _ONE_DAY))
        closed.sort()
        merged: list[tuple[date, date]] = []
        for a, b in closed:
            if merged and a <= merged[-1][1] + _ONE_DAY:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        if open_start is not None:
            # Closed pauses swallowed by the open one no longer matter; one touching it extends it.
            merged = [(a, b) for a, b in merged if a < open_start]
            if merged and merged[-1][1] + _ONE_DAY >= open_start:
                open_start = merged.pop()[0]
        self.closed = merged
        self.open_start = open_start

    def closed_paused(self, d: date) -> bool:
        """True if `d` lies in a closed (ended) pause."""
        return any(a <= d <= b for a, b in self.closed)

    def paused(self, d: date) -> bool:
        """True if `d` is a paused day (closed or open pause)."""
        return (self.open_start is not None and d >= self.open_start) or self.closed_paused(d)

    def closed_days(self, after: date, through: date) -> int:
        """Number of closed-pause days in (after, through]."""
        total = 0
        for a, b in self.closed:
            lo, hi = max(a, after + _ONE_DAY), min(b, through)
            if hi >= lo:
                total += (hi - lo).days + 1
        return total

    def days(self, after: date, through: date) -> int:
        """Number of paused days (closed and open) in (after, through]."""
        total = self.closed_days(after, through)
        if self.open_start is not None:
            lo = max(self.open_start, after + _ONE_DAY)
            if through >= lo:
                total += (through - lo).days + 1
        return total


# -- deadlines ---------------------------------------------------------------------------------------


def _add_months(d: date, months: int) -> date:
    """Same day-of-month `months` later, clipped to the month end.

    CPL Art 85 and 民法典 Art 202: a period in months ends on the corresponding day of the last month;
    without a corresponding day, on the last day of that month (31 Aug + 6 months = 28/29 Feb).
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    last = _gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def _push_by_pauses(start: date, base: date, pauses: _Pauses, roll: Callable[[date], date] | None) -> date:
    """Least fixed point of ``due = roll(base + paused days in (start, due])`` (closed pauses only).

    Every paused day inside the running period pushes the due date one calendar day later; iterating
    until stable also counts a pause that starts after the original due but before the pushed one. The
    sequence never decreases and stops at the first stable date, which is never a paused day.
    """
    due = base
    while True:
        candidate = base + timedelta(days=pauses.closed_days(start, due))
        if roll is not None:
            candidate = roll(candidate)
        if candidate == due:
            return due
        due = candidate


def compute_deadline(
    start: date,
    budget: int,
    unit: Unit,
    calendar: WorkCalendar,
    pauses: Sequence[Pause] = (),
    extra_months: int = 0,
    roll_to_workday: bool = True,
) -> Deadline:
    """Due date of a period of `budget` `unit`s that starts running on the day after `start`.

    * CPL Art 85 para 2: the day (or hour) on which a period begins is not counted.
    * DAYS: `budget` calendar days, paused days not counted. ``extra_months`` (an approved extension)
      is added to the unpaused end as a month period before pauses push it.
    * WORKDAYS: `budget` working days, paused days not counted; already a working day, so
      ``roll_to_workday`` does not apply; ``extra_months`` is refused (ValueError).
    * MONTHS: same day-of-month ``budget`` months later, clipped to the month end, then
      ``extra_months`` more from that day, clipped again (extension +3 months: 审限规定 Art 5),
      then pushed later by every paused day within the running period (执行工作规定 Art 63;
      审限规定 Art 9).
    * DAYS and MONTHS with ``roll_to_workday``: a due date that is not a working day moves to the next
      working day that is not paused (CPL Art 85 para 3: a period whose last day is a statutory holiday
      ends on the first day after the holiday).
    * An open pause (``end`` None) starting on or before the due date stops the clock: ``due`` None.

    Raises ValueError for a negative budget or extension.
    """
    if budget < 0:
        raise ValueError("期限天数/月数不能为负数")
    if extra_months < 0:
        raise ValueError("延长月数不能为负数")
    unit = Unit(unit)
    merged = _Pauses(pauses)

    if unit is Unit.WORKDAYS:
        if extra_months:
            raise ValueError("按工作日计算的期限不能按月延长")
        due = calendar.add_workdays(start, budget, skip=merged.closed_paused)
        first_consulted = start + _ONE_DAY  # every day of the period was looked up
    else:
        if unit is Unit.MONTHS:
            # The extension runs from the term's own last day (民法典 Art 202 applied to each in turn):
            # filed 08-31, six months end 02-28 (no 02-31), three more end 05-28, not 05-31.
            base = _add_months(_add_months(start, budget), extra_months)
        else:
            base = _add_months(start + timedelta(days=budget), extra_months)

        def roll(d: date) -> date:
            while not calendar.is_workday(d) or merged.closed_paused(d):
                d += _ONE_DAY
            return d

        due = _push_by_pauses(start, base, merged, roll if roll_to_workday else None)
        first_consulted = base  # only the roll looks dates up, all within [base, due]

    if merged.open_start is not None and merged.open_start <= due:
        # 执行工作规定 Art 63: the period excludes the suspension; while it lasts no date can be given.
        return Deadline(due=None, missing_years=())
    if unit is not Unit.WORKDAYS and not roll_to_workday:
        return Deadline(due=due, missing_years=())  # the calendar was never consulted
    return Deadline(due=due, missing_years=tuple(calendar.missing_years(min(first_consulted, due), due)))


# -- extensions of the enforcement term --------------------------------------------------------------


@dataclass(frozen=True)
class ExtensionStep:
    """What the next extension of the term needs: refused (with why), or allowed — with or without the
    report to the higher court."""

    allowed: bool
    report_up: bool
    message: str


def extension_step(approved: int, limit: int) -> ExtensionStep:
    """The rule for the next extension when `approved` extensions were already granted.

    # rule: R-2.1.2
    审限规定 Art 5: the court president may extend the term by 3 months; a *further* extension must be
    reported level by level up to the higher people's court for the record (层报高级人民法院备案). rules.md
    gives no maximum count: `limit` (configuration ``ZHIXING_CASES["extension_limit"]``, default 2 — the
    president's extension and one further, reported) stops endless repetition.
    """
    if limit < 1:
        raise ValueError("延长次数上限须为正整数")
    if approved >= limit:
        return ExtensionStep(
            False,
            False,
            f"执行期限已延长{approved}次，达到上限{limit}次，不能再延长（审限规定第5条）",
        )
    if approved == 0:
        return ExtensionStep(True, False, "经院长批准可延长3个月（审限规定第5条）")
    return ExtensionStep(True, True, f"第{approved + 1}次延长：批准后须层报高级人民法院备案（审限规定第5条）")


# -- node colour -------------------------------------------------------------------------------------


def node_color(
    due: date | None, today: date, completed: bool, calendar: WorkCalendar, yellow_workdays: int
) -> str:
    """Traffic-light state of a workflow node (流程节点) for the supervision screens.

    "done" if completed; "paused" if there is no due date (suspended); "red" if overdue
    (today > due); "yellow" if at most `yellow_workdays` working days remain
    (``calendar.workdays_between(today, due) <= yellow_workdays``); otherwise "green".
    """
    if completed:
        return "done"
    if due is None:
        return "paused"
    if today > due:
        return "red"
    if calendar.workdays_between(today, due) <= yellow_workdays:
        return "yellow"
    return "green"


def capped_due(due: date | None, cap: date | None) -> date | None:
    """A node's due date under a cap a later event set: the earlier of the two. A clock stopped by a
    suspension (due None) stays stopped."""
    if cap is None or due is None:
        return due
    return min(due, cap)
