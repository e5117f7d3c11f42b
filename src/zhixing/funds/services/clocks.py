"""Payout clocks kept true: one clock per receipt, settled oldest first, paused by holds, scanned.

Writers never call this module directly:
- a receipt booked or claimed (`cases.events.payments_recorded`, sent in the booking transaction after
  the receipt row exists) creates the receipt's clock (`on_payments`);
- any other posting that moves a case account (payout order, fee, costs, lodgement, a payout the bank
  returned, a release) is announced by `ledger.post` (`funds.events.case_money_moved`) and re-settles
  the case's clocks against its balance (`on_money_moved`);
- placing or lifting a hold (`services.holds`) calls `refresh`;
- the periodic scan (`scan`) walks every open clock in batches, creates clocks missing for older
  receipts, re-settles, recomputes deadlines and marks what is overdue.

Each of these runs inside the transaction that moved the money, under the case account's row lock
(`ledger.post` took it), so two writers of one case never settle its clocks from different balances.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.holidays import current_calendar
from zhixing.core.workdays import WorkCalendar
from zhixing.courts.models import Court

from .. import conf
from ..models import AccountKind, LedgerAccount, PayoutClock, PayoutHold, Receipt
from ..rules_clocks import Pause, Slot, allocate_open, clock_due

ZERO = Decimal("0.00")
# Postings whose new money gets its clock from `payments_recorded` once the receipt row exists.
_RECEIPT_KINDS = frozenset({"receipt", "claim"})


def _balances(case_ids: Iterable[int]) -> dict[int, Decimal]:
    return {
        cid: -bal
        for cid, bal in LedgerAccount.objects.filter(
            kind=AccountKind.CASE, case_id__in=list(case_ids)
        ).values_list("case_id", "balance")
    }


def create_missing(case_ids: Iterable[int] | None = None, limit: int | None = None) -> int:
    """A clock for every booked or claimed receipt that has none (of `case_ids`, or any case).

    The arrival is the value date of money booked to its case; for a claimed unidentified receipt it
    is the day it is claimed — the day the case learns of it (rules.md §7.1: from the finance notice).
    Active whole-case holds of the case cover the new clock at once.
    """
    qs = Receipt.objects.filter(
        status__in=(Receipt.Status.BOOKED, Receipt.Status.CLAIMED),
        case_id__isnull=False,
        payout_clocks__isnull=True,
    )
    if case_ids is not None:
        ids = list(case_ids)
        if not ids:
            return 0
        qs = qs.filter(case_id__in=ids)
    qs = qs.order_by("pk")
    if limit is not None:
        qs = qs[:limit]
    whole_q = PayoutHold.objects.filter(case_id=OuterRef("case_id"), end__isnull=True, amount__isnull=True)
    rows = list(
        qs.annotate(held=Exists(whole_q)).values_list(
            "pk", "court_id", "case_id", "amount", "value_date", "status", "held"
        )
    )
    if not rows:
        return 0
    today = timezone.localdate()
    cal = current_calendar()
    limit_rule, follow = conf.payout_limit(), conf.follow_up()
    whole: dict[int, list[PayoutHold]] = defaultdict(list)
    held_cases = {r[2] for r in rows if r[6]}
    if held_cases:  # only then: the receipt hot path costs one SELECT and one INSERT
        for h in PayoutHold.objects.filter(case_id__in=held_cases, end__isnull=True, amount__isnull=True):
            whole[h.case_id].append(h)
    clocks = []
    for pk, court_id, case_id, amount, value_date, status, _held in rows:
        arrived = today if status == Receipt.Status.CLAIMED else value_date
        holds = whole.get(case_id, [])
        due = clock_due(arrived, limit_rule, [Pause(h.start, h.end) for h in holds], follow, cal)
        clocks.append(
            PayoutClock(
                court_id=court_id,
                case_id=case_id,
                receipt_id=pk,
                amount=amount,
                open_amount=amount,
                arrived_on=arrived,
                due_on=due.due,
                status=PayoutClock.Status.HELD if holds else PayoutClock.Status.RUNNING,
            )
        )
    made = PayoutClock.objects.bulk_create(clocks, ignore_conflicts=True)
    if any(whole.values()):
        by_receipt = dict(
            PayoutClock.objects.filter(receipt_id__in=[r[0] for r in rows]).values_list("receipt_id", "pk")
        )
        links = [
            PayoutHold.clocks.through(payouthold_id=h.pk, payoutclock_id=by_receipt[c.receipt_id])
            for c in clocks
            for h in whole.get(c.case_id, [])
        ]
        PayoutHold.clocks.through.objects.bulk_create(links, ignore_conflicts=True)
    return len(made)


@dataclass
class Refreshed:
    changed: int = 0
    newly_overdue: list[PayoutClock] | None = None


def refresh(case_ids: Iterable[int], today: date | None = None, cal: WorkCalendar | None = None) -> Refreshed:
    """Settle and re-date every clock of these cases from their balances and holds; save what changed.

    Run under the case accounts' locks (inside the posting's transaction, or `scan`'s).
    """
    ids = sorted(set(case_ids))
    out = Refreshed(newly_overdue=[])
    if not ids:
        return out
    today = today or timezone.localdate()
    cal = cal or current_calendar()
    limit_rule, follow = conf.payout_limit(), conf.follow_up()
    balances = _balances(ids)
    clocks = list(PayoutClock.objects.filter(case_id__in=ids).order_by("case_id", "arrived_on", "pk"))
    if not clocks:
        return out
    holds: dict[int, list[PayoutHold]] = defaultdict(list)
    for link in PayoutHold.clocks.through.objects.filter(
        payoutclock_id__in=[c.pk for c in clocks]
    ).select_related("payouthold"):
        holds[link.payoutclock_id].append(link.payouthold)
    by_case: dict[int, list[PayoutClock]] = defaultdict(list)
    for c in clocks:
        by_case[c.case_id].append(c)
    changed: list[PayoutClock] = []
    for case_id, mine in by_case.items():
        slots = [
            Slot(c.pk, c.amount, (c.arrived_on, c.pk), held=any(h.active for h in holds[c.pk])) for c in mine
        ]
        open_by = allocate_open(slots, balances.get(case_id, ZERO))
        for c in mine:
            before = (c.open_amount, c.status, c.due_on, c.met_on, c.overdue_since)
            c.open_amount = open_by.get(c.pk, ZERO)
            due = clock_due(
                c.arrived_on, limit_rule, [Pause(h.start, h.end) for h in holds[c.pk]], follow, cal
            )
            c.due_on = due.due
            if c.open_amount <= 0:
                c.status, c.met_on = PayoutClock.Status.MET, c.met_on or today
                c.overdue_since = None
            elif due.due is None:
                c.status, c.met_on, c.overdue_since = PayoutClock.Status.HELD, None, None
            else:
                c.status, c.met_on = PayoutClock.Status.RUNNING, None
                c.overdue_since = due.due + timedelta(days=1) if today > due.due else None
                if c.overdue_since and before[4] is None:
                    out.newly_overdue.append(c)  # type: ignore[union-attr]
            if (c.open_amount, c.status, c.due_on, c.met_on, c.overdue_since) != before:
                changed.append(c)
    if changed:
        PayoutClock.objects.bulk_update(
            changed, ["open_amount", "status", "due_on", "met_on", "overdue_since"], batch_size=500
        )
    out.changed = len(changed)
    return out


# -- signal receivers -------------------------------------------------------------------------------


def on_payments(sender: Any, case_ids: list[int], actor: Any = None, **kwargs: Any) -> None:
    """`cases.events.payments_recorded`: money booked or claimed for these cases gets its clocks."""
    create_missing(case_ids)


def on_money_moved(sender: Any, case_ids: list[int], kind: str = "", **kwargs: Any) -> None:
    """`funds.events.case_money_moved`: money left or came back to these case accounts."""
    if kind in _RECEIPT_KINDS:
        return
    refresh(case_ids)


# -- the periodic scan ------------------------------------------------------------------------------


@dataclass
class ScanResult:
    cases: int = 0
    created: int = 0
    changed: int = 0
    overdue: int = 0
    newly_overdue: int = 0


def _case_batches(batch: int) -> Iterable[list[int]]:
    """Every case holding an open clock or money on its account, in id order, `batch` at a time.

    Two keyset walks merged (no OFFSET, no cap): the open clocks' cases, which may need settling, and
    the case accounts with a balance, whose clocks may need reopening.
    """
    last = 0
    while True:
        clocked = list(
            PayoutClock.objects.filter(
                case_id__gt=last, status__in=(PayoutClock.Status.RUNNING, PayoutClock.Status.HELD)
            )
            .order_by("case_id")
            .values_list("case_id", flat=True)
            .distinct()[:batch]
        )
        funded = list(
            LedgerAccount.objects.filter(kind=AccountKind.CASE, case_id__gt=last)
            .exclude(balance=0)
            .order_by("case_id")
            .values_list("case_id", flat=True)[:batch]
        )
        ids = sorted({*clocked, *funded})[:batch]
        if not ids:
            return
        yield ids
        last = ids[-1]


def _audit_overdue(clocks: list[PayoutClock]) -> None:
    """One record per clock that became overdue, one append per court chain (chains in court order)."""
    by_court: dict[int, list[PayoutClock]] = defaultdict(list)
    for c in clocks:
        by_court[c.court_id].append(c)
    courts = {c.pk: c for c in Court.objects.filter(pk__in=list(by_court))}
    for court_id in sorted(by_court, key=lambda i: courts[i].code):
        audit.record_many(
            None,
            [
                {
                    "action": "funds.clock_overdue",
                    "object_type": "funds.PayoutClock",
                    "object_id": c.pk,
                    "case_id": c.case_id,
                    "after": {"due_on": c.due_on, "open_amount": c.open_amount, "receipt": c.receipt_id},
                }
                for c in by_court[court_id]
            ],
            court=courts[court_id],
        )


def scan(today: date | None = None, batch: int | None = None, progress: Any = None) -> ScanResult:
    """Every open clock of every court: create missing ones, settle, re-date, mark overdue.

    Works case by case in batches of `batch` cases (each batch one transaction holding those case
    accounts' locks in id order, as `ledger.post` takes them), so no account is left out and no
    transaction grows with the number of cases. Each clock that became overdue gets one audit record.
    `progress(done_cases)` is called after each batch.
    """
    today = today or timezone.localdate()
    batch = batch or conf.clock_scan_batch()
    cal = current_calendar()
    res = ScanResult()
    while True:
        with transaction.atomic():
            made = create_missing(limit=batch)
        res.created += made
        if made < batch:
            break
    for ids in _case_batches(batch):
        with transaction.atomic():
            list(
                LedgerAccount.objects.select_for_update()
                .filter(kind=AccountKind.CASE, case_id__in=ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            r = refresh(ids, today, cal)
            _audit_overdue(r.newly_overdue or [])
        res.cases += len(ids)
        res.changed += r.changed
        res.newly_overdue += len(r.newly_overdue or [])
        if progress is not None:
            progress(res.cases)
    res.overdue = PayoutClock.objects.filter(status=PayoutClock.Status.RUNNING, due_on__lt=today).count()
    return res
