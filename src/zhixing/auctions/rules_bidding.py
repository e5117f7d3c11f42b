"""Live bidding (网拍规定 Arts 19–21): the bid book, the increment, the pre-emption match and tie rule,
the five-minute extension and the refusal decided from committed state (pure, no Django)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from .rules_money import FEN
from .rules_terms import EXTENSION

# --- Bidding (Arts 19–21) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bid:
    """One accepted bid: the bidder's code, amount, server arrival time and pre-emption rank (None for
    an ordinary bidder; 1 is the first rank) and its place in the timeline (`seq`, which orders two
    bids arriving in the same microsecond)."""

    code: str
    amount: Decimal
    at: datetime
    rank: int | None = None
    seq: int = 0


def ahead(a: Bid, b: Bid) -> bool:
    """Whether bid `a` stands before bid `b` (Art 21): the higher price; at the same price a
    pre-emption holder before an ordinary bidder, the better rank before the worse, and within one
    rank (or among ordinary bidders) the earlier bid."""
    # rule
    if a.amount != b.amount:
        return a.amount > b.amount
    if a.rank != b.rank:
        if a.rank is None:
            return False
        if b.rank is None:
            return True
        return a.rank < b.rank
    return (a.at, a.seq) < (b.at, b.seq)


def leader(bids: Iterable[Bid]) -> Bid | None:
    """The bid that wins if bidding ended now."""
    best: Bid | None = None
    for bid in bids:
        if best is None or ahead(bid, best):
            best = bid
    return best


@dataclass(frozen=True)
class Book:
    """The state of one lot's bidding that decides the next bid."""

    start_price: Decimal
    increment: Decimal
    starts_at: datetime
    ends_at: datetime
    best: Bid | None = None
    count: int = 0


def extended_end(ends_at: datetime, bid_at: datetime) -> datetime:
    """A bid in the last five minutes moves the end to five minutes after it (Art 20); the server's
    arrival time counts."""
    # rule
    return max(ends_at, bid_at + EXTENSION)


def bid_problem(book: Book, code: str, amount: Decimal, at: datetime, rank: int | None) -> str | None:
    """Why this bid is refused (None: accept). A first bid needs at least the start price; later ones
    beat the current price by the increment; a pre-emption holder may instead match the current price
    when that puts it ahead (Art 21)."""
    # rule
    # rule
    if at < book.starts_at:
        return "竞价尚未开始"
    if at > book.ends_at:
        return "竞价已结束"
    if amount <= 0 or amount != amount.quantize(FEN):
        return "出价须为精确到分的正数金额"
    if book.best is None:
        if amount < book.start_price:
            return f"首次出价不得低于起拍价{book.start_price:.2f}元"
        return None
    current = book.best.amount
    if amount >= current + book.increment:
        return None
    if amount == current and rank is not None and book.best.code != code:
        if ahead(Bid(code, amount, at, rank, book.count + 1), book.best):
            return None
        return f"同价出价不优先于当前最高出价人，须至少加价{book.increment:.2f}元"
    if book.best.code == code and amount == current:
        return "您已是当前最高出价人"
    return f"出价须不低于当前价{current:.2f}元加一个加价幅度，即{current + book.increment:.2f}元"


def standing_refusal(
    current: Decimal | None,
    start_price: Decimal,
    increment: Decimal,
    starts_at: datetime,
    ends_at: datetime,
    amount: Decimal,
    at: datetime,
) -> str | None:
    """A price refusal no bid accepted meanwhile can lift, judged on a committed state of the lot that
    may already be stale (read without the lot's lock); None when only the locked book can decide.

    While a lot is bidding its price only rises: the first bid is at least the start price, and every
    later accepted bid either beats the price by at least the increment or matches it (a pre-emption
    holder, Art 21), so a later price is the same one or at least one increment higher. A bid below
    the start price, or below the price plus the increment and not equal to the price, is therefore
    refused against every later book as well, with `bid_problem`'s message for the state read. The
    time rules are left to the locked book (the end may have moved meanwhile), and so are a bid at
    exactly the price (a pre-emption holder's match) and malformed amounts.
    """
    # rule
    # rule
    if at < starts_at or at > ends_at or amount <= 0 or amount != amount.quantize(FEN):
        return None
    if current is None:
        return f"首次出价不得低于起拍价{start_price:.2f}元" if amount < start_price else None
    if amount < current + increment and amount != current:
        return f"出价须不低于当前价{current:.2f}元加一个加价幅度，即{current + increment:.2f}元"
    return None


def apply_bid(
    book: Book, code: str, amount: Decimal, at: datetime, rank: int | None
) -> tuple[Book, str | None]:
    """The book after the bid (unchanged with the refusal when refused)."""
    problem = bid_problem(book, code, amount, at, rank)
    if problem:
        return book, problem
    bid = Bid(code, amount, at, rank, book.count + 1)
    best = bid if book.best is None or ahead(bid, book.best) else book.best
    return replace(book, best=best, ends_at=extended_end(book.ends_at, at), count=book.count + 1), None
