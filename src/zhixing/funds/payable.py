"""What a case can pay out now (可发金额), as one breakdown the page, the API and `propose` share.

    payable = case balance − Σ reserved lines   (never below 0)

The case balance is the case account's ledger balance: receipts in, minus what already left it (fees
settled, costs booked, amounts held 提存, payouts sent or paid). The reserved lines are money still on
the case account that may not be paid out yet, each with its reason:

* the application fee not yet settled (诉讼费用交纳办法 Arts 14(1), 20(2), 38: paid after execution,
  borne by the debtor — the court settles it from the case money before paying the applicant);
* every payout already proposed or approved but not yet sent (sending reserves it in the ledger),
  rewards (悬赏金) included — deposit refunds are not case money and never count;
* for a refund to the debtor, what the applicants are still owed (执行工作规定 Art 34: only a surplus
  goes back);
* whatever another part of the funds domain holds (payout clocks, distribution plans…): they add
  their lines with `register_reserver(fn)` (``fn(case, purpose) -> iterable of Reserved``), typically
  in their AppConfig.ready, and `propose` then refuses more than the same `payable` number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhixing.cases.models import EnforcementCase

from .models import AccountKind, LedgerAccount, Payout
from .services.fees import claim_outstanding, outstanding_fee

ZERO = Decimal("0.00")
UNRESERVED = (Payout.Status.PROPOSED, Payout.Status.APPROVED)
APPLICANT = Payout.Purpose.APPLICANT
REFUND = Payout.Purpose.REFUND


@dataclass(frozen=True)
class Reserved:
    """One amount on the case account that may not be paid out now, and why."""

    code: str  # "fee", "payout", "claim", or the code a registered reserver chooses
    reason: str  # Chinese, shown on the page
    amount: Decimal
    ref: str = ""  # e.g. "payout:12"


@dataclass(frozen=True)
class Breakdown:
    balance: Decimal
    reserved: list[Reserved] = field(default_factory=list)
    purpose: str = APPLICANT

    @property
    def reserved_total(self) -> Decimal:
        return sum((r.amount for r in self.reserved), ZERO)

    @property
    def payable(self) -> Decimal:
        return max(self.balance - self.reserved_total, ZERO)


Reserver = Callable[[EnforcementCase, str], Iterable[Reserved]]
_reservers: dict[str, Reserver] = {}


def register_reserver(name: str, fn: Reserver) -> None:
    """Add a source of reserved lines (idempotent by `name`)."""
    _reservers[name] = fn


def unregister_reserver(name: str) -> None:
    _reservers.pop(name, None)


def case_balance(case_id: int) -> Decimal:
    row = list(
        LedgerAccount.objects.filter(kind=AccountKind.CASE, case_id=case_id).values_list(
            "balance", flat=True
        )[:1]
    )
    return -row[0] if row else ZERO


def _open_payouts(case: EnforcementCase, exclude: int | None) -> list[Reserved]:
    # A deposit refund is the bidder's money in the auction-deposit account, not the case's.
    qs = (
        Payout.objects.filter(case_id=case.pk, status__in=UNRESERVED)
        .exclude(purpose=Payout.Purpose.DEPOSIT)
        .order_by("pk")
    )
    if exclude:
        qs = qs.exclude(pk=exclude)
    out = []
    for pk, amount, status, step, chain, purpose in qs.values_list(
        "pk", "amount", "status", "step", "chain", "purpose"
    ):
        what = Payout.Purpose(purpose).label
        if status == Payout.Status.PROPOSED:
            state = f"审批中，已完成{step}/{len(chain)}级"
        else:
            state = "已审批待发送银行"
        out.append(Reserved("payout", f"发款#{pk}（{what}，{state}）", Decimal(amount), f"payout:{pk}"))
    return out


def payable_breakdown(
    case: EnforcementCase, purpose: str = APPLICANT, *, exclude_payout: int | None = None
) -> Breakdown:
    """The case's balance and every reserved line for a payout of `purpose` (applicant or refund)."""
    lines: list[Reserved] = []
    fee = outstanding_fee(case)
    if fee > 0:
        lines.append(
            Reserved(
                "fee",
                "待结算的申请执行费（发款前先从案款中结算，由被执行人负担；《诉讼费用交纳办法》第十四条、第二十条、第三十八条）",
                fee,
                "fee",
            )
        )
    lines.extend(_open_payouts(case, exclude_payout))
    if purpose == REFUND:
        owed = claim_outstanding(case)
        if owed > 0:
            lines.append(
                Reserved(
                    "claim",
                    "申请执行人尚未受偿的债权（只有清偿后的剩余款项才能退还被执行人；《执行工作规定》第34条）",
                    owed,
                    "claim",
                )
            )
    for fn in list(_reservers.values()):
        lines.extend(r for r in fn(case, purpose) if r.amount > 0)
    return Breakdown(balance=case_balance(case.pk), reserved=lines, purpose=purpose)


def payable(case: EnforcementCase, purpose: str = APPLICANT) -> Decimal:
    return payable_breakdown(case, purpose).payable


def breakdown_dict(b: Breakdown) -> dict[str, Any]:
    """The breakdown as the API returns it (amounts as strings)."""
    return {
        "purpose": b.purpose,
        "balance": str(b.balance),
        "reserved": [
            {"code": r.code, "reason": r.reason, "amount": str(r.amount), "ref": r.ref} for r in b.reserved
        ],
        "reserved_total": str(b.reserved_total),
        "payable": str(b.payable),
    }
