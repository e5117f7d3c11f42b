"""Reads for the command center (zhixing.command): money a court received and paid out in a period, and
case money held past its payout deadline (执行款 held too long) for supervision. Grouped sums only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from .models import Payout, PayoutClock, Receipt


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def money_figures(court_id: int, start: date, today: date) -> dict[str, str]:
    """Receipts booked to cases since `start` (by value date) and payouts paid since `start`."""
    received = Receipt.objects.filter(
        court_id=court_id,
        value_date__gte=start,
        value_date__lte=today,
        status__in=(Receipt.Status.BOOKED, Receipt.Status.CLAIMED),
        case__isnull=False,  # a claimed auction deposit names no case: held for the bidder, not case money
    ).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    paid = Payout.objects.filter(
        court_id=court_id, status=Payout.Status.PAID, paid_at__gte=_start_of(start)
    ).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    cent = Decimal("0.01")
    return {
        "funds_received": str(Decimal(received).quantize(cent)),
        "funds_paid": str(Decimal(paid).quantize(cent)),
    }


def held_too_long(court_ids: Iterable[int], today: date, limit: int = 200) -> list[dict[str, Any]]:
    """Payout clocks past their deadline with money still on the case account (R-7.1 payout deadline)."""
    rows = (
        PayoutClock.objects.filter(
            court_id__in=list(court_ids), status=PayoutClock.Status.RUNNING, due_on__lt=today
        )
        .order_by("due_on", "pk")
        .values("case_id", "case__number", "court_id", "court__name", "open_amount", "due_on")[:limit]
    )
    return [
        {
            "case_id": r["case_id"],
            "number": r["case__number"],
            "court_id": r["court_id"],
            "court": r["court__name"],
            "what": f"案款{r['open_amount']:,.2f}元应于{r['due_on']:%Y-%m-%d}前发放，尚未发放",
            "since": r["due_on"],
        }
        for r in rows
    ]
