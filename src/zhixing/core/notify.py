"""In-app notifications: write one in the caller's transaction, push it live once that commits.

`notify(recipient, kind, text, url, source=...)` is called from domain services at the moment something
is assigned to a person or starts waiting for them. The row is the truth (the bell and /notifications/
read it); the push over the Channels layer (group `notify.<user id>`, consumer in `consumers.py`) only
spares the browser its 30-second poll. A push that fails is logged and forgotten.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from django.db import transaction
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)

TEXT_MAX = 300


def group_name(user_id: int) -> str:
    return f"notify.{user_id}"


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def _push(user_id: int, payload: dict[str, Any]) -> None:
    try:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is None:
            return
        groups = getattr(layer, "groups", None)  # the in-memory layer: nobody of this process listens
        if isinstance(groups, dict) and not groups.get(group_name(user_id)):
            return
        payload = {
            **payload,
            "unread": Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count(),
        }
        message = {"type": "notify.message", "data": payload}
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:  # called from a thread that runs an event loop: schedule, never block it
            loop.create_task(layer.group_send(group_name(user_id), message))
        else:
            async_to_sync(layer.group_send)(group_name(user_id), message)
    except Exception:  # the poll will find it; a dead layer must not break the write that caused it
        log.warning("notification push failed for user %s", user_id, exc_info=True)


def as_dict(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "text": n.text,
        "url": n.url,
        "created": timezone.localtime(n.created).isoformat() if n.created else None,
        "read": n.read_at is not None,
    }


def notify(
    recipient: Any, kind: str, text: str, url: str = "", *, source: str = "", once: bool = False
) -> Notification | None:
    """Tell `recipient` (a staff member, or None: nothing happens) that something concerns them.

    With `once`, nothing is written when the recipient already has a notification of this kind from
    this source (a repeated scan, a retried step). Returns the row written, or None.
    """
    if recipient is None or not getattr(recipient, "is_active", True):
        return None
    if once and Notification.objects.filter(recipient_id=recipient.pk, kind=kind, source=source).exists():
        return None
    n = Notification.objects.create(
        recipient_id=recipient.pk, kind=kind[:40], text=text[:TEXT_MAX], url=url[:300], source=source[:120]
    )
    data = as_dict(n)
    transaction.on_commit(lambda: _push(recipient.pk, data))
    return n


def notify_all(
    recipients: Iterable[Any], kind: str, text: str, url: str = "", *, source: str = "", once: bool = False
) -> int:
    """`notify` each recipient (skipping repeats of the same person); returns how many were written."""
    seen: set[int] = set()
    written = 0
    for r in recipients:
        if r is None or r.pk in seen:
            continue
        seen.add(r.pk)
        if notify(r, kind, text, url, source=source, once=once) is not None:
            written += 1
    return written


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when `ids` is None); returns how many."""
    qs = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def recent(user: Any, limit: int = 50, *, unread_only: bool = False) -> list[Notification]:
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return list(qs.order_by("-created", "-id")[:limit])
