"""The published performance (履行情况, 失信规定 Art 6(3)) from the case's dated payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhixing.core.money import yuan

# -- published performance (履行情况, 失信规定 Art 6(3)) from the case's dated payments -------------------
PERFORMANCE_LABELS: dict[str, str] = {"none": "全部未履行", "partial": "部分履行", "full": "全部履行"}


def paid_total(payments: list[tuple[date, Decimal]], as_of: date | None = None) -> Decimal:
    """Net money performed up to `as_of` (reversals are negative rows)."""
    return sum((a for d, a in payments if as_of is None or d <= as_of), Decimal("0"))


def paid_since(payments: list[tuple[date, Decimal]], since: date) -> Decimal:
    """Net money performed on or after `since` (e.g. the listing decision)."""
    return sum((a for d, a in payments if d >= since), Decimal("0"))


def performance_status(obligation: Decimal, paid: Decimal) -> str:
    """ "none", "partial" or "full"; an act-performance case (no sum) is "" (nothing to compute)."""
    if obligation <= 0:
        return ""
    if paid <= 0:
        return "none"
    return "full" if paid >= obligation else "partial"


def performance_text(obligation: Decimal, paid: Decimal) -> str:
    """The published 履行情况: 全部未履行 / 部分履行（已履行X元，尚未履行Y元） / 全部履行; "" for acts."""
    status = performance_status(obligation, paid)
    if status == "partial":
        return f"部分履行（已履行{yuan(paid)}元，未履行{yuan(obligation - paid)}元）"
    return PERFORMANCE_LABELS.get(status, "")
