"""Enforcement costs the debtor bears, recorded on the case (实际支出费用) — pure checks, no ORM, no clock.

执行程序解释 Art 26: the court may publish the debtor's non-performance in newspapers, radio, television,
the internet and other media; "媒体公布的有关费用，由被执行人负担；申请执行人申请在媒体公布的，应当垫付有关
费用". 限制消费规定 Art 7 says the same of publishing a 限制消费令 (the applicant who asks for it advances the
cost). 诉讼费用交纳办法 Art 38: the application fee and the costs actually incurred in enforcement are borne
by the debtor. A recorded cost is owed by the debtor with the enforcement costs — first, before general
interest and principal (the case's payment order, rules R-6.3.4, R-6.3.15) — and what the applicant
advanced is repaid to the applicant from the debtor's money.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

__all__ = ["ADVANCERS", "COST_KINDS", "applicant_advanced", "cost_problem", "costs_owed"]

MEDIA = "media_publication"
# kind -> (label, article)
COST_KINDS: dict[str, tuple[str, str]] = {
    MEDIA: ("媒体公布（公告）费用", "执行程序解释第26条；限制消费规定第7条"),
    "other": ("其他实际支出费用", "诉讼费用交纳办法第38条"),
}
ADVANCERS: dict[str, str] = {"applicant": "申请执行人垫付", "court": "法院支付"}
ZERO = Decimal("0.00")


# rule
def cost_problem(
    *,
    kind: str,
    amount: Decimal,
    incurred_on: date,
    filed_on: date,
    today: date,
    applicant_requested: bool,
    advanced_by: str,
) -> tuple[str, str] | None:
    """(field, Chinese message) of the first thing wrong with a cost to record, or None.

    A media publication the applicant asked for is advanced by the applicant (执行程序解释 Art 26;
    限制消费规定 Art 7): recording it as paid by the court is refused.
    """
    if kind not in COST_KINDS:
        return "kind", "请选择费用种类"
    if amount <= 0:
        return "amount", "费用金额须大于0元"
    if incurred_on < filed_on:
        return "incurred_on", f"支出日期不能早于立案日期{filed_on:%Y-%m-%d}"
    if incurred_on > today:
        return "incurred_on", "支出日期不能晚于今天"
    if advanced_by not in ADVANCERS:
        return "advanced_by", "请选择费用由谁支付"
    if kind == MEDIA and applicant_requested and advanced_by != "applicant":
        return "advanced_by", "申请执行人申请在媒体公布的，应当由申请执行人垫付有关费用（执行程序解释第26条）"
    return None


# rule
def costs_owed(amounts: Iterable[Decimal]) -> Decimal:
    """What the recorded costs add to the debtor's enforcement costs."""
    return sum(amounts, ZERO)


# rule
def applicant_advanced(rows: Iterable[tuple[str, Decimal]]) -> Decimal:
    """Of (advanced_by, amount) rows, what the applicant advanced: owed back to the applicant."""
    return sum((a for who, a in rows if who == "applicant"), ZERO)
