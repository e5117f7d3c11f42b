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

Lock order. A transaction may send several payment events (a bank-notice drain whose refused batch is
split and booked in halves, a statement import booking line by line), so sorting each `add` call's keys
is not enough: two transactions could still take the same rows in opposite orders across calls (the
cluster soak saw PostgreSQL deadlocks between two consumers booking notices). So every transaction takes
total rows in ascending (court, period, key) order across all its calls: `add` remembers the highest row
the transaction has locked (`_Mark`, kept in the connection's commit callbacks, so a rolled-back
savepoint forgets it with its locks and the next transaction starts empty); a key above it is updated
and waited for as usual, a key at or below it is only taken if free (``FOR UPDATE SKIP LOCKED``: never
a wait, so never a wait cycle). A key that is not free is not added to; it is reported like a missing row
and its court is recounted after the commit (`reconcile`, under the row lock), so the figure stays
exact. SQLite admits one writer at a time, so there it never waits and every key is updated.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from zhixing.cases import queries_quality

from .models import SituationTotal

RECEIVED = "received"
CENT = Decimal("0.01")


def in_period(paid_on: date, start: date, today: date) -> bool:
    """A payment counts in the screens' month if it is dated in [start, today] (as the full count)."""
    return start <= paid_on <= today


class _Mark:
    """The highest total row (court, period, key) the current transaction has locked: a commit callback
    that does nothing, registered on the transaction's first lock, so Django drops it when the savepoint
    that registered it rolls back (releasing its row locks) and the next transaction starts without one."""

    def __init__(self, high: tuple[int, str, str]) -> None:
        self.high = high

    def __call__(self) -> None:
        """Nothing to do at commit."""


def _mark() -> _Mark | None:
    if not connection.in_atomic_block:
        return None
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _Mark):
            return entry[1]
    return None


def _locked(row: tuple[int, str, str]) -> None:
    """Note that the current transaction holds the lock of total row `row` (see the module docstring)."""
    if not connection.in_atomic_block:
        return  # autocommit: the statement's lock ended with it
    mark = _mark()
    if mark is None:
        transaction.on_commit(_Mark(row))
    elif row > mark.high:
        mark.high = row


def add(deltas: dict[int, Decimal], start: date, key: str = RECEIVED) -> set[int]:
    """Add each court's delta to its running total of the period starting `start` (call it inside the
    event's transaction); returns the courts that need a full recomputation: no total yet, or (rarely)
    a total whose row this transaction could only have taken out of lock order while another held it."""
    missing: set[int] = set()
    mark = _mark()
    high = mark.high if mark is not None else None
    polite = connection.features.has_select_for_update_skip_locked
    period = start.isoformat()
    for court_id in sorted(deltas):  # ascending: the one lock order of every writer
        row = (court_id, period, key)
        rows = SituationTotal.objects.filter(court_id=court_id, period_start=start, key=key)
        if polite and high is not None and row <= high:
            # Out of order for this transaction: take it only if free (or already ours), never wait.
            ids = list(rows.select_for_update(skip_locked=True).values_list("pk", flat=True))
            moved = SituationTotal.objects.filter(pk__in=ids).update(value=F("value") + deltas[court_id])
        else:
            moved = rows.update(value=F("value") + deltas[court_id])
        if moved:
            _locked(row)
        else:
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
        _locked((court_id, start.isoformat(), RECEIVED))  # (run in its own transaction: after the commit)
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
