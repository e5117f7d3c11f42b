"""Income withholding (扣留、提取收入) — pure arithmetic and refusals, no ORM, no clock.

CPL-2023 Art 254 (CPL-2021 Art 250, CPL-2017 Art 243): when the debtor has not performed as the
enforcement notice ordered, the court may withhold or withdraw the part of the debtor's income that
answers for the obligation, **keeping the living necessities of the debtor and the dependants**; it rules
so (裁定) and sends an assistance notice (协助执行通知书) to the debtor's employer or other payer, which must
comply. 查封扣押冻结规定 (2020) Art 3(2) fixes the necessities: "被执行人及其所扶养家属所必需的生活费用。
当地有最低生活保障标准的，必需的生活费用依照该标准确定" — so the reserve is the local minimum living
standard (最低生活保障标准) for the debtor and each dependant. Never more than the obligation (CPL-2023
Art 253, "应当履行义务部分").
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal

__all__ = [
    "DEPENDANTS_MAX",
    "WithholdingProblem",
    "living_reserve",
    "monthly_withholding",
    "notice_refusal",
    "order_problem",
    "remaining",
]

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
DEPENDANTS_MAX = 20  # far beyond any household; a typo guard


class WithholdingProblem(ValueError):
    """An order the rule refuses; `field` names the form field, the message is Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# rule
def living_reserve(standard: Decimal, dependants: int) -> Decimal:
    """The monthly living necessities kept for the debtor and the `dependants` (查封规定 Art 3(2)): the
    local minimum living standard per person, for 1 + dependants persons."""
    return (standard * (1 + dependants)).quantize(FEN)


# rule
def monthly_withholding(income: Decimal, standard: Decimal, dependants: int, outstanding: Decimal) -> Decimal:
    """What the payer withholds each month: the income beyond the living reserve, never more than what
    the debtor still owes (CPL-2023 Arts 253, 254). Rounded down to the fen — the debtor keeps the rest."""
    beyond = income - living_reserve(standard, dependants)
    return max(min(beyond, outstanding), ZERO).quantize(FEN, rounding=ROUND_DOWN)


# rule
def order_problem(income: Decimal, standard: Decimal, dependants: int, outstanding: Decimal) -> None:
    """Raise `WithholdingProblem` (naming the field) for an order the rules refuse."""
    if income <= 0:
        raise WithholdingProblem("monthly_income", "每月收入须大于0元")
    if standard <= 0:
        raise WithholdingProblem("living_standard", "当地最低生活保障标准须大于0元")
    if not 0 <= dependants <= DEPENDANTS_MAX:
        raise WithholdingProblem("dependants", f"所扶养家属人数应在0至{DEPENDANTS_MAX}人之间")
    if outstanding <= 0:
        raise WithholdingProblem("case", "被执行人已无尚未履行的金钱义务，不能扣留收入")
    reserve = living_reserve(standard, dependants)
    if income <= reserve:
        raise WithholdingProblem(
            "monthly_income",
            f"每月收入{income:,.2f}元不超过被执行人及{dependants}名所扶养家属的生活必需费用{reserve:,.2f}元"
            "（民事诉讼法第254条、查封扣押冻结规定第3条第2项），不能扣留",
        )


# rule
def notice_refusal(served_on: date | None, period_ends_on: date | None, today: date) -> str | None:
    """Why income may not be withheld yet: CPL-2023 Art 254 applies when the debtor "未按执行通知履行" —
    the notice must have been served and its performance period must have run out (refused on its last
    day, allowed the day after). None when it may."""
    if served_on is None or period_ends_on is None:
        return "执行通知书尚未送达被执行人，不能扣留收入（民事诉讼法第254条：被执行人未按执行通知履行）"
    if today <= period_ends_on:
        return (
            f"执行通知书指定的履行期间至{period_ends_on:%Y年%m月%d日}届满，"
            "期满仍未履行的方可扣留收入（民事诉讼法第254条）"
        )
    return None


def remaining(limit: Decimal, received: Decimal) -> Decimal:
    """What the order may still bring in: its limit less what the payer has sent."""
    return max(limit - received, ZERO)
