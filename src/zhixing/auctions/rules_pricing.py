"""The reference price (参考价规定 2018): the four methods in order, their clocks, the online average,
objections and the price's validity (pure, no Django)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from zhixing.cases.rules import Unit, compute_deadline
from zhixing.core.workdays import WorkCalendar

from .rules_money import ZERO, _money


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
