"""Converting foreign-currency statement lines to yuan with a dated rate table (pure, no ORM).

A statement may carry lines in US dollars, Hong Kong dollars and other currencies (a card used
abroad, a foreign-currency account). The indicators compare amounts with each other and with the
claim, so every line is converted to CNY on import with the rate in force on the line's date: the
rate of the same currency with the latest `valid_from` not after that date. The original amount,
currency and the rate used stay on the transaction. A currency with no rate on that date is a row
error naming the currency and the date (rejected or quarantined, as the user chose for the import).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .parsing import Line, RowError

BASE = "CNY"
CENT = Decimal("0.01")


def to_cny(amount: Decimal, rate: Decimal) -> Decimal:
    """`amount` × `rate`, rounded half-up to the fen (money is exact to 2 places)."""
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


class RateTable:
    """Rates to CNY by currency, each valid from its date until the next rate of that currency."""

    def __init__(self, rates: Iterable[tuple[str, date, Decimal]] = ()) -> None:
        by_cur: dict[str, list[tuple[date, Decimal]]] = {}
        for currency, valid_from, rate in rates:
            by_cur.setdefault(currency.upper(), []).append((valid_from, Decimal(rate)))
        self._days = {c: [d for d, _ in sorted(v)] for c, v in by_cur.items()}
        self._rates = {c: [r for _, r in sorted(v)] for c, v in by_cur.items()}

    def rate_on(self, currency: str, day: date) -> Decimal | None:
        """The rate in force for `currency` on `day`, or None (CNY is always 1)."""
        if currency == BASE:
            return Decimal(1)
        days = self._days.get(currency)
        if not days:
            return None
        i = bisect.bisect_right(days, day) - 1
        return self._rates[currency][i] if i >= 0 else None

    def convert(self, line: Line) -> Line:
        """The line in CNY, keeping the original amount and the rate; RowError if no rate applies."""
        if line.currency == BASE:
            return line
        day = line.occurred_at.date()
        rate = self.rate_on(line.currency, day)
        if rate is None:
            raise RowError(
                f"币种{line.currency}在{day.isoformat()}没有可用汇率，无法折算为人民币"
                "（请财务人员或执行局局长在“分析 › 折算汇率”页补录该币种汇率）"
            )
        balance = to_cny(line.balance, rate) if line.balance is not None else None
        return replace(
            line,
            amount=to_cny(line.amount, rate),
            balance=balance,
            original_amount=line.amount,
            fx_rate=rate,
        )
