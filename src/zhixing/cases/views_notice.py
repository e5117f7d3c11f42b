"""The enforcement notice page (执行通知书): the document, its stored Word/PDF files, issuing it, recording
its service.

GET pages need a readable case (else 404); the two POST actions need the node-handling capability in the
case's own court (else 403) and call one service each (`services.issue_notice`,
`services.record_notice_service`); a refused service writes nothing and the page shows the reason.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.service_of_documents import SERVICE_METHODS
from zhixing.documents import queries as document_queries

from . import conf, queries, services
from .documents_notice import notice_context
from .models import EnforcementNotice
from .views_access import forbidden, not_found, permitted


@login_required
@require_GET
def notice_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    notice = EnforcementNotice.objects.select_related("case", "court").filter(case=case).first()
    may = permitted(request.user, case, "complete")
    return render(
        request,
        "cases/notice.html",
        {
            "case": case,
            "notice": notice,
            "d": notice_context(notice) if notice else None,
            "may_issue": may and notice is None and case.is_open,
            "may_serve": may and notice is not None and notice.served_on is None,
            "methods": list(SERVICE_METHODS.items()),
            "days": conf.notice_performance_days(),
            "today": timezone.localdate(),
            # Its Word/PDF are stored documents of the documents capability (kind enforcement_notice,
            # ADR 0021): made once and kept with their template version and hash, never re-rendered per read.
            **(document_queries.offer(request.user, case, "enforcement_notice", "") if notice else {}),
        },
    )


@login_required
@require_POST
def notice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "complete"):
        return forbidden(request, "您的岗位或法院无权制作执行通知书")
    try:
        n = services.issue_notice(request.user, case)
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"办理未成功，未作任何更改：{exc.message}")
    else:
        messages.success(request, f"已制作执行通知书 {n.document_number}，请送达后登记")
    return redirect("case_notice", pk=case.pk)


@login_required
@require_POST
def notice_service(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "complete"):
        return forbidden(request, "您的岗位或法院无权登记执行通知书送达")
    try:
        raw = request.POST.get("act_on", "")
        try:
            act_on = date.fromisoformat(raw)
        except ValueError:
            raise ServiceError("送达日期应为YYYY-MM-DD格式", field="act_on") from None
        n = services.record_notice_service(
            request.user, case, method=request.POST.get("method", ""), act_on=act_on
        )
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"办理未成功，未作任何更改：{exc.message}")
    else:
        assert n.served_on is not None and n.period_ends_on is not None
        messages.success(
            request,
            f"已登记送达（{n.served_on:%Y-%m-%d}视为送达），履行期间至{n.period_ends_on:%Y-%m-%d}届满",
        )
    return redirect("case_notice", pk=case.pk)
