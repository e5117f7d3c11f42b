"""Inquiry pages (reads): the case inquiry page, the approval queue, the inquiry log and its export, notices.

Thin: reads through `queries`; the only writes on a read are audit records through `services` (a
look-up of a person's property, once per user, case and day; an export of the log). A case the user
cannot read is 404; a page or action their role may not use is refused (403) with the reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from zhixing.cases.models import EnforcementCase
from zhixing.cases.queries import get_case
from zhixing.core import downloads, formerrors, spreadsheet
from zhixing.core.errors import ServiceError
from zhixing.core.export_tables import exportable
from zhixing.courts.access_views import refuses_roles
from zhixing.courts.roles import Cap
from zhixing.documents import queries as document_queries

from . import access, export, notices, queries, queries_dormant, queries_triage, services
from .models import InquiryRequest


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def readable_case(request: HttpRequest, pk: int) -> EnforcementCase | None:
    return get_case(request.user, pk)


def readable_request(request: HttpRequest, pk: int) -> InquiryRequest | None:
    req = (
        InquiryRequest.objects.select_related("case__court", "party", "partner", "asset", "court")
        .filter(pk=pk)
        .first()
    )
    if req is None or not access.can_read(request.user, req.court):
        return None
    return req


@login_required
@require_GET
def case_inquiry(request: HttpRequest, pk: int) -> HttpResponse:
    case = readable_case(request, pk)
    if case is None:
        return not_found(request)
    user: Any = request.user
    if not access.can_view_register(user, case.court):
        return forbidden(request, access.REGISTER_REFUSED)
    services.record_register_view(user, case, "web")
    context = {
        **_register_context(request, case),
        "expiring": queries.expiring(case),
        "categories": queries.categories(),
        "triage": queries_triage.triage_of(case),
        "can_request": access.can_request(user, case.court) and case.is_open,
        "dormant_lead": queries_dormant.case_lead(case),
        "dormant_rounds": queries_dormant.case_rounds(case),
        "can_resume": access.can_control(user, case.court),
    }
    return render(request, "inquiry/case.html", context)


def _register_context(request: HttpRequest, case: EnforcementCase) -> dict[str, Any]:
    """What the head, the register and the request list share (the page and its live partial)."""
    claim, controlled, room = queries.case_headroom(case)
    register = queries.register(case, room=room)
    requests = queries.case_requests(case, limit=100)
    form_error = formerrors.pop(request)
    if form_error:  # beside the field of the row whose form failed
        for d in register:
            for row in d.rows:
                if form_error["form"].endswith(f"-{row.asset.pk}"):
                    row.error = form_error
    return {
        "case": case,
        "claim": claim,
        "controlled": controlled,
        "headroom": room,
        "register": register,
        "requests": requests,
        "round": queries.round_progress(requests),
        "moving": queries.any_moving(requests),
        "can_control": access.can_control(request.user, case.court),
    }


@login_required
@require_GET
def case_requests(request: HttpRequest, pk: int) -> HttpResponse:
    """The request list with the round's progress, polled by the case page while requests are in flight.

    When the last request is answered (the page polled with `was=moving`), the register and the head's
    figures come along out of band, so the found property appears without a reload (ADR 0012).
    """
    case = readable_case(request, pk)
    if case is None:
        return not_found(request)
    if not access.can_view_register(request.user, case.court):
        return forbidden(request, access.REGISTER_REFUSED)
    context = _register_context(request, case)
    context["refresh_register"] = request.GET.get("was") == "moving" and not context["moving"]
    return render(request, "inquiry/_requests.html", context)


@login_required
@require_GET
@refuses_roles(lambda u: u.role in access.approval_chain(), "您的岗位不审批控制措施")
@exportable
def approvals(request: HttpRequest) -> HttpResponse:
    return render(request, "inquiry/approvals.html", {"rows": queries.approval_queue(request.user)})


@login_required
@require_GET
def inquiry_log(request: HttpRequest) -> HttpResponse:
    try:
        before = int(request.GET.get("before", "") or 0) or None
    except ValueError:
        before = None
    rows, next_before = queries.log_page(request.user, before)
    return render(
        request,
        "inquiry/log.html",
        {
            "rows": rows,
            "next_before": next_before,
            "can_export": access.can_export_log(request.user),
            # The log is read by supervision roles that may not see the register (the president): their
            # case link opens the case page, not the register they would be refused (the demo walk).
            "register_link": access.reads_registers(request.user),
            "export_limit": export.row_limit(),
        },
    )


@login_required
@require_GET
def inquiry_log_export(request: HttpRequest) -> HttpResponseBase:
    """The log as .xlsx (filters `number`, `from`, `to`), streamed; audited with its filter and rows."""
    user: Any = request.user
    if not access.can_export_log(user):
        return forbidden(request, access.LOG_EXPORT_REFUSED)
    try:
        flt = export.LogFilter.parse(request.GET)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("inquiry_log")
    out = export.build(user, flt)
    services.record_export(user, "inquiry-log.xlsx", filters=flt.as_dict(), rows=out.rows, capped=out.capped)
    if out.capped:
        messages.warning(request, export.capped_message(out.limit))
    resp = StreamingHttpResponse(
        spreadsheet.file_chunks(out.file), content_type=spreadsheet.XLSX_CONTENT_TYPE
    )
    downloads.attach(resp, "查控日志.xlsx")
    resp["X-Export-Rows"] = str(out.rows)
    if out.capped:
        resp["X-Export-Capped"] = str(out.limit)
    return resp


def may_identify(user: Any) -> bool:
    return bool(user.can(Cap.IDENTITY_VIEW) or user.can(Cap.INQUIRY_REQUEST))


@login_required
@require_GET
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The assistance notice on screen (identity number masked: an unaudited look) and its stored Word/PDF
    documents (documents capability, kind assistance_notice: made once, kept with template version and
    hash; their download carries the number in full, so only who may identify downloads them, audited)."""
    req = readable_request(request, pk)
    if req is None:
        return not_found(request)
    return render(
        request,
        "inquiry/notice.html",
        {
            "n": notices.screen_context(req),
            **document_queries.offer(request.user, req.case, "assistance_notice", str(req.pk)),
        },
    )


@login_required
@require_GET
@exportable
def centralised(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    allowed = user.court is not None and access.can_request(user, user.court)
    context: dict[str, Any] = {"categories": queries.categories(), "allowed": allowed}
    if user.court is not None:  # 终本案件定期查询 of the user's own court
        context["dormant"] = queries_dormant.progress(user.court_id)
        context["dormant_leads"] = list(queries_dormant.open_leads(user.court_id)[:50])
    return render(request, "inquiry/centralised.html", context)
