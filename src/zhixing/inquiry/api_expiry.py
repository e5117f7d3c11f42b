"""Controls over time API (`/api/v1/inquiry/controls...`): the court-wide list, bulk renewal, alerts.

The same scoping as the pages: the list and alerts for roles that may see property (own court and
subordinates), renewal for own-court control roles, every refused row reported with its reason.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from zhixing.core.errors import NotPermitted

from . import access, queries_expiry, services

router = Router(tags=["网络执行查控"])


class ControlsIn(Schema):
    window: str = "expiring"
    handler: str | None = None
    state: str | None = None
    kind: str | None = None
    cursor: str | None = None


class ControlOut(Schema):
    id: int
    case_id: int
    case_number: str
    court: str
    handler: str | None
    debtor: str
    partner: str
    kind: str
    ref: str
    state: str
    seizure_rank: int | None
    registered_on: str | None
    effective_on: str | None
    control_start: str | None
    control_expires: str | None
    days_left: int | None
    renewing: bool
    renew_error: str


class ControlPageOut(Schema):
    counts: dict[str, int]
    rows: list[ControlOut]
    next_cursor: str | None


class RenewIn(Schema):
    assets: list[Any]
    reason: str = ""


class RenewRowOut(Schema):
    asset: str
    ok: bool
    message: str
    request: int | None
    case_number: str
    ref: str


class RenewOut(Schema):
    renewed: int
    refused: int
    rows: list[RenewRowOut]


class ExpiryAlertOut(Schema):
    id: int
    level: str
    asset: int
    case_id: int
    case_number: str
    ref: str
    expires_on: str
    handler: str | None
    raised_at: str


def _lister(request: HttpRequest) -> Any:
    user: Any = request.user
    if user.court is None or not access.can_view_register(user, user.court):
        raise NotPermitted(access.REGISTER_REFUSED)
    return user


def _iso(d: Any) -> str | None:
    return d.isoformat() if d else None


@router.get("/inquiry/controls", response=ControlPageOut)
def controls(request: HttpRequest, params: Query[ControlsIn]) -> dict[str, Any]:
    """Controls expiring within the warning window, lapsed, or queued (轮候), soonest first, paged."""
    user = _lister(request)
    flt = queries_expiry.ControlFilter.parse(params.dict())
    page = queries_expiry.control_page(user, flt, params.cursor or None)
    rows = []
    for row in page.rows:
        a = row.asset
        rows.append(
            {
                "id": a.pk,
                "case_id": a.case_id,
                "case_number": a.case.number,
                "court": a.case.court.code,
                "handler": a.case.handler.get_full_name() if a.case.handler else None,
                "debtor": a.party.name,
                "partner": a.partner.code,
                "kind": a.kind,
                "ref": a.ref,
                "state": a.state,
                "seizure_rank": a.seizure_rank,
                "registered_on": _iso(a.registered_on),
                "effective_on": _iso(a.effective_on),
                "control_start": _iso(a.control_start),
                "control_expires": _iso(a.control_expires),
                "days_left": row.days_left,
                "renewing": row.renewing,
                "renew_error": row.renew_error,
            }
        )
    return {"counts": queries_expiry.window_counts(user, flt), "rows": rows, "next_cursor": page.next_cursor}


@router.post("/inquiry/controls/renewals", response=RenewOut)
def renew(request: HttpRequest, payload: RenewIn) -> dict[str, Any]:
    """一键续行: renewal orders for the listed assets; each refused row says why and changes nothing."""
    result = services.renew_controls(request.user, payload.assets, payload.reason)
    return {
        "renewed": result.renewed,
        "refused": len(result.refused),
        "rows": [
            {
                "asset": r.asset,
                "ok": r.ok,
                "message": r.message,
                "request": r.request_id,
                "case_number": r.case_number,
                "ref": r.ref,
            }
            for r in result.rows
        ],
    }


@router.get("/inquiry/controls/alerts", response=list[ExpiryAlertOut])
def alerts(request: HttpRequest) -> list[dict[str, Any]]:
    """Open control alerts of the caller (own cases; a supervisor's whole scope)."""
    user = _lister(request)
    return [
        {
            "id": a.pk,
            "level": a.level,
            "asset": a.asset_id,
            "case_id": a.case_id,
            "case_number": a.case.number,
            "ref": a.asset.ref,
            "expires_on": a.expires_on.isoformat(),
            "handler": a.handler.get_full_name() if a.handler else None,
            "raised_at": a.raised_at.isoformat(),
        }
        for a in queries_expiry.alerts_for(user, limit=100)
    ]
