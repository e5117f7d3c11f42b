"""The court president's approvals (失信决定书, 限制消费令) and the signed documents, ADR 0015.

Thin: reads through `queries_proposals`, writes through `services.approval`. The list is the
president's (reached from his worklist); a proposal whose case the user cannot read is a 404; an action
the user may not take is refused by the service (403 page).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.documents import queries as document_queries

from . import documents, queries_proposals
from .models import Proposal, Restriction
from .services import approval
from .views import _403, _404


@login_required
@require_GET
def proposals(request: HttpRequest) -> HttpResponse:
    court = getattr(request.user, "court", None)
    if court is None or not approval.may_approve(request.user, court):
        return _403(request, "信用惩戒决定审批仅限院长")
    everything = request.GET.get("all") == "1"
    rows = list(queries_proposals.for_court(court.pk, pending_only=not everything))
    return render(request, "credit/proposals.html", {"rows": rows, "everything": everything})


@login_required
@require_GET
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    p = queries_proposals.visible(request.user, pk)
    if p is None:
        return _404(request)
    return render(
        request,
        "credit/proposal.html",
        {"p": p, "can_approve": p.status == "pending" and approval.may_approve(request.user, p.court)},
    )


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    p = queries_proposals.visible(request.user, pk)
    if p is None:
        return _404(request)
    try:
        if action == "approve":
            p = approval.approve(request.user, p)
            messages.success(request, f"已签发{p.get_kind_display()}（{p.document_number}）")
        elif action == "reject":
            approval.reject(request.user, p, reason=request.POST.get("reason", ""))
            messages.success(request, f"已不予批准{p.get_kind_display()}")
        else:
            raise ServiceError("未知的操作", field="action")
    except NotPermitted as exc:
        return _403(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"办理未成功，未作任何更改：{exc.message}")
    return redirect("credit_proposal", pk=p.pk)


@login_required
@require_GET
def order_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed 限制消费令 of a consumption proposal: the page, and its stored Word/PDF documents made by
    the documents capability (kind `consumption_order`, ADR 0021)."""
    p = queries_proposals.visible(request.user, pk)
    if p is None or p.kind != Proposal.Kind.CONSUMPTION or p.status != Proposal.Status.APPROVED:
        return _404(request)
    return render(
        request,
        "credit/order.html",
        {
            "d": documents.order_context(p),
            "pk": p.pk,
            "case_id": p.case_id,
            **document_queries.offer(request.user, p.case, "consumption_order", str(p.pk)),
        },
    )


@login_required
@require_GET
def exit_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The exit-restriction decision (限制出境决定书): the page, and its stored Word/PDF documents made by
    the documents capability (kind `exit_decision`, ADR 0021)."""
    from zhixing.cases.queries import get_case

    r = Restriction.objects.select_related("case", "court", "party").filter(pk=pk, kind="exit").first()
    if r is None or get_case(request.user, r.case_id) is None:
        return _404(request)
    return render(
        request,
        "credit/order.html",
        {
            "d": documents.exit_context(r),
            "pk": r.pk,
            "case_id": r.case_id,
            **document_queries.offer(request.user, r.case, "exit_decision", str(r.pk)),
        },
    )
