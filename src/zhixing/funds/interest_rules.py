"""Allocating the custody account's interest (执行款孳息) to cases — pure arithmetic, no ORM.

rules.md says nothing about 孳息 (§7.1 names the SPC 执行款物管理规定 but its text was not read), so
the policy is configuration (`conf.interest_policy`, UNCONFIRMED): by default each case with money in
the account during the bank's interest period gets a share in proportion to its average daily balance
(= its balance-days ÷ the period's days, so the balance-days themselves are the weights), split to the
fen by the largest-remainder method (`rules.largest_remainder`: never creates or loses a fen, ties to
the lower case id). The other policy keeps the whole credit off the cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .rules import ZERO, largest_remainder

__all__ = ["Share", "balance_days", "split_interest"]


def balance_days(opening: Decimal, deltas: Mapping[date, Decimal], start: date, end: date) -> Decimal:
    """Sum over the days of [start, end] of the balance at the end of each day.

    `opening` is the balance before `start`; `deltas` the net movement of each day (days outside the
    period are ignored). A negative balance (never allowed by the ledger) counts as zero.
    """
    if end < start:
        raise ValueError("计息止日不能早于起日")
    total = Decimal(0)
    balance = opening
    day = start
    while day <= end:
        balance += deltas.get(day, Decimal(0))
        total += max(balance, Decimal(0))
        day += timedelta(days=1)
    return total


@dataclass(frozen=True)
class Share:
    case_id: int | None  # None: the part not allocated to a case
    balance_days: Decimal
    amount: Decimal


def split_interest(amount: Decimal, weights: Mapping[int, Decimal], *, to_cases: bool) -> list[Share]:
    """Split `amount` over the cases by their balance-days; the shares sum exactly to `amount`.

    With ``to_cases`` False, or when no case had a balance in the period, one share with case None
    takes everything.
    """
    if amount < 0:
        raise ValueError("孳息金额不能为负数")
    ids = sorted(cid for cid, w in weights.items() if w > 0)
    if not to_cases or not ids or amount == 0:
        return [Share(None, sum((w for w in weights.values() if w > 0), ZERO), amount)]
    parts = largest_remainder(amount, [weights[i].quantize(Decimal("0.01")) for i in ids])
    return [Share(i, weights[i], p) for i, p in zip(ids, parts, strict=True)]
