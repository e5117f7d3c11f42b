"""The custody account setup page (执行款专户设置): finance staff or the director of the court set up or
change the court's account; the system administrator picks a court. Others are refused (403); the
page reads and writes only the user's own court (a higher court's staff set up their own court's)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhixing.core.errors import ServiceError
from zhixing.courts.models import Court
from zhixing.courts.queries import object_id

from . import services
from .models import CaseAccount, CustodyAccount
from .services.custody import may_edit

FIELDS = ("bank_name", "account_name", "account_no", "sub_prefix")


def custody_editable(user: Any, court: Court) -> bool:
    return may_edit(user, court)


def _court_for(request: HttpRequest) -> Court | None:
    user: Any = request.user
    if getattr(user, "is_superuser", False):
        pk = object_id(request.POST.get("court") or request.GET.get("court") or "")
        return Court.objects.filter(pk=pk).first() if pk else None
    return getattr(user, "court", None)


@login_required
@require_http_methods(["GET", "POST"])
def custody(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    court = _court_for(request)
    superuser = bool(getattr(user, "is_superuser", False))
    if court is None and not superuser:
        return render(request, "core/403.html", {"message": "只有法院工作人员可以设置执行款专户"}, status=403)
    if court is not None and not may_edit(user, court):
        return render(
            request,
            "core/403.html",
            {"message": "只有本院财务人员或执行局局长可以设置执行款专户"},
            status=403,
        )
    current = CustodyAccount.objects.filter(court=court).first() if court else None
    values = {f: getattr(current, f, "") for f in FIELDS}
    if current is None and court is not None:
        values["account_name"] = f"{court.name}执行款专户"
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and court is not None:
        values = {f: request.POST.get(f, "") for f in FIELDS}
        try:
            services.set_custody_account(user, court, **values)
        except ServiceError as exc:
            errors[exc.field or "__all__"] = exc.message
            status = exc.status
        else:
            messages.success(request, f"{court.name}执行款专户已保存")
            back = reverse("funds_custody") + (f"?court={court.pk}" if superuser else "")
            return HttpResponseRedirect(back)
    ctx = {
        "court": court,
        "current": current,
        "opened": CaseAccount.objects.filter(custody=current).count() if current else 0,
        "values": values,
        "errors": errors,
        "courts": list(Court.objects.order_by("path")) if superuser else [],
    }
    return render(request, "funds/custody.html", ctx, status=status)
