"""悬赏: a case's reward offer, published on the portal, and its payout when a tip led to recovery.

One open offer per case. Who may offer, withdraw and pay: `access_public.may_reward` (the case's handler
or the director). Paying needs a closed tip of the same case whose outcome is 据此执行到位, and the
tipster's receiving account; it proposes a payout of purpose 悬赏金
(`zhixing.funds.services.rewards.propose_reward`), which goes through the payouts' approval chain and
finance's payment order like any money leaving the custody account. The offer is `paying` meanwhile;
`apply_payout_outcome` (receiver of `funds.events.payout_settled`) marks it paid when the bank paid,
or payable again when the payout was rejected, withdrawn or returned. One live payout per offer
(funds' database constraint on the payout's source), so a retry or a parallel click orders nothing twice.
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
REWARD_SOURCE = "portal.RewardOffer:"  # the funds payout's `source` prefix (funds.services.rewards)


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
    if not access_public.may_reward(actor, case):
        raise NotPermitted("只有本案承办法官或执行局局长可以发布悬赏")
    amt = _amount(amount)
    text = redact(terms.strip())
    if not text or len(text) > 300:
        raise ServiceError("请填写悬赏条件（300字以内）", field="terms")
    if case.status not in OPEN_STATUSES:
        raise Conflict("案件不在执行中，不能发布悬赏", field="case")
    with transaction.atomic():
        live = (RewardOffer.Status.OFFERED, RewardOffer.Status.PAYING)
        if RewardOffer.objects.filter(case=case, status__in=live).exists():
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


def pay(
    actor: Any,
    offer_id: int,
    tip_id: int,
    *,
    account_name: Any = "",
    account_no: Any = "",
    bank_name: Any = "",
) -> RewardOffer:
    """Propose paying the offer to the reporter of `tip_id` (a closed tip of the case that led to recovery).

    The money moves only through a payout of purpose 悬赏金 to the account given (the payouts' approval
    chain, then finance's payment order); the offer is `paying` until that payout ends
    (`apply_payout_outcome`). A retry while it is paying or paid returns the offer unchanged.
    """
    with transaction.atomic():
        row = (
            RewardOffer.objects.select_for_update(of=("self",))
            .select_related("case", "court")
            .filter(pk=offer_id)
            .first()
        )
        if row is None or not access_public.may_reward(actor, row.case):
            raise NotPermitted("只有本案承办法官或执行局局长可以发放悬赏")
        if row.status in (RewardOffer.Status.PAYING, RewardOffer.Status.PAID):
            return row  # a retry or a second click: the payout already exists, nothing more is ordered
        if row.status != RewardOffer.Status.OFFERED:
            raise Conflict("该悬赏已撤回，不能发放", field="tip")
        tip = Tip.objects.filter(pk=tip_id, case_id=row.case_id).first()
        if tip is None or tip.status != Tip.Status.CLOSED or tip.outcome != Tip.Outcome.RECOVERED:
            raise ServiceError("只能向本案已办结且“据此执行到位”的线索的举报人发放悬赏", field="tip")
        payout, _ = funds_rewards.propose_reward(
            actor,
            row.case,
            offer_id=row.pk,
            amount=row.amount,
            tipster=tip.reporter_name,
            reference=tip.reference,
            account_name=account_name or tip.reporter_name,
            account_no=account_no,
            bank_name=bank_name,
        )
        row.status, row.paid_tip, row.payout_id = RewardOffer.Status.PAYING, tip, payout.pk
        row.save(update_fields=["status", "paid_tip", "payout_id"])
        audit.record(
            actor,
            "portal.reward_pay",
            object_type="portal.RewardOffer",
            object_id=row.pk,
            case_id=row.case_id,
            court=row.court,
            before={"status": "offered"},
            after={"status": "paying", "tip": tip.reference, "amount": row.amount, "payout": payout.pk},
        )
    return row


# What a reward payout's end means for its offer (applied in the payout's transaction, R: one service).
PAYOUT_OUTCOMES: dict[str, str] = {
    "paid": RewardOffer.Status.PAID,  # the bank paid the tipster: the reward is paid
    "failed": RewardOffer.Status.OFFERED,  # the bank returned it: the money is back, payable again
    "rejected": RewardOffer.Status.OFFERED,  # an approver stopped it
    "cancelled": RewardOffer.Status.OFFERED,  # withdrawn before the order left
}


def apply_payout_outcome(payout: Any, outcome: str, actor: Any = None) -> RewardOffer | None:
    """The consequence of a reward payout's end for its offer (`PAYOUT_OUTCOMES`), once.

    Receiver of `zhixing.funds.events.payout_settled`, run in the payout's transaction: paid → the offer
    is paid (with the payout's ledger key); rejected, cancelled or failed → the offer is payable again
    (the tip and the payout are unlinked). An outcome of another payout than the offer's current one, or
    one already applied, changes nothing.
    """
    target = PAYOUT_OUTCOMES.get(outcome)
    if target is None or not str(payout.source).startswith(REWARD_SOURCE):
        return None
    offer_id = int(str(payout.source)[len(REWARD_SOURCE) :])
    row = (
        RewardOffer.objects.select_for_update(of=("self",))
        .select_related("court")
        .filter(pk=offer_id)
        .first()
    )
    if row is None or row.payout_id != payout.pk or row.status != RewardOffer.Status.PAYING:
        return row
    if target == RewardOffer.Status.PAID:
        row.status, row.paid_at, row.ledger_key = target, timezone.now(), f"payout-paid:{payout.pk}"
    else:
        row.status, row.paid_tip, row.payout_id = target, None, None
    row.save(update_fields=["status", "paid_at", "ledger_key", "paid_tip", "payout_id"])
    audit.record(
        actor,
        "portal.reward_paid" if target == RewardOffer.Status.PAID else "portal.reward_reopen",
        object_type="portal.RewardOffer",
        object_id=row.pk,
        case_id=row.case_id,
        court=row.court,
        before={"status": "paying", "payout": payout.pk},
        after={"status": row.status, "payout_outcome": outcome},
    )
    return row


def on_payout_settled(sender: Any, payout: Any, outcome: str, actor: Any = None, **kwargs: Any) -> None:
    """`payout_settled` receiver (wired in `wiring_public.install`): reward payouts only."""
    if payout.purpose == "reward":
        apply_payout_outcome(payout, outcome, actor)


def withdraw(actor: Any, offer_id: int) -> RewardOffer:
    with transaction.atomic():
        row = (
            RewardOffer.objects.select_for_update(of=("self",))
            .select_related("court", "case")
            .filter(pk=offer_id)
            .first()
        )
        if row is None or not access_public.may_reward(actor, row.case):
            raise NotPermitted("只有本案承办法官或执行局局长可以撤回悬赏")
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
