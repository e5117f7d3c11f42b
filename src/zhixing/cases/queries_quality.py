"""Reads for the command center (zhixing.command): the case facts its quality metrics compute on, and the
case figures of a court's situation screen. Read-only, grouped counts; no row leaves as a model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from .models import OPEN_STATUSES, EnforcementCase, Node, Payment


def case_facts(court_ids: Iterable[int], start: date, end: date) -> Iterator[dict[str, Any]]:
    """One dict per case of `court_ids` that a metric of [start, end] may count: filed by `end` and open
    or closed on/after the 1st of January two years before `end`'s year (the 3-year window)."""
    earliest = date(end.year - 2, 1, 1)
    qs = (
        EnforcementCase.objects.filter(court_id__in=list(court_ids), filed_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=min(start, earliest)))
        .values(
            "id",
            "court_id",
            "case_type__code",
            "filed_on",
            "closed_on",
            "closing_mode",
            "closing_details",
            "principal",
            "adjudged_interest",
            "litigation_costs",
            "paid_amount",
            "term_due",
            "team_id",
            "handler_id",
        )
        .order_by()
    )
    for row in qs.iterator(chunk_size=2000):
        yield dict(row)


def payments_received(court_id: int, start: date, today: date) -> Decimal:
    """Money performed on the court's cases with a payment date in [start, today] (执行到位, the
    situation screens' `received`). Counted over every payment of the period: the command center keeps
    it as a running total and calls this only to reconcile it."""
    total = Payment.objects.filter(case__court_id=court_id, paid_on__gte=start, paid_on__lte=today).aggregate(
        s=Sum("amount")
    )["s"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def case_figures(court_id: int, start: date, today: date) -> dict[str, Any]:
    """A court's own case figures for its situation screen: open cases by status, filed and closed since
    `start`, and pending nodes past their deadline (money performed: `payments_received`)."""
    by_status = dict(
        EnforcementCase.objects.filter(court_id=court_id, status__in=OPEN_STATUSES)
        .values_list("status")
        .annotate(n=Count("*"))
        .order_by()
    )
    new = EnforcementCase.objects.filter(court_id=court_id, filed_on__gte=start, filed_on__lte=today).count()
    closed = EnforcementCase.objects.filter(
        court_id=court_id, closed_on__gte=start, closed_on__lte=today
    ).count()
    overdue = Node.objects.filter(court_id=court_id, status=Node.Status.PENDING, due_on__lt=today).count()
    return {
        "open_by_status": {str(k): int(v) for k, v in by_status.items()},
        "new": new,
        "closed": closed,
        "overdue_nodes": overdue,
    }


def court_of_case(case_id: int) -> int | None:
    return EnforcementCase.objects.filter(pk=case_id).values_list("court_id", flat=True).first()


def court_by_case(case_ids: Iterable[int]) -> dict[int, int]:
    """Each case id's court id (cases that do not exist are left out)."""
    return dict(EnforcementCase.objects.filter(pk__in=list(case_ids)).values_list("pk", "court_id"))


def courts_of_cases(case_ids: Iterable[int]) -> set[int]:
    return set(EnforcementCase.objects.filter(pk__in=list(case_ids)).values_list("court_id", flat=True))


def order_counts_by_court(court_ids: Iterable[int], today: date) -> dict[int, dict[str, int]]:
    """督办 per court: open, open past their deadline, replied (for the command center's supervision)."""
    from .models import SupervisionOrder

    rows = (
        SupervisionOrder.objects.filter(court_id__in=list(court_ids))
        .values("court_id")
        .annotate(
            open=Count("pk", filter=Q(status=SupervisionOrder.Status.OPEN)),
            overdue=Count("pk", filter=Q(status=SupervisionOrder.Status.OPEN, due_on__lt=today)),
            replied=Count("pk", filter=Q(status=SupervisionOrder.Status.REPLIED)),
        )
        .order_by()
    )
    return {r["court_id"]: {k: int(r[k]) for k in ("open", "overdue", "replied")} for r in rows}


def overdue_nodes_by_court(court_ids: Iterable[int], today: date) -> dict[int, int]:
    return dict(
        Node.objects.filter(court_id__in=list(court_ids), status=Node.Status.PENDING, due_on__lt=today)
        .values_list("court_id")
        .annotate(n=Count("*"))
        .order_by()
    )
