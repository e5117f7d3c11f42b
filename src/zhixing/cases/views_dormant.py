"""终本 (dormant) pages of a case: the preconditions checklist with the judge's confirmations and evidence,
the review kept at closing (its ruling), and the applicant's requests to resume (recorded by staff).

Thin: each POST parses its form and calls one service (`services.dormant`); a ServiceError is shown on
the page and nothing is written.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhixing.core.errors import ServiceError

from . import queries, queries_dormant, rules_dormant, services
from .choices import CaseStatus
from .models import EnforcementCase, ResumptionRequest
from .services.dormant import may_record_request
from .views_access import forbidden, not_found, permitted


def _page(
    request: HttpRequest, case: EnforcementCase, error: ServiceError | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    checks = services.dormant_checklist(case, today) if case.is_open else []
    confirmations = list(case.dormant_confirmations.select_related("confirmed_by").order_by("-id")[:50])
    ctx = {
        "case": case,
        "today": today,
        "checks": checks,
        "missing": rules_dormant.refusal(checks) if checks else "",
        "confirmable": rules_dormant.CONFIRMABLE,
        "labels": {p.key: p.label for p in rules_dormant.PRECONDITIONS},
        "confirmations": confirmations,
        "review": queries_dormant.review_of(case),
        "state_labels": rules_dormant.STATE_LABELS,
        "requests": list(ResumptionRequest.objects.filter(case=case).order_by("-id")[:50]),
        "may_confirm": case.is_open and permitted(request.user, case, "close"),
        "may_request": case.status == CaseStatus.DORMANT and may_record_request(request.user, case),
        "error": error,
        "post": request.POST if error else {},
    }
    return render(request, "cases/dormant.html", ctx, status=status)


@login_required
def dormant_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    return _page(request, case)


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@login_required
@require_POST
def dormant_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "close"):
        return forbidden(request, "您的岗位或法院无权审查终本条件")
    try:
        services.confirm_precondition(
            request.user,
            case,
            key=request.POST.get("key", ""),
            done_on=_date(request.POST.get("done_on", "")),
            note=request.POST.get("note", ""),
            evidence=request.FILES.get("evidence"),
        )
    except ServiceError as exc:
        return _page(request, case, exc, status=422)
    messages.success(request, "已登记终本条件确认")
    return redirect(reverse("case_dormant", args=[case.pk]))


@login_required
@require_POST
def dormant_resume_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    if not may_record_request(request.user, case):
        return forbidden(request, "您的岗位或法院无权登记恢复执行申请")
    try:
        services.request_resumption(
            case, request.POST.get("by", ""), request.POST.get("reason", ""), actor=request.user
        )
    except ServiceError as exc:
        return _page(request, case, exc, status=422)
    messages.success(request, "已登记恢复执行申请")
    return redirect(reverse("case_dormant", args=[case.pk]))
