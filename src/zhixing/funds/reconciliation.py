"""Daily reconciliation: the ledger's custody-bank side against the bank statement (pure, no ORM).

Items are matched by the bank transaction id; what is left on either side is a difference, listed
with candidate matches from the other side (same amount, value date within `window` days).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple


class Item(NamedTuple):
    """One movement (a NamedTuple: a million of them are built per daily run)."""

    ref: str  # bank transaction id / payment id
    value_date: date
    amount: Decimal  # signed: + in, − out
    label: str = ""


@dataclass
class Difference:
    side: str  # "bank_only" | "ledger_only" | "amount"
    item: Item
    other_amount: Decimal | None = None
    candidates: list[Item] = field(default_factory=list)


@dataclass
class Report:
    statement_date: date
    ledger_balance: Decimal
    bank_balance: Decimal | None
    matched: int
    differences: list[Difference]

    @property
    def balance_difference(self) -> Decimal | None:
        return None if self.bank_balance is None else self.ledger_balance - self.bank_balance

    @property
    def ok(self) -> bool:
        return not self.differences and not self.balance_difference


def reconcile(
    statement_date: date,
    bank: Iterable[Item],
    ledger: Iterable[Item],
    ledger_balance: Decimal,
    bank_balance: Decimal | None,
    window: int = 3,
    max_candidates: int = 5,
) -> Report:
    led = {i.ref: i for i in ledger}
    bank_only: list[Item] = []
    diffs: list[Difference] = []
    matched = 0
    for b in bank:
        mine = led.pop(b.ref, None)
        if mine is None:
            bank_only.append(b)
        elif mine.amount != b.amount:
            diffs.append(Difference("amount", b, other_amount=mine.amount))
        else:
            matched += 1
    ledger_only = list(led.values())
    by_amount: dict[Decimal, list[Item]] = defaultdict(list)
    for i in ledger_only:
        by_amount[i.amount].append(i)
    bank_by_amount: dict[Decimal, list[Item]] = defaultdict(list)
    for b in bank_only:
        bank_by_amount[b.amount].append(b)

    def near(x: Item, pool: list[Item]) -> list[Item]:
        return [p for p in pool if abs((p.value_date - x.value_date).days) <= window][:max_candidates]

    diffs += [Difference("bank_only", b, candidates=near(b, by_amount.get(b.amount, []))) for b in bank_only]
    diffs += [
        Difference("ledger_only", i, candidates=near(i, bank_by_amount.get(i.amount, [])))
        for i in ledger_only
    ]
    return Report(statement_date, ledger_balance, bank_balance, matched, diffs)
