"""Reward payouts (悬赏金): the applicant-funded reward of a tip-off that led to recovery, paid from the case.

The portal (`zhixing.portal.rewards`) decides that a reward is due; the money moves here, so the ledger
stays the funds domain's alone. The reward comes out of what the applicant would be paid (the applicant
offered it), so it may not exceed the applicant's payable amount (`payable.payable_breakdown`) — money
reserved for fees, holds or a distribution plan is never touched. One posting per offer: the key
``reward:<offer id>`` makes a retry (a double click, a replayed request) a no-op that returns the first
transaction.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.money import FEN

from .. import payable as payable_q
from ..models import AccountKind, Payout, Transaction
from . import fees, ledger


def pay_reward(
    actor: Any, case: EnforcementCase, *, offer_id: int, amount: Decimal, payee: str, reference: str
) -> tuple[Transaction, bool]:
    """Post the reward: case money out to the bank (paid to the tipster). Returns (transaction, created).

    Must run inside the caller's transaction (the portal marks its offer paid in the same one).
    """
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(FEN):
        raise ServiceError("悬赏金额须为大于零、精确到分的金额", field="amount")
    key = f"reward:{offer_id}"
    with transaction.atomic():
        fees.lock_case_account(case)
        existing = Transaction.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, False
        payable = payable_q.payable_breakdown(case, Payout.Purpose.APPLICANT).payable
        if amount > payable:
            raise Conflict(
                f"悬赏金{amount:,.2f}元超过申请执行人可领取的案款{payable:,.2f}元，无法发放", field="amount"
            )
        txn, created = ledger.post(
            key=key,
            kind="reward",
            court=case.court_id,
            case_id=case.pk,
            lines=[
                (ledger.get_account(case.court_id, AccountKind.CASE, case.pk), amount),
                (ledger.get_account(case.court_id, AccountKind.BANK), -amount),
            ],
            memo=f"悬赏金 线索{reference}",
            actor_name=ledger.actor_label(actor),
        )
        audit.record(
            actor,
            "funds.reward_paid",
            object_type="funds.Transaction",
            object_id=txn.pk,
            case_id=case.pk,
            after={"amount": amount, "tip": reference, "payee": payee, "offer": offer_id},
        )
    return txn, created
