"""Retention of possible sightings (疑似出现, ADR 0027 decision 13).

A possible sighting is a plate read kept only because it is a distant look-alike of a watched plate
(`plates.ingest`): at a province's scale almost all of them are cars of people who owe nothing, and the
platform keeps no movement records of those beyond what the watch needs. So a possible sighting is
deleted once it is older than `ZHIXING_COMMAND["possible_sighting_days"]` (default 30, UNCONFIRMED: no
rule in rules.md fixes it; docs/rules-additions.md). Sightings that raised an alert stay with the alert.

`purge` deletes in chunks, each chunk with its audit record in one transaction, so a crash loses neither
the deletion's record nor leaves a deletion unrecorded; the record carries the count and the cut-off, never
the plates.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhixing.core import audit

from .models import PlateHit

DEFAULT_DAYS = 30
CHUNK = 5_000


def retention_days() -> int:
    """Days a possible sighting is kept; a setting below 1 is a configuration error."""
    days = int(getattr(settings, "ZHIXING_COMMAND", {}).get("possible_sighting_days", DEFAULT_DAYS))
    if days < 1:
        raise ValueError("ZHIXING_COMMAND['possible_sighting_days'] must be at least 1")
    return days


def purge(actor: Any = None, now: datetime | None = None) -> int:
    """Delete possible sightings seen before the retention cut-off; returns how many were deleted."""
    days = retention_days()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                PlateHit.objects.filter(alert__isnull=True, seen_at__lt=cutoff)
                .order_by("pk")
                .values_list("pk", flat=True)[:CHUNK]
            )
            if not ids:
                return total
            PlateHit.objects.filter(pk__in=ids).delete()
            audit.record(
                actor,
                "command.watch.purge",
                object_type="command.watch",
                after={"deleted": len(ids), "seen_before": cutoff.isoformat(), "days": days},
            )
            total += len(ids)
