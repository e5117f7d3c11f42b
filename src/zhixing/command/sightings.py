"""Possible sightings (疑似出现, ADR 0027 decisions 13–14): promotion to an alert, and retention.

Promotion. A possible sighting is a look-alike read the watchlist's size does not let alert on its own.
A second possible sighting of the same watched plate — another read (another operator read id) seen
within `ZHIXING_COMMAND["possible_sighting_promote_hours"]` of it (default 3, UNCONFIRMED), the episode's
reads spanning `possible_sighting_promote_places` different car parks (default 2: an entry and an exit
read at one car park are one stay of one car, no new evidence; UNCONFIRMED) — raises the
alert a sure hit raises (`plate_hit`: routed to the handler and the court's operators, on the screens,
one-click dispatch), naming every read of the episode and placed where the car was seen last; the reads
are linked to it. Once per watched plate and window: a possible sighting within the window of a read
that already has an alert (a sure hit or an earlier promotion) joins that alert instead. The watched
plates' rows are locked (ascending id) while a batch's possible sightings are settled, so concurrent
ingest workers promote a plate one at a time; a replayed batch stores nothing (unique read ids) and so
promotes nothing; the alert's source key names the episode's first read (`plate-possible:<watch>:<hit>`).
The command center may also promote a single possible sighting by hand (`promote_by_hand`, audited).

Retention.

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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from .alerts import raise_alert
from .models import Alert, PlateHit, WatchedPlate

DEFAULT_DAYS = 30
CHUNK = 5_000
# Hours within which a second possible sighting of a watched plate raises the alert (UNCONFIRMED).
DEFAULT_PROMOTE_HOURS = 3.0
# Two reads at one car park are most often one stay (entry and exit cameras) of one car: the second read
# adds no evidence that it is the watched car rather than an innocent look-alike. So the reads of an
# episode must come from this many different car parks before it is promoted (UNCONFIRMED, configurable).
DEFAULT_PROMOTE_PLACES = 2
SOURCE_PREFIX = "plate-possible:"


def promote_window() -> timedelta:
    """How close two possible sightings must be to raise the alert; 0 or less is a configuration error."""
    conf = getattr(settings, "ZHIXING_COMMAND", {})
    hours = float(conf.get("possible_sighting_promote_hours", DEFAULT_PROMOTE_HOURS))
    if hours <= 0:
        raise ValueError("ZHIXING_COMMAND['possible_sighting_promote_hours'] must be more than 0")
    return timedelta(hours=hours)


def promote_places() -> int:
    """How many different car parks an episode's possible sightings must span to raise the alert."""
    conf = getattr(settings, "ZHIXING_COMMAND", {})
    places = int(conf.get("possible_sighting_promote_places", DEFAULT_PROMOTE_PLACES))
    if places < 1:
        raise ValueError("ZHIXING_COMMAND['possible_sighting_promote_places'] must be at least 1")
    return places


@dataclass(frozen=True)
class Promoted:
    """A possible sighting settled: the alert it raised (`created`) or joined, and the reads linked."""

    alert: Alert
    created: bool
    hits: list[PlateHit]


def lock_watches(watch_ids: Sequence[int]) -> dict[int, WatchedPlate]:
    """The watched plates, locked in ascending id (one lock order for every ingest worker). Taken before
    any audit chain head in the transaction (as `plate_watchlist.sync_watchlist` does), so that a worker
    raising alerts never holds a chain head while waiting for a plate another worker holds."""
    rows = (
        WatchedPlate.objects.select_for_update(of=("self",))
        .select_related("case", "court")
        .filter(pk__in=sorted(set(watch_ids)))
        .order_by("pk")
    )
    return {w.pk: w for w in rows}


def _nearby(watch_id: int, lo: datetime, hi: datetime) -> list[PlateHit]:
    return list(
        PlateHit.objects.filter(watch_id=watch_id, seen_at__gte=lo, seen_at__lte=hi)
        .select_related("car_park", "operator")
        .order_by("seen_at", "pk")
    )


def _settle(
    watch: WatchedPlate, hit: PlateHit, nearby: list[PlateHit], window: timedelta, alone: bool, actor: Any
) -> Promoted | None:
    """Settle possible sighting `hit` (one of `nearby`, all of the watch): join the alert of a read
    within the window, else raise one with the unalerted reads within the window — if there are two or
    more, or `alone` (by hand)."""
    close = [x for x in nearby if abs(x.seen_at - hit.seen_at) <= window]
    alerted = [x for x in close if x.alert_id is not None]
    if alerted:
        alert = min(alerted, key=lambda x: (abs(x.seen_at - hit.seen_at), x.pk)).alert
        assert alert is not None
        group, created = [hit], False
    else:
        group = [x for x in close if x.alert_id is None]
        if not alone and (len(group) < 2 or len({x.car_park_id for x in group}) < promote_places()):
            return None
        alert, created = _raise(watch, group, window, alone), True
    PlateHit.objects.filter(pk__in=[x.pk for x in group]).update(alert=alert)
    for x in group:
        x.alert = alert
    audit.record(
        actor,
        "command.watch.promote",
        object_type="command.alert",
        object_id=alert.pk,
        case_id=watch.case_id,
        after={
            "alert": alert.pk,
            "read_ids": [x.read_id for x in group],
            "plates": [x.plate_read for x in group],
            "joined": not created,
            "by_hand": alone,
        },
        court=watch.court,
    )
    return Promoted(alert, created, group)


def _raise(watch: WatchedPlate, group: list[PlateHit], window: timedelta, by_hand: bool) -> Alert:
    last = group[-1]
    cp = last.car_park
    hours = f"{window.total_seconds() / 3600:g}"
    lines = [
        f"{timezone.localtime(x.seen_at):%Y-%m-%d %H:%M:%S} {x.car_park.name}（{x.car_park.address}）"
        f"识别车牌 {x.plate_read}（匹配度 {x.score:.2f}），摄像头 {x.camera or '未报'}，"
        f"识别记录 {x.operator.name}/{x.read_id}"
        for x in group
    ]
    head = (
        f"疑似出现 {len(group)} 次，经指挥中心人工转为预警："
        if by_hand
        else f"疑似出现 {len(group)} 次（易混字符多于布控名单规模所容许的个数；"
        f"{hours} 小时内再次出现转为预警）："
    )
    return raise_alert(
        Alert.Kind.PLATE_HIT,
        watch.court,
        watch.case,
        f"布控车辆 {watch.plate} 疑似出现在 {cp.name}",
        "\n".join([head, *lines]),
        timezone.now() + timedelta(minutes=30),
        f"{SOURCE_PREFIX}{watch.pk}:{group[0].pk}",
        place=f"{cp.name}（{cp.address}）",
        latitude=cp.latitude,
        longitude=cp.longitude,
    ).alert


def promote_repeats(hits: Sequence[PlateHit]) -> list[Promoted]:
    """Settle a batch's new possible sightings (inside the ingest transaction, after their INSERT):
    a second one of a watched plate within the window raises the alert; see the module docstring."""
    if not hits:
        return []
    window = promote_window()
    watches = lock_watches([h.watch_id for h in hits])
    out: list[Promoted] = []
    for watch_id in sorted(watches):
        mine = sorted((h for h in hits if h.watch_id == watch_id), key=lambda h: (h.seen_at, h.pk))
        nearby = _nearby(watch_id, mine[0].seen_at - window, mine[-1].seen_at + window)
        by_pk = {x.pk: x for x in nearby}
        for h in mine:
            current = by_pk.get(h.pk)
            if current is None or current.alert_id is not None:
                continue  # linked already (an earlier read of this batch raised or joined)
            settled = _settle(watches[watch_id], current, nearby, window, alone=False, actor=None)
            if settled is not None:
                out.append(settled)
    return out


def promote_by_hand(user: Any, hit_id: Any) -> Promoted:
    """The command center promotes one possible sighting to an alert (or joins the alert already raised
    for the plate within the window); audited as `command.watch.promote` by the user."""
    try:
        pk = int(hit_id)
    except (TypeError, ValueError):
        raise ServiceError("请选择要转为预警的疑似出现记录", field="sighting") from None
    found = PlateHit.objects.filter(pk=pk).values_list("watch_id", "watch__court_id").first()
    if found is None:
        raise ServiceError("疑似出现记录不存在或已按保存期限删除", field="sighting")
    with transaction.atomic():
        watch = lock_watches([found[0]])[found[0]]
        if not (user.can(Cap.COMMAND_ALERTS) and can_write_court(user, watch.court)):
            raise NotPermitted("只有本院指挥中心可以将疑似出现转为预警")
        hit = PlateHit.objects.filter(pk=pk).first()
        if hit is None:
            raise ServiceError("疑似出现记录不存在或已按保存期限删除", field="sighting")
        if hit.alert_id is not None:
            raise Conflict("该记录已有预警", field="sighting")
        window = promote_window()
        nearby = _nearby(watch.pk, hit.seen_at - window, hit.seen_at + window)
        current = next(x for x in nearby if x.pk == hit.pk)
        settled = _settle(watch, current, nearby, window, alone=True, actor=user)
        assert settled is not None
        return settled


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
