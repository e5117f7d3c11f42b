"""Reads for distribution plans: a plan with its claims and objections, which payout pays which line,
and the disputed amounts held while an objection suit runs (`held_lines`, for the case's reserved
breakdown)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from zhixing.cases.models import EnforcementCase

from .models import DistributionObjection, DistributionPlan, Payout

LIVE_PAYOUT = (
    Payout.Status.PROPOSED,
    Payout.Status.APPROVED,
    Payout.Status.SENDING,
    Payout.Status.PAID,
)


@dataclass(frozen=True)
class HeldLine:
    plan_id: int
    objection_id: int
    amount: Decimal
    reason: str  # Chinese, for the case's money page


def held_lines(case: EnforcementCase | int) -> list[HeldLine]:
    """The disputed amounts deposited (提存) while objection suits run on the case's plans
    (SPC-CPL-Interp 510 (2022) / 512)."""
    case_id = case if isinstance(case, int) else case.pk
    rows = DistributionObjection.objects.filter(
        plan__case_id=case_id, state=DistributionObjection.State.SUING, disputed__gt=0
    ).order_by("pk")
    return [
        HeldLine(
            o.plan_id,
            o.pk,
            o.disputed,
            f"分配方案#{o.plan_id}异议之诉（{o.suit_number}，{o.by_name}提起）期间提存争议金额",
        )
        for o in rows
    ]


def in_force(case_id: int) -> DistributionPlan | None:
    """The case's plan that payouts must follow: served and not yet amended or fully paid."""
    return (
        DistributionPlan.objects.filter(case_id=case_id)
        .exclude(
            status__in=(
                DistributionPlan.Status.DRAFT,
                DistributionPlan.Status.AMENDED,
                DistributionPlan.Status.PAID,
            )
        )
        .order_by("-pk")
        .first()
    )


def payable_lines(plan: DistributionPlan) -> list[tuple[int, dict[str, Any]]]:
    """(index, line) of the lines paid through a payout: a party of the case and a positive amount."""
    return [
        (i, ln)
        for i, ln in enumerate(plan.lines)
        if ln.get("party_id") and Decimal(str(ln.get("paid") or "0")) > 0
    ]


def line_payouts(plan: DistributionPlan) -> dict[int, Payout]:
    """Which live payout (proposed after the plan was made) pays which line: same party, same amount,
    first come first matched."""
    payouts = list(
        Payout.objects.filter(
            case_id=plan.case_id, status__in=LIVE_PAYOUT, proposed_at__gte=plan.created_at
        ).order_by("pk")
    )
    out: dict[int, Payout] = {}
    for i, ln in payable_lines(plan):
        amount = Decimal(str(ln["paid"]))
        for p in payouts:
            if p.party_id == ln["party_id"] and p.amount == amount and p not in out.values():
                out[i] = p
                break
    return out


def case_plans(case: EnforcementCase) -> list[DistributionPlan]:
    return list(DistributionPlan.objects.filter(case_id=case.pk).order_by("-pk"))


def plan_detail(plan_id: int) -> DistributionPlan | None:
    return (
        DistributionPlan.objects.select_related("case", "court", "previous")
        .prefetch_related(
            "claims__party",
            Prefetch(
                "objections",
                queryset=DistributionObjection.objects.select_related("claim").prefetch_related("counters"),
            ),
        )
        .filter(pk=plan_id)
        .first()
    )


# rule
def disputed_lines(case: EnforcementCase | int) -> list[HeldLine]:
    """The disputed amounts of objections still open on the case's plans — within the counter-objection
    period, or countered and within the objector's window to sue (SPC-CPL-Interp 509–510 (2022)): they
    may not be paid out until the objection is settled (once sued on, the amount is deposited (提存) and
    leaves the case account: `held_lines`)."""
    case_id = case if isinstance(case, int) else case.pk
    live = (DistributionObjection.State.OPEN, DistributionObjection.State.COUNTERED)
    rows = DistributionObjection.objects.filter(
        plan__case_id=case_id, state__in=live, disputed__gt=0
    ).order_by("pk")
    return [
        HeldLine(
            o.plan_id,
            o.pk,
            o.disputed,
            f"分配方案#{o.plan_id}异议（{o.by_name}提出，{o.get_state_display()}）的争议金额，异议处理完毕前不得发放",
        )
        for o in rows
    ]
