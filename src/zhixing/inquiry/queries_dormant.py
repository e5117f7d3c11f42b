"""Reads for the periodic re-inquiry of dormant (终本) cases: which are due, the day's progress, leads.

终本规定 Art 9(2) (rules.md §5): for 5 years after 终本 the court searches the debtor's property through
the network system every 6 months and resumes when property appears. A case's *last round* is its
latest query request that did not fail (a round still in flight counts, so it is never filed twice);
the due rule is `rules.reinquiry_due`, applied in SQL through its exact bounds on the day
(`rules.reinquiry_bounds`), so a national sweep reads only due ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from zhixing.cases.models import CaseStatus, EnforcementCase

from . import conf, rules
from .models import Action, DormantRound, InquiryRequest


@dataclass(frozen=True)
class Progress:
    """终本案件定期查询 of one court for one day: due = still to file + filed today."""

    due: int
    done: int
    leads: int


def _settings() -> tuple[int, int]:
    return int(conf.option("dormant_period_months")), int(conf.option("dormant_years"))


def _candidates(today: date, court_id: int | None) -> QuerySet[EnforcementCase]:
    """Dormant cases due today, with `last_at` (their last round), in id order.

    The rule's exact bounds (`rules.reinquiry_bounds`): closed on or after the first day still inside
    the 5-year window (or no closing date), and no round, or a last round on or before the last local
    day that is 6 months back. Cases already resumed (a 执恢 case exists) are left to that case.
    """
    months, years = _settings()
    bounds = rules.reinquiry_bounds(today, months=months, years=years)
    last = (
        InquiryRequest.objects.filter(case_id=OuterRef("pk"), action=Action.QUERY)
        .exclude(status=InquiryRequest.Status.FAILED)
        .order_by("-id")
        .values("created_at")[:1]
    )
    # A round's day is its local date: on or before `last_until` = before the next local midnight.
    cutoff_at = timezone.make_aware(datetime.combine(bounds.last_until + timedelta(days=1), time.min))
    qs = EnforcementCase.objects.filter(status=CaseStatus.DORMANT).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=bounds.closed_from)
    )
    if court_id is not None:
        qs = qs.filter(court_id=court_id)
    resumed = EnforcementCase.objects.filter(origin_id=OuterRef("pk"))
    return (
        qs.exclude(Exists(resumed))
        .annotate(last_at=Subquery(last))
        .filter(Q(last_at__isnull=True) | Q(last_at__lt=cutoff_at))
        .order_by("pk")
    )


def due_page(
    today: date, court_id: int | None = None, after: int = 0, size: int | None = None
) -> tuple[list[tuple[EnforcementCase, date | None]], int | None]:
    """One page of due cases after case id `after`: [(case, last round date)], and the next cursor.

    The cursor is None when there are no more candidates; callers loop until it is. The SQL selects by
    the rule's exact bounds; each case is checked once more against `rules.reinquiry_due` here.
    """
    months, years = _settings()
    size = size or int(conf.option("dormant_page"))
    rows = list(_candidates(today, court_id).filter(pk__gt=after).select_related("court")[:size])
    due = []
    for case in rows:
        last_at = getattr(case, "last_at", None)
        last = timezone.localdate(last_at) if last_at else None
        if rules.reinquiry_due(case.closed_on, last, today, months=months, years=years):
            due.append((case, last))
    cursor = rows[-1].pk if len(rows) == size else None
    return due, cursor


def due_ids_page(
    today: date, court_id: int | None = None, after: int = 0, size: int | None = None
) -> tuple[list[int], int | None]:
    """The ids of one keyset page of due cases after case id `after`, and the next cursor (None at the end).

    The sweep's reader: only ids leave the database, no model instances, and the rule is in the SQL,
    so a national sweep streams in flat memory with no per-row work in Python. On PostgreSQL the page
    is read with JIT compilation off: the planner's cost of the correlated last-round subquery is far
    above the JIT threshold, and compiling it cost more than running it (EXPLAIN ANALYZE,
    benchmarks/README.md, bench_dormant_sweep.py).
    """
    size = size or int(conf.option("dormant_page"))
    qs = _candidates(today, court_id).filter(pk__gt=after).values_list("pk", flat=True)[:size]
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL jit = off")
            ids = list(qs)
    else:
        ids = list(qs)
    return ids, (ids[-1] if len(ids) == size else None)


def due_count(today: date, court_id: int | None = None) -> int:
    """How many dormant cases are due today and not filed yet."""
    total, cursor = 0, 0  # type: int, int | None
    while cursor is not None:
        page, cursor = due_page(today, court_id, cursor, size=2000)
        total += len(page)
    return total


def progress(court_id: int, today: date | None = None) -> Progress:
    """The court's periodic re-inquiry today (本期 = today's run), and its open resumption leads."""
    today = today or timezone.localdate()
    done = DormantRound.objects.filter(court_id=court_id, run_on=today).count()
    leads = open_leads(court_id).count()
    return Progress(due=due_count(today, court_id) + done, done=done, leads=leads)


def open_leads(court_id: int) -> QuerySet[DormantRound]:
    """Rounds that found property for a case still dormant and not yet resumed: leads to resume."""
    resumed = EnforcementCase.objects.filter(origin_id=OuterRef("case_id"))
    return (
        DormantRound.objects.filter(
            court_id=court_id, outcome=DormantRound.Outcome.FOUND, case__status=CaseStatus.DORMANT
        )
        .exclude(Exists(resumed))
        .select_related("case")
        .order_by("-run_on", "-id")
    )


def case_rounds(case: EnforcementCase, limit: int = 20) -> list[DormantRound]:
    """The case's automatic re-inquiry rounds, newest first (shown on its inquiry page)."""
    return list(DormantRound.objects.filter(case=case).order_by("-run_on", "-id")[:limit])


def case_lead(case: EnforcementCase) -> DormantRound | None:
    """The newest round that found property while the case is still dormant and not resumed."""
    if case.status != CaseStatus.DORMANT or EnforcementCase.objects.filter(origin=case).exists():
        return None
    return (
        DormantRound.objects.filter(case=case, outcome=DormantRound.Outcome.FOUND)
        .order_by("-run_on", "-id")
        .first()
    )


def unsettled(limit: int = 500) -> list[DormantRound]:
    """Rounds whose result is not known yet (oldest first)."""
    return list(DormantRound.objects.filter(outcome=DormantRound.Outcome.PENDING).order_by("id")[:limit])
