"""Auction deposit refunds (退还拍卖保证金) as bank payment orders (网拍规定 Art 23, 拍卖变卖规定 Art 10).

A losing bidder's deposit (or every deposit of a withdrawn lot) goes back to the account it came from by
a payment order, like every other money leaving the custody account: `order_refund` (called by the
auctions domain when it releases a registration) creates a payout of purpose 退还拍卖保证金 whose chain is
one finance step. It returns the bidder's own money, so no judge, director or president approves it:
finance checks the receiving account against the deposit's bank record and approves — one by one or in
bulk (`approve_refunds`) — and sends the orders (`sending.send`, the same order key, retries and
answer-booking as every payout). The money stays in the court's auction-deposit account until the bank
confirms (Dr deposits / Cr bank, key ``payout-paid:<id>``); a refund the bank returns leaves it there.

The account is the one the deposit came from. The auctions domain passes it when its deposit record
has it; otherwise the order waits for finance to enter it from the bank's record of the deposit
(`set_refund_account`, audited) and cannot be approved before. A typed account is a person's word, so
the typist becomes the order's proposer and someone else approves it (`typed_chain`: another finance
officer, or the director when the court has one finance officer); the same for a refund re-ordered to a
corrected account after the bank returned it (`reorder_refund`). Deadline (`due_on`): the day after the
release (Art 23: within 24 hours).

One live order per registration: the payout's `source` is the release key and the database refuses a
second open or paid payout of the same source, so a retried close or a parallel call orders once.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.money import FEN
from zhixing.courts.models import Court
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import formats
from ..models import Payout
from .payouts import LIVE_STATUSES, chain_problem, decide

CHAIN = [Role.FINANCE.value]


# A refund that ended without paying (bank returned, rejected, withdrawn): the deposit is still held and
# must be ordered again (`reorder_refund`), or it would stay in the deposit account for ever.
ENDED_UNPAID = (Payout.Status.FAILED, Payout.Status.REJECTED, Payout.Status.CANCELLED)


def typed_chain(court: Any, actor: Any) -> list[str]:
    """The chain of a refund whose account a person typed (not taken from the deposit's record).

    Whoever typed the account becomes its proposer and never approves it: another finance officer
    approves, or — when the court has no other — the director. One person never both names the
    receiving account and approves the payment to it.
    """
    return list(CHAIN) if chain_problem(CHAIN, court, actor) is None else [Role.DIRECTOR.value]


def _staff(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) else None


def order_refund(
    actor: Any,
    *,
    court_id: int,
    case_id: int,
    key: str,
    amount: Decimal,
    payee_name: str,
    payee_account: str = "",
    payee_bank: str = "",
) -> Payout:
    """The refund order of one released deposit (idempotent on `key`). Inside the caller's transaction."""
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(FEN):
        raise ServiceError("保证金金额须为大于零、精确到分的金额", field="amount")
    found = Payout.objects.filter(source=key, status__in=LIVE_STATUSES).first()
    if found is not None:
        return found
    name = formats.account_name(payee_name)
    number = formats.account_number(payee_account) if str(payee_account or "").strip() else ""
    bank = formats.bank_name(payee_bank)
    today = timezone.localdate()
    with transaction.atomic():
        try:
            with transaction.atomic():
                p = Payout.objects.create(
                    court_id=court_id,
                    case_id=case_id,
                    party_id=None,
                    purpose=Payout.Purpose.DEPOSIT,
                    amount=amount,
                    account_name=name,
                    account_no=number,
                    bank_name=bank,
                    chain=typed_chain(Court.objects.get(pk=court_id), actor)
                    if _staff(actor)
                    else list(CHAIN),
                    proposed_by=_staff(actor),
                    funds_arrived_on=today,
                    due_on=today + timedelta(days=1),
                    order_key=f"payout-{uuid.uuid4().hex}",
                    source=key,
                )
        except IntegrityError:  # a parallel release ordered it first
            found = Payout.objects.filter(source=key, status__in=LIVE_STATUSES).first()
            if found is None:
                raise
            return found
        audit.record(
            actor,
            "funds.deposit_refund_order",
            object_type="funds.Payout",
            object_id=p.pk,
            case_id=case_id,
            after={"key": key, "amount": amount, "account_name": name, "account_no": number},
            court=court_id,
        )
    return p


def _refund(actor: Any, payout_id: int, roles: tuple[str, ...] = (Role.FINANCE,)) -> Payout:
    p = Payout.objects.select_for_update(of=("self",)).select_related("court").get(pk=payout_id)
    if p.purpose != Payout.Purpose.DEPOSIT:
        raise Conflict("该发款不是拍卖保证金退还", field="payout")
    if not (can_write_court(actor, p.court) and getattr(actor, "role", "") in roles):
        raise NotPermitted("只有本院财务人员可以办理保证金退还")
    return p


def set_refund_account(
    actor: Any, payout_id: int, *, account_name: Any, account_no: Any, bank_name: Any = ""
) -> Payout:
    """Finance enters the account the deposit came from (from the bank's record of the deposit)."""
    name = formats.account_name(account_name)
    number = formats.account_number(account_no)
    bank = formats.bank_name(bank_name)
    with transaction.atomic():
        p = _refund(actor, payout_id)
        if p.status != Payout.Status.PROPOSED:
            raise Conflict(f"该退还{p.get_status_display()}，不能修改收款账户", field="payout")
        if p.step:
            raise Conflict("该退还已有审批意见，不能再修改收款账户", field="payout")
        before = {"account_name": p.account_name, "account_no": p.account_no, "bank_name": p.bank_name}
        p.account_name, p.account_no, p.bank_name = name, number, bank
        # The typist is the proposer from now on: someone else approves (typed_chain).
        p.proposed_by, p.chain = actor, typed_chain(p.court, actor)
        p.save(update_fields=["account_name", "account_no", "bank_name", "proposed_by", "chain"])
        audit.record(
            actor,
            "funds.deposit_refund_account",
            object_type="funds.Payout",
            object_id=p.pk,
            case_id=p.case_id,
            before=before,
            after={"account_name": name, "account_no": number, "bank_name": bank, "chain": p.chain},
        )
    return p


def approve_refunds(actor: Any, payout_ids: list[int]) -> tuple[list[Payout], dict[int, str]]:
    """Approve several deposit refunds at once: (approved, {id: why not} for the others). Finance's bulk
    action; the director may use it for the refunds whose typed account waits for the director.

    Each is one approval step (`payouts.decide`, audited) in its own transaction, so one refusal (no
    account yet, already decided, another court) stops only that one.
    """
    done: list[Payout] = []
    refused: dict[int, str] = {}
    for pk in dict.fromkeys(payout_ids):
        try:
            with transaction.atomic():
                _refund(actor, pk, (Role.FINANCE, Role.DIRECTOR))
                done.append(decide(actor, pk, approve=True, note="批量审批：退还竞买人本人保证金"))
        except Payout.DoesNotExist:
            refused[pk] = "不存在"
        except (Conflict, NotPermitted, ServiceError) as exc:
            refused[pk] = exc.message
    return done, refused


def reorder_refund(
    actor: Any, payout_id: int, *, account_name: Any, account_no: Any, bank_name: Any = ""
) -> Payout:
    """A refund the bank returned (account closed or wrong), or one rejected or withdrawn: finance orders
    it again to a corrected account.

    The ended order's money never left the deposit account; the new order has the same source and
    amount and goes through finance's approval again. Only while no other order of the source is live.
    """
    with transaction.atomic():
        p = _refund(actor, payout_id)
        if p.status not in ENDED_UNPAID:
            raise Conflict(
                f"该退还{p.get_status_display()}，只有未支付而终结的退还可以重新发起", field="payout"
            )
        if Payout.objects.filter(source=p.source, status__in=LIVE_STATUSES).exists():
            raise Conflict("该保证金已重新发起退还，请勿重复发起", field="payout")
        return order_refund(
            actor,
            court_id=p.court_id,
            case_id=p.case_id,
            key=p.source,
            amount=p.amount,
            payee_name=account_name,
            payee_account=account_no,
            payee_bank=bank_name,
        )
