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
from django.utils import timezone

from zhixing.command import alert_feeds, alerts, dispatch, field, plates
from zhixing.command.models import CarPark, FieldTask, ParkingOperator, TeamPost, Vehicle, WatchedPlate
from zhixing.courts.models import Court, Staff, Team
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
        for group in plates.plate_rules.CONFUSIONS:
            if c in group:
                return plate[:i] + group[(group.index(c) + 1) % len(group)] + plate[i + 1 :]
    return plate


def operator() -> ParkingOperator:
    op = ParkingOperator.objects.filter(name=OPERATOR).first()
    if op is None:
        op = ParkingOperator.objects.create(
            name=OPERATOR, key_digest=plates.digest(DEMO_KEY), key_prefix=DEMO_KEY[:12]
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
        plates.sync_watchlist()
        plates.invalidate()
        watched = list(
            WatchedPlate.objects.filter(active=True).select_related("court").order_by("court__path", "pk")
        )
        court = watched[0].court if watched else Court.objects.filter(level="basic").order_by("path").first()
        if court is None:
            return
        operator_user = Staff.objects.filter(court=court, role=Role.OPERATOR, is_active=True).first()
        teams = list(Team.objects.filter(court=court).order_by("pk"))
        bailiffs = list(Staff.objects.filter(court=court, role=Role.BAILIFF, is_active=True).order_by("pk"))
        for i, team in enumerate(teams):
            lat, lon = POSTS[i % len(POSTS)]
            TeamPost.objects.get_or_create(
                team=team, defaults={"label": f"{team.name}执勤点", "latitude": lat, "longitude": lon}
            )
        for b, team in zip(
            bailiffs, teams, strict=False
        ):  # one bailiff per team, so each team's phone page has one
            if b.team_id is None:
                Staff.objects.filter(pk=b.pk).update(team=team)
        for n in (1, 2):
            Vehicle.objects.get_or_create(
                court=court, plate=f"粤A9{court.pk:02d}0{n}", defaults={"name": f"执行指挥车{n}号"}
            )
        now = timezone.now()
        # Plate reads: each watched plate of the court seen once (the first read with OCR look-alikes).
        reads = []
        for i, w in enumerate([w for w in watched if w.court_id == court.pk][:4]):
            seen = misread(w.plate) if i == 0 else w.plate
            reads.append(
                {
                    "read_id": f"demo-{w.pk}",
                    "plate": seen,
                    "seen_at": (now - timedelta(minutes=10 * i)).isoformat(),
                    "car_park": PARKS[i % 3][0],
                    "camera": f"入口{i + 1}",
                }
            )
        result = plates.ingest(op, reads)
        hit_alerts = [h["alert_id"] for h in result.hits]
        alert_feeds.sweep()
        if operator_user is None or not teams:
            return
        # Alert states: [0] stays open; [1] acknowledged; [2] dispatched (acting) with evidence; [3] closed.
        if len(hit_alerts) > 1:
            alerts.step(operator_user, hit_alerts[1], "acknowledge")
        if len(hit_alerts) > 3:
            alerts.step(operator_user, hit_alerts[3], "close", "车辆已驶离，另行布控")
        if len(hit_alerts) > 2:
            task = dispatch.dispatch_nearest(operator_user, hit_alerts[2])
            worker = task.bailiffs.first() or operator_user
            dispatch.move(worker, task.pk, "en_route")
            dispatch.move(worker, task.pk, "on_site", "已到达停车场，车辆在位")
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
                    23.1322,
                    113.3270,
                ),
            )
            field.put_chunk(worker, str(up.token), 0, data)
        # Tasks in the other states, from cases; two overlap on vehicle 1.
        case_ids = [w.case for w in watched if w.court_id == court.pk] or []
        vehicle = Vehicle.objects.filter(court=court).order_by("pk").first()
        for i, (kind, status) in enumerate(
            [("serve", "assigned"), ("search", "done"), ("investigate", "cancelled"), ("seal", "assigned")]
        ):
            team = teams[i % len(teams)]
            t = dispatch.create_task(
                operator_user,
                dispatch.TaskData(
                    kind=kind,
                    team_id=team.pk,
                    target=["送达执行通知书", "搜查被执行人住所", "调查经营场所", "查封厂房设备"][i],
                    place=["天河区体育西路1号", "越秀区中山五路", "海珠区新港东路", "黄埔区开发大道"][i],
                    starts_at=now + timedelta(hours=1),
                    ends_at=now + timedelta(hours=3),
                    vehicle_id=vehicle.pk if vehicle and i in (0, 3) else None,
                    bailiff_ids=tuple(b.pk for b in bailiffs if b.team_id == team.pk)[:1],
                    instructions="注意安全，全程执法记录仪录像",
                    case=case_ids[0] if case_ids else None,
                ),
            )
            if status == "done":
                dispatch.move(operator_user, t.pk, "on_site")
                dispatch.move(operator_user, t.pk, "done", "已搜查完毕，未发现财产")
            elif status == "cancelled":
                dispatch.move(operator_user, t.pk, "cancelled", "被执行人已主动履行")
        if opts["verbosity"]:
            self.stdout.write(
                f"演示：布控车辆{len(watched)}辆，命中{len(result.hits)}次，任务{FieldTask.objects.count()}个"
            )
