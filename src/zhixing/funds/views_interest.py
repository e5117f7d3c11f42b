"""Finance records the custody account's interest credit (执行款孳息); the allocation runs as a task."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhixing.core.errors import ServiceError

from .services.interest import record_interest_credit


def _date(value: Any, field: str, label: str) -> date:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ServiceError(f"请填写{label}（YYYY-MM-DD）", field=field) from None


@login_required
@require_POST
def record_interest(request: HttpRequest) -> HttpResponse:
    back = reverse("funds_finance") + "#interest"
    p = request.POST
    try:
        credit = record_interest_credit(
            request.user,
            period_start=_date(p.get("period_start"), "period_start", "计息起日"),
            period_end=_date(p.get("period_end"), "period_end", "计息止日"),
            amount=p.get("amount", ""),
            bank_reference=p.get("bank_reference", ""),
            note=p.get("note", ""),
        )
    except ServiceError as exc:
        if exc.status == 403:
            return render(request, "core/403.html", {"message": exc.message}, status=403)
        request.session["funds_errors"] = [exc.message]
        return HttpResponseRedirect(back)
    messages.success(
        request,
        f"已登记执行款孳息{credit.amount:,.2f}元（{credit.period_start}至{credit.period_end}），正在分配",
    )
    return HttpResponseRedirect(back)
