"""Petition reads for other domains: the command center's completion-rate metric calls `petition_counts`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Q

from .models import Petition


# rule
def petition_counts(court_ids: Iterable[int], start: date, end: date) -> dict[str, int]:
    """Petitions of `court_ids` falling due in [start, end] (both inclusive), and how many of them were
    answered on or before their due day — the numerator and denominator of 执行信访办结率.

    A petition counts in the period its due day falls in (an open one not yet due is in no period yet).
    One query.
    """
    row = Petition.objects.filter(court_id__in=list(court_ids), due_on__gte=start, due_on__lte=end).aggregate(
        due=Count("id"),
        answered_on_time=Count("id", filter=Q(status=Petition.Status.ANSWERED, answered_on__lte=F("due_on"))),
    )
    return {"due": int(row["due"] or 0), "answered_on_time": int(row["answered_on_time"] or 0)}
