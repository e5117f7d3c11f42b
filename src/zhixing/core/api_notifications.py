"""Notifications API (`/api/v1/notifications…`): the caller's own notifications only.

Auth as the rest of the API (a token or a signed-in session, CSRF on writes). Another person's
notification is 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import notify
from .models import Notification

router = Router(tags=["站内通知"])


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    created: str | None
    read: bool


class UnreadOut(Schema):
    unread: int
    latest: NotificationOut | None


class ReadOut(Schema):
    marked: int
    unread: int


@router.get("/notifications", response=list[NotificationOut], url_name="notifications_list")
def list_notifications(request: HttpRequest, unread: bool = False, limit: int = 50) -> list[dict[str, Any]]:
    limit = max(1, min(limit, 200))
    return [notify.as_dict(n) for n in notify.recent(request.user, limit, unread_only=unread)]


@router.get("/notifications/unread", response=UnreadOut, url_name="notifications_unread")
def unread(request: HttpRequest) -> dict[str, Any]:
    latest = notify.recent(request.user, 1, unread_only=True)
    return {
        "unread": notify.unread_count(request.user),
        "latest": notify.as_dict(latest[0]) if latest else None,
    }


@router.post("/notifications/read", response=ReadOut, url_name="notifications_read_all")
def read_all(request: HttpRequest) -> dict[str, int]:
    n = notify.mark_read(request.user)
    return {"marked": n, "unread": 0}


@router.post("/notifications/{notification_id}/read", response=ReadOut, url_name="notifications_read_one")
def read_one(request: HttpRequest, notification_id: int) -> dict[str, int]:
    get_object_or_404(Notification, pk=notification_id, recipient_id=request.user.pk)
    n = notify.mark_read(request.user, [notification_id])
    return {"marked": n, "unread": notify.unread_count(request.user)}
