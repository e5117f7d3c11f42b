"""What a case claims by its obligation (执行内容) — pure rules, no ORM.

* 诉讼费用交纳办法 Art 14(1): an application without a money amount (没有执行金额或者价额) costs 50–500
  yuan a case; with an amount, the cumulative bands of `rules.application_fee`. An act-performance case
  that also orders a payment has an amount, so the bands apply to it (the flat fee is for cases
  with none) — our reading of "没有执行金额或者价额的".
* SPC-CPL-Interp 2022 Art 505: a debtor late with an act owes 迟延履行金 — double the proven loss, or an
  amount the court sets where there is none — not the doubled interest of a money debt (迟延履行利息解释
  Art 1 computes interest only on 金钱债务). So no interest is computed on a non-money obligation;
  the 迟延履行金 is a figure the court decides, shown as such.
"""

from __future__ import annotations

from decimal import Decimal

from .rules import application_fee

__all__ = [
    "MONEY",
    "NO_MONEY_FEE_MAX",
    "NO_MONEY_FEE_MIN",
    "case_application_fee",
    "computes_delay_interest",
]

MONEY = "money"  # Obligation.MONEY (the choices live in the models layer)
NO_MONEY_FEE_MIN = Decimal("50.00")
NO_MONEY_FEE_MAX = Decimal("500.00")


def computes_delay_interest(obligation: str) -> bool:
    """True only for a money obligation (迟延履行利息解释 Art 1); acts owe 迟延履行金 (Art 505)."""
    return obligation == MONEY


def case_application_fee(obligation: str, amount: Decimal, flat_fee: Decimal) -> Decimal:
    """The application fee of a case: the bands on `amount`, or `flat_fee` (50–500) when it has none.

    Raises ValueError when a flat fee is needed and lies outside the band.
    """
    if amount > 0 or obligation == MONEY:
        return application_fee(amount)
    if not NO_MONEY_FEE_MIN <= flat_fee <= NO_MONEY_FEE_MAX:
        raise ValueError(f"无执行金额案件的申请执行费须在{NO_MONEY_FEE_MIN}至{NO_MONEY_FEE_MAX}元之间")
    return flat_fee.quantize(Decimal("0.01"))
