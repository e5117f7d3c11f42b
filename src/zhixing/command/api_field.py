"""JSON API of the alert stream and vehicle watch.

- `GET /api/v1/command/alerts?after=<id>&mine=0|1`: alerts after the cursor in id order and the next
  cursor; a screen that lost its connection asks again with the last id it showed and misses none.
- `POST /api/v1/command/alerts/{id}/steps`: acknowledge / act / close.

The parking operators' `POST /api/v1/command/plate-reads` is answered in front of Django
(`plate_gateway`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from . import alerts
from .models import Alert

router = Router(tags=["指挥中心·预警与布控"])


class AlertOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    court: str
    case_id: int | None
    case_number: str
    handler: str
    subject: str
    detail: str
    place: str
    latitude: float | None
    longitude: float | None
    raised_at: str
    due_at: str | None


def _out(a: Alert) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "status": a.status,
        "court": a.court.code,
        "case_id": a.case_id,
        "case_number": a.case.number if a.case else "",
        "handler": a.responsible,
        "subject": a.subject,
        "detail": a.detail,
        "place": a.place,
        "latitude": a.latitude,
        "longitude": a.longitude,
        "raised_at": a.raised_at.isoformat(),
        "due_at": a.due_at.isoformat() if a.due_at else None,
    }


class AlertPage(Schema):
    alerts: list[AlertOut]
    next_after: int


@router.get("/command/alerts", response=AlertPage)
def alert_feed(request: HttpRequest, after: int = 0, mine: bool = False) -> dict[str, Any]:
    """Alerts after `after` (the catch-up cursor), at most 500 per call."""
    if after < 0:
        raise HttpError(422, "after 不能为负数")
    rows, nxt = alerts.since(request.user, after)
    if mine:  # 我的预警's stream: the user's own (alerts.mine_q), as the page lists them
        shown = [a.pk for a in rows]
        own = set(alerts.mine_only(request.user).filter(pk__in=shown).values_list("pk", flat=True))
        rows = [a for a in rows if a.pk in own]
    return {"alerts": [_out(a) for a in rows], "next_after": nxt}


class StepIn(Schema):
    action: str
    note: str = ""


@router.post("/command/alerts/{alert_id}/steps", response=AlertOut)
def alert_step(request: HttpRequest, alert_id: int, payload: StepIn) -> dict[str, Any]:
    if alerts.get_visible(request.user, alert_id) is None:
        raise HttpError(404, "预警不存在或无权查看")
    alerts.step(request.user, alert_id, payload.action, payload.note)
    found = alerts.get_visible(request.user, alert_id)
    assert found is not None
    return _out(found)
