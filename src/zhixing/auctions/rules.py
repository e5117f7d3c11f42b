"""The legal and arithmetic rules of online judicial auctions, pure (no ORM, no Django).

Reference price (参考价规定 2018), the lot's terms (网拍规定 2017 Arts 10, 12, 16, 17, 20, 26), live
bidding with the five-minute extension and the pre-emption tie rules (Arts 19–21), settlement
(Arts 23–24), the re-auction chain (Art 26, 拍卖变卖规定 Arts 16, 32) and the statistics the SPC reports
(premium rate, commission saved). Every function takes plain values and returns plain values or a
problem text (Chinese, shown to the user) so the services can name the field.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

from zhixing.cases.rules import Unit, compute_deadline
from zhixing.core.workdays import WorkCalendar

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def _money(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February → 28 February)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def add_months(day: date, months: int) -> date:
    """The same calendar day `months` later, clipped to the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Reference price (参考价规定 2018) -------------------------------------------------------------


class PriceMethod(StrEnum):
    """The four methods, in the order the court must try them (Art 2)."""

    AGREEMENT = "agreement"
    DIRECTED = "directed"
    ONLINE = "online"
    APPRAISAL = "appraisal"


PRICE_METHOD_LABELS = {
    PriceMethod.AGREEMENT: "当事人议价",
    PriceMethod.DIRECTED: "定向询价",
    PriceMethod.ONLINE: "网络询价",
    PriceMethod.APPRAISAL: "委托评估",
}
PRICE_METHOD_ORDER = list(PriceMethod)

PRICING_START_DAYS = 30  # rule
ONLINE_REPORT_DAYS = 3  # rule
ONLINE_EXTENSION_DAYS = 3
APPRAISAL_REPORT_DAYS = 30  # rule
APPRAISAL_EXTENSION_DAYS = 15
APPRAISAL_MAX_EXTENSIONS = 2
OBJECTION_DAYS = 5  # rule
VALIDITY_YEARS = 1  # rule
GRACE_MONTHS = 6


def pricing_start_deadline(seized_on: date) -> date:
    """The last day to start fixing the reference price: 30 days after the seizure (Art 1)."""
    # rule
    return seized_on + timedelta(days=PRICING_START_DAYS)


def next_method(failed: PriceMethod) -> PriceMethod | None:
    """The method to try when `failed` gave no price (Arts 4–7, 14): in the order of Art 2."""
    # rule
    index = PRICE_METHOD_ORDER.index(failed)
    return PRICE_METHOD_ORDER[index + 1] if index + 1 < len(PRICE_METHOD_ORDER) else None


def method_problem(
    method: PriceMethod, tried: Iterable[PriceMethod], parties_jointly_asked: bool
) -> str | None:
    """Why `method` may not be used yet: an earlier method must have failed first, unless both parties
    jointly asked for it (Arts 5–7, 14) or it is party agreement (always first)."""
    # rule
    if parties_jointly_asked or method == PriceMethod.AGREEMENT:
        return None
    earlier = PRICE_METHOD_ORDER[: PRICE_METHOD_ORDER.index(method)]
    missing = [m for m in earlier if m not in set(tried)]
    if missing:
        names = "、".join(PRICE_METHOD_LABELS[m] for m in missing)
        return f"须先尝试{names}（参考价规定第2条规定的顺序），或由双方当事人共同申请"
    return None


def online_inquiry_due(sent_on: date, extended: bool = False) -> date:
    """The platforms' report deadline: 3 days, plus one 3-day extension when all asked (Art 11)."""
    # rule
    return sent_on + timedelta(days=ONLINE_REPORT_DAYS + (ONLINE_EXTENSION_DAYS if extended else 0))


def online_reference_price(results: Sequence[tuple[Decimal, date]], due: date) -> Decimal | None:
    """The average of the results delivered by `due` (Art 12); None when none was timely, and the
    court turns to a commissioned appraisal (Art 13)."""
    # rule
    timely = [amount for amount, delivered in results if delivered <= due]
    if not timely:
        return None
    return _money(sum(timely, ZERO) / len(timely))


def appraisal_due(commissioned_on: date, extensions: int = 0) -> date:
    """The valuer's report deadline: 30 days, plus at most two 15-day extensions (Art 19)."""
    # rule
    if not 0 <= extensions <= APPRAISAL_MAX_EXTENSIONS:
        raise ValueError(f"委托评估至多延期{APPRAISAL_MAX_EXTENSIONS}次，每次15日")
    return commissioned_on + timedelta(days=APPRAISAL_REPORT_DAYS + APPRAISAL_EXTENSION_DAYS * extensions)


def objection_deadline(
    received_on: date, days: int = OBJECTION_DAYS, workdays: WorkCalendar | None = None
) -> date:
    """The last day a party may object to the report: 5 days after receiving it (Art 22); with a
    calendar, a last day that is a statutory holiday ends on the next working day (CPL Art 85)."""
    # rule
    if workdays is None:
        return received_on + timedelta(days=days)
    due = compute_deadline(received_on, days, Unit.DAYS, workdays).due
    assert due is not None  # no pauses are passed, so a date is always given
    return due


def objection_allowed(method: PriceMethod) -> bool:
    """Negotiated and directed-inquiry prices admit no objection (Arts 24–25)."""
    # rule
    return method in (PriceMethod.ONLINE, PriceMethod.APPRAISAL)


def price_valid_until(method: PriceMethod, reported_on: date) -> date | None:
    """The last day an online-inquiry or appraisal result is valid: one year (Art 27); None for the
    other methods, which the rule does not limit."""
    # rule
    if method not in (PriceMethod.ONLINE, PriceMethod.APPRAISAL):
        return None
    return add_years(reported_on, VALIDITY_YEARS) - timedelta(days=1)


def price_usable_problem(
    method: PriceMethod, reported_on: date, announced_on: date, auction_on: date
) -> str | None:
    """Why the reference price may not ground this auction (Art 27): the first announcement must fall
    within the validity, and the auction within it or within 6 months after it ends."""
    # rule
    valid_until = price_valid_until(method, reported_on)
    if valid_until is None:
        return None
    if announced_on > valid_until:
        return f"参考价有效期至{valid_until:%Y-%m-%d}，公告时已过期，须重新确定参考价"
    if auction_on > add_months(valid_until, GRACE_MONTHS):
        return f"参考价有效期至{valid_until:%Y-%m-%d}，拍卖须在期满后6个月内进行"
    return None


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
    if previous_start is not None:
        return _money(previous_start * (1 - REAUCTION_MAX_CUT))
    if reference is None:
        raise ValueError("首次拍卖须有参考价")
    return _money(reference * START_PRICE_FLOOR)


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


# --- Settlement (Arts 11, 17, 23, 24) ---------------------------------------------------------------


def deposit_due(deposit: Decimal, applicant_claim: Decimal | None) -> Decimal:
    """What a bidder pays before bidding: the deposit; an applicant bidding on its own case pays only
    what its claim does not cover (Art 17)."""
    # rule
    if applicant_claim is None:
        return deposit
    return max(deposit - applicant_claim, ZERO)


def balance_due(price: Decimal, deposit_paid: Decimal) -> Decimal:
    """The buyer's balance: the price less its deposit, which counts toward the price (Art 23)."""
    # rule
    return max(price - deposit_paid, ZERO)


REFUND_WITHIN = timedelta(hours=24)  # rule
BALANCE_DAYS = 10  # the announcement's payment period; the court sets it (Art 13), this is the default


def refund_deadline(ended_at: datetime) -> datetime:
    """Losing deposits are released within 24 hours after bidding ends (Art 23)."""
    # rule
    return ended_at + REFUND_WITHIN


FORFEIT_ORDER = (  # rule
    "拍卖产生的费用损失",
    "弥补重新拍卖价款低于原拍卖价款的差价",
    "冲抵本案被执行人的债务",
    "冲抵被执行人的其他相关债务",
)


class Step(StrEnum):
    """A node of the re-auction chain."""

    AUCTION = "auction"
    REAUCTION = "reauction"
    SALE = "sale"  # 变卖
    SET_OFF = "set_off"  # 以物抵债


STEP_LABELS = {
    Step.AUCTION: "一拍",
    Step.REAUCTION: "二拍",
    Step.SALE: "变卖",
    Step.SET_OFF: "以物抵债",
}


def after_failure(round_no: int, failed_on: date, sale_days: int) -> list[tuple[Step, date]]:
    """What may follow a failed round, each with its clock: after the first failure a re-auction
    within 30 days (Art 26(1)), or a set-off at that round's reserve (拍卖变卖规定 Art 16); after the
    second, a sale on the platform (Art 26(2); its period is configuration, UNCONFIRMED) or a set-off."""
    # rule
    # rule
    set_off = (Step.SET_OFF, failed_on + timedelta(days=REAUCTION_WITHIN_DAYS))
    if round_no <= 1:
        return [(Step.REAUCTION, reauction_deadline(failed_on)), set_off]
    return [(Step.SALE, failed_on + timedelta(days=sale_days)), set_off]


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
