"""Enforcement costs the debtor bears (执行程序解释 Art 26; 限制消费规定 Art 7) on the case page: the section
(loaded by HTMX) and its form. GET needs a readable case (else 404); POST needs the node-handling
capability in the case's own court (else 403) and calls `services.record_cost`; a refusal writes nothing
and the case page shows the reason (rule R-3.5.7)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import NotPermitted, ServiceError

from . import queries, services
from .cost_rules import ADVANCERS, COST_KINDS, applicant_advanced, costs_owed
from .models import EnforcementCost
from .views_access import forbidden, not_found, permitted


@login_required
@require_GET
def costs_panel(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    rows = list(EnforcementCost.objects.filter(case=case))
    return render(
        request,
        "cases/_costs.html",
        {
            "case": case,
            "rows": rows,
            "total": costs_owed(r.amount for r in rows),
            "advanced": applicant_advanced((r.advanced_by, r.amount) for r in rows),
            "kinds": [(k, v[0]) for k, v in COST_KINDS.items()],
            "advancers": list(ADVANCERS.items()),
            "may_record": case.is_open and permitted(request.user, case, "complete"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def cost_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "complete"):
        return forbidden(request, "您的岗位或法院无权登记执行费用")
    f = request.POST
    try:
        cost = services.record_cost(
            request.user,
            case,
            kind=f.get("kind", ""),
            amount=f.get("amount", ""),
            incurred_on=f.get("incurred_on", ""),
            advanced_by=f.get("advanced_by", ""),
            applicant_requested=f.get("applicant_requested") == "on",
            document_ref=f.get("document_ref", ""),
            note=f.get("note", ""),
        )
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"执行费用未登记，未作任何更改：{exc.message}")
    else:
        messages.success(request, f"已登记{cost.get_kind_display()}{cost.amount}元，由被执行人负担")
    return redirect(f"{reverse('case_detail', args=[case.pk])}#costs")
