"""Inquiry API (`/api/v1/inquiry/...`): one-click inquiry, the asset register, approvals, partner callbacks.

Staff endpoints follow the platform's court scoping (404 for cases the caller cannot read, 403 for
writes they may not make). `POST /inquiry/callback` is for partner institutions: no staff session, the
partner protocol's signature is the authentication (docs/partner-protocol.md).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from zhixing.cases.queries import get_case
from zhixing.core.errors import NotPermitted

from . import access, queries, services
from .api_triage import router as triage_router
from .models import InquiryRequest

router = Router(tags=["网络执行查控"])
router.add_router("", triage_router)


class InquiryIn(Schema):
    categories: list[str]


class InquiryBatchOut(Schema):
    batch: int
    requests: int


class PendingOut(Schema):
    """A control order on the asset still in flight: no other control is accepted until it is answered."""

    id: int
    action: str
    status: str = Field(
        description="awaiting_approval 待审批 / pending 待发送 / sending 发送中 / waiting 等待反馈"
    )
    status_display: str
    amount: str | None
    notice_url: str = Field(description="该请求的协助执行通知书（站内地址）")


class AssetOut(Schema):
    id: int
    debtor: str
    category: str
    kind: str
    ref: str
    value: str
    state: str
    frozen_amount: str
    deducted_amount: str
    seizure_rank: int | None
    registered_on: str | None
    effective_on: str | None
    control_start: str | None
    control_expires: str | None
    expiry: str
    pending_request: PendingOut | None = Field(None, description="该财产上尚未办结的控制请求")
    control_locked: bool = Field(False, description="有尚未办结的控制请求时为 true：反馈前不能再采取措施")
    found_on: str | None = Field(None, description="查得日期（北京时间）")
    higher_court_from: str | None = Field(
        None,
        description="执行中发现且尚未执行完结的财产：申请执行人可向上一级法院申请的首日"
        "（执行程序解释第十条第二项，发现之日起六个月，不计入期间除外）；期间暂停或不适用时为 null",
    )
    preserved_in: str = Field(
        "",
        description="由诉讼保全案件（执保）转入的原保全案号；顺位、登记日、期限与续行记录保持原状。非转入的为空",
    )


class InquiryRequestOut(Schema):
    id: int
    status: str
    approvals: list[dict[str, Any]]


def _case(request: HttpRequest, pk: int) -> Any:
    case = get_case(request.user, pk)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    return case


@router.post("/inquiry/cases/{pk}/inquiries", response={201: InquiryBatchOut})
def start_inquiry(request: HttpRequest, pk: int, payload: InquiryIn) -> Status:
    case = _case(request, pk)
    if not access.can_request(request.user, case.court):
        raise NotPermitted("只有本院承办人员或指挥中心可以发起查控")
    batch = services.start_inquiry(request.user, case, payload.categories)
    return Status(201, {"batch": batch.pk, "requests": batch.request_count})


@router.get("/inquiry/cases/{pk}/assets", response=list[AssetOut])
def assets(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    case = _case(request, pk)
    if not access.can_view_register(request.user, case.court):
        raise NotPermitted(access.REGISTER_REFUSED)
    services.record_register_view(request.user, case, "api")
    out = []
    for d in queries.register(case):
        for row in d.rows:
            a = row.asset
            out.append(
                {
                    "id": a.pk,
                    "debtor": d.party.name,
                    "category": a.category.code,
                    "kind": a.kind,
                    "ref": a.ref,
                    "value": str(a.value),
                    "state": a.state,
                    "frozen_amount": str(a.frozen_amount),
                    "deducted_amount": str(a.deducted_amount),
                    "seizure_rank": a.seizure_rank,
                    "registered_on": a.registered_on.isoformat() if a.registered_on else None,
                    "effective_on": a.effective_on.isoformat() if a.effective_on else None,
                    "control_start": a.control_start.isoformat() if a.control_start else None,
                    "control_expires": a.control_expires.isoformat() if a.control_expires else None,
                    "expiry": row.expiry,
                    "pending_request": _pending(row.pending),
                    "control_locked": row.pending is not None,
                    "found_on": timezone.localdate(a.found_at).isoformat(),
                    "higher_court_from": (
                        row.higher_court.may_apply_from.isoformat()
                        if row.higher_court and row.higher_court.may_apply_from
                        else None
                    ),
                    "preserved_in": a.preserved_in,
                }
            )
    return out


def _pending(req: InquiryRequest | None) -> dict[str, Any] | None:
    if req is None:
        return None
    return {
        "id": req.pk,
        "action": req.action,
        "status": req.status,
        "status_display": req.get_status_display(),
        "amount": str(req.amount) if req.amount is not None else None,
        "notice_url": reverse("inquiry_notice", args=[req.pk]),
    }


@router.post("/inquiry/requests/{pk}/approve", response=InquiryRequestOut)
def approve(request: HttpRequest, pk: int) -> InquiryRequest:
    req = InquiryRequest.objects.select_related("court").filter(pk=pk).first()
    if req is None or not access.can_read(request.user, req.court):
        raise HttpError(404, "请求不存在或无权查看")
    return services.approve(request.user, req)


@router.post("/inquiry/callback", auth=None, include_in_schema=True)
def callback(request: HttpRequest) -> HttpResponse:
    """Signed answers from a partner institution (asynchronous results)."""
    result = services.receive(request.path, request.body, dict(request.headers))
    named = {"field": result.field} if result.field else {}
    return JsonResponse({"detail": result.detail, "applied": result.applied, **named}, status=result.status)
