"""Possible sightings (疑似出现) are kept for the retention period only (ADR 0027 decision 13); sightings
that raised an alert stay; each chunk's deletion is audited with its count, never the plates."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zhixing.command import alerts, sightings
from zhixing.command.models import PlateHit
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 3, 17, tzinfo=TZ)


def _hit(field: dict[str, Any], read_id: str, age: timedelta, alert: Any = None) -> PlateHit:
    return PlateHit.objects.create(
        operator=field["operator"],
        read_id=read_id,
        plate_read="粤A85Z18",
        watch=field["watch"],
        score=0.75,
        seen_at=NOW - age,
        car_park=field["park"],
        alert=alert,
    )


def test_only_possible_sightings_past_the_period_go(field: dict[str, Any], monkeypatch: Any) -> None:
    case = field["case"]
    alert = alerts.raise_alert("plate_hit", case.court, case, "布控车辆出现", "详情", None, "plate:old").alert
    kept_alert = _hit(field, "r-alert", timedelta(days=90), alert=alert)
    young = _hit(field, "r-young", timedelta(days=30) - timedelta(seconds=1))
    edge = _hit(field, "r-edge", timedelta(days=30))  # exactly 30 days: not older than the period
    old = [_hit(field, f"r-old-{i}", timedelta(days=31, minutes=i)) for i in range(5)]
    monkeypatch.setattr(sightings, "CHUNK", 2)
    mark = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    assert sightings.purge(now=NOW) == 5

    left = set(PlateHit.objects.values_list("pk", flat=True))
    assert left == {kept_alert.pk, young.pk, edge.pk} and not left & {h.pk for h in old}
    records = list(AuditRecord.objects.filter(pk__gt=mark).order_by("pk"))
    assert [(r.action, r.after["deleted"]) for r in records] == [
        ("command.watch.purge", 2),
        ("command.watch.purge", 2),
        ("command.watch.purge", 1),
    ]
    assert records[0].after["days"] == 30
    assert records[0].after["seen_before"] == (NOW - timedelta(days=30)).isoformat()
    assert "粤A85Z18" not in str(records[0].after)
    assert sightings.purge(now=NOW) == 0  # nothing left to delete: no record either
    assert AuditRecord.objects.filter(pk__gt=records[-1].pk).count() == 0


def test_the_period_is_configuration(field: dict[str, Any], settings: Any) -> None:
    settings.ZHIXING_COMMAND = {"possible_sighting_days": 7}
    gone = _hit(field, "r-8d", timedelta(days=8))
    kept = _hit(field, "r-6d", timedelta(days=6))
    assert sightings.purge(now=NOW) == 1
    assert list(PlateHit.objects.values_list("pk", flat=True)) == [kept.pk] and gone.pk != kept.pk
    settings.ZHIXING_COMMAND = {"possible_sighting_days": 0}
    with pytest.raises(ValueError, match="possible_sighting_days"):
        sightings.purge(now=NOW)
