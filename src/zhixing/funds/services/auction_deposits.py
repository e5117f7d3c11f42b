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

from zhixing.core import audit

from ..models import AccountKind, Payout, Transaction
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
