"""Reads for the command center (zhixing.command): a court's controls in force, expiring and lapsed,
its open cases by triage track, and the lapsed controls a higher court supervises. Grouped counts only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q

from zhixing.cases.models import OPEN_STATUSES

from . import conf
from .models import Asset
from .queries import ACTIVE_STATES
from .triage_records import CaseTriage


def control_figures(court_id: int, today: date) -> dict[str, int]:
    """Controls of the court's cases: in force, expiring within the warning window, lapsed (or past their
    last day and not yet swept) — the same windows as the expiry page (queries_expiry)."""
    until = today + timedelta(days=int(conf.option("warn_days")))
    qs = Asset.objects.filter(case__court_id=court_id)
    counts = qs.aggregate(
        in_force=Count("pk", filter=Q(state__in=ACTIVE_STATES)),
        expiring=Count(
            "pk", filter=Q(state__in=ACTIVE_STATES, control_expires__gte=today, control_expires__lte=until)
        ),
        lapsed=Count(
            "pk",
            filter=Q(control_expires__isnull=False)
            & (Q(state=Asset.State.LAPSED) | Q(state__in=ACTIVE_STATES, control_expires__lt=today)),
        ),
    )
    return {k: int(v or 0) for k, v in counts.items()}


def open_by_track(court_id: int) -> dict[str, int]:
    """Open cases of the court per decided triage track ("" = not yet decided is left out)."""
    rows = (
        CaseTriage.objects.filter(case__court_id=court_id, case__status__in=OPEN_STATUSES)
        .exclude(track="")
        .values_list("track")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {str(k): int(v) for k, v in rows}


def lapsed_controls(court_ids: Iterable[int], today: date, limit: int = 200) -> list[dict[str, Any]]:
    """Controls that lapsed (or are past their last day, not yet swept) on open cases of `court_ids`:
    the irregular item a higher court supervises (a freeze or seizure let run out while the case runs)."""
    rows = (
        Asset.objects.filter(case__court_id__in=list(court_ids), case__status__in=OPEN_STATUSES)
        .filter(
            Q(control_expires__isnull=False)
            & (Q(state=Asset.State.LAPSED) | Q(state__in=ACTIVE_STATES, control_expires__lt=today))
        )
        .order_by("control_expires", "pk")
        .values(
            "pk",
            "case_id",
            "case__number",
            "case__court_id",
            "case__court__name",
            "kind",
            "ref",
            "control_expires",
        )[:limit]
    )
    kinds = dict(Asset.Kind.choices)
    return [
        {
            "case_id": r["case_id"],
            "number": r["case__number"],
            "court_id": r["case__court_id"],
            "court": r["case__court__name"],
            "what": f"{kinds.get(r['kind'], r['kind'])} 控制于{r['control_expires']:%Y-%m-%d}到期失效",
            "since": r["control_expires"],
        }
        for r in rows
    ]


def courts_of_requests(request_ids: Iterable[int]) -> set[int]:
    """The courts of inquiry requests (for the command center to learn whose figures an answer moved)."""
    from .models import InquiryRequest

    return set(InquiryRequest.objects.filter(pk__in=list(request_ids)).values_list("court_id", flat=True))
