"""Reads for the command center (zhixing.command): a court's dishonest listings in force and the
interceptions partners reported for its cases in a period. Grouped counts only.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from .models import Interception, Listing


def credit_figures(court_id: int, start: date) -> dict[str, int]:
    listings = Listing.objects.filter(court_id=court_id, status=Listing.Status.ACTIVE).count()
    since = timezone.make_aware(datetime.combine(start, time.min))
    interceptions = Interception.objects.filter(case__court_id=court_id, at__gte=since).count()
    return {"listings": listings, "interceptions": interceptions}
