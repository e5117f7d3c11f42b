"""Pure case-funds arithmetic: sub-account check digits, fee settlement, distribution, deadlines.

No ORM. Amounts are `Decimal` yuan with 2 places; every split is done in integer fen so it never
creates or loses a fen (largest-remainder method, ties to the earlier claim).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from zhixing.core.money import FEN
from zhixing.core.workdays import WorkCalendar

ZERO = Decimal("0.00")


# -- one case one account: ISO 7064 MOD 97-10 check digits ------------------------------------------


def check_digits(body: str) -> str:
    """Two ISO 7064 MOD 97-10 check digits for a numeric `body` (as in IBAN)."""
    if not (body.isascii() and body.isdigit()):
        raise ValueError("子账号主体只能包含数字")
    return f"{98 - int(body + '00') % 97:02d}"


# rule
def sub_account_number(prefix: str, case_id: int) -> str:
    """Prefix + 10-digit case id + 2 check digits, e.g. ``"880106" "0000000042" "xx"``."""
    body = f"{prefix}{case_id:010d}"
    return body + check_digits(body)


def parse_sub_account(number: str, prefix_len: int) -> tuple[str, int] | None:
    """(prefix, case id) of a well-formed sub-account number, or None when the check fails."""
    number = "".join(number.split())
    if not (number.isascii() and number.isdigit()) or len(number) != prefix_len + 12:
        return None
    # Compare the digits themselves, not only `int(number) % 97 == 1`: check digits are 02–98, and
    # "00"/"01" pass the remainder test wherever the right digits are "97"/"98" (ISO 7064 MOD 97-10).
    if check_digits(number[:-2]) != number[-2:]:
        return None
    return number[:prefix_len], int(number[prefix_len:-2])


# -- fees and costs settled before the applicant is paid --------------------------------------------


@dataclass(frozen=True)
class Settlement:
    costs: Decimal
    fee: Decimal
    available: Decimal


def settle(balance: Decimal, costs_due: Decimal, fee_due: Decimal) -> Settlement:
    """Actual costs first, then the application fee, from the case balance; the rest is payable."""
    if balance < 0 or costs_due < 0 or fee_due < 0:
        raise ValueError("金额不能为负数")
    costs = min(balance, costs_due)
    fee = min(balance - costs, fee_due)
    return Settlement(costs=costs, fee=fee, available=balance - costs - fee)


# -- distribution (财产分配方案), rules.md §7.2 --------------------------------------------------------


def largest_remainder(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights`, to the fen, summing exactly to `total`.

    Each share is floored to the fen; the fen left over go one each to the largest remainders (ties to
    the earlier weight). With ``total <= sum(weights)`` no share exceeds its weight.
    """
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("金额不能为负数")
    t = int((total / FEN).to_integral_exact())
    ws = [int((w / FEN).to_integral_exact()) for w in weights]
    s = sum(ws)
    if s == 0:
        if t:
            raise ValueError("权重全为零时无法分配")
        return [ZERO for _ in ws]
    floors = [t * w // s for w in ws]
    rems = [t * w % s for w in ws]
    left = t - sum(floors)
    order = sorted(range(len(ws)), key=lambda i: (-rems[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(f) * FEN).quantize(FEN) for f in floors]


@dataclass(frozen=True)
class Claim:
    ref: str
    amount: Decimal
    priority: bool = False  # mortgage, pledge, lien (优先受偿)
    priority_date: date | None = None  # date the security interest was created
    seized_on: date | None = None  # preservation/seizure date (enterprise debtors)


@dataclass(frozen=True)
class Share:
    ref: str
    claimed: Decimal
    paid: Decimal
    rank: str  # "priority" | "ordinary"


@dataclass(frozen=True)
class Distribution:
    costs: Decimal
    shares: list[Share] = field(default_factory=list)
    surplus: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.costs + sum((s.paid for s in self.shares), ZERO) + self.surplus


def distribute(
    proceeds: Decimal, costs: Decimal, claims: Sequence[Claim], enterprise_debtor: bool
) -> Distribution:
    """Costs first, then priority claims by their dates, then ordinary claims.

    Ordinary claims share pro rata for a natural-person (or other-organisation) debtor
    (SPC-CPL-Interp 508); for an enterprise legal person they are paid in order of seizure date (516).
    Whatever is left (surplus) goes back to the debtor. The parts always add up to `proceeds`.
    """
    if proceeds < 0 or costs < 0 or any(c.amount < 0 for c in claims):
        raise ValueError("金额不能为负数")
    paid_costs = min(proceeds, costs)
    left = proceeds - paid_costs
    shares: dict[str, Share] = {}
    far = date.max
    for c in sorted((c for c in claims if c.priority), key=lambda c: c.priority_date or far):
        pay = min(left, c.amount)
        left -= pay
        shares[c.ref] = Share(c.ref, c.amount, pay, "priority")
    ordinary = [c for c in claims if not c.priority]
    need = sum((c.amount for c in ordinary), ZERO)
    if left >= need:
        pays = [c.amount for c in ordinary]
    elif enterprise_debtor:
        pays = []
        rest = left
        by_date = sorted(range(len(ordinary)), key=lambda i: (ordinary[i].seized_on or far, i))
        alloc = {}
        for i in by_date:
            alloc[i] = min(rest, ordinary[i].amount)
            rest -= alloc[i]
        pays = [alloc[i] for i in range(len(ordinary))]
    else:
        pays = largest_remainder(left, [c.amount for c in ordinary])
    for c, pay in zip(ordinary, pays, strict=True):
        shares[c.ref] = Share(c.ref, c.amount, pay, "ordinary")
    left -= sum(pays, ZERO)
    return Distribution(costs=paid_costs, shares=[shares[c.ref] for c in claims], surplus=left)


# -- deadlines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayoutLimit:
    """How long after money arrives it must be paid out: calendar days (SPC: 30) or working days."""

    days: int = 30
    workdays: bool = False


def payout_due(arrived_on: date, limit: PayoutLimit, cal: WorkCalendar) -> date:
    if limit.workdays:
        return cal.add_workdays(arrived_on, limit.days)
    return arrived_on + timedelta(days=limit.days)


# rule
def claim_due(value_date: date, workdays: int, cal: WorkCalendar) -> date:
    """Last day to claim or return an unidentified receipt (default 3 working days)."""
    return cal.add_workdays(value_date, workdays)


# -- cash (现金) handled at the court: 执行款物管理工作的规定（试行）法发〔2006〕11号 ------------------------

CASH_MIN_OFFICERS = 2  # cash is received and handled by at least two officers
CASH_HANDOVER_WORKDAYS = 1  # and handed over to the finance department within one working day


# rule
def cash_handling_refusal(officer_ids: Sequence[int]) -> str | None:
    """Why cash may not be received this way, or None: it needs at least two different officers present
    (2006 执行款物管理规定). The platform takes bank transfers only; a cash desk must call this."""
    if len(set(officer_ids)) < CASH_MIN_OFFICERS:
        return f"收取现金须有{CASH_MIN_OFFICERS}名以上执行人员在场经手（执行款物管理工作的规定）"
    return None


def cash_handover_due(received_on: date, cal: WorkCalendar) -> date:
    """The last day to hand cash received on `received_on` to the finance department: within one working
    day (the next working day; a receipt on a rest day counts from the next working day)."""
    return cal.add_workdays(received_on, CASH_HANDOVER_WORKDAYS)


def warning_level(due: date | None, today: date, cal: WorkCalendar, yellow_workdays: int = 2) -> str:
    """ "red" when overdue, "yellow" within `yellow_workdays` working days, else "green"."""
    if due is None:
        return "green"
    if today > due:
        return "red"
    if cal.workdays_between(today, due) <= yellow_workdays:
        return "yellow"
    return "green"


def value_date_window(
    business_date: date, cal: WorkCalendar, *, ahead_workdays: int, max_age_days: int
) -> tuple[date, date]:
    """The earliest and latest value date (起息日) a bank notice sent on `business_date` may carry.

    A transfer the bank receives after its cut-off is value-dated on a later working day, so the
    latest is the `ahead_workdays`-th working day after the business date (over a weekend or a
    holiday week that is further away in calendar days); anything later is a bank error or a forgery.
    The earliest is `max_age_days` calendar days back (a notice re-delivered after a long outage).
    """
    latest = cal.add_workdays(business_date, ahead_workdays) if ahead_workdays > 0 else business_date
    return business_date - timedelta(days=max(max_age_days, 0)), latest


def retry_delay_seconds(attempt: int, base: int, cap: int) -> int:
    """Wait before retry number `attempt` (1-based) of a bank call: base·2^(attempt−1), capped."""
    return int(min(cap, base * 2 ** max(attempt - 1, 0)))
