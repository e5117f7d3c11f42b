"""Enforcement fee and actual costs settled from the case's money before the applicant is paid."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhixing.cases.models import EnforcementCase
from zhixing.cases.rules import application_fee
from zhixing.core import audit
from zhixing.core.errors import NotPermitted
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from ..models import AccountKind, LedgerAccount, Payout
from ..rules import settle
from . import ledger
from .receipts import _amount

ZERO = Decimal("0.00")


def fee_due(case: EnforcementCase) -> Decimal:
    """The application fee: as recorded on the case, else computed from the money claim (Art 14)."""
    if case.application_fee:
        return Decimal(case.application_fee)
    return application_fee(Decimal(case.principal) + Decimal(case.adjudged_interest))


def _natural(case: EnforcementCase, kind: str) -> Decimal:
    acc = LedgerAccount.objects.filter(kind=kind, case_id=case.pk).first()
    return -acc.balance if acc else ZERO


def outstanding_fee(case: EnforcementCase) -> Decimal:
    return max(fee_due(case) - _natural(case, AccountKind.FEES), ZERO)


def claim_outstanding(case: EnforcementCase) -> Decimal:
    """What the applicants are still owed (principal + interest + litigation costs − paid out)."""
    claim = Decimal(case.principal) + Decimal(case.adjudged_interest) + Decimal(case.litigation_costs)
    paid = sum(
        Payout.objects.filter(
            case_id=case.pk, purpose=Payout.Purpose.APPLICANT, status__in=("approved", "sending", "paid")
        ).values_list("amount", flat=True),
        ZERO,
    )
    return max(claim - paid, ZERO)


def settle_fee(actor: Any, case: EnforcementCase, *, audited: bool = True) -> Decimal:
    """Move the outstanding application fee (as far as the balance allows) to fee income.

    Runs inside the caller's transaction. With ``audited=False`` the caller records the fee in its own
    audit record, after all its postings: the audit chain head must be the last lock a transaction
    takes, or two postings can deadlock on it.
    """
    case_acc = ledger.get_account(case.court_id, AccountKind.CASE, case.pk)
    balance = -LedgerAccount.objects.get(pk=case_acc.pk).balance
    s = settle(max(balance, ZERO), ZERO, outstanding_fee(case))
    if s.fee <= 0:
        return ZERO
    settled = _natural(case, AccountKind.FEES)
    ledger.post(
        key=f"fee:{case.pk}:{settled}",
        kind="fee",
        court=case.court_id,
        case_id=case.pk,
        lines=[(case_acc, s.fee), (ledger.get_account(case.court_id, AccountKind.FEES, case.pk), -s.fee)],
        memo="结算申请执行费",
        actor_name=ledger.actor_label(actor),
    )
    if audited:
        audit.record(
            actor,
            "funds.fee",
            object_type="funds.Fee",
            object_id=case.pk,
            case_id=case.pk,
            after={"fee": s.fee},
        )
    return s.fee


def book_costs(
    actor: Any, case: EnforcementCase, amount: Any, what: str, idempotency_key: str | None = None
) -> Decimal:
    """Actual enforcement costs (appraisal, auction, storage…) taken from the case's money.

    Give `idempotency_key` (e.g. the invoice number) to make a retried submission a no-op.
    """
    if not (
        can_write_court(actor, case.court)
        and getattr(actor, "role", "") in (Role.JUDGE, Role.DIRECTOR, Role.FINANCE)
    ):
        raise NotPermitted("只有本院执行法官、局长或财务人员可以结算执行费用")
    amt = _amount(amount)
    with transaction.atomic():
        _txn, created = ledger.post(
            key=f"costs:{case.pk}:{idempotency_key or uuid.uuid4().hex}",
            kind="costs",
            court=case.court_id,
            case_id=case.pk,
            lines=[
                (ledger.get_account(case.court_id, AccountKind.CASE, case.pk), amt),
                (ledger.get_account(case.court_id, AccountKind.COSTS, case.pk), -amt),
            ],
            memo=f"执行费用：{what}"[:200],
            actor_name=ledger.actor_label(actor),
        )
        if not created:
            return amt
        audit.record(
            actor,
            "funds.costs",
            object_type="funds.Costs",
            object_id=case.pk,
            case_id=case.pk,
            after={"amount": amt, "what": what},
        )
    return amt
