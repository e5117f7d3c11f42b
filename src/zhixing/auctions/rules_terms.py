"""The lot's terms (网拍规定 2017 Arts 10, 12, 16, 17, 26): start price, deposit, increment, announcement
and notification periods, the bidding period and the re-auction deadline (pure, no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum

from .rules_money import FEN

# --- The lot's terms (网拍规定 2017) ---------------------------------------------------------------


class AssetClass(StrEnum):
    """What Art 12 distinguishes: movables, and real estate with other property rights."""

    MOVABLE = "movable"
    REAL_ESTATE = "real_estate"


START_PRICE_FLOOR = Decimal("0.70")  # rule
REAUCTION_MAX_CUT = Decimal("0.20")  # rule
DEPOSIT_MIN = Decimal("0.05")  # rule
DEPOSIT_MAX = Decimal("0.20")
ANNOUNCEMENT_DAYS = {  # rule
    (AssetClass.MOVABLE, False): 15,
    (AssetClass.REAL_ESTATE, False): 30,
    (AssetClass.MOVABLE, True): 7,
    (AssetClass.REAL_ESTATE, True): 15,
}
NOTIFY_BEFORE_DAYS = 3  # rule
MIN_BIDDING = timedelta(hours=24)  # rule
EXTENSION = timedelta(minutes=5)
REAUCTION_WITHIN_DAYS = 30  # rule


def start_price_floor(reference: Decimal | None, previous_start: Decimal | None) -> Decimal:
    """The lowest start price: ≥ 70 % of the reference price on a first auction (Art 10); on a
    re-auction the previous start price cut by at most 20 % (Art 26)."""
    # rule
    # rule
    # Rounded up to the fen: a floor rounded half-up (70 % of 100,000.02 is 70,000.014 → 70,000.01)
    # would admit a start a fraction of a fen below 70 % (or cut by more than 20 %).
    if previous_start is not None:
        return (previous_start * (1 - REAUCTION_MAX_CUT)).quantize(FEN, rounding=ROUND_CEILING)
    if reference is None:
        raise ValueError("首次拍卖须有参考价")
    return (reference * START_PRICE_FLOOR).quantize(FEN, rounding=ROUND_CEILING)


def start_price_problem(
    start: Decimal, reference: Decimal | None, previous_start: Decimal | None
) -> str | None:
    if start <= 0:
        return "起拍价必须大于零"
    floor = start_price_floor(reference, previous_start)
    if start < floor:
        if previous_start is not None:
            return f"再次拍卖的起拍价降价幅度不得超过前次起拍价的20%，不得低于{floor:.2f}元（网拍规定第26条）"
        return f"起拍价不得低于参考价的70%，即{floor:.2f}元（网拍规定第10条）"
    return None


def deposit_bounds(start: Decimal) -> tuple[Decimal, Decimal]:
    """The deposit lies between 5 % and 20 % of the start price (Art 17)."""
    # rule
    # Rounded inward to the fen, so every amount inside the bounds lies inside 5 %–20 %.
    return (start * DEPOSIT_MIN).quantize(FEN, rounding=ROUND_CEILING), (start * DEPOSIT_MAX).quantize(
        FEN, rounding=ROUND_FLOOR
    )


def deposit_problem(deposit: Decimal, start: Decimal) -> str | None:
    low, high = deposit_bounds(start)
    if not low <= deposit <= high:
        return f"保证金应为起拍价的5%至20%，即{low:.2f}元至{high:.2f}元（网拍规定第17条）"
    return None


def increment_problem(increment: Decimal, start: Decimal) -> str | None:
    if increment <= 0:
        return "加价幅度必须大于零"
    if increment > start:
        return "加价幅度不得超过起拍价"
    return None


def announcement_days(asset_class: AssetClass, reauction: bool) -> int:
    """Minimum days between announcement and the start of bidding (Arts 12, 26)."""
    # rule
    return ANNOUNCEMENT_DAYS[(asset_class, reauction)]


def announcement_problem(
    announced_on: date, bidding_starts_on: date, asset_class: AssetClass, reauction: bool
) -> str | None:
    days = announcement_days(asset_class, reauction)
    if (bidding_starts_on - announced_on).days < days:
        what = "动产" if asset_class == AssetClass.MOVABLE else "不动产及其他财产权"
        round_ = "再次拍卖" if reauction else "拍卖"
        earliest = announced_on + timedelta(days=days)
        return f"{what}{round_}应在竞价开始{days}日前公告，最早于{earliest:%Y-%m-%d}开始竞价"
    return None


def notification_problem(notified_on: date | None, announced_on: date) -> str | None:
    """Parties and known pre-emption holders are notified ≥ 3 days before the announcement (Art 16)."""
    # rule
    if notified_on is None:
        return "须先通知当事人和已知优先购买权人"
    if (announced_on - notified_on).days < NOTIFY_BEFORE_DAYS:
        return (
            f"应在公告3日前通知当事人和已知优先购买权人，公告最早于{notified_on + timedelta(days=3):%Y-%m-%d}"
        )
    return None


def bidding_period_problem(starts_at: datetime, ends_at: datetime) -> str | None:
    """Bidding lasts at least 24 hours (Art 20)."""
    # rule
    if ends_at - starts_at < MIN_BIDDING:
        return "竞价时间不得少于24小时（网拍规定第20条）"
    return None


def reauction_deadline(failed_on: date) -> date:
    """An online re-auction is held within 30 days of the failure (网拍规定 Art 26(1); the online rule
    governs online auctions, not 拍卖变卖规定 Art 23's 60 days)."""
    # rule
    return failed_on + timedelta(days=REAUCTION_WITHIN_DAYS)


@dataclass(frozen=True)
class LotTerms:
    """What a collegial panel decides for one auction round (Art 27)."""

    asset_class: AssetClass
    reference: Decimal | None
    previous_start: Decimal | None  # the last round's start price; None on a first auction
    start_price: Decimal
    increment: Decimal
    deposit: Decimal
    notified_on: date | None
    announced_on: date
    starts_at: datetime
    ends_at: datetime
    panel: tuple[str, ...]


def lot_problems(terms: LotTerms) -> dict[str, str]:
    """Every rule the terms break, by field (empty: the lot may be published)."""
    out: dict[str, str] = {}
    reauction = terms.previous_start is not None
    if not reauction and terms.reference is None:
        out["reference"] = "首次拍卖须先确定参考价"
    else:
        p = start_price_problem(terms.start_price, terms.reference, terms.previous_start)
        if p:
            out["start_price"] = p
    if terms.start_price > 0:
        p = deposit_problem(terms.deposit, terms.start_price)
        if p:
            out["deposit"] = p
        p = increment_problem(terms.increment, terms.start_price)
        if p:
            out["increment"] = p
    p = notification_problem(terms.notified_on, terms.announced_on)
    if p:
        out["notified_on"] = p
    p = announcement_problem(terms.announced_on, terms.starts_at.date(), terms.asset_class, reauction)
    if p:
        out["starts_at"] = p
    p = bidding_period_problem(terms.starts_at, terms.ends_at)
    if p:
        out["ends_at"] = p
    # rule
    members = [m.strip() for m in terms.panel if m.strip()]
    if len(members) < 3 or len(members) % 2 == 0 or len(set(members)) != len(members):
        out["panel"] = "起拍价、保证金、加价幅度等须由合议庭决定：请填写3名或以上单数、互不相同的合议庭成员"
    return out
