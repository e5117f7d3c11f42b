"""Settlement agreement page of a case (执行和解): record an agreement with its instalments, see each
instalment matched against the case's payments, resume enforcement after a breach, close as performed.

Thin: each POST parses its form and calls one service (`services.settlement`); a ServiceError is shown on
the page (naming the field) and nothing is written.
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

from . import queries, queries_settlement, rules_settlement
from .choices import CaseStatus
from .models import EnforcementCase, SettlementAgreement
from .services import settlement as settlement_services
from .services import settlement_requests
from .views_access import forbidden, not_found

FORM_ROWS = 6  # empty instalment rows the form offers (more through the API)


def _page(
    request: HttpRequest, case: EnforcementCase, error: ServiceError | None = None, status: int = 200
) -> HttpResponse:
    agreements = list(case.settlements.prefetch_related(*queries_settlement.PREFETCH).order_by("-id")[:20])
    rows = [(a, queries_settlement.summary(a)) for a in agreements]
    live = any(a.status in queries_settlement.LIVE for a in agreements)
    post = request.POST if error else {}
    ctx = {
        "case": case,
        "today": timezone.localdate(),
        "rows": rows,
        "effects": rules_settlement.EFFECTS,
        "state_labels": rules_settlement.STATE_LABELS,
        "may_record": not live
        and case.is_open
        and case.status != CaseStatus.DORMANT
        and settlement_services.may_manage(request.user, case),
        "may_manage": settlement_services.may_manage(request.user, case),
        "may_close": settlement_services.may_close(request.user, case),
        "form_rows": [
            (i, post.get(f"due_on_{i}", "") if post else "", post.get(f"amount_{i}", "") if post else "")
            for i in range(1, FORM_ROWS + 1)
        ],
        "error": error,
        "post": post,
    }
    return render(request, "cases/settlement.html", ctx, status=status)


@login_required
def settlement_page(request: HttpRequest, pk: int) -> HttpResponse:
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
def settlement_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    if not settlement_services.may_manage(request.user, case):
        return forbidden(request, "您的岗位或法院无权登记执行和解协议")
    p = request.POST
    rows = [
        (p.get(f"due_on_{i}", ""), p.get(f"amount_{i}", ""))
        for i in range(1, FORM_ROWS + 1)
        if (p.get(f"due_on_{i}", "") or p.get(f"amount_{i}", "")).strip()
    ]
    try:
        settlement_services.record_settlement(
            request.user,
            case,
            parties=p.get("parties", ""),
            signed_on=_date(p.get("signed_on", "")),
            document_ref=p.get("document_ref", ""),
            conditions=p.get("conditions", ""),
            instalments=rows,
            suspend=p.get("suspend") == "on",
            suspension_ref=p.get("suspension_ref", ""),
            keep_controls=p.get("keep_controls") == "on",
        )
    except ServiceError as exc:
        return _page(request, case, exc, status=422)
    messages.success(request, "已登记执行和解协议")
    return redirect(reverse("case_settlement", args=[case.pk]))


def _agreement(
    request: HttpRequest, pk: int, settlement_id: int
) -> tuple[EnforcementCase | None, SettlementAgreement | None]:
    case = queries.get_case(request.user, pk)
    if case is None:
        return None, None
    return case, case.settlements.filter(pk=settlement_id).first()


@login_required
@require_POST
def settlement_resume(request: HttpRequest, pk: int, settlement_id: int) -> HttpResponse:
    case, agreement = _agreement(request, pk, settlement_id)
    if case is None or agreement is None:
        return not_found(request)
    if not settlement_services.may_manage(request.user, case):
        return forbidden(request, "您的岗位或法院无权办理恢复执行")
    try:
        settlement_services.resume_enforcement(
            request.user,
            agreement,
            on=_date(request.POST.get("on", "")),
            document_ref=request.POST.get("document_ref", ""),
        )
    except ServiceError as exc:
        return _page(request, case, exc, status=exc.status)
    messages.success(request, "已恢复执行原生效法律文书")
    return redirect(reverse("case_settlement", args=[case.pk]))


@login_required
@require_POST
def settlement_close(request: HttpRequest, pk: int, settlement_id: int) -> HttpResponse:
    case, agreement = _agreement(request, pk, settlement_id)
    if case is None or agreement is None:
        return not_found(request)
    if not settlement_services.may_close(request.user, case):
        return forbidden(request, "您的岗位或法院无权结案")
    try:
        settlement_services.close_performed(
            request.user,
            agreement,
            closed_on=_date(request.POST.get("closed_on", "")),
            document_ref=request.POST.get("document_ref", ""),
        )
    except ServiceError as exc:
        return _page(request, case, exc, status=exc.status)
    messages.success(request, "和解协议已履行完毕，案件以执行完毕结案")
    return redirect(reverse("case_settlement", args=[case.pk]))


@login_required
@require_POST
def settlement_request_decide(
    request: HttpRequest, pk: int, settlement_id: int, resume_request_id: int
) -> HttpResponse:
    """The judge decides the applicant's online resume request: grant (resume) or refuse with reasons."""
    case, agreement = _agreement(request, pk, settlement_id)
    if case is None or agreement is None:
        return not_found(request)
    req = agreement.resume_requests.filter(pk=resume_request_id).first()
    if req is None:
        return not_found(request)
    if not settlement_services.may_manage(request.user, case):
        return forbidden(request, "您的岗位或法院无权审查恢复执行申请")
    p = request.POST
    decision = p.get("decision", "")
    try:
        if decision not in ("grant", "refuse"):
            raise ServiceError("请选择恢复执行或不予恢复执行", field="decision")
        settlement_requests.decide_resume_request(
            request.user,
            req,
            grant=decision == "grant",
            on=_date(p.get("on", "")),
            document_ref=p.get("document_ref", ""),
            reasons=p.get("reasons", ""),
        )
    except ServiceError as exc:
        return _page(request, case, exc, status=exc.status)
    messages.success(request, "已恢复执行原生效法律文书" if decision == "grant" else "已裁定不予恢复执行")
    return redirect(reverse("case_settlement", args=[case.pk]))
