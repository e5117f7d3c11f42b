"""Reads of the auctions domain: the public listing, a lot with its bid history by code, a bidder's own
page, the clerk's lists, the statistics. Identities stay hidden from bidders; court users see them only
after the end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from zhixing.courts.queries import court_scope_q

from . import conf, rules
from .models import Bid, Bidder, Lot, ReferencePrice, Registration

PUBLIC = (
    Lot.Status.ANNOUNCED,
    Lot.Status.SOLD,
    Lot.Status.PAID,
    Lot.Status.CONFIRMED,
    Lot.Status.FAILED,
    Lot.Status.DEFAULTED,
    Lot.Status.SET_OFF,
    Lot.Status.SUSPENDED,
)
PHASES = {
    "upcoming": "即将开始",
    "bidding": "正在进行",
    "ended": "已结束",
}
KINDS = {"house": "不动产", "vehicle": "车辆", "vessel": "船舶", "equity": "股权", "securities": "证券"}
PAGE = 20


@dataclass(frozen=True)
class Filters:
    court: int | None = None
    kind: str = ""
    phase: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None


def public_lots(f: Filters, page: int = 1) -> list[Lot]:
    """Published lots, newest first, by court, asset type, start price and phase (one query)."""
    now = timezone.now()
    qs = Lot.objects.filter(status__in=PUBLIC).select_related("court", "asset")
    if f.court:
        qs = qs.filter(court_id=f.court)
    if f.kind:
        qs = qs.filter(asset__kind=f.kind)
    if f.min_price is not None:
        qs = qs.filter(start_price__gte=f.min_price)
    if f.max_price is not None:
        qs = qs.filter(start_price__lte=f.max_price)
    if f.phase == "upcoming":
        qs = qs.filter(status=Lot.Status.ANNOUNCED, starts_at__gt=now)
    elif f.phase == "bidding":
        qs = qs.filter(status=Lot.Status.ANNOUNCED, starts_at__lte=now)
    elif f.phase == "ended":
        qs = qs.exclude(status=Lot.Status.ANNOUNCED)
    start = (max(page, 1) - 1) * PAGE
    return list(qs.order_by("-announced_on", "-pk")[start : start + PAGE])


def public_lot(lot_id: int) -> Lot | None:
    return Lot.objects.filter(pk=lot_id, status__in=PUBLIC).select_related("court", "asset").first()


def bid_history(lot: Lot, limit: int = 100) -> list[dict[str, Any]]:
    """The timeline by anonymous code, newest first."""
    rows = (
        Bid.objects.filter(lot=lot)
        .order_by("-seq")
        .values_list("seq", "amount", "at", "registration__code", "registration__rank")[:limit]
    )
    return [
        {"seq": s, "amount": a, "at": at, "code": c, "priority": r is not None} for s, a, at, c, r in rows
    ]


def ended(lot: Lot) -> bool:
    return lot.status != Lot.Status.ANNOUNCED


def registrations(lot: Lot, user: Any) -> list[Registration]:
    """The bidders of a lot with their identities: for the court's users, and only after the end."""
    if not ended(lot) or not Lot.objects.filter(court_scope_q(user), pk=lot.pk).exists():
        return []
    return list(Registration.objects.filter(lot=lot).select_related("bidder").order_by("code"))


def bidder_page(bidder: Bidder) -> list[Registration]:
    return list(
        Registration.objects.filter(bidder=bidder)
        .select_related("lot")
        .annotate(my_bids=Count("bids"))
        .order_by("-pk")
    )


def my_bids(bidder: Bidder, limit: int = 200) -> list[Bid]:
    return list(Bid.objects.filter(registration__bidder=bidder).select_related("lot").order_by("-at")[:limit])


def staff_lots(user: Any, status: str = "") -> QuerySet[Lot]:
    qs = Lot.objects.filter(court_scope_q(user)).select_related("case", "asset", "court")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-pk")


def chain(lot: Lot) -> list[Lot]:
    """Every round of the lot's asset (first auction, re-auction, sale, set-off), oldest first."""
    return list(Lot.objects.filter(asset_id=lot.asset_id).order_by("pk"))


@dataclass(frozen=True)
class Stats:
    court: str
    lots: int
    ended: int
    sold: int
    deal_rate: Decimal | None
    premium_rate: Decimal | None
    proceeds: Decimal
    commission_saved: Decimal


SOLD = (Lot.Status.SOLD, Lot.Status.PAID, Lot.Status.CONFIRMED)


def statistics(user: Any, start: date, end: date) -> list[Stats]:
    """Per court readable by `user`, lots that ended in [start, end]: deal rate, premium rate as the SPC
    sums it, proceeds, and the commission a traditional auction would have charged (configured scale)."""
    scale = conf.commission_scale()
    qs = Lot.objects.filter(court_scope_q(user), ended_at__date__gte=start, ended_at__date__lte=end).exclude(
        status=Lot.Status.DEFAULTED
    )
    rows: dict[str, list[tuple[str, Decimal, Decimal | None]]] = {}
    for court, status, start_price, price in qs.values_list(
        "court__name", "status", "start_price", "current_price"
    ):
        rows.setdefault(court, []).append((status, start_price, price))
    out = []
    for court, items in sorted(rows.items()):
        sold = [(s, p) for st, s, p in items if st in SOLD and p is not None]
        proceeds = sum((p for _, p in sold), Decimal("0"))
        out.append(
            Stats(
                court=court,
                lots=len(items),
                ended=len(items),
                sold=len(sold),
                deal_rate=(Decimal(len(sold)) / len(items)).quantize(Decimal("0.0001")) if items else None,
                premium_rate=rules.premium_rate(sold),
                proceeds=proceeds,
                commission_saved=sum((rules.commission(p, scale) for _, p in sold), Decimal("0")),
            )
        )
    return out


def published_count(user: Any) -> dict[str, int]:
    return dict(
        Lot.objects.filter(court_scope_q(user))
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


def deposits_of(lot: Lot) -> Decimal:
    return Registration.objects.filter(lot=lot, deposit_state=Registration.Deposit.PAID).aggregate(
        s=Sum("deposit_paid")
    )["s"] or Decimal("0")


def live_counts(court_ids: list[int]) -> dict[int, int]:
    """Lots being bid on now (announced, bidding started, not yet ended), per court id: the command
    center's situation screens read this (command.sources "auctions_live"). One query."""
    now = timezone.now()
    return dict(
        Lot.objects.filter(
            court_id__in=court_ids, status=Lot.Status.ANNOUNCED, starts_at__lte=now, ends_at__gte=now
        )
        .values_list("court_id")
        .annotate(n=Count("pk"))
        .values_list("court_id", "n")
    )


# Lots whose price has reached the case account (the balance paid, the buyer's deposit applied).
PROCEEDS_IN = (Lot.Status.PAID, Lot.Status.CONFIRMED)


def sale_proceeds(case_id: int) -> dict[int, Decimal]:
    """The sale price each asset of the case brought into the case account (asset id -> yuan): the
    proceeds source registered with `core.disposal_guards`, so funds holds them back while a guard (a
    third-party objection) refuses that asset's disposal."""
    rows = (
        Lot.objects.filter(case_id=case_id, status__in=PROCEEDS_IN, current_price__isnull=False)
        .values("asset_id")
        .annotate(total=Sum("current_price"))
        .values_list("asset_id", "total")
    )
    return dict(rows)


def live_lots(asset_id: int) -> list[Lot]:
    """The asset's lots published and not yet ended (status announced): what a suspension acts on."""
    return list(Lot.objects.filter(asset_id=asset_id, status=Lot.Status.ANNOUNCED).order_by("pk"))


def suspended_lots(asset_id: int) -> list[Lot]:
    """The asset's lots suspended in bidding (中止拍卖) that may resume: what a resumption acts on. A lot
    made from a reference price since set aside on objection never resumes (it is withdrawn)."""
    return list(
        Lot.objects.filter(asset_id=asset_id, status=Lot.Status.SUSPENDED)
        .exclude(reference__set_aside_on__isnull=False)
        .order_by("pk")
    )


def cancellable_lots(asset_id: int, price_id: int | None = None) -> list[Lot]:
    """The asset's lots a withdrawal (撤回拍卖) ends: not yet published, or suspended; with `price_id`,
    only those made from that reference price (an upheld objection to it, 参考价规定 Art 23), announced
    ones included."""
    lots = Lot.objects.filter(asset_id=asset_id, status__in=(Lot.Status.DRAFT, Lot.Status.SUSPENDED))
    if price_id is not None:  # a lot on that price goes even if announced (it resumed before a 复议)
        lots = Lot.objects.filter(
            asset_id=asset_id,
            reference_id=price_id,
            status__in=(Lot.Status.DRAFT, Lot.Status.SUSPENDED, Lot.Status.ANNOUNCED),
        )
    return list(lots.order_by("pk"))


def standing_price(case_id: int, price_id: int) -> ReferencePrice | None:
    """A reference price of the case not set aside (an act objection's object, issue 19)."""
    return (
        ReferencePrice.objects.select_related("asset")
        .filter(pk=price_id, case_id=case_id, set_aside_on__isnull=True)
        .first()
    )


def objectable_prices(case_id: int) -> list[ReferencePrice]:
    """The case's reference prices still standing that admit an objection (online inquiry, appraisal:
    参考价规定 Arts 22, 24–25), newest first; the caller checks the window."""
    return list(
        ReferencePrice.objects.select_related("asset")
        .filter(case_id=case_id, set_aside_on__isnull=True, objection_until__isnull=False)
        .order_by("-reported_on", "-pk")
    )
