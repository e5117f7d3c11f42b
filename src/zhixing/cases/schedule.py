"""The performance schedule of a money case (履行明细): dated payments allocated to what the debtor owes,
with the doubled delay interest accruing day by day between them. Pure: no ORM, no clock.

Rules (rules.md §6.3, [L12] 迟延履行利息解释 2014):

* Art 1: the doubled part (加倍部分债务利息) = the unpaid money debt fixed by the instrument *other than
  general interest* (here: principal + litigation costs, the ``principal`` bucket) × 0.0175 %/day × days.
* Art 2: it runs from the day after the performance period expires.
* Art 3: the part paid stops accruing after the day of payment (the day itself still counts); the
  periods of Art 3(3) are excluded (`interest_exclusions`; callers pass only those as pauses).
* Art 4: payments go to the money debt fixed by the instrument first and to the doubled part last,
  "但当事人对清偿顺序另有约定的除外" — a recorded agreement gives another order.
* Within the money debt: enforcement costs (执行费用: the application fee and actual costs, borne by the
  debtor, 诉讼费用交纳办法 Art 38; taken first from proceeds, rules.md §7.2 order) before general interest
  before principal. The costs → interest → principal order is 民法典 Art 561 by analogy and is **not in
  rules.md** (UNCONFIRMED): it is the default of `settings.ZHIXING_CASES["payment_order"]`.

Running interest and instalments (issue 15 item 3):

* General interest adjudged "at an annual rate of r % on the unpaid principal from date A until paid"
  (一般债务利息, a running rate, not only a fixed figure): accrues day by day on the unpaid principal
  (the principal bucket less the litigation costs, which the default order pays first) at r / 100 /
  day basis (365 by default, `ZHIXING_CASES["interest_day_basis"]`: no rule in rules.md fixes the basis,
  UNCONFIRMED). It is not stopped by suspensions (Art 3(3) speaks only of the doubled part).
* Instalments (分期履行): 迟延履行利息解释 Art 2 — the doubled part of each instalment runs from the day
  after *that* instalment's deadline, so the base on a day is the part of the money debt already due,
  less what was paid to it. Only what is due may be enforced (执行工作规定 Art 16: the period fixed for
  performance has expired): ``not_due`` is the part of the principal bucket whose instalment has not
  yet expired on ``until``; ``enforceable_owed`` leaves it out. Without instalments ``not_due`` is 0:
  filing refuses a basis whose single period has not expired.

Amounts are exact: accrual is summed unrounded and the doubled part owed is rounded half-up to the fen
only when it is compared with money (`round_fen`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from zhixing.core.money import FEN, AmountError, round_fen

from .rules import DELAY_RATE, Pause, _Pauses

__all__ = [
    "LEGAL_ORDER",
    "Bucket",
    "RunningInterest",
    "Schedule",
    "ScheduleRow",
    "accelerate",
    "acceleration_day",
    "build_schedule",
    "parse_order",
]

ZERO = Decimal("0.00")


class Bucket(StrEnum):
    COSTS = "costs"  # 执行费用（申请执行费、实际支出费用）
    INTEREST = "interest"  # 一般债务利息
    PRINCIPAL = "principal"  # 本金及诉讼费用（加倍部分债务利息的计息基数）
    DOUBLED = "doubled"  # 加倍部分债务利息


BUCKET_LABELS = {
    Bucket.COSTS: "执行费用",
    Bucket.INTEREST: "一般债务利息",
    Bucket.PRINCIPAL: "本金",
    Bucket.DOUBLED: "加倍部分债务利息",
}

LEGAL_ORDER: tuple[Bucket, ...] = (Bucket.COSTS, Bucket.INTEREST, Bucket.PRINCIPAL, Bucket.DOUBLED)


def parse_order(text: str) -> tuple[Bucket, ...]:
    """An order written as "costs,interest,principal,doubled": each of the four exactly once."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    try:
        order = tuple(Bucket(p) for p in parts)
    except ValueError:
        raise ValueError(f"清偿顺序含未知项目：{text}") from None
    if sorted(order) != sorted(Bucket) or len(order) != len(Bucket):
        raise ValueError("清偿顺序须包含执行费用、一般债务利息、本金、加倍部分债务利息各一次")
    return order


def order_label(order: Sequence[Bucket]) -> str:
    return "→".join(BUCKET_LABELS[Bucket(b)] for b in order)


# rule
@dataclass(frozen=True)
class RunningInterest:
    """General interest at an annual rate (percent) on the unpaid principal from ``start`` (inclusive).

    ``cap`` is the part of the principal bucket that bears it (the adjudged principal, not the
    litigation costs); ``day_basis`` the days of a year the annual rate is divided by.
    """

    rate_percent: Decimal
    start: date
    cap: Decimal
    day_basis: int = 365

    def __post_init__(self) -> None:
        if not self.rate_percent.is_finite() or not Decimal(0) < self.rate_percent <= Decimal(100):
            raise AmountError("年利率须大于0且不超过100%")
        if self.day_basis not in (360, 365):
            raise ValueError("计息天数基准须为360或365")

    @property
    def daily(self) -> Decimal:
        return self.rate_percent / Decimal(100) / Decimal(self.day_basis)


@dataclass(frozen=True)
class ScheduleRow:
    """One payment: what it paid to each bucket and the balances right after it."""

    paid_on: date
    amount: Decimal
    days: int  # days of doubled-interest accrual counted since the previous row (paused days excluded)
    accrued: Decimal  # doubled interest accrued over those days, rounded to the fen for display
    paid: dict[Bucket, Decimal]
    surplus: Decimal  # the part of the payment nothing was owed for
    owed: dict[Bucket, Decimal]  # balances after the payment
    interest_accrued: Decimal = ZERO  # running general interest accrued since the previous row

    @property
    def total_owed(self) -> Decimal:
        return sum(self.owed.values(), ZERO)


@dataclass(frozen=True)
class Schedule:
    until: date
    order: tuple[Bucket, ...]
    rows: list[ScheduleRow] = field(default_factory=list)
    owed: dict[Bucket, Decimal] = field(default_factory=dict)  # balances as of `until`
    doubled_total: Decimal = ZERO  # doubled interest accrued from the start to `until` (paid or not)
    delay_days: int = 0  # days counted from the deadline to `until`, paused days excluded
    surplus: Decimal = ZERO  # paid beyond everything owed
    interest_total: Decimal = ZERO  # general interest: the fixed figure + running interest accrued
    running_total: Decimal = ZERO  # running general interest accrued from its start to `until`
    not_due: Decimal = ZERO  # principal-bucket money whose instalment has not expired on `until`
    accelerated_on: date | None = None  # the missed instalment's deadline that made the whole balance due

    @property
    def total_owed(self) -> Decimal:
        return sum(self.owed.values(), ZERO)

    @property
    def enforceable_owed(self) -> Decimal:
        """What may be enforced on `until`: everything owed but the instalments not yet due."""
        return self.total_owed - self.not_due

    @property
    def paid(self) -> dict[Bucket, Decimal]:
        out = dict.fromkeys(Bucket, ZERO)
        for r in self.rows:
            for b, v in r.paid.items():
                out[b] += v
        return out


def _check(value: Decimal, what: str) -> None:
    if not value.is_finite() or value < 0:
        raise AmountError(f"{what}不能为负数或非数值")


def build_schedule(
    *,
    principal: Decimal,
    interest: Decimal,
    costs: Decimal,
    deadline: date,
    until: date,
    payments: Sequence[tuple[date, Decimal]] = (),
    pauses: Sequence[Pause] = (),
    order: Sequence[Bucket] = LEGAL_ORDER,
    rate: Decimal = DELAY_RATE,
    running: RunningInterest | None = None,
    instalments: Sequence[tuple[date, Decimal]] = (),
    acceleration: bool = False,
    late_fee: Decimal = ZERO,
) -> Schedule:
    """Allocate dated `payments` (positive amounts) and accrue the doubled interest up to `until`.

    `principal` is the base of the doubled interest (money debt other than general interest, Art 1),
    `interest` the general interest adjudged as a fixed figure, `costs` the enforcement costs the
    debtor bears. `running`: general interest at an annual rate besides the fixed figure.
    `instalments`: (deadline, amount) of each instalment of the `principal` bucket (they must add up to
    it); empty = all of it due on `deadline`. `acceleration`: the instrument's clause that any missed
    instalment makes the whole balance due (`acceleration_day`). Payments after `until` are left out.
    `late_fee`: the 迟延履行金 of a non-money obligation (民诉解释 Art 505), owed in the principal
    bucket but no base of the doubled part (Art 1 counts only money debt the instrument fixed) nor of
    running interest; within the bucket it is paid last, after the interest-bearing debt (民法典 Art 560:
    the heavier burden first).
    Raises AmountError for a negative amount and ValueError for a bad order or instalments that do not
    add up.
    """
    _check(principal, "本金")
    _check(interest, "一般债务利息")
    _check(costs, "执行费用")
    _check(rate, "迟延履行利率")
    order = parse_order(",".join(order))
    for day, amount in payments:
        if not amount.is_finite() or amount <= 0:
            raise AmountError(f"{day.isoformat()}的还款金额须为正数")
    _check(late_fee, "迟延履行金")
    principal, interest, costs, late_fee = (v.quantize(FEN) for v in (principal, interest, costs, late_fee))
    payments = [(d, a.quantize(FEN)) for d, a in payments]
    for day, amount in instalments:
        if not amount.is_finite() or amount <= 0:
            raise AmountError(f"{day.isoformat()}到期的分期金额须为正数")
    dues = sorted((d, a.quantize(FEN)) for d, a in instalments) or [(deadline, principal)]
    if sum((a for _, a in dues), ZERO) != principal:
        raise ValueError("各期履行金额之和须等于本金及诉讼费用")
    accelerated_on = acceleration_day(dues, payments, until) if acceleration and instalments else None
    if accelerated_on is not None:
        dues = accelerate(dues, accelerated_on)
    merged = _Pauses(pauses)
    owed = {
        Bucket.COSTS: costs,
        Bucket.INTEREST: interest,
        Bucket.PRINCIPAL: principal + late_fee,
        Bucket.DOUBLED: ZERO,
    }
    accrued_raw = Decimal(0)  # unrounded doubled interest accrued so far
    running_raw = Decimal(0)  # unrounded running general interest accrued so far
    doubled_paid = ZERO
    interest_paid = ZERO
    cursor = dues[0][0]  # doubled accrual counted for days in (cursor, day]
    icursor = running.start - timedelta(days=1) if running else None  # running interest: (icursor, day]
    total_days = 0
    rows: list[ScheduleRow] = []
    surplus_total = ZERO

    def bearing() -> Decimal:
        """The unpaid part of the principal bucket that bears interest (the late fee is paid last)."""
        return max(owed[Bucket.PRINCIPAL] - late_fee, ZERO)

    # rule
    def due_through(day: date) -> Decimal:
        """Principal-bucket money whose instalment deadline is on or before `day`."""
        return sum((a for d, a in dues if d <= day), ZERO)

    def accrue_running(to: date) -> Decimal:
        nonlocal icursor, running_raw
        if running is None or icursor is None or to <= icursor:
            return Decimal(0)
        unpaid_principal = min(bearing(), running.cap)
        piece = unpaid_principal * running.daily * (to - icursor).days
        running_raw += piece
        icursor = to
        owed[Bucket.INTEREST] = max(interest + round_fen(running_raw) - interest_paid, ZERO)
        return piece

    def accrue(to: date) -> tuple[int, Decimal]:
        nonlocal cursor, accrued_raw, total_days
        if to <= cursor:
            return 0, Decimal(0)
        paid_principal = principal - bearing()
        days_total, piece = 0, Decimal(0)
        # Segments (a, b] split at each instalment deadline: day t bears the instalments due before t.
        points = [d for d, _ in dues if cursor < d < to] + [to]
        a = cursor
        for b in points:
            days = (b - a).days - merged.days(a, b)
            base = max(due_through(a) - paid_principal, ZERO)
            piece += base * rate * days
            days_total += days
            a = b
        accrued_raw += piece
        cursor = to
        total_days += days_total
        owed[Bucket.DOUBLED] = max(round_fen(accrued_raw) - doubled_paid, ZERO)
        return days_total, piece

    for day, amount in sorted(payments, key=lambda p: p[0]):
        if day > until:
            break
        ipiece = accrue_running(day)
        days, piece = accrue(day)
        left = amount
        paid = dict.fromkeys(Bucket, ZERO)
        for b in order:
            take = min(left, owed[b])
            paid[b] = take
            owed[b] -= take
            left -= take
        doubled_paid += paid[Bucket.DOUBLED]
        interest_paid += paid[Bucket.INTEREST]
        surplus_total += left
        rows.append(
            ScheduleRow(
                paid_on=day,
                amount=amount,
                days=days,
                accrued=round_fen(piece),
                paid=paid,
                surplus=left,
                owed=dict(owed),
                interest_accrued=round_fen(ipiece),
            )
        )
    accrue_running(until)
    accrue(until)
    # Not yet due: the instalments expiring on or after `until`, less what was paid beyond the due part.
    # Without instalments the whole debt is enforceable: filing already required the performance period
    # to have expired (执行工作规定 Art 16, `rules.performance_period_expired`).
    not_due = ZERO
    if instalments:
        not_due = min(bearing(), principal - due_through(until - timedelta(days=1)))
    return Schedule(
        until=until,
        order=order,
        rows=rows,
        owed=dict(owed),
        doubled_total=round_fen(accrued_raw),
        delay_days=total_days,
        surplus=surplus_total,
        interest_total=interest + round_fen(running_raw),
        running_total=round_fen(running_raw),
        not_due=max(not_due, ZERO),
        accelerated_on=accelerated_on,
    )


# rule
def acceleration_day(
    dues: Sequence[tuple[date, Decimal]], payments: Sequence[tuple[date, Decimal]], until: date
) -> date | None:
    """The deadline of the first instalment the debtor missed before `until`, when the instrument says any
    missed instalment makes the whole balance due (加速到期条款), or None.

    Missed: the payments made on or before that instalment's deadline fall short of the instalments due
    by it (the judgment's instalments are measured against what the debtor paid, not against how the
    legal order then allocated it). Its deadline must have passed on `until` (the instalment is missed
    the day after). The last instalment accelerates nothing: everything is due with it anyway.
    """
    ordered = sorted(dues)
    due = ZERO
    for day, amount in ordered[:-1]:
        if day >= until:
            break
        due += amount
        paid = sum((a for d, a in payments if d <= day), ZERO)
        if paid < due:
            return day
    return None


def accelerate(dues: Sequence[tuple[date, Decimal]], day: date) -> list[tuple[date, Decimal]]:
    """The instalments with every one after `day` falling due on `day` (the whole balance due then)."""
    kept = [(d, a) for d, a in sorted(dues) if d < day]
    rest = sum((a for d, a in dues if d >= day), ZERO)
    return [*kept, (day, rest)]
