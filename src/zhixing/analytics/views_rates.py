"""The conversion rates page (分析 › 折算汇率): the table a foreign-currency statement line is converted by.

Everyone who imports statements sees the table (an import refused for a missing rate names this page);
finance staff and directors (`Cap.ANALYTICS_RATE`) add a rate or correct one (`services.set_exchange_rate`,
audited).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from . import queries, services
from .forms import RateForm


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not queries.may_read_rates(user):
        return render(request, "core/403.html", {"message": "您的岗位不能查看折算汇率"}, status=403)
    can_set = user.can(Cap.ANALYTICS_RATE)
    if request.method == "POST" and not can_set:
        return render(request, "core/403.html", {"message": services.RATE_REFUSED}, status=403)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rate = services.set_exchange_rate(user, **form.cleaned_data)
        except NotPermitted as exc:
            return render(request, "core/403.html", {"message": exc.message}, status=403)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已保存 {rate.currency} 自 {rate.valid_from} 起的汇率 {rate.rate}")
            return redirect("analytics:rates")
    return render(
        request, "analytics/rates.html", {"form": form, "rates": queries.exchange_rates(), "can_set": can_set}
    )
