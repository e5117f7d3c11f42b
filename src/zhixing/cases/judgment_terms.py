"""Terms of the instrument that change what the debtor owes — pure, no ORM (rules.md §6.3).

* Foreign-currency money debts (迟延履行利息解释 Art 5): the doubled part is computed at the same
  0.0175 %/day **in that currency**; when the applicant asks for RMB, the instrument's foreign amounts
  are first converted at the central parity rate (中间价) of the day the doubled part starts
  (中国外汇交易中心 / 人民银行授权机构), and everything is computed in RMB. `to_rmb` converts one amount
  (half-up to the fen); `convert_instalments` converts the instalments so they still add up exactly.
* 迟延履行金 for non-money obligations (民诉解释 Art 505 (2022)): the debtor pays it whether or not the
  delay caused a loss — **double the proven loss**, or, where no loss was caused, an amount the court
  decides (`late_performance_fee`).
* The acceleration clause (加速到期) is computed in `schedule.acceleration_day`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from zhixing.core.money import FEN, AmountError

RMB = "CNY"

# ISO 4217 codes the central parity rate (人民币汇率中间价) is published for (the common ones; others
# go by the bank's middle rate or a cross rate, Art 5 last sentence — entered as a rate all the same).
CURRENCIES: tuple[tuple[str, str], ...] = (
    (RMB, "人民币"),
    ("USD", "美元"),
    ("EUR", "欧元"),
    ("JPY", "日元"),
    ("HKD", "港元"),
    ("GBP", "英镑"),
    ("AUD", "澳大利亚元"),
    ("CAD", "加拿大元"),
    ("SGD", "新加坡元"),
    ("CHF", "瑞士法郎"),
    ("MOP", "澳门元"),
    ("KRW", "韩元"),
)
CURRENCY_LABELS = dict(CURRENCIES)

__all__ = [
    "CURRENCIES",
    "CURRENCY_LABELS",
    "RMB",
    "convert_instalments",
    "late_performance_fee",
    "to_rmb",
]


# rule
def to_rmb(amount: Decimal, rate: Decimal) -> Decimal:
    """`amount` of a foreign currency in RMB at `rate` (RMB for 1 unit), half-up to the fen."""
    if not rate.is_finite() or rate <= 0:
        raise AmountError("人民币对该外币的中间价须大于0")
    if not amount.is_finite() or amount < 0:
        raise AmountError("金额不能为负数或非数值")
    return (amount * rate).quantize(FEN, rounding=ROUND_HALF_UP)


def convert_instalments(
    instalments: Sequence[tuple[date, Decimal]], total_rmb: Decimal, rate: Decimal
) -> list[tuple[date, Decimal]]:
    """Each instalment in RMB; the last one takes the rounding difference so they add up to `total_rmb`
    (the converted principal bucket), as the schedule requires."""
    out = [(d, to_rmb(a, rate)) for d, a in instalments]
    if out:
        d, a = out[-1]
        out[-1] = (d, a + total_rmb - sum((x for _, x in out), Decimal("0.00")))
    return out


# rule
def late_performance_fee(loss: Decimal | None, decided: Decimal | None) -> Decimal:
    """迟延履行金 of a non-money obligation: double the proven loss (损失), else the amount the court
    decided where no loss was caused; 0 while neither is recorded."""
    for value in (loss, decided):
        if value is not None and (not value.is_finite() or value < 0):
            raise AmountError("金额不能为负数或非数值")
    if loss is not None and loss > 0:
        return (loss * 2).quantize(FEN)
    return (decided or Decimal("0")).quantize(FEN)
