"""Pure rules of objections: the statutory clocks and when a third-party objection blocks disposal.

No ORM. Periods in days follow CPL Art 85: the day the period starts is not counted, and a period whose
last day is a statutory holiday ends on the next working day (`cases.rules.compute_deadline`, DAYS with
the holiday roll). The calendar is passed in, so every clock is testable around any holiday table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from zhixing.cases.rules import Unit, compute_deadline
from zhixing.core.workdays import WorkCalendar

# rule
DECISION_DAYS = 15  # CPL-2023 Arts 236, 238: the court reviews a written objection within 15 days of receipt
# rule
SUIT_DAYS = 15  # CPL-2023 Art 238: the losing side may sue within 15 days of the ruling's service
REVIEW_FILING_DAYS = 10  # CPL-2023 Art 236: 复议 to the next-higher court within 10 days of service
NOTIFY_DAYS = 3  # 执行异议复议规定 Art 2: parties told within 3 days of filing


def _days(start: date, n: int, calendar: WorkCalendar) -> date:
    due = compute_deadline(start, n, Unit.DAYS, calendar).due
    assert due is not None  # no pauses are passed, so a date is always given
    return due


def decision_due(received_on: date, calendar: WorkCalendar) -> date:
    """Last day to decide an objection received on `received_on` (CPL-2023 Arts 236, 238: 15 days)."""
    return _days(received_on, DECISION_DAYS, calendar)


def notify_due(filed_on: date, calendar: WorkCalendar) -> date:
    """Last day to tell the objector and the parties of the filing (执行异议复议规定 Art 2: 3 days)."""
    return _days(filed_on, NOTIFY_DAYS, calendar)


def suit_due(served_on: date, calendar: WorkCalendar) -> date:
    """Last day of the window to sue after a third-party objection's ruling is served (CPL-2023 Art 238)."""
    return _days(served_on, SUIT_DAYS, calendar)


def review_filing_due(served_on: date, calendar: WorkCalendar) -> date:
    """Last day to apply for 复议 of an act objection's ruling served on `served_on` (CPL-2023 Art 236)."""
    return _days(served_on, REVIEW_FILING_DAYS, calendar)


# rule
def retrial_filing_due(served_on: date, months: int, calendar: WorkCalendar) -> date:
    """Last day for an objector to apply for retrial (再审) of the original judgment after a third-party
    objection's ruling served on `served_on`: `months` months (民诉解释 2022 numbering Art 421: six
    months from the ruling's service — to be confirmed, so the caller passes the configured length)."""
    due = compute_deadline(served_on, months, Unit.MONTHS, calendar).due
    assert due is not None
    return due


def review_decision_due(review_received_on: date, days: int, calendar: WorkCalendar) -> date:
    """Last day the higher court decides a 复议 of `days` days (the caller passes the configured length)."""
    return _days(review_received_on, days, calendar)


# rule
def ruling_service_due(decided_on: date, days: int, calendar: WorkCalendar) -> date:
    """Last day to serve a ruling made on `decided_on` when the platform allows `days` days (the caller
    passes the configured length: rules.md gives no figure)."""
    return _days(decided_on, days, calendar)


@dataclass(frozen=True)
class BlockFacts:
    """What the disposal guard needs of one third-party objection."""

    status: str  # pending / upheld / rejected / withdrawn
    served_on: date | None  # the ruling's service on the objector
    suit_due: date | None
    suit_state: str  # "" none, "pending" a suit is pending, "ended" the suit is over
    number: str = ""
    retrial_state: str = ""  # "" none, "pending" under review, "dismissed", "granted" (retrial ordered)


PENDING, UPHELD, REJECTED, WITHDRAWN = "pending", "upheld", "rejected", "withdrawn"


# rule
def block_reason(f: BlockFacts, today: date, *, retrial_blocks: bool = True) -> str:
    """Why this objection forbids disposal of its asset today ("" = it does not).

    * pending: the objection is under review (the issue's rule: disposal stops at once);
    * a suit pending (案外人执行异议之诉 or 许可执行之诉): the asset may not be disposed of while it is tried
      (民诉解释 2015/2020 numbering Art 315);
    * rejected: while the objector's 15-day window to sue runs (from service; not yet served = not yet
      running, still blocked) — it runs out at the end of `suit_due`;
    * upheld: enforcement against the asset is suspended (CPL-2023 Art 238), blocked until the asset is
      released or a suit says otherwise;
    * a retrial application pending instead of a suit (依照审判监督程序办理, CPL-2023 Art 238): blocked as
      while a suit is pending (R-0.17; `retrial_blocks`, configuration: CPL-2023 Art 210 says an
      application alone does not stop enforcement); retrial ordered: the original judgment's enforcement
      is suspended (CPL-2023 Art 217), blocked; dismissed: as a suit ended, no block from this objection;
    * withdrawn, or a suit ended: no block from this objection.
    """
    label = f"案外人异议{f.number}" if f.number else "案外人异议"
    if f.suit_state == "pending":
        return f"{label}引起的执行异议之诉正在审理，不得处分该财产"
    # rule
    if f.retrial_state == "pending" and retrial_blocks:
        return f"{label}裁定后已申请再审（审判监督程序），再审审查期间不得处分该财产"
    if f.retrial_state == "granted":
        return f"{label}所涉原判决、裁定已裁定再审，中止对该财产的执行"
    if f.suit_state == "ended" or f.retrial_state == "dismissed" or f.status == WITHDRAWN:
        return ""
    if f.status == PENDING:
        return f"{label}正在审查，不得处分该财产"
    if f.status == UPHELD:
        return f"{label}成立，已中止对该财产的执行"
    if f.status == REJECTED:
        if f.served_on is None or f.suit_due is None:
            return f"{label}已裁定驳回但裁定尚未送达，起诉期间尚未起算，不得处分该财产"
        if today <= f.suit_due:
            due = f.suit_due.isoformat()
            return f"{label}已裁定驳回，案外人可在{due}前（含当日）提起执行异议之诉，期间内不得处分该财产"
    return ""


# rule
def final_on(f: BlockFacts, today: date) -> date | None:
    """The day a served ruling on a third-party objection became final because nobody sued within the
    window (the day after `suit_due`), once `today` is past it; None while the window runs, before
    service, or when a suit was filed (its end decides instead).

    Rejected: the cause of a lot's suspension ended (网拍规定 Art 28: resume). Upheld: the applicant did
    not sue, the measures on the asset are released (民诉解释 2015 numbering Art 314(2), to be confirmed).
    """
    if f.status not in (UPHELD, REJECTED) or f.suit_state or f.retrial_state:
        return None
    if f.served_on is None or f.suit_due is None:
        return None
    if today <= f.suit_due:
        return None
    return f.suit_due + timedelta(days=1)
