"""manage.py command_demo_field — alerts, vehicle watch, dispatch and field evidence in every state.

For the first basic court with seized vehicles: team posts and vehicles, the sandbox parking operator
(`广州智慧停车（沙箱）`, with the published demo key `DEMO_KEY`, like the demo logins' password) and its car
parks, the watchlist synced from the asset register, plate reads sent through the ingest service (hits
raising alerts), alerts open / acknowledged / acting / closed, tasks assigned / en route / on site / done /
cancelled (two overlapping on one vehicle), photo evidence with its hash, and the domain sweep.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.command import (
    alert_feeds,
    alerts,
    dispatch,
    field,
    plate_operators,
    plate_rules,
    plate_watchlist,
    plates,
)
from zhixing.command.models import Alert, CarPark, FieldTask, ParkingOperator, TeamPost, Vehicle, WatchedPlate
from zhixing.courts import demo_roster
from zhixing.courts.models import Court, CourtLevel, Staff, Team
from zhixing.courts.roles import Role

DEMO_KEY = "zxp_demo-parking-sandbox-2026"
OPERATOR = "广州智慧停车（沙箱）"
PARKS = [
    ("P01", "天河城停车场", "广州市天河区天河路208号", 23.1322, 113.3270),
    ("P02", "珠江新城地下停车场", "广州市天河区花城大道85号", 23.1195, 113.3245),
    ("P03", "白云机场P4停车场", "广州市白云区机场路", 23.3924, 113.2988),
]
POSTS = [(23.1250, 113.3300), (23.1600, 113.2650), (23.0950, 113.3900)]


def png() -> bytes:
    """A 2×2 red PNG (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def misread(plate: str) -> str:
    """`plate` as a camera might misread it: its first look-alike character swapped (B→8, 0→D…)."""
    for i, c in enumerate(plate[1:], start=1):
        for group in plate_rules.CONFUSIONS:
            if c in group:
                return plate[:i] + group[(group.index(c) + 1) % len(group)] + plate[i + 1 :]
    return plate


def operator() -> ParkingOperator:
    op = ParkingOperator.objects.filter(name=OPERATOR).first()
    if op is None:
        op = ParkingOperator.objects.create(
            name=OPERATOR, key_digest=plate_operators.digest(DEMO_KEY), key_prefix=DEMO_KEY[:12]
        )
        for code, name, address, lat, lon in PARKS:
            CarPark.objects.create(
                operator=op, code=code, name=name, address=address, latitude=lat, longitude=lon
            )
    return op


class Command(BaseCommand):
    help = "生成预警、车辆布控、指挥调度与移动执行的演示数据"

    def handle(self, *args: Any, **opts: Any) -> None:
        op = operator()
        plate_watchlist.sync_watchlist()
        plate_watchlist.invalidate()
        watched = list(
            WatchedPlate.objects.filter(active=True).select_related("court").order_by("court__path", "pk")
        )
        courts = list(Court.objects.filter(level="basic").order_by("path"))
        for court in courts:
            self.equip(court)
        now = timezone.now()
        # Plate reads: every watched plate seen once (the first misread with an OCR look-alike).
        reads = [
            {
                "read_id": f"demo-{w.pk}",
                "plate": misread(w.plate) if i == 0 else w.plate,
                "seen_at": (now - timedelta(minutes=10 * i)).isoformat(),
                "car_park": PARKS[i % 3][0],
                "camera": f"入口{i + 1}",
            }
            for i, w in enumerate(watched[:6])
        ]
        result = plates.ingest(op, reads)
        hits = [Alert.objects.select_related("court").get(pk=h["alert_id"]) for h in result.hits]
        alert_feeds.sweep()
        # Alert states: the first hit dispatched (acting) with a task on site and a photo; the second
        # acknowledged; the rest open; one domain alert of each court closed, the next signed by its director.
        if hits:
            self.dispatched(hits[0], now)
        if len(hits) > 1 and (op_user := self.operator_of(hits[1].court)) is not None:
            alerts.step(op_user, hits[1].pk, "acknowledge")
        for court in courts:
            other = (
                Alert.objects.filter(court=court, status="open")
                .exclude(kind="plate_hit")
                .order_by("pk")
                .first()
            )
            if other is not None and (op_user := self.operator_of(court)) is not None:
                alerts.step(op_user, other.pk, "acknowledge")
                alerts.step(op_user, other.pk, "close", "已督促承办人办理")
            # the court's director signs for the next one himself (局长签收: it is in his 我的预警)
            director = (
                Staff.objects.filter(court=court, role=Role.DIRECTOR, is_active=True).order_by("pk").first()
            )
            following = (
                Alert.objects.filter(court=court, status="open")
                .exclude(kind="plate_hit")
                .order_by("pk")
                .first()
            )
            if director is not None and following is not None:
                alerts.step(director, following.pk, "acknowledge")
        # Tasks in the first two basic courts of the demo province (the roster's: the entrustment demo's
        # court of another province sorts first by path and has no teams, which once left 天河's bailiffs,
        # the featured demo logins, with an empty field app).
        province = {code for code, _, level, *_ in demo_roster.COURTS if level == CourtLevel.BASIC}
        for court in [c for c in courts if c.code in province][:2]:
            self.tasks(court, now)
        if opts["verbosity"]:
            self.stdout.write(
                f"演示：布控车辆{len(watched)}辆，命中{len(result.hits)}次，任务{FieldTask.objects.count()}个"
            )

    @staticmethod
    def operator_of(court: Court) -> Staff | None:
        return Staff.objects.filter(court=court, role=Role.OPERATOR, is_active=True).order_by("pk").first()

    @staticmethod
    def equip(court: Court) -> None:
        """Duty posts for the court's teams, one bailiff on each team, two vehicles."""
        teams = list(Team.objects.filter(court=court).order_by("pk"))
        bailiffs = list(Staff.objects.filter(court=court, role=Role.BAILIFF, is_active=True).order_by("pk"))
        for i, team in enumerate(teams):
            lat, lon = POSTS[i % len(POSTS)]
            TeamPost.objects.get_or_create(
                team=team, defaults={"label": f"{team.name}执勤点", "latitude": lat, "longitude": lon}
            )
        for b, team in zip(bailiffs, teams, strict=False):
            if b.team_id is None:
                Staff.objects.filter(pk=b.pk).update(team=team)
        for n in (1, 2):
            Vehicle.objects.get_or_create(
                court=court, plate=f"粤A9{court.pk:02d}0{n}", defaults={"name": f"执行指挥车{n}号"}
            )

    def dispatched(self, alert: Alert, now: Any) -> None:
        """One-click dispatch of a plate hit; the team goes on site and uploads a photo."""
        op_user = self.operator_of(alert.court)
        if op_user is None:
            return
        task = dispatch.dispatch_nearest(op_user, alert.pk)
        worker = task.bailiffs.first() or op_user
        dispatch.move(worker, task.pk, "en_route")
        dispatch.move(worker, task.pk, "on_site", "已到达停车场，车辆在位")
        dispatch.instruct(op_user, task.pk, "拖车已出发，请看管车辆")
        data = png()
        up = field.start_upload(
            worker,
            task.pk,
            field.UploadStart(
                "现场照片.png",
                "image/png",
                len(data),
                hashlib.sha256(data).hexdigest(),
                now - timedelta(minutes=3),
                alert.latitude,
                alert.longitude,
            ),
        )
        field.put_chunk(worker, str(up.token), 0, data)

    def tasks(self, court: Court, now: Any) -> None:
        """Tasks in the other states from the court's cases; two overlap on vehicle 1 (a conflict)."""
        op_user = self.operator_of(court)
        teams = list(Team.objects.filter(court=court).order_by("pk"))
        case = EnforcementCase.objects.filter(court=court, handler__isnull=False).order_by("pk").first()
        if op_user is None or not teams:
            return
        vehicle = Vehicle.objects.filter(court=court).order_by("pk").first()
        plan = [
            ("serve", "assigned", "送达执行通知书", "天河区体育西路1号"),
            ("search", "done", "搜查被执行人住所", "越秀区中山五路"),
            ("investigate", "cancelled", "调查经营场所", "海珠区新港东路"),
            ("seal", "en_route", "查封厂房设备", "黄埔区开发大道"),
        ]
        # the sealing follows up an open alert of the court (a tip-off first): its bailiff finds the alert
        # behind the task in 我的预警
        lead = (
            Alert.objects.filter(court=court, status__in=alerts.OPEN_STATES, case__isnull=False)
            .exclude(kind="plate_hit")
            .order_by(models.Case(models.When(kind="tip_off", then=0), default=1), "pk")
            .first()
        )
        for i, (kind, status, target, place) in enumerate(plan):
            team = teams[i % len(teams)]
            source = lead if kind == "seal" else None
            t = dispatch.create_task(
                op_user,
                dispatch.TaskData(
                    kind=kind,
                    team_id=team.pk,
                    target=target,
                    place=place,
                    starts_at=now + timedelta(hours=1),
                    ends_at=now + timedelta(hours=3),
                    vehicle_id=vehicle.pk if vehicle and i in (0, 3) else None,
                    bailiff_ids=tuple(
                        Staff.objects.filter(team=team, role=Role.BAILIFF, is_active=True).values_list(
                            "pk", flat=True
                        )
                    )[:1],
                    instructions="注意安全，全程执法记录仪录像",
                    case=source.case if source is not None else case,
                    alert=source,
                ),
            )
            if status == "done":
                dispatch.move(op_user, t.pk, "on_site")
                dispatch.move(op_user, t.pk, "done", "已搜查完毕，未发现财产")
            elif status == "en_route":
                dispatch.move(op_user, t.pk, "en_route")
            elif status == "cancelled":
                dispatch.move(op_user, t.pk, "cancelled", "被执行人已主动履行")
