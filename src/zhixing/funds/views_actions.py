"""Case-funds pages (writes): each POST calls one service; a refused action shows its reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhixing.cases import queries as case_queries
from zhixing.core.errors import ServiceError
from zhixing.core.nexturl import safe_next

from . import services
from .models import DistributionPlan, Receipt


def _run(request: HttpRequest, back: str, action: Callable[[], Any], ok: str) -> HttpResponse:
    try:
        action()
    except ServiceError as exc:
        request.session["funds_errors"] = [exc.message]
        if exc.status == 403:
            return render(request, "core/403.html", {"message": exc.message}, status=403)
        return HttpResponseRedirect(back)
    messages.success(request, ok)
    return HttpResponseRedirect(back)


def _case(request: HttpRequest, pk: int) -> Any:
    return case_queries.get_case(request.user, pk)


def _money_url(pk: int) -> str:
    return reverse("funds_case_money", args=[pk])


def _404(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return _404(request)
    f = request.POST
    return _run(
        request,
        _money_url(pk),
        lambda: services.propose(
            request.user,
            case,
            party_id=int(f.get("party_id") or 0),
            amount=f.get("amount", ""),
            account_name=f.get("account_name", ""),
            account_no=f.get("account_no", ""),
            bank_name=f.get("bank_name", ""),
            purpose=f.get("purpose", "applicant"),
        ),
        "发款申请已提交审批",
    )


@login_required
@require_POST
def decide(request: HttpRequest, payout_id: int) -> HttpResponse:
    back = safe_next(request, reverse("funds_approvals"))
    approve = request.POST.get("decision", "approve") == "approve"
    return _run(
        request,
        back,
        lambda: services.decide(request.user, payout_id, approve=approve),
        "已审批" if approve else "已驳回",
    )


@login_required
@require_POST
def send(request: HttpRequest, payout_id: int) -> HttpResponse:
    return _run(
        request, reverse("funds_finance"), lambda: services.send(request.user, payout_id), "支付指令已发送"
    )


@login_required
@require_POST
def claim(request: HttpRequest, receipt_id: int) -> HttpResponse:
    rec = get_object_or_404(Receipt, pk=receipt_id)
    number = request.POST.get("case_number", "").strip()

    def act() -> Any:
        case = case_queries.scoped_cases(request.user).filter(number=number, court_id=rec.court_id).first()
        if case is None:
            raise ServiceError(f"本院没有案号为“{number}”的案件", field="case_number")
        return services.claim_receipt(request.user, rec.pk, case)

    return _run(request, reverse("funds_finance"), act, "不明款已认领")


@login_required
@require_POST
def return_receipt(request: HttpRequest, receipt_id: int) -> HttpResponse:
    return _run(
        request,
        reverse("funds_finance"),
        lambda: services.return_receipt(request.user, receipt_id, request.POST.get("reason", "")),
        "不明款退回指令已发送银行",
    )


@login_required
@require_POST
def upload_statement(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    user: Any = request.user

    def act() -> Any:
        if upload is None:
            raise ServiceError("请选择对账单文件", field="file")
        mapping = json.loads(request.POST.get("mapping") or "{}")
        return services.import_statement(user, user.court, upload.read(), upload.name or "", mapping)

    return _run(request, reverse("funds_finance"), act, "对账单已导入")


@login_required
@require_POST
def issue_token(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return _404(request)
    return _run(
        request,
        _money_url(pk),
        lambda: services.issue_token(request.user, case, int(request.POST.get("party_id") or 0)),
        "已生成远程发款链接",
    )


@login_required
@require_POST
def costs(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return _404(request)
    return _run(
        request,
        _money_url(pk),
        lambda: services.book_costs(
            request.user, case, request.POST.get("amount", ""), request.POST.get("what", "")
        ),
        "执行费用已结算",
    )


@login_required
@require_POST
def create_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return _404(request)

    def act() -> Any:
        try:
            claims = json.loads(request.POST.get("claims") or "[]")
        except ValueError as exc:
            raise ServiceError("债权清单格式错误", field="claims") from exc
        return services.create_plan(
            request.user,
            case,
            proceeds=request.POST.get("proceeds", ""),
            costs=request.POST.get("costs", "0"),
            claims=claims,
        )

    return _run(request, _money_url(pk), act, "分配方案已生成")


@login_required
@require_POST
def plan_step(request: HttpRequest, plan_id: int) -> HttpResponse:
    from datetime import date

    plan = get_object_or_404(DistributionPlan.objects.select_related("case"), pk=plan_id)
    step = request.POST.get("step")

    def act() -> Any:
        try:
            on = date.fromisoformat(request.POST.get("on", ""))
        except ValueError:
            on = None
        if step == "serve" and on:
            return services.serve_plan(request.user, plan, on)
        if step == "object" and on:
            return services.record_objection(
                request.user, plan, received_on=on, disputed=request.POST.get("disputed", "")
            )
        if step == "resolve":
            return services.resolve_plan(request.user, plan)
        raise ServiceError("请填写日期", field="on")

    return _run(request, reverse("funds_plan", args=[plan.pk]), act, "已办理")
