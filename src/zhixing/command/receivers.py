"""The domain events the situation screens react to (connected in CommandConfig.ready()).

Each receiver only notes which courts' figures moved; one callback per transaction, run after it
commits, recomputes each of those courts once and pushes them (`situation.refresh`). A payment is the
exception that makes a busy court cheap: its receiver adds the amounts to the court's running total in
the payment's own transaction (`totals.add`), and the refresh after commit only reads that total.
A rolled-back transaction pushes nothing. A failing refresh is logged and never breaks the write that
caused it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from zhixing.cases import events as case_events
from zhixing.cases import queries_quality
from zhixing.credit import events as credit_events
from zhixing.funds import events as funds_events
from zhixing.inquiry import events as inquiry_events
from zhixing.inquiry import queries_command as inquiry_q

from . import situation, totals

log = logging.getLogger(__name__)
_pending = threading.local()


def live() -> bool:
    return bool(getattr(settings, "ZHIXING_COMMAND", {}).get("live_screens", True))


def _refresh(ids: set[int], light: set[int] | None = None) -> None:
    try:
        situation.refresh(ids, totals_only=light or ())
    except Exception:
        log.warning("situation refresh failed for courts %s", sorted(ids | (light or set())), exc_info=True)


class Refresher:
    """Background mode (``ZHIXING_COMMAND["refresh"] = "background"``): one thread per process refreshes
    the courts marked dirty; events that arrive while a refresh runs coalesce into the next one, so a
    burst of N events on one court costs one refresh per push interval (250 ms by default), not N, and
    the writing request never waits for it. Inline mode (the default, and the tests') refreshes in the
    committing thread."""

    def __init__(self) -> None:
        self.dirty: set[int] = set()  # courts to recompute
        self.light: set[int] = set()  # courts whose running totals moved (read them, no recount)
        self.cv = threading.Condition()
        self.thread: threading.Thread | None = None

    def submit(self, ids: set[int], light: set[int] | None = None) -> None:
        with self.cv:
            self.dirty |= ids
            self.light |= light or set()
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="situation-refresher", daemon=True)
                self.thread.start()
            self.cv.notify()

    def _run(self) -> None:
        from django.db import close_old_connections

        while True:
            with self.cv:
                while not self.dirty and not self.light:
                    self.cv.wait()
                ids, self.dirty = self.dirty, set()
                light, self.light = self.light - ids, set()
            began = time.monotonic()
            close_old_connections()
            _refresh(ids, light)
            # At most one push per push interval: the events of the interval ride on the next push, so a
            # court at 100 events/s costs its screens a few messages a second, not a hundred.
            time.sleep(max(0.0, push_interval() - (time.monotonic() - began)))


def push_interval() -> float:
    """Seconds between two refreshes of the background refresher (``ZHIXING_COMMAND["push_ms"]``)."""
    return int(getattr(settings, "ZHIXING_COMMAND", {}).get("push_ms", 250)) / 1000


refresher = Refresher()


def _flush() -> None:
    ids: set[int] = getattr(_pending, "courts", set())
    light: set[int] = getattr(_pending, "light", set()) - ids
    _pending.courts, _pending.light = set(), set()
    if not ids and not light:
        return
    if getattr(settings, "ZHIXING_COMMAND", {}).get("refresh", "inline") == "background":
        refresher.submit(ids, light)
    else:
        _refresh(ids, light)


def mark(court_ids: Iterable[int], *, totals_only: bool = False) -> None:
    """Note courts whose figures moved; refresh them when the current transaction commits
    (`totals_only`: only their running totals moved — the refresh reads them instead of recounting).

    Every event queues a flush, but the first flush after the commit takes the whole pending set and
    the others find it empty: one refresh per court per transaction, however many events it sent.
    (A flush queued in a savepoint that rolls back is dropped; its courts are refreshed by the next flush
    of the same transaction, which recomputes them from the database — never a rolled-back figure.)
    """
    if not live():
        return
    ids = {c for c in court_ids if c}
    if not ids:
        return
    pending: set[int] = getattr(_pending, "courts", set())
    light: set[int] = getattr(_pending, "light", set())
    if (pending or light) and not any(
        entry[1] is _flush for entry in transaction.get_connection().run_on_commit
    ):
        # No flush is waiting: those courts came from a transaction that rolled back whole, where
        # nothing changed. Dropping them keeps one transaction's refresh to its own courts.
        pending, light = set(), set()
    if totals_only:
        _pending.courts, _pending.light = pending, light | ids
    else:
        _pending.courts, _pending.light = pending | ids, light
    transaction.on_commit(_flush)


def _cases(case_ids: Iterable[int]) -> None:
    mark(queries_quality.courts_of_cases(case_ids))


def on_payments(
    sender: Any, case_ids: Iterable[int] = (), payments: Iterable[Any] | None = None, **kw: Any
) -> None:
    """Money performed (or moved on the case accounts: `funds` sends no `payments`, and its courts are
    recomputed). With `payments` — (case id, amount, paid_on) — each court's running total of the month
    takes the delta here, in the payment's transaction, and the refresh only reads it (`totals`)."""
    if payments is None:
        _cases(case_ids)
        return
    if not live():
        return
    items = list(payments)
    court_of = queries_quality.court_by_case({case_id for case_id, _, _ in items})
    today = timezone.localdate()
    start = situation.period_start(today)
    deltas: dict[int, Decimal] = {}
    for case_id, amount, paid_on in items:
        court_id = court_of.get(case_id)
        if court_id is not None and totals.in_period(paid_on, start, today):
            deltas[court_id] = deltas.get(court_id, Decimal("0")) + Decimal(amount)
    missing = totals.add(deltas, start)
    mark(missing)  # no total yet this month: a full recomputation creates it
    mark(set(deltas) - missing, totals_only=True)


def on_case(sender: Any, case: Any = None, **kw: Any) -> None:
    if case is not None:
        mark([case.court_id])


def on_listing_removed(sender: Any, listing: Any = None, **kw: Any) -> None:
    if listing is not None:
        mark([listing.court_id])


def on_queries_settled(sender: Any, request_ids: Iterable[int] = (), **kw: Any) -> None:
    mark(inquiry_q.courts_of_requests(request_ids))


def on_saved(sender: Any, instance: Any, **kw: Any) -> None:
    """A row of a watched model was saved: its court's figures may have moved."""
    court_id = getattr(instance, "court_id", None)
    if court_id is not None:
        mark([court_id])
    elif getattr(instance, "case_id", None):
        _cases([instance.case_id])


# (app label, model) rows whose saves move a screen figure: filings and status changes, nodes, controls,
# listings, receipts and payouts. Looked up by name so the command center imports no domain model.
WATCHED = (
    ("cases", "EnforcementCase"),
    ("cases", "Node"),  # a node done or its deadline moved: the overdue-nodes figure
    ("inquiry", "Asset"),
    ("credit", "Listing"),
    ("credit", "Interception"),
    ("funds", "Receipt"),
    ("funds", "Payout"),
)


def connect() -> None:
    case_events.payments_recorded.connect(on_payments, dispatch_uid="command.situation.payments")
    case_events.case_closed.connect(on_case, dispatch_uid="command.situation.closed")
    case_events.case_suspended.connect(on_case, dispatch_uid="command.situation.suspended")
    case_events.case_resumed.connect(on_case, dispatch_uid="command.situation.resumed")
    funds_events.case_money_moved.connect(on_payments, dispatch_uid="command.situation.money")
    credit_events.listing_removed.connect(on_listing_removed, dispatch_uid="command.situation.listing")
    inquiry_events.queries_settled.connect(on_queries_settled, dispatch_uid="command.situation.queries")
    for label, name in WATCHED:
        post_save.connect(
            on_saved, sender=apps.get_model(label, name), dispatch_uid=f"command.situation.{name}"
        )
