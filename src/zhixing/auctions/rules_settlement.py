"""Settlement and the chain after a failure (网拍规定 Arts 11, 17, 23, 24, 26; 拍卖变卖规定 Arts 16, 32):
deposits due, balance, refunds, the forfeit order and the re-auction / sale / set-off steps (pure)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from .rules_money import ZERO
from .rules_terms import REAUCTION_WITHIN_DAYS, reauction_deadline

# --- Settlement (Arts 11, 17, 23, 24) ---------------------------------------------------------------


def deposit_due(deposit: Decimal, applicant_claim: Decimal | None) -> Decimal:
    """What a bidder pays before bidding: the deposit; an applicant bidding on its own case pays only
    what its claim does not cover (Art 17)."""
    # rule
    if applicant_claim is None:
        return deposit
    return max(deposit - applicant_claim, ZERO)


def balance_due(price: Decimal, deposit_paid: Decimal) -> Decimal:
    """The buyer's balance: the price less its deposit, which counts toward the price (Art 23)."""
    # rule
    return max(price - deposit_paid, ZERO)


REFUND_WITHIN = timedelta(hours=24)  # rule
BALANCE_DAYS = 10  # the announcement's payment period; the court sets it (Art 13), this is the default


def refund_deadline(ended_at: datetime) -> datetime:
    """Losing deposits are released within 24 hours after bidding ends (Art 23)."""
    # rule
    return ended_at + REFUND_WITHIN


FORFEIT_ORDER = (  # rule
    "拍卖产生的费用损失",
    "弥补重新拍卖价款低于原拍卖价款的差价",
    "冲抵本案被执行人的债务",
    "冲抵被执行人的其他相关债务",
)


class Step(StrEnum):
    """A node of the re-auction chain."""

    AUCTION = "auction"
    REAUCTION = "reauction"
    SALE = "sale"  # 变卖
    SET_OFF = "set_off"  # 以物抵债


STEP_LABELS = {
    Step.AUCTION: "一拍",
    Step.REAUCTION: "二拍",
    Step.SALE: "变卖",
    Step.SET_OFF: "以物抵债",
}


def after_failure(round_no: int, failed_on: date, sale_days: int) -> list[tuple[Step, date]]:
    """What may follow a failed round, each with its clock: after the first failure a re-auction
    within 30 days (Art 26(1)), or a set-off at that round's reserve (拍卖变卖规定 Art 16); after the
    second, a sale on the platform (Art 26(2); its period is configuration, UNCONFIRMED) or a set-off."""
    # rule
    # rule
    set_off = (Step.SET_OFF, failed_on + timedelta(days=REAUCTION_WITHIN_DAYS))
    if round_no <= 1:
        return [(Step.REAUCTION, reauction_deadline(failed_on)), set_off]
    return [(Step.SALE, failed_on + timedelta(days=sale_days)), set_off]
