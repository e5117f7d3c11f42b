"""Pure arithmetic of asset control: terms and expiry, over-seizure headroom, release plans.

No ORM, no Django. Sources: rules.md §6.1 (terms), §6.2 (no over-seizure), §6.3 (amount to enforce),
§5 (periodic re-inquiry of 终本 cases).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zhixing.core.money import round_fen

ZERO = Decimal("0.00")

# SPC-CPL-Interp Art 485 (2022): deposits 1 year; movables 2 years; real estate and other property rights
# 3 years. Keys are `PartnerCategory.asset_kind`.
TERM_YEARS = {"funds": 1, "movable": 2, "real_estate": 3, "right": 3}


# 执行程序解释 Art 10(2): property found during enforcement "对该财产未执行完结" — still to be executed
# while it is not controlled or only controlled (frozen, seized, queued); deducted, released, lapsed or
# closed, it is no longer property waiting for the court (`Asset.State` values).
# rule
UNEXECUTED_STATES = frozenset({"none", "frozen", "seized", "queued"})


class RuleError(ValueError):
    """Input outside what the rule can judge (Chinese message)."""


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February → 28 February
        return d.replace(year=d.year + years, day=28)


def term_years(asset_kind: str) -> int:
    try:
        return TERM_YEARS[asset_kind]
    except KeyError as exc:
        raise RuleError(f"该类财产（{asset_kind}）不能采取控制措施") from exc


def control_expiry(start: date, asset_kind: str) -> date:
    """Last day of a control starting on `start`: a term of N years counted inclusively of `start`."""
    return _add_years(start, term_years(asset_kind)) - timedelta(days=1)


def renewal_expiry(current_expiry: date, asset_kind: str) -> date:
    """A renewal (续行) runs on from the day after the current expiry for at most one more term."""
    return control_expiry(current_expiry + timedelta(days=1), asset_kind)


@dataclass(frozen=True)
class QueueHolder:
    """One holder of a control on the same asset at the same institution, as the 轮候 rule sees it."""

    asset_id: int
    rank: int  # 1 = the effective (first) seizure; > 1 queued behind (others may be outside the platform)
    registered_on: date | None


def advance_queue(holders: Sequence[QueueHolder], lifted: Sequence[QueueHolder]) -> dict[int, int]:
    """New ranks after the `lifted` holders left the queue (查封规定 Art 26, rules.md §6.1).

    A queued seizure moves up one place for every holder ahead of it that was lifted, released or
    lapsed; holders the platform does not know (another court's seizure at the institution) keep their
    places, so a rank only falls by the lifted holders ahead. Ties of rank are broken by the earlier
    registration, then by the older row. Returns {asset_id: new rank} for the holders whose rank changed;
    a holder whose new rank is 1 takes effect.
    """
    gone = {h.asset_id for h in lifted}
    out: dict[int, int] = {}
    staying = sorted(
        (h for h in holders if h.asset_id not in gone),
        key=lambda h: (h.rank, h.registered_on or date.max, h.asset_id),
    )
    taken: set[int] = set()
    for h in staying:
        ahead = sum(1 for g in lifted if g.rank < h.rank or (g.rank == h.rank and _before(g, h)))
        rank = max(1, h.rank - ahead)
        while rank in taken:  # two holders never share a place: the later registration goes behind
            rank += 1
        taken.add(rank)
        if rank != h.rank:
            out[h.asset_id] = rank
    return out


def _before(a: QueueHolder, b: QueueHolder) -> bool:
    return (a.registered_on or date.max, a.asset_id) < (b.registered_on or date.max, b.asset_id)


def effective_term(effective_on: date, asset_kind: str) -> tuple[date, date]:
    """A queued seizure that takes effect: its term counts from the day it takes effect (start, last day)."""
    return effective_on, control_expiry(effective_on, asset_kind)


def days_left(expires: date, today: date) -> int:
    """Days until the last day of a control (0 on the last day itself, negative once lapsed)."""
    return (expires - today).days


def expiry_state(expires: date | None, today: date, warn_days: int) -> str:
    """ "none" (no term), "ok", "warn" (≤ warn_days left, still valid), or "lapsed" (past its last day)."""
    if expires is None:
        return "none"
    if today > expires:
        return "lapsed"
    if (expires - today).days <= warn_days:
        return "warn"
    return "ok"


@dataclass(frozen=True)
class Claim:
    """What the case still claims (rules.md §6.3), each part in yuan."""

    principal: Decimal
    adjudged_interest: Decimal
    delay_interest: Decimal
    costs: Decimal
    paid: Decimal
    # Instalments whose deadline has not expired (分期履行): owed, but not yet enforceable, so not part
    # of what may be frozen or seized (执行工作规定 Art 16; 迟延履行利息解释 Art 2). # rule
    not_due: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        total = self.principal + self.adjudged_interest + self.delay_interest + self.costs - self.paid
        return max(ZERO, round_fen(total - self.not_due))


def headroom(outstanding: Decimal, controlled: Decimal) -> Decimal:
    """How much more may be frozen, seized or deducted: never negative."""
    return max(ZERO, round_fen(outstanding - controlled))


@dataclass(frozen=True)
class ControlCheck:
    allowed: bool
    amount: Decimal
    message: str = ""


def check_freeze(requested: Decimal, room: Decimal) -> ControlCheck:
    """A freeze may ask at most the headroom (查封规定 Art 19; CPL-2023 Art 253)."""
    if requested <= 0:
        return ControlCheck(False, ZERO, "冻结金额必须大于零")
    if room <= 0:
        return ControlCheck(False, ZERO, "已控制财产已足以清偿剩余执行标的，不得超标的冻结")
    if requested > room:
        return ControlCheck(False, ZERO, f"冻结金额超过剩余可控制额度{room}元，不得超标的冻结")
    return ControlCheck(True, requested)


def freeze_default(room: Decimal, balance: Decimal | None, frozen: Decimal = ZERO) -> Decimal:
    """The freeze amount a form offers: what the claim still leaves uncontrolled (`room`), capped by what
    the account still holds beyond what is already frozen on it; never negative.

    An unknown balance (the partner did not report one) caps nothing. Zero means there is nothing left to
    freeze, and the form then offers an empty field instead of a figure that would be refused.
    """
    room = max(ZERO, round_fen(room))
    if balance is None:
        return room
    available = max(ZERO, round_fen(balance - frozen))
    return min(room, available)


def check_seizure(value: Decimal, room: Decimal, indivisible_reason: str) -> ControlCheck:
    """Seizing a whole asset: within the headroom; above it only as an indivisible item with a reason."""
    if room <= 0:
        return ControlCheck(False, ZERO, "已控制财产已足以清偿剩余执行标的，不得超标的查封")
    if value > room and not indivisible_reason.strip():
        return ControlCheck(
            False,
            ZERO,
            f"该财产估值{value}元超过剩余可控制额度{room}元：如属不可分物且无其他财产，请填写理由",
        )
    return ControlCheck(True, value)


def remainder_after_partial(asked: Decimal, frozen: Decimal) -> Decimal:
    """What a partial freeze left unfrozen, to be asked of the debtor's other accounts."""
    return max(ZERO, round_fen(asked - frozen))


@dataclass(frozen=True)
class Held:
    """One active control as the release planner sees it."""

    asset_id: int
    frozen: Decimal  # divisible money frozen (can be partly released)
    seized_value: Decimal  # an indivisible seizure (released whole or not at all)


# rule
def plan_release(excess: Decimal, held: Sequence[Held]) -> list[tuple[int, Decimal | None]]:
    """Which controls to release so the controlled total no longer exceeds the claim.

    Returns (asset_id, amount) for partial/whole releases of frozen money (amount to release) and
    (asset_id, None) for a whole seizure. Seizures are released only when the whole value fits in the
    excess (an indivisible item still needed stays seized); frozen money is released largest first.
    """
    out: list[tuple[int, Decimal | None]] = []
    left = round_fen(excess)
    if left <= 0:
        return out
    for h in sorted(held, key=lambda h: (-h.seized_value, h.asset_id)):
        if h.seized_value > 0 and h.seized_value <= left:
            out.append((h.asset_id, None))
            left -= h.seized_value
    for h in sorted(held, key=lambda h: (-h.frozen, h.asset_id)):
        if left <= 0:
            break
        if h.frozen > 0:
            amount = min(h.frozen, left)
            out.append((h.asset_id, amount))
            left -= amount
    return out


def backoff_seconds(attempt: int, base: int, cap: int) -> int:
    """Exponential backoff for retry number `attempt` (1-based): base·2^(attempt−1), capped."""
    if attempt < 1:
        return base
    return int(min(cap, base * 2 ** (attempt - 1)))


def add_months(d: date, months: int) -> date:
    """`d` moved by whole calendar months (negative goes back); the 31st becomes the month's last day."""
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def reinquiry_due(
    closed_on: date | None, last_round: date | None, today: date, *, months: int, years: int
) -> bool:
    """Whether a dormant (终本) case must be searched again today.

    终本规定 Art 9(2) (rules.md §5): for `years` (5) years after 终本 the court queries the debtor's
    property through the network system every `months` (6) months. Due when the case is still inside
    that window and its last round is `months` or more ago (or there never was one): a round on
    15 March is next due on 15 September. A case without a closing date is treated as inside the window.
    """
    if months <= 0 or years <= 0:
        raise RuleError("定期查询周期和年限必须为正数")
    if closed_on is not None and today > add_months(closed_on, 12 * years):
        return False
    return last_round is None or today >= add_months(last_round, months)


@dataclass(frozen=True)
class ReinquiryBounds:
    """The two dates `reinquiry_due` compares against on one day, so a query can select exactly the due
    cases: closed on or after `closed_from` (or without a closing date), and last searched on or before
    `last_until` (or never)."""

    closed_from: date
    last_until: date


def reinquiry_bounds(today: date, *, months: int, years: int) -> ReinquiryBounds:
    """The exact bounds of `reinquiry_due` on `today` (终本规定 Art 9(2), rules.md §5).

    `add_months` never decreases when its date grows, so the closing dates still inside the window are
    all those from one first date on, and the last rounds far enough back all those up to one last
    date. Both are found by asking `reinquiry_due` itself around the unclipped dates (month-end clipping
    moves them by at most 3 days), so the rule stays written once.
    """
    if months <= 0 or years <= 0:
        raise RuleError("定期查询周期和年限必须为正数")
    near = add_months(today, -12 * years)
    closed_from = next(
        d
        for d in (near + timedelta(days=k) for k in range(-5, 6))
        if reinquiry_due(d, None, today, months=months, years=years)
    )
    near = add_months(today, -months)
    last_until = next(
        d
        for d in (near + timedelta(days=k) for k in range(5, -6, -1))
        if reinquiry_due(None, d, today, months=months, years=years)
    )
    return ReinquiryBounds(closed_from=closed_from, last_until=last_until)
