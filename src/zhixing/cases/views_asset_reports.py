"""The debtor's asset reports (财产报告) on the case page: the section (loaded by HTMX) and its form.

GET needs a readable case (else 404); POST needs the node-handling capability in the case's own court
(else 403) and calls `services.record_asset_report`; a refused service writes nothing and the case page
shows the reason. Late reports are shown in red (the fines of CPL-2023 Art 252 are not recorded here).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import NotPermitted, ServiceError

from . import conf, queries, services
from .queries_asset_reports import report_state
from .views_access import forbidden, not_found, permitted


@login_required
@require_GET
def asset_reports_panel(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    state = report_state(case.pk)
    return render(
        request,
        "cases/_asset_reports.html",
        {
            "case": case,
            "state": state,
            "may_record": state.ordered
            and bool(state.missing)
            and case.is_open
            and permitted(request.user, case, "complete"),
            "days": conf.asset_report_days(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def asset_report_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "complete"):
        return forbidden(request, "您的岗位或法院无权登记财产报告")
    try:
        try:
            received_on = date.fromisoformat(request.POST.get("received_on", ""))
        except ValueError:
            raise ServiceError("收到日期应为YYYY-MM-DD格式", field="received_on") from None
        try:
            debtor_id = int(request.POST.get("debtor", ""))
        except ValueError:
            raise ServiceError("请选择本案的被执行人", field="debtor") from None
        r = services.record_asset_report(
            request.user,
            case,
            debtor_id=debtor_id,
            received_on=received_on,
            summary=request.POST.get("summary", ""),
        )
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"财产报告未登记，未作任何更改：{exc.message}")
    else:
        late = f"，逾期报告（期限{r.due_on:%Y-%m-%d}届满）" if r.late else ""
        messages.success(request, f"已登记{r.debtor.name}的财产报告{late}")
    return redirect(f"{reverse('case_detail', args=[case.pk])}#asset-reports")
