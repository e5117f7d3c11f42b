"""The alert stream's services and reads (预警): raise once per source, route, acknowledge, act, close.

`raise_alert` is what every feed calls (the periodic sweep over the domains' queries, the receivers of
their events, the plate ingest, the portal's tip-offs). It is idempotent by `source_key`: a repeated or
concurrent raise of the same event returns the existing alert (the unique key settles the race).
Every step is written with its audit record in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhixing.core import audit, notify
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court, court_scope_q, staff_of_court
from zhixing.courts.roles import Cap, Role

from .models import Alert, AlertStep

OPEN_STATES = (Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED, Alert.Status.ACTING)
# What each step may follow; a closed alert stays closed (a new event raises a new alert).
_NEXT: dict[str, tuple[tuple[str, ...], str]] = {
    AlertStep.Action.ACKNOWLEDGE: ((Alert.Status.OPEN,), Alert.Status.ACKNOWLEDGED),
    AlertStep.Action.ACT: (OPEN_STATES, Alert.Status.ACTING),
    AlertStep.Action.DISPATCH: (OPEN_STATES, Alert.Status.ACTING),
    AlertStep.Action.CLOSE: (OPEN_STATES, Alert.Status.CLOSED),
}


@dataclass(frozen=True)
class Raised:
    alert: Alert
    created: bool


def raise_alert(
    kind: str,
    court: Any,
    case: Any,
    subject: str,
    detail: str = "",
    due_at: datetime | None = None,
    source_key: str = "",
    *,
    handler: Any = None,
    role: str = "",
    place: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> Raised:
    """Raise the alert of `source_key` once. Routed to `handler`, else the case's handler, else to every
    staff member of `court` in `role` (an alert of no case, e.g. an unclaimed receipt: the finance post;
    a case with no handler yet: the director, who assigns it); and always to the command center of
    `court` (who read by court scope). Returns the alert and whether it is new."""
    if role and role not in Role.values:
        raise ServiceError(f"未知的岗位：{role}", field="role")
    if kind not in Alert.Kind.values:
        raise ServiceError(f"未知的预警类型：{kind}", field="kind")
    if not source_key:
        raise ServiceError("缺少来源标识", field="source_key")
    found = Alert.objects.filter(source_key=source_key).first()
    if found is not None:
        return Raised(found, False)
    if handler is None and case is not None:
        handler = case.handler
        if handler is None and not role:  # a case not yet assigned: the director assigns it (分案)
            role = Role.DIRECTOR
    now = timezone.now()
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                kind=kind,
                court=court,
                case=case,
                handler=handler,
                routed_role=role,
                subject=subject[:200],
                detail=detail,
                place=place[:200],
                latitude=latitude,
                longitude=longitude,
                due_at=due_at,
                source_key=source_key,
                raised_at=now,
                updated_at=now,
            )
            AlertStep.objects.create(alert=alert, action=AlertStep.Action.RAISE, at=now, note=subject[:500])
            audit.record(
                None,
                "command.alert.raise",
                object_type="command.alert",
                object_id=alert.pk,
                case_id=getattr(case, "pk", None),
                after={
                    "kind": kind,
                    "subject": alert.subject,
                    "source_key": source_key,
                    "place": alert.place,
                },
                court=court,
            )
            _route(alert)
    except IntegrityError:  # a concurrent raise of the same source won the unique key
        return Raised(Alert.objects.get(source_key=source_key), False)
    return Raised(alert, True)


# Sightings are urgent: the command center's operators are told at once, not only by their screens.
_URGENT = (Alert.Kind.PLATE_HIT, Alert.Kind.TIP_OFF, Alert.Kind.INTERCEPTION)


def _route(alert: Alert) -> None:
    """Tell the responsible person (and, for a sighting, the court's operators) through the bell."""
    text = f"{alert.get_kind_display()}：{alert.subject}"
    url = f"/command/alerts/{alert.pk}/"
    recipients = [alert.handler]
    if alert.routed_role:  # a role's alert: everyone in that post at the court, any of whom takes it
        recipients += list(staff_of_court(alert.court).filter(role=alert.routed_role, is_active=True))
    if alert.kind in _URGENT:
        recipients += list(staff_of_court(alert.court).filter(role=Role.OPERATOR, is_active=True))
    notify.notify_all(recipients, "command.alert", text, url, source=alert.source_key)


def _in_routed_role(user: Any, alert: Alert) -> bool:
    return (
        bool(alert.routed_role)
        and alert.routed_role == getattr(user, "role", None)
        and (alert.court_id == getattr(user, "court_id", None))
    )


def may_handle(user: Any, alert: Alert) -> bool:
    """The responsible person, or the command center (and directors) of the alert's court."""
    if not getattr(user, "is_authenticated", False):
        return False
    if alert.handler_id == user.pk or _in_routed_role(user, alert):
        return True
    return user.can(Cap.COMMAND_ALERTS) and can_write_court(user, alert.court)


def step(user: Any, alert_id: int, action: str, note: str = "") -> Alert:
    """Acknowledge (签收), act (处置, with what was done), dispatch (派警) or close (办结) an alert."""
    if action not in _NEXT:
        raise ServiceError(f"未知的操作：{action}", field="action")
    note = (note or "").strip()
    if action in (AlertStep.Action.ACT, AlertStep.Action.CLOSE) and not note:
        raise ServiceError("请填写处置情况", field="note")
    if len(note) > 500:
        raise ServiceError("说明不能超过500字", field="note")
    with transaction.atomic():
        alert = Alert.objects.select_for_update(of=("self",)).select_related("court").get(pk=alert_id)
        if not may_handle(user, alert):
            raise NotPermitted("只有责任人或本院指挥中心可以处理该预警")
        allowed, to = _NEXT[action]
        if alert.status not in allowed:
            raise Conflict(f"预警当前为“{alert.get_status_display()}”，不能{AlertStep.Action(action).label}")
        before = alert.status
        now = timezone.now()
        alert.status = to
        alert.updated_at = now
        alert.save(update_fields=["status", "updated_at"])
        AlertStep.objects.create(alert=alert, action=action, actor=user, note=note, at=now)
        audit.record(
            user,
            f"command.alert.{action}",
            object_type="command.alert",
            object_id=alert.pk,
            case_id=alert.case_id,
            before={"status": before},
            after={"status": to, "note": note},
            court=alert.court,
        )
    return alert


# -- reads -----------------------------------------------------------------------------------------------


def mine_q(user: Any) -> Q:
    """The user's own alerts (我的预警): routed to the user or to the user's post at the user's court, or
    that the user took a step on (签收、处置、派警、办结), or whose field task the user was sent on (a
    bailiff sees the alert behind the task)."""
    q = Q(handler=user) | Q(steps__actor=user) | Q(tasks__bailiffs=user)
    role, court_id = getattr(user, "role", ""), getattr(user, "court_id", None)
    if role and court_id is not None:
        q |= Q(routed_role=role, court_id=court_id)
    return q


def mine_only(user: Any) -> QuerySet[Alert]:
    return Alert.objects.filter(pk__in=Alert.objects.filter(mine_q(user)).values("pk"))


def visible(user: Any) -> QuerySet[Alert]:
    """Alerts the user may see: the command center's court scope, else the user's own."""
    if not getattr(user, "is_authenticated", False):
        return Alert.objects.none()
    if user.can(Cap.COMMAND_ALERTS):  # the steps they take are on their courts' alerts, already in scope
        return Alert.objects.filter(court_scope_q(user) | Q(handler=user))
    return mine_only(user)


def listing(
    user: Any, *, mine: bool = False, status: str = "", kind: str = "", limit: int = 200
) -> list[Alert]:
    qs = mine_only(user) if mine else visible(user)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATES)
    elif status in Alert.Status.values:
        qs = qs.filter(status=status)
    if kind in Alert.Kind.values:
        qs = qs.filter(kind=kind)
    return list(qs.select_related("court", "case", "handler").order_by("-id")[:limit])


def since(user: Any, after_id: int, limit: int = 500) -> tuple[list[Alert], int]:
    """Alerts with id > `after_id` in id order, and the id to ask after next (the catch-up cursor).

    Ids are the stream's sequence: a screen remembers the last id it showed and asks again after a lost
    connection, so it misses none (ids are assigned at insert; see ADR 0027 for PostgreSQL's commit order).
    """
    rows = list(
        visible(user)
        .filter(pk__gt=after_id)
        .select_related("court", "case", "handler")
        .order_by("pk")[:limit]
    )
    return rows, (rows[-1].pk if rows else after_id)


def get_visible(user: Any, pk: int) -> Alert | None:
    return visible(user).select_related("court", "case", "handler").filter(pk=pk).first()


def counts(user: Any) -> dict[str, int]:
    return {
        "open": visible(user).filter(status__in=OPEN_STATES).count(),
        "mine": mine_only(user).filter(status__in=OPEN_STATES).count()
        if getattr(user, "is_authenticated", False)
        else 0,
    }
