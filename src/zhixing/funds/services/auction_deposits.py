"""Auction deposits (拍卖保证金) in the court's auction-deposit account (网拍规定 Arts 17, 23, 24).

A bidder's deposit arrives in the custody bank account and is held, court-wide, in the DEPOSITS
account until bidding ends: a losing bidder's is released — a bank payment order back to the account it
came from (`deposit_refunds`, approved by finance, within 24 hours), posted Dr deposits / Cr bank only
when the bank paid — the buyer's counts toward the price (moved to the case account), a defaulting
buyer's is forfeited and applied to the case (Art 24). Each posting is idempotent on its key, and each
refund order on its release key, so a retried call books or orders nothing twice.
The auctions domain calls these inside its own transaction, before its own audit record.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from zhixing.cases.models import Payment
from zhixing.cases.services import record_payment
from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError

from ..models import AccountKind, Payout, Receipt, Transaction
from . import deposit_refunds, ledger


def _post(
    actor: Any,
    *,
    key: str,
    kind: str,
    court_id: int,
    case_id: int | None,
    debit: str,
    credit: str,
    amount: Decimal,
    memo: str,
) -> Transaction:
    with transaction.atomic():
        lines = [
            (ledger.get_account(court_id, debit, case_id), amount),
            (ledger.get_account(court_id, credit, case_id), -amount),
        ]
        txn, created = ledger.post(
            key=key,
            kind=kind,
            court=court_id,
            case_id=case_id,
            lines=lines,
            memo=memo,
            actor_name=ledger.actor_label(actor),
        )
        if created:
            audit.record(
                actor,
                f"funds.{kind}",
                object_type="funds.Transaction",
                object_id=txn.pk,
                case_id=case_id,
                after={"key": key, "amount": amount, "memo": memo},
                court=court_id,
            )
    return txn


def receive_deposit(
    actor: Any, *, court_id: int, case_id: int, key: str, amount: Decimal, memo: str
) -> Transaction:
    """The bidder's deposit arrived in the custody account: held in the auction-deposit account."""
    return _post(
        actor,
        key=key,
        kind="auction_deposit",
        court_id=court_id,
        case_id=case_id,
        debit=AccountKind.BANK,
        credit=AccountKind.DEPOSITS,
        amount=amount,
        memo=memo,
    )


def release_deposit(
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
    """A losing bidder's deposit is paid back (Art 23): a bank payment order to the account it came from.

    Nothing is posted here: the order waits for finance (`deposit_refunds`), and the money leaves the
    auction-deposit account only when the bank confirms the payment (`sending.book_result`).
    """
    return deposit_refunds.order_refund(
        actor,
        court_id=court_id,
        case_id=case_id,
        key=key,
        amount=amount,
        payee_name=payee_name,
        payee_account=payee_account,
        payee_bank=payee_bank,
    )


def apply_deposit(
    actor: Any, *, court_id: int, case_id: int, key: str, amount: Decimal, memo: str
) -> Transaction:
    """The buyer's deposit counts toward the price, or a defaulter's is forfeited: into the case account."""
    return _post(
        actor,
        key=key,
        kind="deposit_apply",
        court_id=court_id,
        case_id=case_id,
        debit=AccountKind.DEPOSITS,
        credit=AccountKind.CASE,
        amount=amount,
        memo=memo,
    )


def deposits_held(court_id: int) -> Decimal:
    """What the court's auction-deposit account holds now."""
    return -ledger.get_account(court_id, AccountKind.DEPOSITS).balance


# Where a bank notice's money may be used for an auction (C3: money is recognised only from the bank).
TO_DEPOSITS, TO_CASE = "deposits", "case"
BANK_SOURCES = ("notice", "statement")  # what the custody bank itself reported


def use_bank_receipt(
    actor: Any, *, court_id: int, bank_txn: str, amount: Decimal, case_id: int, to: str, memo: str
) -> Receipt:
    """Auction money recognised from the custody bank: the court's unidentified receipt (不明款, booked
    from the bank's own notice or statement line) with this transaction id and exactly this amount is
    moved once into the auction-deposit account (`to=TO_DEPOSITS`, a bidder's deposit) or the case
    account (`to=TO_CASE`, the buyer's balance, a payment of the case); the receipt is marked claimed,
    so one transfer pays one thing. Refused, naming `bank_txn` or `amount`, when no such notice reached
    this court, it was booked or used already, or its amount differs. The caller checks who may ask."""
    key = (bank_txn or "").strip()
    with transaction.atomic():
        rec = Receipt.objects.select_for_update().filter(bank_txn_id=key).first() if key else None
        if rec is None or rec.court_id != court_id or rec.source not in BANK_SOURCES:
            raise ServiceError(
                "本院专户未收到该流水号的银行来款通知，请待银行到账通知后再登记", field="bank_txn"
            )
        if rec.status != Receipt.Status.UNIDENTIFIED:
            raise Conflict("该笔银行来款已入账或已被使用，不能再次登记", field="bank_txn")
        if rec.amount != amount:
            raise ServiceError(
                f"该笔银行来款金额为{rec.amount:.2f}元，与应付{amount:.2f}元不符", field="amount"
            )
        credit = AccountKind.DEPOSITS if to == TO_DEPOSITS else AccountKind.CASE
        ledger.post(
            key=f"claim:{rec.pk}",  # the same key as a claim: a receipt is used once, whoever uses it
            kind="auction_deposit" if to == TO_DEPOSITS else "claim",
            court=court_id,
            case_id=case_id,
            lines=[
                (ledger.get_account(court_id, AccountKind.UNIDENTIFIED), rec.amount),
                (ledger.get_account(court_id, credit, case_id if to == TO_CASE else None), -rec.amount),
            ],
            memo=f"{memo} 银行流水{rec.bank_txn_id}",
            actor_name=ledger.actor_label(actor),
        )
        # A deposit is not the case's money (it is held for the bidder): the receipt names no case then.
        rec.status, rec.case_id = Receipt.Status.CLAIMED, case_id if to == TO_CASE else None
        rec.save(update_fields=["status", "case"])
        if to == TO_CASE:
            record_payment(
                case_id,
                rec.amount,
                rec.value_date,
                source=Payment.Source.CLAIM,
                reference=f"funds.claim:{rec.pk}",
                actor=actor,
            )
        audit.record(
            actor,
            "funds.claim",
            object_type="funds.Receipt",
            object_id=rec.pk,
            case_id=case_id,
            before={"status": "unidentified"},
            after={"status": "claimed", "memo": memo},
            court=court_id,
        )
    return rec
