"""悬赏: a case's reward offer, published on the portal, and its payout when a tip led to recovery.

One open offer per case. Paying needs a closed tip of the same case whose outcome is 据此执行到位; the
money moves through `zhixing.funds.services.rewards.pay_reward` (ledger entry, audited, idempotent on
the offer), in the same transaction that marks the offer paid, so a retry pays nothing twice.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.choices import OPEN_STATUSES
from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.redaction import redact
from zhixing.funds.services import rewards as funds_rewards

from . import access_public
from .models import RewardOffer, Tip

MAX_REWARD = Decimal("10000000")


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ServiceError("悬赏金额须为数字，如 5000 或 5000.00", field="amount") from None
    if (
        not amount.is_finite()
        or amount <= 0
        or amount > MAX_REWARD
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise ServiceError("悬赏金额须大于0、不超过1000万元、精确到分", field="amount")
    return amount


def offer(actor: Any, case: EnforcementCase, *, amount: Any, terms: str) -> RewardOffer:
    """Publish the applicant's reward offer for the case (published text is redacted of identifiers)."""
    if not access_public.may_decide(actor, case.court):
        raise NotPermitted("只有本院承办法官或执行局局长可以发布悬赏")
    amt = _amount(amount)
    text = redact(terms.strip())
    if not text or len(text) > 300:
        raise ServiceError("请填写悬赏条件（300字以内）", field="terms")
    if case.status not in OPEN_STATUSES:
        raise Conflict("案件不在执行中，不能发布悬赏", field="case")
    with transaction.atomic():
        if RewardOffer.objects.filter(case=case, status=RewardOffer.Status.OFFERED).exists():
            raise Conflict("本案已有进行中的悬赏", field="amount")
        row = RewardOffer.objects.create(
            court_id=case.court_id,
            case=case,
            amount=amt,
            terms=text,
            offered_on=timezone.localdate(),
            offered_by=actor,
        )
        audit.record(
            actor,
            "portal.reward_offer",
            object_type="portal.RewardOffer",
            object_id=row.pk,
            case_id=case.pk,
            court=case.court,
            after={"amount": amt, "terms": text},
        )
    return row


def pay(actor: Any, offer_id: int, tip_id: int) -> RewardOffer:
    """Pay the offer to the reporter of `tip_id` (a closed tip of the case that led to recovery)."""
    with transaction.atomic():
        row = (
            RewardOffer.objects.select_for_update(of=("self",))
            .select_related("case", "court")
            .filter(pk=offer_id)
            .first()
        )
        if row is None or not access_public.may_decide(actor, row.court):
            raise NotPermitted("只有本院承办法官或执行局局长可以发放悬赏")
        if row.status == RewardOffer.Status.PAID:
            return row  # a retry: already paid, nothing moves
        if row.status != RewardOffer.Status.OFFERED:
            raise Conflict("该悬赏已撤回，不能发放", field="tip")
        tip = Tip.objects.filter(pk=tip_id, case_id=row.case_id).first()
        if tip is None or tip.status != Tip.Status.CLOSED or tip.outcome != Tip.Outcome.RECOVERED:
            raise ServiceError("只能向本案已办结且“据此执行到位”的线索的举报人发放悬赏", field="tip")
        txn, _ = funds_rewards.pay_reward(
            actor,
            row.case,
            offer_id=row.pk,
            amount=row.amount,
            payee=tip.reporter_name,
            reference=tip.reference,
        )
        row.status, row.paid_tip, row.paid_at, row.ledger_key = (
            RewardOffer.Status.PAID,
            tip,
            timezone.now(),
            txn.idempotency_key,
        )
        row.save(update_fields=["status", "paid_tip", "paid_at", "ledger_key"])
        audit.record(
            actor,
            "portal.reward_pay",
            object_type="portal.RewardOffer",
            object_id=row.pk,
            case_id=row.case_id,
            court=row.court,
            before={"status": "offered"},
            after={"status": "paid", "tip": tip.reference, "amount": row.amount},
        )
    return row


def withdraw(actor: Any, offer_id: int) -> RewardOffer:
    with transaction.atomic():
        row = (
            RewardOffer.objects.select_for_update(of=("self",))
            .select_related("court")
            .filter(pk=offer_id)
            .first()
        )
        if row is None or not access_public.may_decide(actor, row.court):
            raise NotPermitted("只有本院承办法官或执行局局长可以撤回悬赏")
        if row.status != RewardOffer.Status.OFFERED:
            raise Conflict("只有进行中的悬赏可以撤回", field="offer")
        row.status = RewardOffer.Status.WITHDRAWN
        row.save(update_fields=["status"])
        audit.record(
            actor,
            "portal.reward_withdraw",
            object_type="portal.RewardOffer",
            object_id=row.pk,
            case_id=row.case_id,
            court=row.court,
            before={"status": "offered"},
            after={"status": "withdrawn"},
        )
    return row


def rewards_of_case_open(case: EnforcementCase) -> RewardOffer | None:
    """The case's reward on offer, if any."""
    return RewardOffer.objects.filter(case=case, status=RewardOffer.Status.OFFERED).first()
