"""Returning an unidentified receipt (不明款退回) to its payer through a real payment order.

Like a payout: (1) reserve — in one committed transaction the receipt becomes `returning` (so it can
no longer be claimed) and gets its order key; the money stays on the unidentified-receipts account;
(2) send — the signed payment order to the custody bank carries that key, so re-sending after a crash
or timeout returns the same single payment; (3) book the bank's answer once — paid: Dr unidentified /
Cr custody bank (`return:<receipt id>`), status `returned`; failed: the receipt is unidentified again
with the bank's reason, to be claimed or returned later. When the bank cannot be reached the receipt
stays `returning` with `return_last_error` shown on the finance page; `resume_returns()` (the Huey task
that resumes payouts) re-sends it with the same backoff and attempt limit as payouts.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError

from .. import conf
from ..adapters import custody_bank
from ..models import AccountKind, Receipt
from . import faults, ledger
from .accounts import court_code_of, custody_no_of
from .receipts import require_finance
from .sending import UNCONFIRMED, UNREACHABLE, after_unanswered


def return_receipt(actor: Any, receipt_id: int, reason: str) -> Receipt:
    """Finance returns an unidentified receipt to the payer's account; returns the receipt as it stands
    (`returned`, `returning` while the bank has not answered, or `unidentified` again if it refused)."""
    if not reason.strip():
        raise ServiceError("请填写退回原因", field="reason")
    rec = _reserve(actor, receipt_id, reason.strip())
    return send_return(rec)


def _reserve(actor: Any, receipt_id: int, reason: str) -> Receipt:
    with transaction.atomic():
        rec = Receipt.objects.select_for_update().get(pk=receipt_id)
        require_finance(actor, rec.court_id)
        if rec.status == Receipt.Status.RETURNING:
            return rec  # already reserved: re-send the same order
        if rec.status != Receipt.Status.UNIDENTIFIED:
            raise Conflict("该来款不是待认领的不明款", field="receipt")
        if not rec.payer_account.strip():
            raise ServiceError("该来款没有付款账号，无法原路退回", field="receipt")
        rec.status, rec.return_reason, rec.return_fail_reason = Receipt.Status.RETURNING, reason[:200], ""
        rec.return_order_key = f"return-{uuid.uuid4().hex}"
        rec.return_attempts, rec.return_last_error, rec.return_next_attempt_at = 0, "", timezone.now()
        rec.save(
            update_fields=[
                "status",
                "return_reason",
                "return_fail_reason",
                "return_order_key",
                "return_attempts",
                "return_last_error",
                "return_next_attempt_at",
            ]
        )
        audit.record(
            actor,
            "funds.return_send",
            object_type="funds.Receipt",
            object_id=rec.pk,
            before={"status": "unidentified"},
            after={"status": "returning", "order_key": rec.return_order_key, "reason": reason},
            court=court_code_of(rec.court_id),
        )
    return rec


def send_return(rec: Receipt) -> Receipt:
    """Send (or re-send) the return order of a `returning` receipt and book the bank's answer."""
    if rec.status != Receipt.Status.RETURNING or not rec.return_order_key:
        return rec
    faults.point("return.before_order")
    try:
        result = custody_bank.send_payment(
            rec.return_order_key,
            amount=f"{rec.amount:.2f}",
            account_name=rec.payer_name,
            account_no=rec.payer_account,
            bank_name="",
            memo=f"不明款退回 {rec.bank_txn_id}",
            from_account=custody_no_of(rec.court_id),
        )
    except custody_bank.BankUnavailable as exc:
        return _not_answered(rec.pk, UNREACHABLE, str(exc))
    faults.point("return.after_order")
    if result.status not in ("paid", "failed"):
        return _not_answered(rec.pk, UNCONFIRMED, f"银行答复状态：{result.status}")
    return book_return_result(rec.pk, result)


def _not_answered(receipt_id: int, message: str, detail: str) -> Receipt:
    """Count a return order the bank did not answer and schedule the next automatic attempt."""
    with transaction.atomic():
        rec = Receipt.objects.select_for_update().get(pk=receipt_id)
        if rec.status != Receipt.Status.RETURNING:
            return rec
        rec.return_attempts += 1
        rec.return_last_error, rec.return_next_attempt_at = after_unanswered(rec.return_attempts, message)
        rec.save(update_fields=["return_attempts", "return_last_error", "return_next_attempt_at"])
        audit.record(
            None,
            "funds.return_unanswered",
            object_type="funds.Receipt",
            object_id=rec.pk,
            after={
                "attempts": rec.return_attempts,
                "error": detail[:200],
                "next_attempt_at": rec.return_next_attempt_at,
                "order_key": rec.return_order_key,
            },
            court=court_code_of(rec.court_id),
        )
    return rec


def book_return_result(receipt_id: int, result: custody_bank.PaymentResult) -> Receipt:
    """Book the bank's confirmation (money leaves the custody account) or refusal, once."""
    with transaction.atomic():
        rec = Receipt.objects.select_for_update().get(pk=receipt_id)
        if rec.status != Receipt.Status.RETURNING or result.status not in ("paid", "failed"):
            return rec
        if result.status == "paid":
            ledger.post(
                key=f"return:{rec.pk}",
                kind="return",
                court=rec.court_id,
                lines=[
                    (ledger.get_account(rec.court_id, AccountKind.UNIDENTIFIED), rec.amount),
                    (ledger.get_account(rec.court_id, AccountKind.BANK), -rec.amount),
                ],
                memo=f"不明款退回 {rec.bank_txn_id}：{rec.return_reason}"[:200],
            )
            rec.status, rec.return_payment_id = Receipt.Status.RETURNED, result.payment_id[:64]
        else:
            rec.status, rec.return_fail_reason = Receipt.Status.UNIDENTIFIED, result.reason[:200]
        rec.return_last_error, rec.return_next_attempt_at = "", None
        rec.save(
            update_fields=[
                "status",
                "return_payment_id",
                "return_fail_reason",
                "return_last_error",
                "return_next_attempt_at",
            ]
        )
        audit.record(
            None,
            "funds.return",
            object_type="funds.Receipt",
            object_id=rec.pk,
            before={"status": "returning"},
            after={"status": rec.status, "payment": result.payment_id, "reason": result.reason},
            court=court_code_of(rec.court_id),
        )
    return rec


def resume_returns(limit: int = 200) -> int:
    """Re-send every return order left `returning` that is due (same key → paid once)."""
    due = (
        Receipt.objects.filter(status=Receipt.Status.RETURNING, return_attempts__lt=conf.send_max_attempts())
        .filter(Q(return_next_attempt_at__isnull=True) | Q(return_next_attempt_at__lte=timezone.now()))
        .order_by("return_next_attempt_at", "pk")[:limit]
    )
    done = 0
    for rec in due:
        done += send_return(rec).status != Receipt.Status.RETURNING
    return done
