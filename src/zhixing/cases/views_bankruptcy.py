"""执转破 screening page: company debtors whose unpaid cases their known assets cannot pay, with the
evidence; the court president transfers them to bankruptcy review with the written consent recorded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from .models import BankruptcyTransfer
from .queries_bankruptcy import candidates, may_read
from .rules_bankruptcy import CONSENT_BY
from .services.bankruptcy import transfer_to_bankruptcy
from .views_access import forbidden


@login_required
@require_GET
def screening(request: HttpRequest) -> HttpResponse:
    if not may_read(request.user):
        return forbidden(request, "您的岗位无权查看执转破筛查")
    return render(
        request,
        "cases/bankruptcy.html",
        {
            "rows": candidates(request.user),
            "transfers": BankruptcyTransfer.objects.filter(
                court_id=getattr(request.user, "court_id", 0) or 0
            )[:50],
            "consent_by": CONSENT_BY,
            "may_transfer": request.user.can(Cap.BANKRUPTCY_TRANSFER),  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def transfer(request: HttpRequest) -> HttpResponse:
    p = request.POST
    try:
        t = transfer_to_bankruptcy(
            request.user,
            debtor_key=p.get("debtor_key", ""),
            consent_by=p.get("consent_by", ""),
            consent_ref=p.get("consent_ref", ""),
            decision_ref=p.get("decision_ref", ""),
            receiving_court=p.get("receiving_court", ""),
        )
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"未移送，未作任何更改：{exc.message}")
    else:
        messages.success(request, f"已将{t.debtor_name}的{len(t.case_ids)}件案件移送破产审查，执行中止")
    return redirect(reverse("bankruptcy_screening"))
