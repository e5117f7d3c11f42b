"""Auction money is recognised only from the custody bank (网拍规定 Arts 6, 17, 23; C3).

A deposit or a balance counts as paid when the custody bank's own notice of the transfer (the funds
inbox: a single notice, a batch notice or a statement line) has reached the court. Nobody types money
into existence: the finance officer of the lot's court — never a judge, assistant, clerk or director —
names a notice that has arrived, and the service checks it against the funds domain's receipt:

- a **deposit** (`record_deposit`): the court's unidentified receipt (不明款: a transfer to the custody
  account naming no case sub-account) with that transaction id and exactly the deposit due is moved
  into the auction-deposit account and marked used (`funds.auction_deposits.use_bank_receipt`);
- a **balance** (`pay_balance`): either such an unidentified receipt of exactly the balance due, moved
  into the case account, or a receipt the bank already booked to the lot's case (the buyer paid into
  the case's sub-account) of exactly the balance due and not named for another lot
  (`Lot.balance_txn`, unique).

`actor=None` is the platform itself matching a notice (the sandbox bank of the demo, `sandbox_bank`);
every staff caller must be the lot's court's finance officer. Each write is audited in its transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role
from zhixing.funds import queries as funds_queries
from zhixing.funds.services import auction_deposits

from .. import rules
from ..events import sale_balance_paid
from ..models import Lot, Registration
from .pricing import money

FINANCE_ONLY = "只有本院财务人员可以凭银行到账通知登记拍卖款项"


def require_finance(actor: Any, court: Any) -> None:
    """A staff caller must be the finance officer of the lot's court (None: the platform itself)."""
    if actor is None:
        return
    if getattr(actor, "role", "") != Role.FINANCE or not can_write_court(actor, court):
        raise NotPermitted(FINANCE_ONLY)


def _txn(bank_txn: str) -> str:
    key = (bank_txn or "").strip()
    if not key or len(key) > 128:
        raise ServiceError("请填写托管银行来款通知的流水号", field="bank_txn")
    return key


def record_deposit(actor: Any, registration_id: int, *, bank_txn: str, amount: Any = None) -> Registration:
    """The bidder's deposit is paid: the named bank notice (an unidentified receipt of the lot's court
    of exactly the deposit due) is moved into the auction-deposit account; the bidder may bid."""
    key = _txn(bank_txn)
    with transaction.atomic():
        reg = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("lot__court")
            .get(pk=registration_id)
        )
        lot = reg.lot
        require_finance(actor, lot.court)
        if reg.deposit_state != Registration.Deposit.DUE:
            raise Conflict("该报名无需或不能再交纳保证金", field="amount")
        if amount not in (None, "") and money(amount, "amount", "保证金") != reg.deposit_due:
            raise ServiceError(f"保证金应为{reg.deposit_due:.2f}元", field="amount")
        auction_deposits.use_bank_receipt(
            actor,
            court_id=lot.court_id,
            bank_txn=key,
            amount=reg.deposit_due,
            case_id=lot.case_id,
            to=auction_deposits.TO_DEPOSITS,
            memo=f"拍卖保证金 标的{lot.pk} 竞买号{reg.code}",
        )
        reg.deposit_paid = reg.deposit_due
        reg.deposit_state = Registration.Deposit.PAID
        reg.save(update_fields=["deposit_paid", "deposit_state"])
        audit.record(
            actor,
            "auctions.deposit_paid",
            object_type="auctions.Registration",
            object_id=reg.pk,
            case_id=lot.case_id,
            after={"amount": reg.deposit_due, "bank_txn": key},
        )
    return reg


def _take_balance(actor: Any, lot: Lot, key: str, due: Any) -> None:
    """Check the named notice and, for an unidentified receipt, move it into the case account."""
    if Lot.objects.filter(balance_txn=key).exclude(pk=lot.pk).exists():
        raise Conflict("该笔银行来款已登记为其他标的的尾款", field="bank_txn")
    booked = funds_queries.bank_receipt_of_case(key, lot.case_id)
    if booked is not None:  # the buyer paid into the case's sub-account: the bank booked it already
        if booked != due:
            raise ServiceError(f"该笔银行来款金额为{booked:.2f}元，与尾款{due:.2f}元不符", field="amount")
        return
    auction_deposits.use_bank_receipt(
        actor,
        court_id=lot.court_id,
        bank_txn=key,
        amount=due,
        case_id=lot.case_id,
        to=auction_deposits.TO_CASE,
        memo=f"拍卖成交尾款 标的{lot.pk}",
    )


def pay_balance(
    actor: Any, lot_id: int, *, bank_txn: str, amount: Any = None, value_date: date | None = None
) -> Lot:
    """The buyer paid the balance (the named bank notice, see the module docstring); its deposit counts
    toward the price (Art 23). `amount`, if given, must be the balance due."""
    key = _txn(bank_txn)
    with transaction.atomic():
        lot = (
            Lot.objects.select_for_update(of=("self",))
            .select_related("leader", "case", "court")
            .get(pk=lot_id)
        )
        require_finance(actor, lot.court)
        if lot.status != Lot.Status.SOLD or lot.leader is None or lot.current_price is None:
            raise Conflict("该标的不在待付尾款状态", field="status")
        winner = lot.leader
        due = rules.balance_due(lot.current_price, winner.deposit_paid)
        if amount not in (None, "") and money(amount, "amount", "尾款") != due:
            raise ServiceError(f"尾款应为{due:.2f}元（成交价减已交保证金）", field="amount")
        _take_balance(actor, lot, key, due)
        # The consequence row of `sale_balance_paid` books the balance once per key: the bank's receipt
        # is already in the case account under this key, so it books nothing twice.
        sale_balance_paid.send(
            sender=Lot,
            case_id=lot.case_id,
            asset_id=lot.asset_id,
            lot_id=lot.pk,
            receipt_key=key,
            amount=due,
            value_date=value_date or timezone.localdate(),
            payer=winner.bidder.name,
            memo=f"拍卖成交尾款 标的{lot.pk}",
            actor=actor,
        )
        if not funds_queries.receipt_booked(key):
            raise Conflict("尾款未能计入本案执行款，请核对案款账户后重试", field="amount")
        if winner.deposit_paid > 0:
            auction_deposits.apply_deposit(
                actor,
                court_id=lot.court_id,
                case_id=lot.case_id,
                key=f"auction-apply:{winner.pk}",
                amount=winner.deposit_paid,
                memo=f"买受人保证金抵作价款 标的{lot.pk}",
            )
        winner.deposit_state = Registration.Deposit.APPLIED
        winner.save(update_fields=["deposit_state"])
        lot.status = Lot.Status.PAID
        lot.balance_txn = key
        lot.save(update_fields=["status", "balance_txn"])
        audit.record(
            actor,
            "auctions.balance_paid",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            after={"amount": due, "deposit": winner.deposit_paid, "bank_txn": key},
        )
    return lot
