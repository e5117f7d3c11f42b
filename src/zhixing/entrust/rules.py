"""Entrustment rules (pure): who may be entrusted with what, and the clocks (rules.md §9).

* Whole case (委托执行, 委托执行规定 Arts 1, 14): only to a court in ANOTHER province-level area; within the
  province the HPC's own rules govern, so the platform refuses it. The delegating court cancels (销案) its
  case once the delegate files (Art 2); controls with less than one month left are renewed first (Art 6).
* Single matter (执行事项委托, Art 2; through the command centre's platform, Art 4): inquiry, freeze,
  seizure, investigation, service — to any other existing court, never oneself.
* Clocks (CPL-2023 Art 240): the delegate starts within 15 days of receiving the letter and reports the
  result, or its progress if not done within 30 days. Periods in days per CPL Art 85 (the day of receipt
  not counted; a last day on a holiday rolls to the next working day).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from zhixing.core.workdays import WorkCalendar

START_DAYS = 15
REPORT_DAYS = 30
RENEW_BEFORE_MONTHS = 1  # 委托执行规定 Art 6(3): less than one month left → renew before transfer
# The seeds: 170,000 cross-court entrustments saved 680,000 person-trips — four per matter handled.
TRIPS_PER_MATTER = 4


class Kind(StrEnum):
    CASE = "case"
    MATTER = "matter"


class Matter(StrEnum):
    INQUIRY = "inquiry"
    FREEZE = "freeze"
    SEIZURE = "seizure"
    INVESTIGATION = "investigation"
    SERVICE = "service"


MATTER_LABELS: dict[Matter, str] = {
    Matter.INQUIRY: "查询",
    Matter.FREEZE: "冻结",
    Matter.SEIZURE: "查封、扣押",
    Matter.INVESTIGATION: "调查",
    Matter.SERVICE: "送达",
}


class EntrustError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def province_of(court_code: str) -> str:
    """The province-level area of a court: the first character of its 法院代字 (粤0106 → 粤); the SPC
    (最高法) belongs to none."""
    code = (court_code or "").strip()
    return "" if not code or code.startswith("最高") else code[0]


# rule
def check_target(kind: str, from_code: str, to_code: str | None, matter: str = "") -> None:
    """Raise EntrustError naming the field: unknown kind or matter, no such court, oneself, or a whole
    case entrusted within the province."""
    try:
        k = Kind(kind)
    except ValueError:
        raise EntrustError("请选择委托类型（整案委托或事项委托）", "kind") from None
    if to_code is None:
        raise EntrustError("受托法院不存在，请从法院列表中选择", "to_court")
    if to_code == from_code:
        raise EntrustError("不能委托本院办理", "to_court")
    if k is Kind.MATTER:
        if matter not in Matter.__members__.values():
            raise EntrustError("请选择委托事项（查询、冻结、查封扣押、调查、送达）", "matter")
        return
    if not province_of(to_code):
        raise EntrustError("整案委托的受托法院应为被执行人财产所在地的同级法院", "to_court")
    if province_of(to_code) == province_of(from_code):
        raise EntrustError(
            "整案委托执行只能委托其他省、自治区、直辖市的法院（委托执行规定第一条、第十四条）；"
            "省内委托按高级人民法院的规定办理",
            "to_court",
        )


# rule
def start_by(received_on: date, calendar: WorkCalendar) -> date:
    """Last day for the delegate to start (15 days from receipt, CPL-2023 Art 240)."""
    return _days(received_on, START_DAYS, calendar)


# rule
def report_by(received_on: date, calendar: WorkCalendar) -> date:
    """Last day to report the result, or the progress if not done (30 days from receipt)."""
    return _days(received_on, REPORT_DAYS, calendar)


def _days(start: date, n: int, calendar: WorkCalendar) -> date:
    d = start + timedelta(days=n)
    while not calendar.is_workday(d):
        d += timedelta(days=1)
    return d


# rule
def renew_first(expires_on: date, today: date) -> bool:
    """A control expiring within one month of `today` is renewed before the case is transferred."""
    return expires_on < _one_month_after(today)


def _one_month_after(d: date) -> date:
    y, m = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def clock_state(due: date, done_on: date | None, today: date) -> str:
    """'met' (done by the day), 'late' (done after), 'overdue' (not done, day passed), 'running'."""
    if done_on is not None:
        return "met" if done_on <= due else "late"
    return "overdue" if today > due else "running"


def trips_saved(handled: int) -> int:
    return handled * TRIPS_PER_MATTER
