"""The computed shares of a distribution plan: its claims as the pure allocation's input, the
allocation, and the stored lines (the surplus to the debtor last)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhixing.cases import queries as case_queries
from zhixing.cases.models import EnforcementCase, Party

from .. import distribution_rules as dr
from ..models import DistributionClaim, DistributionPlan


def _debtor(case: EnforcementCase) -> Party | None:
    return next((p for p in case_queries.case_parties(case) if p.role == Party.Role.DEBTOR), None)


def _plan_debtor(plan: DistributionPlan) -> Party | None:
    """The debtor whose property the plan distributes (plans before issue 15: the case's first)."""
    return plan.debtor if plan.debtor_id else _debtor(plan.case)


def claim_inputs(
    claims: list[DistributionClaim], amounts: dict[int, Decimal] | None = None, case_basis: str = ""
) -> list[dr.ClaimIn]:
    """The claims for the pure allocation; each names its instrument (the case's own for its parties)."""
    amounts = amounts or {}
    return [
        dr.ClaimIn(
            ref=str(c.pk),
            kind=c.kind,
            amount=amounts.get(c.pk, c.amount),
            rank=c.rank,
            security_date=c.security_date,
            seized_on=c.seized_on,
            instrument=(c.basis or (case_basis if c.party_id else "")).strip(),
        )
        for c in claims
    ]


def allocation(plan: DistributionPlan, amounts: dict[int, Decimal] | None = None) -> dr.Allocation:
    return dr.allocate(
        plan.proceeds,
        plan.costs,
        claim_inputs(list(plan.claims.all()), amounts, plan.case.basis_number),
        enterprise_debtor=not dr.pro_rata(plan.debtor_kind or dr.PERSON),
    )


def recompute(plan: DistributionPlan) -> None:
    """Store the shares of the plan's claims (and the surplus to the debtor) in `lines`."""
    claims = {str(c.pk): c for c in plan.claims.all()}
    result = allocation(plan)
    debtor = _plan_debtor(plan)
    lines: list[dict[str, Any]] = [
        {
            "claim_id": int(ln.ref),
            "party_id": claims[ln.ref].party_id,
            "creditor": claims[ln.ref].creditor_name,
            "rank": ln.kind,
            "order": claims[ln.ref].rank,
            "tier": ln.tier,
            "claimed": str(ln.claimed),
            "paid": str(ln.paid),
        }
        for ln in result.lines
    ]
    lines.append(
        {
            "claim_id": None,
            "party_id": debtor.pk if debtor else None,
            "creditor": f"{debtor.name if debtor else '被执行人'}（剩余款退还）",
            "rank": "surplus",
            "paid": str(result.surplus),
        }
    )
    plan.lines = lines
    plan.save(update_fields=["lines"])
