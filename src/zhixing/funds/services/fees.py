"""Enforcement fee and actual costs settled from the case's money before the applicant is paid."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.cases.queries_schedule import CaseSchedule, case_schedule
from zhixing.cases.rules import application_fee
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import formats
from ..models import AccountKind, LedgerAccount, Payout, Transaction
from ..rules import settle
from . import ledger
from .receipts import _amount

ZERO = Decimal("0.00")


def fee_due(case: EnforcementCase) -> Decimal:
    """The application fee: as recorded on the case, else computed from the money claim (Art 14)."""
    if case.application_fee:
        return Decimal(case.application_fee)
    return application_fee(Decimal(case.principal) + Decimal(case.adjudged_interest))


# Payouts promised but not yet reserved in the ledger (reserving moves them off the case account).
UNRESERVED = (Payout.Status.PROPOSED, Payout.Status.APPROVED)


def case_balance(case_id: int) -> Decimal:
    acc = LedgerAccount.objects.filter(kind=AccountKind.CASE, case_id=case_id).first()
    return acc.natural_balance if acc else ZERO


def committed(case_id: int, exclude: int | None = None) -> Decimal:
    """Money already promised by open proposals not yet reserved in the ledger."""
    qs = Payout.objects.filter(case_id=case_id, status__in=UNRESERVED).exclude(purpose=Payout.Purpose.DEPOSIT)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return sum(qs.values_list("amount", flat=True), ZERO)


def uncommitted(case: EnforcementCase) -> Decimal:
    """What the case's money can still be used for without stranding an approved payout.

    The case balance less every payout proposed or approved but not yet reserved, and — while one of
    them pays an applicant — less the application fee still outstanding, which sending it settles
    first. Call under the case account's row lock so no payout or cost slips in between.
    """
    open_payouts = list(
        Payout.objects.filter(case_id=case.pk, status__in=UNRESERVED)
        .exclude(purpose=Payout.Purpose.DEPOSIT)
        .values_list("amount", "purpose")
    )
    promised = sum((amount for amount, _ in open_payouts), ZERO)
    fee = outstanding_fee(case) if any(p == Payout.Purpose.APPLICANT for _, p in open_payouts) else ZERO
    return case_balance(case.pk) - promised - fee


def lock_case_account(case: EnforcementCase) -> LedgerAccount:
    """Row-lock the case's money account (created on first use) before deciding what it can afford."""
    acc = ledger.get_account(case.court_id, AccountKind.CASE, case.pk)
    return LedgerAccount.objects.select_for_update().get(pk=acc.pk)


def _natural(case: EnforcementCase, kind: str) -> Decimal:
    acc = LedgerAccount.objects.filter(kind=kind, case_id=case.pk).first()
    return -acc.balance if acc else ZERO


def outstanding_fee(case: EnforcementCase) -> Decimal:
    return max(fee_due(case) - _natural(case, AccountKind.FEES), ZERO)


def claim_outstanding(
    case: EnforcementCase, on: date | None = None, cs: CaseSchedule | None = None
) -> Decimal:
    """What the applicants are still owed on `on` (default today): principal + adjudged interest
    (fixed and running, issue 15) − instalments not yet due + litigation costs + the doubled delay
    interest accrued to that day (迟延履行利息解释 Art 1, from the case's schedule: only Art 3(3)
    periods excluded; a 执恢 case counts its original's payments and payouts too) − what was paid out
    to them or is approved to be.

    A surplus refund to the debtor may use only the money beyond this (执行工作规定 Art 34), so the
    doubled part is never refunded to the debtor.
    """
    cs = cs or case_schedule(case, on or timezone.localdate())
    claim = cs.principal_amount + cs.schedule.interest_total + cs.litigation_amount
    claim += cs.schedule.doubled_total
    # Costs the applicant advanced for the debtor (a media publication it asked for, 执行程序解释 Art 26)
    # are repaid to it from the debtor's money.
    claim += cs.applicant_advanced
    # Running general interest accrued to `on` is owed like the fixed figure; instalments not yet due
    # are not (yet) enforced, so the surplus refund does not keep money back for them (Art 34).
    claim -= cs.schedule.not_due
    paid = sum(
        Payout.objects.filter(
            case_id__in=[c.pk for c in cs.chain],
            purpose=Payout.Purpose.APPLICANT,
            status__in=("approved", "sending", "paid"),
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

    Give `idempotency_key` (e.g. the invoice number) to make a retried submission a no-op. Costs use
    only the uncommitted money (`uncommitted`): an approved payout must stay payable.
    """
    if not (
        can_write_court(actor, case.court)
        and getattr(actor, "role", "") in (Role.JUDGE, Role.DIRECTOR, Role.FINANCE)
    ):
        raise NotPermitted("只有本院执行法官、局长或财务人员可以结算执行费用")
    amt = _amount(amount)
    what = formats.clean_text(what, "what", "事项", 100)
    key = f"costs:{case.pk}:{idempotency_key or uuid.uuid4().hex}"
    with transaction.atomic():
        lock_case_account(case)
        if not Transaction.objects.filter(idempotency_key=key).exists():
            free = uncommitted(case)
            if amt > free:
                raise Conflict(
                    f"执行费用{amt}元超过可用案款{max(free, ZERO):.2f}元"
                    "（已提出或已审批的发款及应结算的申请执行费不能挪用）",
                    field="amount",
                )
        _txn, created = ledger.post(
            key=key,
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
