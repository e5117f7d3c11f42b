"""Payment orders for approved payouts: reserve, send, book the bank's answer once, retry when unreachable.

Money is reserved when the order is sent (Dr case / Cr payable, refund due or reward payable by the
payout's purpose, refused if the case balance is short; a deposit refund stays in the auction-deposit
account) and leaves the custody account only when the bank confirms (Dr that account / Cr bank) — the
only way money leaves it. The order carries the payout's `order_key`, so re-sending after a crash or
timeout returns the same single payment. Each end (paid, failed) is sent as `events.payout_settled`.

When the bank cannot be reached the payout stays `sending` and says so: `last_error` (shown on the
finance page, the case's money page and the party portal), `send_attempts` and `next_attempt_at`.
`resume_sending()` (Huey, every minute) re-sends the orders that are due, with exponential backoff and
at most `FUNDS_SEND_MAX_ATTEMPTS` automatic attempts; after that finance decides and may re-send by
hand (same key). A crash after the reservation leaves the payout due at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhixing.cases.models import Payment
from zhixing.cases.services import record_payment
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role

from .. import conf
from ..adapters import custody_bank
from ..disposal import refuse_blocked
from ..disputed import refuse_disputed
from ..models import AccountKind, Payout
from ..models.base import ZERO
from ..queries_holds import held_amount, held_lines
from . import faults, fees, ledger
from .accounts import custody_no_of
from .payouts import settled

SENDER_ROLES = {Role.FINANCE}
UNREACHABLE = "银行暂时无法连接，将自动重试"
UNCONFIRMED = "银行尚未确认支付，将自动查询重发"
STOPPED = "多次无法连接银行，已停止自动重试；请核实后手动重发（同一指令银行只付一次）"


def after_unanswered(attempts: int, message: str) -> tuple[str, datetime | None]:
    """(error shown, next automatic attempt) after `attempts` unanswered orders to the bank.

    Bounded: from `conf.send_max_attempts()` on, automatic retries stop (STOPPED) and finance re-sends
    by hand; the order key never changes, so the bank pays one order once whichever attempt it answers.
    """
    if attempts >= conf.send_max_attempts():
        return STOPPED, None
    return message, timezone.now() + conf.send_backoff(attempts)


def _refuse_held(p: Payout) -> None:
    """A hold placed after approval still binds: the order may not take money a lawful hold keeps."""
    balance = fees.lock_case_account(p.case).natural_balance
    held = held_amount(p.case, balance)
    if held and p.amount > balance - held:
        reasons = "、".join(dict.fromkeys(x.label for x in held_lines(p.case)))
        raise Conflict(
            f"案款中{held:,.2f}元依法暂缓发放（{reasons}），"
            f"本笔发款{p.amount:,.2f}元不能发送；解除暂缓后再发送，或撤回发款",
            field="payout",
        )


# Where a payout's money waits between the order and the bank's answer (a deposit refund waits in the
# auction-deposit account itself: it is the bidder's money, never the case's).
_RESERVED_KIND = {
    Payout.Purpose.APPLICANT: AccountKind.PAYABLE,
    Payout.Purpose.REFUND: AccountKind.REFUND,
    Payout.Purpose.REWARD: AccountKind.REWARD,
    Payout.Purpose.DEPOSIT: AccountKind.DEPOSITS,
}
MEMO = {
    Payout.Purpose.APPLICANT: "案款发放",
    Payout.Purpose.REFUND: "退还被执行人余款",
    Payout.Purpose.REWARD: "悬赏金",
    Payout.Purpose.DEPOSIT: "退还拍卖保证金",
}


def _reserved_account(p: Payout) -> Any:
    kind = _RESERVED_KIND[Payout.Purpose(p.purpose)]
    party = p.party_id if kind in (AccountKind.PAYABLE, AccountKind.REFUND) else None
    return ledger.get_account(p.court_id, kind, p.case_id, party)


def _reserve(actor: Any, payout_id: int) -> Payout | None:
    """Settle fees, reserve the money and mark the payout `sending` (committed before the HTTP call)."""
    with transaction.atomic():
        p = Payout.objects.select_for_update(of=("self",)).select_related("case").get(pk=payout_id)
        if p.status == Payout.Status.SENDING:
            return p
        if p.status != Payout.Status.APPROVED:
            return None
        fee = ZERO
        if p.purpose != Payout.Purpose.DEPOSIT:  # case money: holds, guards and disputes bind it
            _refuse_held(p)
            refuse_blocked(p.case, p.amount)  # core.disposal_guards: a blocked asset's proceeds stay
            if p.purpose == Payout.Purpose.APPLICANT:
                fee = fees.settle_fee(actor, p.case, audited=False)
            # A distribution objection's disputed amount stays, counted after the fee is settled.
            refuse_disputed(p.case, p.amount)
            ledger.post(
                key=f"payout-reserve:{p.pk}",
                kind="payout",
                court=p.court_id,
                case_id=p.case_id,
                lines=[
                    (ledger.get_account(p.court_id, AccountKind.CASE, p.case_id), p.amount),
                    (_reserved_account(p), -p.amount),
                ],
                memo=f"发款指令 {p.account_name}",
                actor_name=ledger.actor_label(actor),
            )
        now = timezone.now()
        p.status, p.sent_at, p.next_attempt_at = Payout.Status.SENDING, now, now
        p.save(update_fields=["status", "sent_at", "next_attempt_at"])
        audit.record(
            actor,
            "funds.payout_send",
            object_type="funds.Payout",
            object_id=p.pk,
            case_id=p.case_id,
            before={"status": "approved"},
            after={"status": "sending", "order_key": p.order_key, "fee_settled": fee},
        )
    return p


def send(actor: Any, payout_id: int) -> Payout:
    """Send (or re-send) the payment order and book the bank's answer.

    Returns the payout as it stands: `paid`/`failed` when the bank answered, still `sending` with
    `last_error` when it could not be reached (it is retried automatically).
    """
    p = Payout.objects.select_related("court").get(pk=payout_id)
    if actor is not None and not (can_write_court(actor, p.court) and actor.role in SENDER_ROLES):
        raise NotPermitted("只有本院财务人员可以发送支付指令")
    reserved = _reserve(actor, payout_id)
    if reserved is None:
        raise Conflict(f"该发款{p.get_status_display()}，不能发送支付指令", field="payout")
    faults.point("payout.before_order")
    try:
        result = custody_bank.send_payment(
            reserved.order_key,
            amount=f"{reserved.amount:.2f}",
            account_name=reserved.account_name,
            account_no=reserved.account_no,
            bank_name=reserved.bank_name,
            memo=f"{MEMO[Payout.Purpose(reserved.purpose)]} {reserved.case.number}",
            from_account=custody_no_of(reserved.court_id),
        )
    except custody_bank.BankUnavailable as exc:
        return _not_answered(actor, payout_id, UNREACHABLE, str(exc))
    faults.point("payout.after_order")
    if result.status not in ("paid", "failed"):
        return _not_answered(actor, payout_id, UNCONFIRMED, f"银行答复状态：{result.status}")
    return book_result(payout_id, result)


def _not_answered(actor: Any, payout_id: int, message: str, detail: str) -> Payout:
    """Record a send the bank did not answer: count it and schedule the next automatic attempt."""
    with transaction.atomic():
        p = Payout.objects.select_for_update().get(pk=payout_id)
        if p.status != Payout.Status.SENDING:
            return p  # a concurrent attempt booked the answer meanwhile
        p.send_attempts += 1
        p.last_error, p.next_attempt_at = after_unanswered(p.send_attempts, message)
        p.save(update_fields=["send_attempts", "last_error", "next_attempt_at"])
        audit.record(
            actor,
            "funds.payout_unanswered",
            object_type="funds.Payout",
            object_id=p.pk,
            case_id=p.case_id,
            after={
                "attempts": p.send_attempts,
                "error": detail[:200],
                "next_attempt_at": p.next_attempt_at,
                "order_key": p.order_key,
            },
        )
    return p


def book_result(payout_id: int, result: custody_bank.PaymentResult) -> Payout:
    """Book the bank's confirmation (paid) or failure (money back to the case) once."""
    with transaction.atomic():
        p = Payout.objects.select_for_update().get(pk=payout_id)
        if p.status != Payout.Status.SENDING or result.status not in ("paid", "failed"):
            return p
        held = _reserved_account(p)
        if result.status == "paid":
            ledger.post(
                key=f"payout-paid:{p.pk}",
                kind="payout",
                court=p.court_id,
                case_id=p.case_id,
                lines=[(held, p.amount), (ledger.get_account(p.court_id, AccountKind.BANK), -p.amount)],
                memo=f"银行已付 {result.payment_id}",
            )
            p.status, p.paid_at = Payout.Status.PAID, timezone.now()
            if p.purpose == Payout.Purpose.REFUND:
                # A surplus refunded to the debtor was never performed on the claim.
                record_payment(
                    p.case_id,
                    -p.amount,
                    timezone.localdate(),
                    source=Payment.Source.REVERSAL,
                    reference=f"funds.refund:{p.pk}",
                    note="退还被执行人余款",
                )
        elif p.purpose == Payout.Purpose.DEPOSIT:
            p.status, p.fail_reason = Payout.Status.FAILED, result.reason[:200]  # stays held: nothing moved
        else:
            ledger.post(
                key=f"payout-failed:{p.pk}",
                kind="payout",
                court=p.court_id,
                case_id=p.case_id,
                lines=[
                    (held, p.amount),
                    (ledger.get_account(p.court_id, AccountKind.CASE, p.case_id), -p.amount),
                ],
                memo=f"银行退回：{result.reason}",
            )
            p.status, p.fail_reason = Payout.Status.FAILED, result.reason[:200]
        p.bank_payment_id = result.payment_id
        p.last_error, p.next_attempt_at = "", None
        p.save(
            update_fields=[
                "status",
                "paid_at",
                "fail_reason",
                "bank_payment_id",
                "last_error",
                "next_attempt_at",
            ]
        )
        audit.record(
            None,
            "funds.payout_result",
            object_type="funds.Payout",
            object_id=p.pk,
            case_id=p.case_id,
            before={"status": "sending"},
            after={"status": p.status, "payment": result.payment_id},
        )
        settled(p, None)
    return p


def due_for_resend(limit: int = 200) -> list[int]:
    """Payouts left `sending` whose next automatic attempt is due (bounded by the attempt limit)."""
    return list(
        Payout.objects.filter(status=Payout.Status.SENDING, send_attempts__lt=conf.send_max_attempts())
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def resume_sending(limit: int = 200) -> int:
    """Re-send every order left `sending` that is due (same key → the bank pays once)."""
    done = 0
    for pk in due_for_resend(limit):
        p = send(None, pk)
        done += p.status != Payout.Status.SENDING
    return done
