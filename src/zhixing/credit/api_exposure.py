"""Exposure delivery API: the media partners' signed impressions callback and the staff's notices.

`POST /credit/exposure/callback` is for media partners only: no staff session, the body signed with the
partner's protocol secret (docs/partner-protocol.md). The staff endpoints are court-scoped like the
rest of the credit API: a case the user cannot read is a 404, a write outside one's own court a 403.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from zhixing.cases.queries import get_case
from zhixing.core.errors import ServiceError

from . import queries_exposure, services
from .models import ExposureNotice, Listing
from .schemas import ExposeIn, ExposureOut, WithdrawIn, WithdrawOut

router = Router(tags=["信用惩戒"])


class NotFound(ServiceError):
    status = 404

    def __init__(self, field: str = "case_id") -> None:
        super().__init__("对象不存在或无权查看", field=field, code="not_found")


def out(n: ExposureNotice) -> dict[str, Any]:
    return {
        "id": n.pk,
        "listing_id": n.listing_id,
        "partner": n.partner.name,
        "partner_code": n.partner.code,
        "area_code": n.area_code,
        "area_name": n.area_name,
        "status": n.status,
        "status_label": n.get_status_display(),
        "reason": n.reason,
        "attempts": n.attempts,
        "due_at": n.due_at,
        "sent_at": n.sent_at,
        "withdrawn_at": n.withdrawn_at,
        "withdraw_reason": n.withdraw_reason,
        "impressions": n.impressions,
        "reported_at": n.reported_at,
    }


def _listing(request: HttpRequest, listing_id: int) -> Listing:
    listing = Listing.objects.select_related("court", "party").filter(pk=listing_id).first()
    if listing is None or get_case(request.user, listing.case_id) is None:
        raise NotFound("listing_id")
    return listing


@router.post("/credit/exposure/callback", auth=None, summary="媒体曝光次数回报（签名回调）")
def exposure_callback(request: HttpRequest) -> HttpResponse:
    """`{"partner": code, "reports": [{"notice": id, "impressions": running total}]}`, signed by the media."""
    result = services.receive_reports(request.path, request.body, dict(request.headers))
    named = {"field": result.field} if result.field else {}
    return JsonResponse({"detail": result.detail, "applied": result.applied, **named}, status=result.status)


@router.get("/credit/cases/{case_id}/exposures", response=list[ExposureOut], summary="本案曝光推送")
def case_exposures(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    if get_case(request.user, case_id) is None:
        raise NotFound()
    return [out(n) for n in queries_exposure.case_exposures(case_id)]


@router.post(
    "/credit/listings/{listing_id}/expose", response=list[ExposureOut], summary="曝光并推送户籍地媒体"
)
def expose(request: HttpRequest, listing_id: int, payload: ExposeIn) -> list[dict[str, Any]]:
    listing = _listing(request, listing_id)
    notices = services.expose(request.user, listing, address=payload.address)
    return [
        out(n)
        for n in ExposureNotice.objects.filter(pk__in=[n.pk for n in notices]).select_related("partner")
    ]


@router.post("/credit/listings/{listing_id}/exposures/withdraw", response=WithdrawOut, summary="撤回曝光推送")
def withdraw(request: HttpRequest, listing_id: int, payload: WithdrawIn) -> dict[str, int]:
    listing = _listing(request, listing_id)
    return {"withdrawn": services.withdraw_listing_exposure(request.user, listing, payload.reason)}


@router.post(
    "/credit/exposures/{notice_id}/resend", response=ExposureOut, summary="重新推送被拒收或失败的曝光"
)
def resend(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    notice = ExposureNotice.objects.select_related("listing__court", "partner").filter(pk=notice_id).first()
    if notice is None or get_case(request.user, notice.listing.case_id) is None:
        raise NotFound("notice_id")
    return out(services.resend_exposure(request.user, notice))
