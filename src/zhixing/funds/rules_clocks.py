"""Pure payout-clock arithmetic: each receipt's payout deadline, paused by lawful holds (no ORM).

rules.md §7.1: within **30 days** of the finance department's notice that funds arrived, the officer
must settle costs, notify the applicant and pay out (法发〔2017〕6号; article number UNCONFIRMED, a court
rule mirroring it is the source). The period is counted like every statutory period: the arrival day
itself is not counted, so money arriving 2026-03-09 is due 2026-04-08. Calendar days by default;
`PayoutLimit.workdays` (configuration) counts working days instead.

Permitted delays (需要分配, money disputed or frozen in another case, payee cannot be reached → 提存,
suspension) and "pay within 10 days after the cause ends" are UNCONFIRMED in rules.md §7.1, so the
reasons are data (`DEFAULT_REASONS`, extendable in settings) and the follow-up period and how it combines
with the days left are configuration (`FollowUp`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zhixing.core.workdays import WorkCalendar

from .rules import PayoutLimit, payout_due

ZERO = Decimal("0.00")


# -- the lawful reasons to hold money longer -------------------------------------------------------


@dataclass(frozen=True)
class HoldReason:
    code: str
    label: str
    article: str  # the provision, as rules.md cites it
    section: str  # rules.md section
    whole_case: bool  # True: holds all the case's money (and money arriving while it lasts)
    automatic: bool = False  # placed and lifted by an event, not by hand


_PERMITTED = "执行款物管理规定（法发〔2017〕6号）暂缓发放情形（条文号待核实）"

DEFAULT_REASONS: tuple[HoldReason, ...] = (
    HoldReason(
        "distribution",
        "需要参与分配",
        f"{_PERMITTED}；参与分配：民诉法解释第508条（2022）/第510条（2015/2020）",
        "§7.1, §7.2",
        whole_case=True,
    ),
    HoldReason(
        "disputed",
        "款项存在争议",
        f"{_PERMITTED}；分配方案异议之诉期间争议款提存：民诉法解释第510条（2022）、执行程序解释第18条",
        "§7.1, §7.2",
        whole_case=False,
    ),
    HoldReason(
        "frozen_elsewhere",
        "款项被其他案件冻结",
        _PERMITTED,
        "§7.1",
        whole_case=False,
    ),
    HoldReason(
        "unreachable",
        "收款人无法联系（提存）",
        f"{_PERMITTED}：申请执行人不领取或无法联系的，依法提存",
        "§7.1",
        whole_case=False,
    ),
    HoldReason(
        "suspended",
        "中止执行",
        f"民事诉讼法第267条（2023）/第263条（2021）；{_PERMITTED}",
        "§2.3, §7.1",
        whole_case=True,
        automatic=True,
    ),
)


def reason_table(overrides: Iterable[dict[str, object]] = ()) -> dict[str, HoldReason]:
    """The default reasons with the configured ones added or replacing a default of the same code.

    Each override is a dict with `code`, `label`, `article` and optionally `section`, `whole_case`;
    a bad one raises ValueError naming it (settings are checked at start, never silently dropped).
    """
    table = {r.code: r for r in DEFAULT_REASONS}
    for i, raw in enumerate(overrides):
        code, label, article = (str(raw.get(k) or "").strip() for k in ("code", "label", "article"))
        if not code or not label or not article:
            raise ValueError(f"FUNDS_HOLD_REASONS 第{i + 1}项须有 code、label 和 article（法律依据）")
        if code == "suspended":
            raise ValueError("FUNDS_HOLD_REASONS 不能改写中止执行（suspended）：它由案件中止自动设置")
        table[code] = HoldReason(
            code,
            label,
            article,
            str(raw.get("section") or "§7.1"),
            whole_case=bool(raw.get("whole_case", False)),
        )
    return table


# -- follow-up after a hold ends --------------------------------------------------------------------

RESUME_MODES = ("later", "remaining", "followup")


@dataclass(frozen=True)
class FollowUp:
    """After a hold ends: `days` of follow-up (calendar or working days) and how they combine.

    mode "remaining": the clock runs on with the days it had left when the hold began;
    "followup": the follow-up period replaces them; "later" (default): whichever ends later, so a
    hold never shortens the time left and money held past its deadline still gets the follow-up period.
    """

    days: int = 10
    workdays: bool = False
    mode: str = "later"

    def __post_init__(self) -> None:
        if self.mode not in RESUME_MODES:
            raise ValueError(f"发款期限恢复方式须为 {'/'.join(RESUME_MODES)}")
        if self.days < 0:
            raise ValueError("暂缓发放原因消除后的发放期限不能为负数")


def _add(d: date, n: int, workdays: bool, cal: WorkCalendar) -> date:
    if n <= 0:
        return d
    return cal.add_workdays(d, n) if workdays else d + timedelta(days=n)


def _left(start: date, due: date, workdays: bool, cal: WorkCalendar) -> int:
    """Days (or working days) the clock still had at `start`: those in (start, due]; never negative."""
    if due <= start:
        return 0
    return cal.workdays_between(start, due) if workdays else (due - start).days


# rule
def followup_due(ended_on: date, follow: FollowUp, cal: WorkCalendar) -> date:
    """The last day to pay after a hold that ended on `ended_on`."""
    return _add(ended_on, follow.days, follow.workdays, cal)


# -- one clock --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    start: date
    end: date | None  # None: the hold has not ended


def merge_pauses(pauses: Iterable[Pause], after: date) -> list[Pause]:
    """Pauses clipped to start no earlier than `after` (the arrival), overlapping ones merged, sorted."""
    clipped = sorted(
        (Pause(max(p.start, after), p.end) for p in pauses if p.end is None or p.end >= after),
        key=lambda p: p.start,
    )
    out: list[Pause] = []
    for p in clipped:
        if out and (out[-1].end is None or p.start <= out[-1].end):
            last = out[-1]
            end = None if last.end is None or p.end is None else max(last.end, p.end)
            out[-1] = Pause(last.start, end)
        else:
            out.append(p)
    return out


@dataclass(frozen=True)
class ClockDue:
    due: date | None  # None while paused (a hold has not ended)
    paused_since: date | None = None
    days_left_at_pause: int | None = None  # days the clock had left when the open pause began


def clock_due(
    arrived_on: date,
    limit: PayoutLimit,
    pauses: Sequence[Pause],
    follow: FollowUp,
    cal: WorkCalendar,
) -> ClockDue:
    """The deadline of money that arrived on `arrived_on`, given the holds that paused it.

    Without pauses: `rules.payout_due`. Each (merged) pause stops the clock from its start; when it
    ends the clock resumes with the days it had left, or with the follow-up period, as `follow` says.
    A pause that starts after the deadline has passed still gives the follow-up period after it ends
    (the money was overdue before; the scan recorded that), with no days left to resume.
    """
    due = payout_due(arrived_on, limit, cal)
    for p in merge_pauses(pauses, arrived_on):
        left = _left(p.start, due, limit.workdays, cal)
        if p.end is None:
            return ClockDue(None, p.start, left)
        resumed = _add(p.end, left, limit.workdays, cal)
        fu = followup_due(p.end, follow, cal)
        if follow.mode == "remaining":
            due = resumed
        elif follow.mode == "followup":
            due = fu
        else:
            due = max(resumed, fu)
    return ClockDue(due)


def clock_color(due: date | None, today: date, cal: WorkCalendar, soon_workdays: int) -> str:
    """ "paused" while held, "red" overdue, "yellow" due within `soon_workdays` working days, "green"."""
    if due is None:
        return "paused"
    if today > due:
        return "red"
    if cal.workdays_between(today, due) <= soon_workdays:
        return "yellow"
    return "green"


def days_overdue(due: date | None, today: date) -> int:
    return max((today - due).days, 0) if due else 0


# -- settling clocks: oldest first ------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A clock as settlement sees it: its id, amount, arrival order key and whether a hold covers it."""

    ref: int
    amount: Decimal
    order: tuple[date, int]
    held: bool = False


def allocate_open(slots: Sequence[Slot], balance: Decimal) -> dict[int, Decimal]:
    """How much of each clock's money is still on the case account, given the account's balance.

    Money leaves oldest first (FIFO): what is left is the newest money. Held clocks are the last to be
    settled — money paid while a hold lasts is the money the hold does not cover — so the balance is
    given first to the held clocks, then to the others, newest first within each group. Balance beyond
    every clock (money with no clock yet) is ignored; a negative balance settles everything.
    """
    left = max(balance, ZERO)
    out: dict[int, Decimal] = {}
    for group in (True, False):
        for s in sorted((s for s in slots if s.held == group), key=lambda s: s.order, reverse=True):
            take = min(s.amount, left)
            out[s.ref] = take
            left -= take
    return out


@dataclass(frozen=True)
class Cover:
    """The clocks a hold pauses whole, and at most one it pauses in part: (clock, amount to split off)."""

    whole: list[int]
    split: tuple[int, Decimal] | None = None


def cover(slots: Sequence[Slot], amount: Decimal | None) -> Cover:
    """What a hold of `amount` pauses: every clock for a whole-case hold (None), else the oldest open
    money up to exactly the amount — the clock it ends in is split, so the rest of it keeps running."""
    ordered = sorted(slots, key=lambda s: s.order)
    if amount is None:
        return Cover([s.ref for s in ordered])
    out: list[int] = []
    need = amount
    for s in ordered:
        if need <= 0 or s.amount <= 0:
            if need <= 0:
                break
            continue
        if s.amount <= need:
            out.append(s.ref)
            need -= s.amount
        else:
            return Cover(out, (s.ref, need))
    return Cover(out)
