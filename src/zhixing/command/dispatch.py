"""Dispatch services (指挥调度): field tasks for teams, conflicts, instructions, status, nearest team.

A task is created from a case or an alert for a team, with a vehicle and bailiffs for a time window.
Overlaps (the same bailiff or vehicle in two tasks whose windows intersect) are shown, not refused: the
command center may knowingly double-book in an emergency, and sees it on the task.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from zhixing.core import audit, notify
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.models import Staff, Team
from zhixing.courts.queries import can_write_court, court_scope_q
from zhixing.courts.roles import Cap, Role

from . import alerts
from .models import Alert, AlertStep, FieldTask, TaskStep, TeamPost, Vehicle

ACTIVE = (FieldTask.Status.ASSIGNED, FieldTask.Status.EN_ROUTE, FieldTask.Status.ON_SITE)
# The field team moves its task forward; the command center may also cancel.
_MOVES: dict[str, tuple[str, ...]] = {
    FieldTask.Status.EN_ROUTE: (FieldTask.Status.ASSIGNED,),
    FieldTask.Status.ON_SITE: (FieldTask.Status.ASSIGNED, FieldTask.Status.EN_ROUTE),
    FieldTask.Status.DONE: ACTIVE,
    FieldTask.Status.CANCELLED: ACTIVE,
}


@dataclass
class TaskData:
    kind: str
    team_id: int
    target: str
    place: str
    starts_at: datetime
    ends_at: datetime
    vehicle_id: int | None = None
    bailiff_ids: tuple[int, ...] = ()
    instructions: str = ""
    case: Any = None
    alert: Alert | None = None
    latitude: float | None = None
    longitude: float | None = None


def _check(user: Any, court: Any) -> None:
    if not user.can(Cap.COMMAND_DISPATCH) or not can_write_court(user, court):
        raise NotPermitted("只有本院指挥中心可以派出外勤任务")


def _tell_crew(user: Any, task: FieldTask, bailiffs: list[Any]) -> None:
    """The people sent learn of the task in their bell (field app): its bailiffs and the field staff of its
    team (`may_work`), not the dispatcher."""
    crew = [*bailiffs]
    crew += [s for s in Staff.objects.filter(team_id=task.team_id, is_active=True) if s.can(Cap.FIELD_WORK)]
    start = timezone.localtime(task.starts_at)
    notify.notify_all(
        (s for s in crew if s.pk != user.pk),
        "command.task",
        f"新的外勤任务：{task.get_kind_display()}（{task.target}），{start:%m月%d日 %H:%M}起，"
        f"地点：{task.place}",
        reverse("command_field_task", args=[task.pk]),
        source=f"command.task:{task.pk}",
    )


def create_task(user: Any, data: TaskData) -> FieldTask:
    """Dispatch a field task; from an alert, the alert moves to 处置中 with a 派警 step."""
    court = user.court
    _check(user, court)
    if data.kind not in FieldTask.Kind.values:
        raise ServiceError("请选择任务类型", field="kind")
    team = Team.objects.filter(pk=data.team_id, court=court).first()
    if team is None:
        raise ServiceError("请选择本院的执行团队", field="team")
    vehicle = None
    if data.vehicle_id:
        vehicle = Vehicle.objects.filter(pk=data.vehicle_id, court=court).first()
        if vehicle is None:
            raise ServiceError("请选择本院的执行车辆", field="vehicle")
    bailiffs = list(
        Staff.objects.filter(pk__in=data.bailiff_ids, court=court, role=Role.BAILIFF, is_active=True)
    )
    if len(bailiffs) != len(set(data.bailiff_ids)):
        raise ServiceError("随队人员须为本院在职司法警察", field="bailiffs")
    if not data.target.strip():
        raise ServiceError("请填写执行对象", field="target")
    if not data.place.strip():
        raise ServiceError("请填写任务地点", field="place")
    if data.ends_at <= data.starts_at:
        raise ServiceError("预计结束时间须晚于开始时间", field="ends_at")
    if data.case is not None and data.case.court_id != court.pk:
        raise ServiceError("只能为本院案件派出任务", field="case")
    now = timezone.now()
    with transaction.atomic():
        task = FieldTask.objects.create(
            court=court,
            case=data.case,
            alert=data.alert,
            kind=data.kind,
            team=team,
            vehicle=vehicle,
            target=data.target.strip()[:200],
            place=data.place.strip()[:200],
            latitude=data.latitude,
            longitude=data.longitude,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            instructions=data.instructions.strip(),
            created_by=user,
            created_at=now,
        )
        task.bailiffs.set(bailiffs)
        TaskStep.objects.create(
            task=task, status=task.status, note=task.instructions[:500], actor=user, at=now
        )
        audit.record(
            user,
            "command.task.create",
            object_type="command.task",
            object_id=task.pk,
            case_id=getattr(data.case, "pk", None),
            after={
                "kind": data.kind,
                "team": team.name,
                "vehicle": vehicle.plate if vehicle else "",
                "bailiffs": [b.full_name for b in bailiffs],
                "place": task.place,
                "starts_at": data.starts_at,
                "ends_at": data.ends_at,
                "alert": getattr(data.alert, "pk", None),
            },
            court=court,
        )
        _tell_crew(user, task, bailiffs)
        if data.alert is not None and data.alert.status != Alert.Status.CLOSED:
            alerts.step(
                user, data.alert.pk, AlertStep.Action.DISPATCH, f"派出{team.name}：{task.get_kind_display()}"
            )
    return task


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good enough for choosing the nearest team in a city."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def busy_team_ids(court: Any, at: datetime) -> set[int]:
    return set(
        FieldTask.objects.filter(
            court=court, status__in=ACTIVE, starts_at__lte=at, ends_at__gt=at
        ).values_list("team_id", flat=True)
    )


def nearest_team(
    court: Any, lat: float | None, lon: float | None, at: datetime | None = None
) -> tuple[Team, float] | None:
    """The on-duty team of `court` without a task at `at` whose post is nearest (lat, lon)."""
    at = at or timezone.now()
    busy = busy_team_ids(court, at)
    posts = [
        p
        for p in TeamPost.objects.filter(team__court=court, on_duty=True).select_related("team")
        if p.team_id not in busy
    ]
    if not posts:
        return None
    if lat is None or lon is None:
        return posts[0].team, 0.0
    best = min(posts, key=lambda p: distance_km(lat, lon, p.latitude, p.longitude))
    return best.team, distance_km(lat, lon, best.latitude, best.longitude)


def dispatch_nearest(user: Any, alert_id: int) -> FieldTask:
    """One-click dispatch from a plate hit: the nearest free team seizes the vehicle, now, for 2 hours."""
    alert = alerts.get_visible(user, alert_id)
    if alert is None:
        raise ServiceError("预警不存在或无权查看", field="alert")
    _check(user, alert.court)
    found = nearest_team(alert.court, alert.latitude, alert.longitude)
    if found is None:
        raise Conflict("当前没有在岗且空闲的执行团队")
    team, km = found
    now = timezone.now()
    busy_vehicles = set(
        FieldTask.objects.filter(
            court=alert.court, status__in=ACTIVE, starts_at__lt=now + timedelta(hours=2), ends_at__gt=now
        )
        .exclude(vehicle=None)
        .values_list("vehicle_id", flat=True)
    )
    vehicle = Vehicle.objects.filter(court=alert.court).exclude(pk__in=busy_vehicles).order_by("pk").first()
    kind = FieldTask.Kind.SEIZE_VEHICLE if alert.kind == Alert.Kind.PLATE_HIT else FieldTask.Kind.INVESTIGATE
    return create_task(
        user,
        TaskData(
            kind=kind,
            team_id=team.pk,
            target=alert.subject,
            place=alert.place or alert.subject,
            starts_at=now,
            ends_at=now + timedelta(hours=2),
            vehicle_id=vehicle.pk if vehicle else None,
            bailiff_ids=tuple(
                Staff.objects.filter(team=team, role=Role.BAILIFF, is_active=True).values_list(
                    "pk", flat=True
                )
            ),
            instructions=f"就近派警（距离约 {km:.1f} 公里）：{alert.detail}"[:2000],
            case=alert.case,
            alert=alert,
            latitude=alert.latitude,
            longitude=alert.longitude,
        ),
    )


def conflicts(task: FieldTask) -> list[tuple[FieldTask, str]]:
    """Other active tasks overlapping `task` that share its vehicle or a bailiff, with what they share."""
    bailiffs = {b.pk: b.full_name for b in task.bailiffs.all()}
    q = Q(vehicle_id=task.vehicle_id) if task.vehicle_id else Q(pk__in=[])
    if bailiffs:
        q |= Q(bailiffs__in=list(bailiffs))
    rows = (
        FieldTask.objects.filter(q, status__in=ACTIVE, starts_at__lt=task.ends_at, ends_at__gt=task.starts_at)
        .exclude(pk=task.pk)
        .select_related("team", "vehicle")
        .prefetch_related("bailiffs")
        .distinct()
    )
    out = []
    for other in rows:
        shared = [b.full_name for b in other.bailiffs.all() if b.pk in bailiffs]
        what = []
        if task.vehicle_id and other.vehicle_id == task.vehicle_id:
            what.append(f"车辆 {other.vehicle.plate}")  # type: ignore[union-attr]
        if shared:
            what.append("司法警察 " + "、".join(shared))
        out.append((other, "，".join(what)))
    return out


def may_work(user: Any, task: FieldTask) -> bool:
    """The task's team and bailiffs work it; the command center of its court oversees it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.can(Cap.COMMAND_DISPATCH) and can_write_court(user, task.court):
        return True
    if not user.can(Cap.FIELD_WORK):
        return False
    return (user.team_id is not None and user.team_id == task.team_id) or task.bailiffs.filter(
        pk=user.pk
    ).exists()


def move(user: Any, task_id: int, status: str, note: str = "") -> FieldTask:
    """Move a task's status (出发, 到达现场, 已完成, 取消) with an optional note."""
    if status not in _MOVES:
        raise ServiceError("未知的任务状态", field="status")
    with transaction.atomic():
        task = FieldTask.objects.select_for_update().get(pk=task_id)
        if not may_work(user, task):
            raise NotPermitted("只有执行该任务的团队或本院指挥中心可以更新任务")
        if status == FieldTask.Status.CANCELLED and not user.can(Cap.COMMAND_DISPATCH):
            raise NotPermitted("只有指挥中心可以取消任务")
        if task.status not in _MOVES[status]:
            raise Conflict(
                f"任务当前为“{task.get_status_display()}”，不能改为“{FieldTask.Status(status).label}”"
            )
        before = task.status
        task.status = status
        task.save(update_fields=["status"])
        TaskStep.objects.create(
            task=task, status=status, note=note.strip()[:500], actor=user, at=timezone.now()
        )
        audit.record(
            user,
            "command.task.status",
            object_type="command.task",
            object_id=task.pk,
            case_id=task.case_id,
            before={"status": before},
            after={"status": status, "note": note.strip()[:500]},
            court=task.court,
        )
    return task


def instruct(user: Any, task_id: int, note: str) -> FieldTask:
    """The command center's instruction to a team on a task (指挥指令)."""
    note = (note or "").strip()
    if not note:
        raise ServiceError("请填写指令内容", field="note")
    with transaction.atomic():
        task = FieldTask.objects.select_for_update().get(pk=task_id)
        _check(user, task.court)
        TaskStep.objects.create(task=task, note=note[:500], actor=user, at=timezone.now())
        audit.record(
            user,
            "command.task.instruct",
            object_type="command.task",
            object_id=task.pk,
            case_id=task.case_id,
            after={"note": note[:500]},
            court=task.court,
        )
    return task


# -- reads -----------------------------------------------------------------------------------------------


def visible_tasks(user: Any) -> QuerySet[FieldTask]:
    if not getattr(user, "is_authenticated", False):
        return FieldTask.objects.none()
    if user.can(Cap.COMMAND_DISPATCH) or user.can(Cap.COMMAND_ALERTS):
        return FieldTask.objects.filter(court_scope_q(user))
    if user.can(Cap.FIELD_WORK):
        mine = Q(bailiffs=user)
        if user.team_id:
            mine |= Q(team_id=user.team_id)
        return FieldTask.objects.filter(mine).distinct()
    return FieldTask.objects.none()


def my_tasks_today(user: Any) -> list[FieldTask]:
    """The field page's list: the user's team's and own tasks that overlap today, or are still active."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    end = start + timedelta(days=1)
    return list(
        visible_tasks(user)
        .filter(Q(starts_at__lt=end, ends_at__gt=start) | Q(status__in=ACTIVE))
        .select_related("team", "vehicle", "case")
        .order_by("starts_at", "pk")[:100]
    )


def get_task(user: Any, pk: int) -> FieldTask | None:
    return (
        visible_tasks(user).select_related("team", "vehicle", "case", "court", "alert").filter(pk=pk).first()
    )
