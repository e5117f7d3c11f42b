"""Measures pages: a case's proposals and consequences, the court-wide queue, the consequence table.

Thin: reads through `queries`, writes through `services`. A case the user cannot read is 404; a
decision the user may not take is refused (403) with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhixing.cases.queries import get_case
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.export_tables import exportable
from zhixing.courts.queries import readable_or_404
from zhixing.inquiry.access import can_view_register

from . import queries, services
from .models import Consequence, Proposal
from .rules import Measure


@login_required
@require_GET
def case_measures(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk)
    if case is None:
        raise Http404("案件不存在或无权查看")
    proposals = queries.case_proposals(case)
    deciders = {m: services.may_decide(request.user, case, m) for m in Measure}
    return render(
        request,
        "measures/case.html",
        {
            "case": case,
            "proposals": proposals,
            "open": [p for p in proposals if p.status == Proposal.Status.OPEN],
            "closed": [p for p in proposals if p.status != Proposal.Status.OPEN],
            "consequences": queries.case_consequences(case),
            "can_decide": {m.value for m, ok in deciders.items() if ok},
            "sees_register": can_view_register(request.user, case.court),
        },
    )


@login_required
@require_GET
def badge(request: HttpRequest, pk: int) -> HttpResponse:
    """The count of open proposals, loaded into the case and inquiry pages (which may not import us)."""
    case = get_case(request.user, pk)
    if case is None:
        raise Http404("案件不存在或无权查看")
    n = queries.open_count(case)
    html = (
        f' <span class="badge warn" id="measures-open" data-testid="measures-open">{n}项待决定</span>'
        if n
        else ""
    )
    return HttpResponse(html)


def _act(request: HttpRequest, case_id: int, call: object) -> HttpResponse:
    try:
        call()  # type: ignore[operator]
    except NotPermitted as exc:
        return render(request, "core/403.html", {"message": str(exc)}, status=403)
    except (ServiceError, Conflict) as exc:
        messages.error(request, str(exc))
    return redirect("measures_case", case_id)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    p = readable_or_404(request.user, Proposal.objects.select_related("case__court"), pk)

    def run() -> None:
        if services.accept(request.user, p) is None:
            messages.info(request, "该建议涉及的措施已不存在，无需处理")
        else:
            messages.success(request, f"已采纳：{p.summary}")

    return _act(request, p.case_id, run)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    p = readable_or_404(request.user, Proposal.objects.select_related("case__court"), pk)

    def run() -> None:
        services.decline(request.user, p, request.POST.get("reason", ""))
        messages.success(request, "已记录不予采纳的理由")

    return _act(request, p.case_id, run)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    c = readable_or_404(request.user, Consequence.objects.select_related("case__court"), pk)

    def run() -> None:
        done = services.retry(request.user, c)
        messages.success(request, f"已重试：{done.get_status_display()}")

    return _act(request, c.case_id, run)


@login_required
@require_GET
@exportable
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "measures/queue.html",
        {
            "proposals": list(queries.queue(request.user)[:500]),
            "failures": list(queries.failures(request.user)[:500]),
        },
    )


@login_required
@require_GET
def table(request: HttpRequest) -> HttpResponse:
    return render(
        request, "measures/table.html", {"rows": queries.table_rows(), "headers": queries.MEASURE_HEADERS}
    )
