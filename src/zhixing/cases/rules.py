"""Pure enforcement arithmetic: deadlines, the application fee, delay interest, node colours, and
the one spelling of a basis number the duplicate-filing check compares.

Purpose: the legal arithmetic of an enforcement case, as pure functions of dates, amounts and a
:class:`~zhixing.core.workdays.WorkCalendar` (no ORM, no clock: "today" is always an argument), so every
rule is unit-tested around holidays and band edges (DESIGN invariant 7 "Deadlines are computed").

Imports only the standard library, :mod:`zhixing.core.workdays` and :mod:`zhixing.core.money`.
"""

from __future__ import annotations

import calendar as _gregorian
import hashlib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from zhixing.core.money import AmountError, round_fen
from zhixing.core.workdays import WorkCalendar

__all__ = [
    "DELAY_RATE",
    "Deadline",
    "ExtensionStep",
    "Pause",
    "Unit",
    "application_fee",
    "basis_key",
    "case_number",
    "compute_deadline",
    "delay_days",
    "delay_interest",
    "extension_step",
    "filing_key",
    "node_color",
    "performance_period_expired",
    "type_code_problem",
]

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
    * MONTHS: same day-of-month ``budget + extra_months`` months later, clipped to the month end
      (extension +3 months: 审限规定 Art 5), then pushed later by every paused day within the running
      period (执行工作规定 Art 63; 审限规定 Art 9).
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
            base = _add_months(start, budget + extra_months)
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


# -- filing conditions -------------------------------------------------------------------------------


def performance_period_expired(performance_deadline: date, effective_on: date, applied_on: date) -> bool:
    """Whether the basis's performance period had expired when the application was received.

    # rule: R-2.2.2
    执行工作规定 Art 16(4): a case is accepted only if "义务人在生效法律文书确定的期限内未履行义务" — the
    period fixed for performance has expired. The deadline is the period's last day (CPL Art 85: a period
    ends at the end of its last day), so the earliest application is the day after it. A basis that
    fixes no period (deadline = effective date, 迟延履行利息解释 Art 2 "未确定履行期间的，自法律文书生效之日
    起计算") may be enforced from its effective date. With instalments, the first instalment's deadline
    is passed in: one instalment due and unpaid is enough to apply for it.
    """
    if performance_deadline <= effective_on:
        return applied_on >= effective_on
    return applied_on > performance_deadline


# -- case numbers ----------------------------------------------------------------------------------


def _all_cjk(text: str) -> bool:
    return bool(text) and all("\u4e00" <= c <= "\u9fff" for c in text)


def type_code_problem(code: str) -> str:
    """What is wrong with a case-type code (类型代字): 1 to 3 Chinese characters (案号规定 Art 7); "" = fine.

    # rule: R-1.2.4
    """
    if not _all_cjk(code) or len(code) > 3:
        return "类型代字应为1至3个汉字（案号规定第7条）"
    return ""


def case_number(
    year: int, court_code: str, type_code: str, seq: int, *, full_width: bool = True, special: str = ""
) -> str:
    """案号规定 Art 3 (as amended 2018): （收案年度）法院代字 [专门审判代字] 类型代字 案件编号 号.

    # rule: R-1.2.1
    # rule: R-1.2.2
    # rule: R-1.2.3
    Full-width brackets are the customary form; rules.md §1.2 could not confirm it from the official
    text, so the bracket width is configuration (`conf.full_width_brackets`, default full-width).
    `special` is the 2018 amendment's specialised-trial code (专门审判代字): one Chinese character
    between the court code and the type code, or none (no enforcement case type of the platform uses
    one, so filing never passes it).
    """
    if year < 1 or seq < 1:
        raise ValueError("收案年度与案件编号须为正整数")
    if special and (len(special) != 1 or not _all_cjk(special)):
        raise ValueError("专门审判代字应为1个汉字（案号规定第3条，2018年修改）")
    if type_code_problem(type_code):
        raise ValueError(type_code_problem(type_code))
    left, right = ("（", "）") if full_width else ("(", ")")
    return f"{left}{year}{right}{court_code}{special}{type_code}{seq}号"


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


# -- application fee ---------------------------------------------------------------------------------

# 诉讼费用交纳办法 Art 14(1): enforcement application fee for a money claim, cumulative bands
# (upper bound of the band, rate on the part of the amount inside the band); ≤ 10,000 yuan → 50 yuan.
_FEE_FLOOR_LIMIT = Decimal("10000")
_FEE_FLOOR = Decimal("50")
_FEE_BANDS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("500000"), Decimal("0.015")),
    (Decimal("5000000"), Decimal("0.01")),
    (Decimal("10000000"), Decimal("0.005")),
    (None, Decimal("0.001")),
)


def application_fee(amount: Decimal) -> Decimal:
    """Enforcement application fee (执行申请费) for a money claim of `amount` yuan.

    诉讼费用交纳办法 Art 14(1): ≤ 10,000 → 50; the part over 10,000 up to 500,000 at 1.5 %; up to
    5,000,000 at 1 %; up to 10,000,000 at 0.5 %; above at 0.1 %. Amount 0 → 0 (cases without a money
    amount, 50–500 yuan, are priced elsewhere). Rounded half-up to the fen. The fee is not prepaid but
    paid after execution (Art 20(2)) and borne by the debtor (Art 38).
    """
    if not amount.is_finite() or amount < 0:
        raise AmountError("申请执行金额不能为负数或非数值")
    if amount == 0:
        return Decimal("0.00")
    fee = _FEE_FLOOR
    lower = _FEE_FLOOR_LIMIT
    for upper, rate in _FEE_BANDS:
        if amount <= lower:
            break
        part = amount - lower if upper is None else min(amount, upper) - lower
        fee += part * rate
        if upper is None:
            break
        lower = upper
    return round_fen(fee)


# -- delay interest ----------------------------------------------------------------------------------

# 日万分之一点七五: 最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释 (2014) Art 1.
DELAY_RATE = Decimal("0.000175")


def delay_days(performance_deadline: date, until: date, pauses: Sequence[Pause] = ()) -> int:
    """Days of delay: days in (performance_deadline, until], minus paused days; 0 if until <= deadline.

    迟延履行利息解释 Art 2: delay starts after the performance period expires; Art 3: it ends on the day
    of performance (deduction, etc.), counted inclusively here; Art 3(3): suspension periods excluded.
    """
    if until <= performance_deadline:
        return 0
    total = (until - performance_deadline).days
    return total - _Pauses(pauses).days(performance_deadline, until)


def delay_interest(
    principal: Decimal,
    performance_deadline: date,
    until: date,
    payments: Sequence[tuple[date, Decimal]] = (),
    pauses: Sequence[Pause] = (),
    rate: Decimal = DELAY_RATE,
) -> Decimal:
    """Doubled-part interest for delayed performance (加倍部分债务利息).

    迟延履行利息解释 Art 1: unpaid money debt fixed by the instrument (excluding general interest) ×
    0.0175 % per day × days of delay. Days run from the day after the performance deadline up to and
    including `until` (Art 2, Art 3), paused days excluded (Art 3(3)). A payment reduces the unpaid
    principal from the day after its date (Art 4: payments go to the money debt first); the unpaid
    principal never falls below zero. The interest is summed over the piecewise periods and rounded
    half-up to the fen only at the end.
    """
    if not principal.is_finite() or principal < 0:
        raise AmountError("迟延履行利息的本金不能为负数或非数值")
    if not rate.is_finite() or rate < 0:
        raise AmountError("迟延履行利率不能为负数或非数值")
    for day, paid in payments:
        if not paid.is_finite() or paid < 0:
            raise AmountError(f"{day.isoformat()}的还款金额不能为负数或非数值")
    if until <= performance_deadline:
        return Decimal("0.00")

    merged = _Pauses(pauses)
    unpaid = principal
    total = Decimal(0)
    segment_start = performance_deadline  # segments are (segment_start, segment_end]
    for day, paid in sorted(payments, key=lambda p: p[0]):
        segment_end = min(day, until)
        if segment_end > segment_start:
            days = (segment_end - segment_start).days - merged.days(segment_start, segment_end)
            total += unpaid * days
            segment_start = segment_end
        unpaid = max(Decimal(0), unpaid - paid)
    if until > segment_start:
        days = (until - segment_start).days - merged.days(segment_start, until)
        total += unpaid * days
    return round_fen(total * rate)


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


# Brackets that NFKC leaves alone but clerks type for the year of a document number (〔2025〕 is the
# usual form on arbitration awards and notarial deeds, （2025） on judgments).
_BRACKETS = str.maketrans(
    {"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")", "〖": "(", "〗": ")"}
)


def basis_key(number: str) -> str:
    """The basis number (执行依据文号) in one spelling: the same document however it was typed.

    Full- and half-width forms are one (NFKC: （２０２５） = (2025)), every bracket around the year is a
    parenthesis, whitespace is dropped and Latin letters are upper case.
    """
    text = unicodedata.normalize("NFKC", number or "").translate(_BRACKETS)
    return "".join(text.split()).upper()


def filing_key(basis_number: str, debtor_identity: str) -> str:
    """The duplicate-filing key of one debtor under one basis: a fixed-length digest of both."""
    raw = f"{basis_key(basis_number)}|{(debtor_identity or '').strip().upper()}"
    return hashlib.sha256(raw.encode()).hexdigest()


# -- the enforcement notice (执行通知书) -------------------------------------------------------------------
# 执行程序解释 Art 22: a court that takes an immediate control measure before the notice was served sends
# the notice at the same time or within 3 days of the measure.
NOTICE_AFTER_MEASURE_DAYS = 3
# 2006 期限规定 Art 4: the handling officer sends the notice within 3 days of receiving the materials.
NOTICE_AFTER_ASSIGNMENT_DAYS = 3


def notice_period_ends_on(served_on: date, days: int, calendar: WorkCalendar) -> date:
    """The last day of the performance period the notice fixes, counted from its (deemed) service: 0 days is
    "立即履行" (the day of service); otherwise CPL Art 85 — the day of service is not counted and a last day
    on a holiday rolls to the next working day.

    # rule: R-2.2.20
    """
    if days == 0:
        return served_on
    due = compute_deadline(served_on, days, Unit.DAYS, calendar).due
    assert due is not None  # no pauses: never open
    return due


# rule
def asset_report_due_on(served_on: date, days: int, calendar: WorkCalendar) -> date:
    """The last day of the reporting period the 报告财产令 fixes, counted from the deemed service of the
    notice it was issued with (CPL Art 85: the day of service not counted, a holiday last day rolls on)."""
    due = compute_deadline(served_on, days, Unit.DAYS, calendar).due
    assert due is not None  # no pauses: never open
    return due


# rule
def asset_report_window(served_on: date, reported_on: date) -> tuple[date, date]:
    """The period a debtor's asset report covers: its current situation on `reported_on` and the changes
    from one year before the day it received the order (财产调查规定 Art 6; CPL-2023 Art 252 "当前以及收到
    执行通知之日前一年"). One year before 29 February is 28 February."""
    try:
        start = served_on.replace(year=served_on.year - 1)
    except ValueError:  # 29 February
        start = served_on.replace(year=served_on.year - 1, day=28)
    return start, reported_on


# rule
def asset_report_late(received_on: date, due_on: date) -> bool:
    """A report received after the reporting period's last day is late (the day itself is in time)."""
    return received_on > due_on


def notice_due_after_measure(measure_on: date, calendar: WorkCalendar) -> date:
    """The latest day the notice may be sent after an immediate control measure taken before it (3 days,
    CPL Art 85 rolling past a holiday).

    # rule: R-2.2.21
    """
    due = compute_deadline(measure_on, NOTICE_AFTER_MEASURE_DAYS, Unit.DAYS, calendar).due
    assert due is not None
    return due


def notice_due_after_assignment(assigned_on: date, calendar: WorkCalendar) -> date:
    """The latest day the handling officer sends the notice: 3 days after receiving the case materials
    (the first assignment), CPL Art 85 rolling past a holiday (2006 期限规定 Art 4). The notice node is due
    on the earlier of this and 10 days from receipt of the application (民诉解释 Art 480, R-2.2.4).

    # rule: R-2.2.13
    """
    due = compute_deadline(assigned_on, NOTICE_AFTER_ASSIGNMENT_DAYS, Unit.DAYS, calendar).due
    assert due is not None
    return due


def capped_due(due: date | None, cap: date | None) -> date | None:
    """A node's due date under a cap a later event set: the earlier of the two. A clock stopped by a
    suspension (due None) stays stopped."""
    if cap is None or due is None:
        return due
    return min(due, cap)
