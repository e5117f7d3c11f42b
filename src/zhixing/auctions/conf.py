"""Auction settings the rules leave open (rules.md §4.1 marks them UNCONFIRMED).

settings.ZHIXING_AUCTIONS may set:
- "commission_scale": the statutory commission scale the statistics compare against, as cumulative
  bands [(upper bound in yuan or None, rate)]. Default: the 2004 拍卖变卖规定 scale (≤ 2 M 5 %,
  2–10 M 3 %, 10–50 M 2 %, 50–100 M 1 %, above 0.5 %) — UNCONFIRMED, the current text has no scale.
- "sale_days": the period of an online sale (变卖) after a second failure. Default 60 days —
  UNCONFIRMED (a secondary page only).
- "balance_days": days the buyer has to pay the balance (the announcement states it). Default 10.
- "resume_bidding": how a suspended lot's bidding restarts on resumption (网拍规定 Art 28 does not say):
  "remaining" (the time left at suspension, default) or "restart" (a fresh period of the announced
  length) — UNCONFIRMED (docs/rules-additions.md).
- "price_objection_days": days to object to a reference-price report (参考价规定 Art 22). Default 5.
- "register_per_hour" / "signin_per_minute": the bidder portal's per-client budgets for registration
  (default 10 an hour) and token sign-in (default 10 a minute), counted in the shared rate limiter
  (`core.ratelimit`) like the public query — not legal rules: they bound how fast anyone can probe which
  identity numbers are registered.
- "feed_tick_ms": the live lot page's frame interval under load: a hot lot's watchers get at most one
  frame per tick with the newest state and every bid since the previous frame (`auctions.feed`).
  Default 100, or the deployment's `ZHIXING_AUCTION_FEED_TICK_MS` (settings/base.py) — not a legal rule:
  a performance setting; the trade-off is in docs/auctions.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

from . import rules
from .rules_resumption import ResumeMode

DEFAULT_COMMISSION_SCALE: list[tuple[Decimal | None, Decimal]] = [
    (Decimal("2000000"), Decimal("0.05")),
    (Decimal("10000000"), Decimal("0.03")),
    (Decimal("50000000"), Decimal("0.02")),
    (Decimal("100000000"), Decimal("0.01")),
    (None, Decimal("0.005")),
]


def _conf() -> dict[str, Any]:
    return dict(getattr(settings, "ZHIXING_AUCTIONS", {}) or {})


def commission_scale() -> list[tuple[Decimal | None, Decimal]]:
    """The configured scale (`ZHIXING_AUCTIONS["commission_scale"]`), else the default."""
    raw = _conf().get("commission_scale")
    if not raw:
        return DEFAULT_COMMISSION_SCALE
    return [(None if upper is None else Decimal(str(upper)), Decimal(str(rate))) for upper, rate in raw]


def sale_days() -> int:
    """`ZHIXING_AUCTIONS["sale_days"]`, default 60."""
    return int(_conf().get("sale_days", 60))


def balance_days() -> int:
    """`ZHIXING_AUCTIONS["balance_days"]`, default rules.BALANCE_DAYS."""
    return int(_conf().get("balance_days", rules.BALANCE_DAYS))


def sandbox_payments() -> bool:
    """`ZHIXING_AUCTIONS["sandbox_payments"]` (default: settings.DEBUG): the portal offers a simulated bank
    transfer of the deposit and the balance (the demo and the browser test). In production the custody
    bank's notice or the finance officer books them."""
    return bool(_conf().get("sandbox_payments", getattr(settings, "DEBUG", False)))


def resume_bidding() -> ResumeMode:
    """`ZHIXING_AUCTIONS["resume_bidding"]`, default "remaining" (UNCONFIRMED: Art 28 does not say)."""
    return ResumeMode(str(_conf().get("resume_bidding", ResumeMode.REMAINING)))


def price_objection_days() -> int:
    """`ZHIXING_AUCTIONS["price_objection_days"]`, default rules.OBJECTION_DAYS (5, 参考价规定 Art 22): days
    after receiving an online-inquiry or appraisal report within which a party may object."""
    return int(_conf().get("price_objection_days", rules.OBJECTION_DAYS))


def feed_tick_s() -> float:
    """`ZHIXING_AUCTIONS["feed_tick_ms"]` in seconds, default 0.1."""
    return max(float(_conf().get("feed_tick_ms", 100)), 0.0) / 1000


def register_per_hour() -> int:
    """`ZHIXING_AUCTIONS["register_per_hour"]`: bidder registrations per client address an hour (10)."""
    return int(_conf().get("register_per_hour", 10))


def signin_per_minute() -> int:
    """`ZHIXING_AUCTIONS["signin_per_minute"]`: bidder token sign-ins per client address a minute (10)."""
    return int(_conf().get("signin_per_minute", 10))
