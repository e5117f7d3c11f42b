"""Plate reads (车牌识别记录) from parking operators: validated, matched against the watchlist, hits stored.

`ingest(operator, rows)` is the parking operators' path: each row is validated on its own (a garbled OCR
read must not lose the batch's good reads; its error names the row, read id and field), matched in memory
against the watchlist index (`plate_rules.Watchlist`, one dict look-up per read), and only hits are
stored: one `PlateHit` per (operator, read id), so a replayed batch raises nothing twice. A hit raises a
`plate_hit` alert with the car park's address and position in the same transaction; a look-alike match
beyond what the list's size tolerates (`plate_rules`, `ZHIXING_COMMAND["plate_false_hit_budget"]`) is a
possible sighting: kept without an alert or notification, the batch's in one INSERT and one audit
record; a second possible sighting of the same plate within a few hours raises the alert
(`sightings.promote_repeats`). Partners reach `ingest` through `plate_gateway` (an ASGI route in front
of Django).

The watchlist and its per-process index are `plate_watchlist`; the operators and their keys are
`plate_operators`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import ServiceError
from zhixing.core.inputguard import bad_text

from . import plate_rules, sightings
from .alerts import raise_alert
from .models import Alert, CarPark, ParkingOperator, PlateHit, WatchedPlate
from .plate_watchlist import threshold, watchlist_and_tolerance

MAX_BATCH = 10_000
MAX_SKEW = timedelta(minutes=10)


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    hits: list[dict[str, Any]] = field(default_factory=list)
    possible: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


_TZ = ZoneInfo("Asia/Shanghai")


def _parse_time(raw: Any, now: datetime) -> datetime:
    if not isinstance(raw, str) or not raw:
        raise _FieldError("seen_at", "缺少识别时间")
    try:
        at = datetime.fromisoformat(raw)
    except ValueError:
        raise _FieldError(
            "seen_at", f"识别时间“{raw[:40]}”不是 ISO 8601 格式（如 2026-12-03T10:15:00+08:00）"
        ) from None
    if at.tzinfo is None:  # operators' local clocks: China Standard Time
        at = at.replace(tzinfo=_TZ)
    if at > now + MAX_SKEW:
        raise _FieldError("seen_at", f"识别时间“{raw[:40]}”晚于当前时间")
    return at


class _FieldError(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.read_id = ""


def _checked_row(
    row: Any, car_parks: dict[str, CarPark], times: dict[str, datetime], now: datetime
) -> tuple[str, str, datetime, str]:
    """(read id, plate, time, car park) of a row, or _FieldError naming the field that is wrong."""
    read_id = ""
    try:
        if type(row) is not dict:
            raise _FieldError(None, "识别记录必须是对象")
        read_id = _text(row, "read_id")
        if not read_id or len(read_id) > 64:
            raise _FieldError("read_id", "缺少识别记录号（read_id，不超过64字符）")
        raw = row.get("plate")
        try:
            plate = plate_rules.validate(raw if type(raw) is str else str(raw or ""))
        except plate_rules.PlateError as e:
            raise _FieldError("plate", str(e)) from None
        stamp: Any = row.get("seen_at")
        at = _parse_time(stamp, now)
        times[stamp] = at  # valid: later rows with the same text skip parsing
        park = _text(row, "car_park")
        if park not in car_parks:
            raise _FieldError("car_park", f"未登记的停车场编码“{park[:32]}”" if park else "缺少停车场编码")
    except _FieldError as e:
        e.read_id = read_id
        raise
    return read_id, plate, at, park


def _text(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if type(value) is str:
        return value.strip()
    return str(value or "").strip()


def ingest(operator: ParkingOperator, rows: Any) -> IngestResult:
    """Validate, match and store a batch of plate reads; see the module docstring."""
    if not isinstance(rows, list):
        raise ServiceError("reads 必须是识别记录的数组", field="reads")
    if len(rows) > MAX_BATCH:
        raise ServiceError(f"每批最多 {MAX_BATCH} 条识别记录", field="reads")
    result = IngestResult()
    now = timezone.now()
    index, tolerance = watchlist_and_tolerance()
    limit = threshold()
    match = index.match
    car_parks = {c.code: c for c in CarPark.objects.filter(operator=operator)}  # one query per batch
    times: dict[Any, datetime] = {}  # a batch's reads share few distinct times: each parsed once
    seen: set[str] = set()
    matched: list[tuple[str, str, plate_rules.Match, datetime, str, str]] = []
    canonical = plate_rules.canonical
    accepted = duplicates = 0
    read_id: Any
    plate: Any
    stamp: Any
    park: Any
    for i, row in enumerate(rows):
        # The usual row (strings, a canonical plate, a known car park and an already parsed time) is
        # taken as it is; any other goes through `_checked_row`, which says what is wrong with it.
        read_id = ""
        at = None
        if type(row) is dict:
            read_id, plate, stamp, park = (
                row.get("read_id"),
                row.get("plate"),
                row.get("seen_at"),
                row.get("car_park"),
            )
            if (
                type(read_id) is str
                and type(plate) is str
                and type(stamp) is str
                and type(park) is str
                and park in car_parks
                and canonical(plate)
            ):
                read_id = read_id.strip()
                at = times.get(stamp)
                if not read_id or len(read_id) > 64:
                    at = None
        if at is None:
            try:
                read_id, plate, at, park = _checked_row(row, car_parks, times, now)
            except _FieldError as e:
                result.errors.append({"row": i, "read_id": e.read_id, "field": e.field, "detail": e.message})
                continue
        if read_id in seen:
            duplicates += 1
            continue
        seen.add(read_id)
        m = match(plate, limit, tolerance)
        if m is not None:
            camera = _text(row, "camera")[:64]
            # Only a matched read is stored: its texts are checked here, not every read's (the hot path).
            bad = next((f for f, v in (("read_id", read_id), ("camera", camera)) if bad_text(v)), None)
            if bad is not None:
                detail = f"“{bad}”含有不允许的控制字符（如空字符NUL）"
                result.errors.append({"row": i, "read_id": "", "field": bad, "detail": detail})
                continue
            matched.append((read_id, plate, m, at, park, camera))
        accepted += 1
    result.accepted, result.duplicates = accepted, duplicates
    if matched:
        _store_hits(operator, matched, car_parks, result)
    return result


def _store_hits(
    operator: ParkingOperator, matched: list[Any], car_parks: dict[str, CarPark], result: IngestResult
) -> None:
    """In one transaction: each alert with its audit record and notifications (`raise_alert`), the
    batch's possible sightings in one INSERT with one audit record."""
    known = set(
        PlateHit.objects.filter(operator=operator, read_id__in=[m[0] for m in matched]).values_list(
            "read_id", flat=True
        )
    )
    watches = WatchedPlate.objects.select_related("case", "court").in_bulk([m[2].watch_id for m in matched])
    possible: list[PlateHit] = []
    with transaction.atomic():  # one commit for the batch's alerts and possible sightings
        # Plates with possible sightings first (their promotion raises alerts: chain heads after plates).
        sightings.lock_watches([m[2].watch_id for m in matched if not m[2].alerts and m[0] not in known])
        for read_id, plate, m, at, park, camera in matched:
            if read_id in known:
                result.duplicates += 1
                result.accepted -= 1
                continue
            w = watches.get(m.watch_id)
            if w is None or not w.active:
                continue
            cp = car_parks[park]
            hit = PlateHit(
                operator=operator,
                read_id=read_id,
                plate_read=plate,
                watch=w,
                score=m.score,
                seen_at=at,
                car_park=cp,
                camera=camera,
            )
            if not m.alerts:
                possible.append(hit)
                result.possible.append({"read_id": read_id, "plate": w.plate, "score": m.score})
                continue
            local = timezone.localtime(at)
            raised = raise_alert(
                Alert.Kind.PLATE_HIT,
                w.court,
                w.case,
                f"布控车辆 {w.plate} 出现在 {cp.name}",
                f"{local:%Y-%m-%d %H:%M:%S} 识别车牌 {plate}（匹配度 {m.score:.2f}），"
                f"摄像头 {camera or '未报'}，"
                f"地址：{cp.address}",
                now_plus(30),
                f"plate:{operator.pk}:{read_id}",
                place=f"{cp.name}（{cp.address}）",
                latitude=cp.latitude,
                longitude=cp.longitude,
            )
            hit.alert = raised.alert
            hit.save(force_insert=True)
            result.hits.append(
                {"read_id": read_id, "plate": w.plate, "score": m.score, "alert_id": raised.alert.pk}
            )
        if possible:
            PlateHit.objects.bulk_create(possible)
            audit.record(
                None,
                "command.watch.possible",
                object_type="command.operator",
                object_id=operator.pk,
                after={"read_ids": [h.read_id for h in possible], "plates": [h.plate_read for h in possible]},
            )
            # A second possible sighting of a plate within the window raises its alert (sightings.py).
            sightings.promote_repeats(possible)


def now_plus(minutes: int) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)
