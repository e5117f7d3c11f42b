"""Inquiry actions (POST): one-click and centralised inquiry, control orders, approvals (triage: elsewhere).

Each view loads what the user may read (else 404), refuses what they may not do (403), calls one service
and redirects back with a Chinese message; a refused input changes nothing and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhixing.cases.queries import scoped_cases
from zhixing.core import formerrors
from zhixing.core.errors import NotPermitted, ServiceError

from . import access, services
from .models import Asset
from .views import forbidden, not_found, readable_case, readable_request

# The register's per-asset forms that show their own error beside the field (inquiry/_register.html).
INLINE_FORMS = ("freeze", "seize", "deduct", "release")


def _run(request: HttpRequest, back: str, call: Callable[[], str]) -> HttpResponse:
    try:
        done = call()
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(back)


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    case = readable_case(request, pk)
    if case is None:
        return not_found(request)
    if not access.can_request(request.user, case.court):
        return forbidden(request, "只有本院承办人员或指挥中心可以发起查控")
    categories = request.POST.getlist("categories")

    def call() -> str:
        batch = services.start_inquiry(request.user, case, categories)
        return f"已发起网络查控：{batch.request_count}项请求已提交联动单位"

    return _run(request, reverse("inquiry_case", args=[case.pk]), call)


@login_required
@require_POST
def control(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = Asset.objects.select_related("case__court", "partner").filter(pk=asset_id).first()
    if asset is None or not access.can_read(request.user, asset.case.court):
        return not_found(request)
    if not access.can_control(request.user, asset.case.court):
        return forbidden(request, "只有本院执行法官或局长可以采取控制措施")
    action = request.POST.get("action", "")
    back = reverse("inquiry_case", args=[asset.case_id])
    try:
        req = services.request_control(
            request.user,
            asset,
            action,
            amount=request.POST.get("amount"),
            reason=request.POST.get("reason", ""),
        )
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        if action not in INLINE_FORMS:
            messages.error(request, exc.message)
            return redirect(back)
        # Beside the field of this asset's form, and back to that row (not the page top).
        field = exc.field if exc.field in ("amount", "reason") else None
        typed = request.POST.get(field or "", "")
        formerrors.remember(request, f"{action}-{asset.pk}", field, exc.message, typed)
        return redirect(f"{back}#asset-{asset.pk}")
    sent = "提交审批" if req.status == "awaiting_approval" else "发送"
    messages.success(request, f"{req.get_action_display()}请求已{sent}")
    return redirect(back)


def _decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    req = readable_request(request, pk)
    if req is None:
        return not_found(request)
    user: Any = request.user
    if not access.can_approve(user, req.court, req.approvals, req.requested_by_id):
        return forbidden(request, "您不是该请求当前审批环节的审批人")

    def call() -> str:
        if approve:
            services.approve(user, req)
            return "已批准"
        services.reject(user, req, request.POST.get("reason", ""))
        return "已不予批准"

    return _run(request, reverse("inquiry_approvals"), call)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, True)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, False)


@login_required
@require_POST
def centralised_start(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.court is None or not access.can_request(user, user.court):
        return forbidden(request, "只有本院承办人员或指挥中心可以发起集中查控")
    numbers = [
        n.strip() for n in request.POST.get("numbers", "").replace("，", "\n").splitlines() if n.strip()
    ]

    def call() -> str:
        if not numbers:
            raise ServiceError("请填写案号，每行一个", field="numbers")
        # Only cases the user may read: another court's number is as unknown as one never issued.
        found = {c.number: c for c in scoped_cases(user).filter(number__in=numbers).select_related("court")}
        missing = [n for n in numbers if n not in found]
        result = services.centralised_inquiry(user, list(found.values()), request.POST.getlist("categories"))
        refused = [f"{n}：{why}" for n, why in result.refused] + [f"{n}：案号不存在" for n in missing]
        for line in refused[:20]:
            messages.warning(request, line)
        batch = result.batch
        return (
            f"集中查控已发起：{batch.case_count}件案件、{batch.request_count}项请求；未发起{len(refused)}件"
        )

    return _run(request, reverse("inquiry_centralised"), call)
