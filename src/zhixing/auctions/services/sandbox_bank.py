"""The sandbox bank's side of auction money (the demo, the browser test and the test suite).

With `ZHIXING_AUCTIONS["sandbox_payments"]` the portal offers a simulated transfer: the sandbox custody
bank sends its notice of the transfer, booked by the funds domain exactly as a real notice is (a
receipt from source `notice`, to the court's custody account: 不明款 until matched), and the platform
then matches it to the registration or the lot (`bank_money`, actor None). So the demo's money goes the
same way production money does — a bank notice first, then the match — and no endpoint books money
from a reference someone typed. The pages call these only while the setting is on
(`sandbox_deposit`, `sandbox_balance`); the demo seeding and the tests call the transfers directly.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.utils import timezone

from zhixing.core.errors import Conflict, NotPermitted
from zhixing.funds.services.receipts import book_receipt

from .. import conf, rules
from ..models import Lot, Registration
from . import bank_money


def bank_notice(court_id: int, bank_txn: str, amount: Any, value_date: date, payer: str, memo: str) -> None:
    """The sandbox custody bank's notice of a transfer to the court's custody account (no sub-account)."""
    book_receipt(
        idempotency_key=bank_txn,
        amount=amount,
        value_date=value_date,
        court=court_id,
        payer_name=payer,
        memo=memo,
        source="notice",
    )


def transfer_deposit(registration_id: int, *, bank_txn: str, amount: Any) -> Registration:
    """The bidder transfers `amount` (the sandbox bank notifies it), matched to the registration."""
    reg = Registration.objects.select_related("lot", "bidder").get(pk=registration_id)
    if reg.deposit_state == Registration.Deposit.PAID:
        return reg
    bank_notice(
        reg.lot.court_id,
        bank_txn,
        amount,
        timezone.localdate(),
        reg.bidder.name,
        f"拍卖保证金 标的{reg.lot_id} 竞买号{reg.code}",
    )
    return bank_money.record_deposit(None, reg.pk, bank_txn=bank_txn, amount=amount)


def transfer_balance(lot_id: int, *, bank_txn: str, amount: Any, value_date: date | None = None) -> Lot:
    """The buyer transfers `amount` (the sandbox bank notifies it), matched to the lot's balance."""
    lot = Lot.objects.select_related("leader__bidder").get(pk=lot_id)
    on = value_date or timezone.localdate()
    payer = lot.leader.bidder.name if lot.leader else ""
    bank_notice(lot.court_id, bank_txn, amount, on, payer, f"拍卖成交尾款 标的{lot.pk}")
    return bank_money.pay_balance(None, lot.pk, bank_txn=bank_txn, amount=amount, value_date=on)


def _require_sandbox() -> None:
    if not conf.sandbox_payments():
        raise NotPermitted("模拟银行转账仅在演示环境可用；请通过托管银行转账，到账后由财务人员登记")


def sandbox_deposit(registration_id: int) -> Registration:
    """The portal's simulated deposit transfer (only while `sandbox_payments` is on)."""
    _require_sandbox()
    reg = Registration.objects.get(pk=registration_id)
    return transfer_deposit(reg.pk, bank_txn=f"SANDBOX-DEP-{uuid.uuid4().hex[:16]}", amount=reg.deposit_due)


def sandbox_balance(lot_id: int) -> Lot:
    """The clerk page's simulated balance transfer by the buyer (only while `sandbox_payments` is on)."""
    _require_sandbox()
    lot = Lot.objects.select_related("leader").get(pk=lot_id)
    due = (
        rules.balance_due(lot.current_price, lot.leader.deposit_paid)
        if lot.leader is not None and lot.current_price is not None
        else None
    )
    if due is None or lot.status != Lot.Status.SOLD:
        raise Conflict("该标的不在待付尾款状态", field="status")
    return transfer_balance(lot.pk, bank_txn=f"SANDBOX-BAL-{uuid.uuid4().hex[:16]}", amount=due)
