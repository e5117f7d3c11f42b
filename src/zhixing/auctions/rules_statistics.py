"""The statistics the SPC reports (pure, no Django): premium rate and the commission saved against the
statutory scale."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from .rules_money import ZERO, _money

# --- Statistics ------------------------------------------------------------------------------------


def premium_rate(sales: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ(sale − start) / Σ start over sold lots, as the SPC reports it; None without sales."""
    # rule
    starts = ZERO
    gains = ZERO
    for start, price in sales:
        starts += start
        gains += price - start
    if starts == 0:
        return None
    return (gains / starts).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def commission(price: Decimal, scale: Sequence[tuple[Decimal | None, Decimal]]) -> Decimal:
    """The statutory commission a traditional auction house could have charged on `price`: cumulative
    bands (upper bound or None for the rest, rate). The scale is configuration (UNCONFIRMED)."""
    # rule
    total = ZERO
    lower = ZERO
    for upper, rate in scale:
        top = price if upper is None else min(price, upper)
        if top > lower:
            total += (top - lower) * rate
        if upper is None or price <= upper:
            break
        lower = upper
    return _money(total)
