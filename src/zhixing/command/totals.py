"""Running totals of the situation screens: a figure kept by adding each event's delta.

Money performed this month (`received`) is a sum over every payment of the period: at a million cases
recounting it is the heaviest query of a court's figures, and a busy court books a payment every few
milliseconds. So the screens keep it as a `SituationTotal` row per court and month:

* `add` — in the event's own transaction (the `payments_recorded` receiver), one UPDATE adds the
  payments' amounts to the court's row. It commits or rolls back with the payments, so the total never
  counts a payment that did not happen, nor misses one that did.
* `reconcile` — recounts the figure from the payments and stores it, holding the row's write lock while
  it counts (the UPDATE first: SQLite's IMMEDIATE transaction, PostgreSQL's row lock), so a payment
  committing meanwhile either is in the count or adds its delta after it — never both, never neither.
  Every full recomputation of a court's figures reconciles (a cold cache, a new month, any non-payment
  event of the court), and the periodic task `situation_tasks.reconcile_totals` does for every court
  with a total, so a drift (a payment written around the services, a future-dated payment whose day
  came) lasts at most one period of that task.
* A court with no row for the period (a new month, never shown) is not added to: `add` reports it and
  the receiver asks for a full recomputation, which creates the row from the count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhixing.cases import queries_quality

from .models import SituationTotal

RECEIVED = "received"
CENT = Decimal("0.01")


def in_period(paid_on: date, start: date, today: date) -> bool:
    """A payment counts in the screens' month if it is dated in [start, today] (as the full count)."""
    return start <= paid_on <= today


def add(deltas: dict[int, Decimal], start: date, key: str = RECEIVED) -> set[int]:
    """Add each court's delta to its running total of the period starting `start` (call it inside the
    event's transaction); returns the courts that have no total yet (they need a full recomputation)."""
    missing: set[int] = set()
    for court_id in sorted(deltas):  # one lock order for every writer
        moved = SituationTotal.objects.filter(court_id=court_id, period_start=start, key=key).update(
            value=F("value") + deltas[court_id]
        )
        if not moved:
            missing.add(court_id)
    return missing


def read(court_ids: Iterable[int], start: date) -> dict[int, dict[str, str]]:
    """The running totals of `court_ids` for the period starting `start`: {court: {key: "1234.50"}}."""
    out: dict[int, dict[str, str]] = {}
    rows = SituationTotal.objects.filter(court_id__in=list(court_ids), period_start=start).values_list(
        "court_id", "key", "value"
    )
    for court_id, key, value in rows:
        out.setdefault(court_id, {})[key] = str(Decimal(value).quantize(CENT))
    return out


def reconcile(court_id: int, start: date, today: date) -> Decimal:
    """Recount the court's `received` from its payments and store it as the running total (created if
    missing); returns it. Three statements whether or not the row exists."""
    with transaction.atomic():
        # Lock first: a payment transaction adding to the row waits for this one (or this one for it).
        SituationTotal.objects.filter(court_id=court_id, period_start=start, key=RECEIVED).update(
            value=F("value")
        )
        value = queries_quality.payments_received(court_id, start, today)
        SituationTotal.objects.bulk_create(
            [
                SituationTotal(
                    court_id=court_id,
                    period_start=start,
                    key=RECEIVED,
                    value=value,
                    reconciled_at=timezone.now(),
                )
            ],
            update_conflicts=True,
            unique_fields=["court", "period_start", "key"],
            update_fields=["value", "reconciled_at"],
        )
    return value


def courts_with_totals(start: date) -> list[int]:
    """Courts holding a running total for the period (the ones the periodic reconciliation recounts)."""
    return sorted(set(SituationTotal.objects.filter(period_start=start).values_list("court_id", flat=True)))
