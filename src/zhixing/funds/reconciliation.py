"""Daily reconciliation: the ledger's custody-bank side against the bank statement (pure, no ORM).

Items are matched by the bank transaction id; what is left on either side is a difference, listed
with candidate matches from the other side (same amount, value date within `window` days, ranked by
closeness of date and similarity of the counterparty). `settle` says whether the differences explain
the balance difference and what status the day's reconciliation has; `days_to_reconcile` which days the
daily task reconciles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple, Protocol


class Item(NamedTuple):
    """One movement (a NamedTuple: a million of them are built per daily run)."""

    ref: str  # bank transaction id / payment id
    value_date: date
    amount: Decimal  # signed: + in, − out
    label: str = ""
    party: str = ""  # counterparty name (payer of a receipt, payee of a payout)
    account: str = ""  # counterparty account number


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
        return rank_candidates(x, pool, window, max_candidates)

    diffs += [Difference("bank_only", b, candidates=near(b, by_amount.get(b.amount, []))) for b in bank_only]
    diffs += [
        Difference("ledger_only", i, candidates=near(i, bank_by_amount.get(i.amount, [])))
        for i in ledger_only
    ]
    return Report(statement_date, ledger_balance, bank_balance, matched, diffs)


def similar_party(a: Item, b: Item) -> bool:
    """Same counterparty account, or names equal or one containing the other (两个字以上)."""
    if a.account and a.account == b.account:
        return True
    x, y = a.party.strip(), b.party.strip()
    return len(x) >= 2 and len(y) >= 2 and (x in y or y in x)


def candidate_score(x: Item, c: Item) -> int:
    """Higher is likelier: 100 less 10 a day apart, +30 for the same account, +20 for a similar name."""
    score = 100 - 10 * abs((c.value_date - x.value_date).days)
    if x.account and x.account == c.account:
        score += 30
    x_name, c_name = x.party.strip(), c.party.strip()
    if len(x_name) >= 2 and len(c_name) >= 2 and (x_name in c_name or c_name in x_name):
        score += 20
    return score


def rank_candidates(x: Item, pool: Iterable[Item], window: int = 3, limit: int = 5) -> list[Item]:
    """Items of `pool` with `x`'s amount within `window` days, best first (ties by reference)."""
    near = [p for p in pool if p.amount == x.amount and abs((p.value_date - x.value_date).days) <= window]
    near.sort(key=lambda p: (-candidate_score(x, p), p.ref))
    return near[:limit]


class Settled(NamedTuple):
    status: str  # "balanced" | "differences" | "confirmed"
    unexplained: Decimal
    open_count: int


class Diff(Protocol):
    side: str
    amount: Decimal
    other_amount: Decimal | None
    status: str  # "open" | "matched" | "booked"
    matched_date: date | None


def settle(
    statement_date: date, ledger_balance: Decimal, bank_balance: Decimal | None, items: Iterable[Diff]
) -> Settled:
    """The day's status from its differences.

    Each difference explains part of ``ledger − bank`` as of the statement's date: an open bank-only
    line is money the ledger lacks (−amount), an open ledger-only movement money the bank lacks
    (+amount), a different amount (ledger − bank). A confirmed match explains nothing when both sides
    fall on or before the date (both balances hold it), and explains its amount as a timing difference
    (未达账项) when the other side falls after it. A booked line is in the ledger now (its balance holds
    it). What is left is `unexplained`. Status: *balanced* — no difference at all and nothing
    unexplained; *confirmed* — every difference handled by finance and nothing unexplained;
    *differences* otherwise. Without a bank balance only the lines are compared.
    """
    explained, n_items, n_open = Decimal("0.00"), 0, 0
    for d in items:
        n_items += 1
        n_open += d.status == "open"
        if d.side == "amount":
            explained += (d.other_amount or Decimal("0.00")) - d.amount
        elif d.status == "booked":
            continue
        elif d.status == "open" or (d.matched_date is not None and d.matched_date > statement_date):
            explained += d.amount if d.side == "ledger_only" else -d.amount
    unexplained = Decimal("0.00") if bank_balance is None else ledger_balance - bank_balance - explained
    if n_open or unexplained:
        return Settled("differences", unexplained, n_open)
    return Settled("confirmed" if n_items else "balanced", unexplained, 0)


def days_to_reconcile(
    today: date, is_workday: Callable[[date], bool], last_done: date | None = None
) -> list[date]:
    """The statement days the daily task reconciles on `today`: none on a rest day; on a working day
    every calendar day from the previous working day through yesterday (Monday: Friday, Saturday and
    Sunday — money moves on rest days too), starting after `last_done` if that is later."""
    if not is_workday(today):
        return []
    start = today - timedelta(days=1)
    while not is_workday(start):
        start -= timedelta(days=1)
    if last_done is not None and last_done >= start:
        start = last_done + timedelta(days=1)
    return [start + timedelta(days=i) for i in range((today - start).days)]
