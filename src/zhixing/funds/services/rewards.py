"""Reward payouts (悬赏金): the applicant-funded reward of a tip-off that led to recovery, paid from the case.

The portal (`zhixing.portal.rewards`) decides that a reward is due; the money moves here, so the ledger
stays the funds domain's alone. A reward is a payment order like every other money leaving the custody
account: `propose_reward` creates a payout of purpose 悬赏金 to the tipster's account, which goes through
the payouts' approval chain (`conf.approval_chain`; an account name other than the tipster's adds the
extra step, the proposer never approves) and finance's sending (`sending.send`: reserved case → reward
payable, then reward payable → bank when the bank confirms). Nothing is posted when it is proposed.

The reward comes out of what the applicant would be paid (the applicant offered it), so it may not
exceed the applicant's payable amount (`payable.payable_breakdown`) — money reserved for fees, holds,
other payouts or a distribution plan is never touched. One live payout per offer: `source` is
``portal.RewardOffer:<offer id>`` and the database refuses a second open or paid payout of the same
source, so a retry or a parallel click returns the first one.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.money import FEN

from .. import conf, formats
from .. import payable as payable_q
from ..models import Payout
from ..queries_holds import earliest_open_clock
from . import fees
from .accounts import case_account
from .payouts import LIVE_STATUSES, _tell_next, chain_problem


def reward_source(offer_id: int) -> str:
    return f"portal.RewardOffer:{offer_id}"


def live_payout(source: str) -> Payout | None:
    """The open or paid payout of `source`, if any (at most one: database constraint)."""
    return Payout.objects.filter(source=source, status__in=LIVE_STATUSES).first()


def propose_reward(
    actor: Any,
    case: EnforcementCase,
    *,
    offer_id: int,
    amount: Decimal,
    tipster: str,
    reference: str,
    account_name: Any,
    account_no: Any,
    bank_name: Any = "",
) -> tuple[Payout, bool]:
    """Propose the reward payout to the tipster's account. Returns (payout, created).

    The caller (the portal) has checked who may pay and that the tip led to recovery; it runs this inside
    its own transaction, holding the offer's row lock. A live payout of the offer is returned as it is.
    """
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(FEN):
        raise ServiceError("悬赏金额须为大于零、精确到分的金额", field="amount")
    source = reward_source(offer_id)
    existing = live_payout(source)
    if existing is not None:
        return existing, False
    name = formats.account_name(account_name)
    number = formats.account_number(account_no)
    bank = formats.bank_name(bank_name)
    mismatch = name != (tipster or "").strip()
    chain = conf.approval_chain(mismatch)
    problem = chain_problem(chain, case.court, actor)
    if problem:
        raise Conflict(problem, field="account_name" if mismatch else "payout")
    if case_account(case).closed:
        raise Conflict("案款账户已销户", field="case")
    with transaction.atomic():
        fees.lock_case_account(case)
        payable = payable_q.payable_breakdown(case, Payout.Purpose.APPLICANT).payable
        if amount > payable:
            raise Conflict(
                f"悬赏金{amount:,.2f}元超过申请执行人可领取的案款{payable:,.2f}元，无法发放", field="amount"
            )
        clock = earliest_open_clock(case.pk)
        try:
            with transaction.atomic():
                payout = Payout.objects.create(
                    court_id=case.court_id,
                    case=case,
                    party_id=None,
                    purpose=Payout.Purpose.REWARD,
                    amount=amount,
                    account_name=name,
                    account_no=number,
                    bank_name=bank,
                    name_mismatch=mismatch,
                    chain=chain,
                    proposed_by=actor,
                    funds_arrived_on=clock.arrived_on if clock else None,
                    due_on=clock.due_on if clock else None,
                    order_key=f"payout-{uuid.uuid4().hex}",
                    source=source,
                )
        except IntegrityError:  # a parallel click proposed it first
            found = live_payout(source)
            if found is None:
                raise
            return found, False
        audit.record(
            actor,
            "funds.reward_propose",
            object_type="funds.Payout",
            object_id=payout.pk,
            case_id=case.pk,
            after={
                "amount": amount,
                "tip": reference,
                "tipster": tipster,
                "account_name": name,
                "account_no": number,
                "mismatch": mismatch,
                "chain": chain,
                "offer": offer_id,
            },
        )
        _tell_next(payout, actor)
    return payout, True
