"""Reads for custody-account interest (执行款孳息) and for the surplus refundable to the debtor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from zhixing.cases.models import EnforcementCase
from zhixing.cases.queries_schedule import case_schedule
from zhixing.courts.queries import court_scope_q

from .models import InterestAllocation, InterestCredit
from .services import fees

ZERO = Decimal("0.00")


def court_credits(user: Any, limit: int = 50) -> list[InterestCredit]:
    """The interest credits of the courts the user reads, newest first (finance page)."""
    return list(
        InterestCredit.objects.filter(court_scope_q(user, field="court"))
        .select_related("court", "recorded_by")
        .prefetch_related("allocations__case")
        .order_by("-period_end", "-id")[:limit]
    )


def credit_allocations(credit: InterestCredit, limit: int = 200) -> list[InterestAllocation]:
    return list(credit.allocations.select_related("case").order_by("-amount", "case_id")[:limit])


def case_allocations(case: EnforcementCase) -> list[InterestAllocation]:
    """The case's shares of the custody account's interest, newest period first."""
    return list(
        InterestAllocation.objects.filter(case=case)
        .select_related("credit")
        .order_by("-credit__period_end", "-id")
    )


@dataclass(frozen=True)
class Refundable:
    """What may be refunded to the debtor on `on` (执行工作规定 Art 34), and why."""

    on: date
    balance: Decimal
    committed: Decimal  # payouts proposed or approved, not yet reserved
    fee: Decimal  # application fee still to settle
    claim: Decimal  # principal + adjudged interest (fixed and running) + litigation costs − not yet due
    doubled: Decimal  # doubled delay interest accrued to `on`
    paid_to_applicant: Decimal
    owed_to_applicant: Decimal  # claim + doubled − paid to applicant
    refundable: Decimal


def refundable(case: EnforcementCase, on: date) -> Refundable:
    """The surplus the debtor may get back: balance − committed − fee − what the applicants are still
    owed including the doubled delay interest accrued to `on` (the same arithmetic `payouts.propose`
    applies to a refund)."""
    cs = case_schedule(case, on)
    claim = cs.principal_amount + cs.schedule.interest_total + cs.litigation_amount
    claim -= cs.schedule.not_due  # instalments not yet due are not enforced (执行工作规定 Art 16)
    owed = fees.claim_outstanding(case, on, cs)
    balance = fees.case_balance(case.pk)
    committed = fees.committed(case.pk)
    fee = fees.outstanding_fee(case)
    return Refundable(
        on=on,
        balance=balance,
        committed=committed,
        fee=fee,
        claim=claim,
        doubled=cs.schedule.doubled_total,
        paid_to_applicant=max(claim + cs.schedule.doubled_total - owed, ZERO),
        owed_to_applicant=owed,
        refundable=max(balance - committed - fee - owed, ZERO),
    )
