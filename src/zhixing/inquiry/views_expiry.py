"""Controls over time (pages): the court-wide list of expiring, lapsed and queued controls, one-click
renewal in bulk, and the control alerts panel and badge (loaded by HTMX into the workbench and the nav).

Who sees the list: the roles that may see a person's property (Cap.ASSET_REGISTER_VIEW) over their court
and its subordinates; who renews: own-court control roles (Cap.INQUIRY_CONTROL), row by row.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from zhixing.cases.queries_audit import handlers_in_scope
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.export_tables import exportable

from . import access, conf, queries_expiry, services
from .views import forbidden


def _may_list(user: Any) -> bool:
    return user.court is not None and access.can_view_register(user, user.court)


@login_required
@require_GET
@exportable
def controls(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not _may_list(user):
        return forbidden(request, access.REGISTER_REFUSED)
    try:
        flt = queries_expiry.ControlFilter.parse(request.GET)
        page = queries_expiry.control_page(user, flt, request.GET.get("cursor") or None)
    except ServiceError as exc:
        messages.error(request, exc.message)
        flt = queries_expiry.ControlFilter()
        page = queries_expiry.control_page(user, flt)
    counts = queries_expiry.window_counts(user, flt)
    context = {
        "page": page,
        "filters": flt,
        "counts": counts,
        "windows": [(k, label, counts[k]) for k, label in queries_expiry.WINDOWS.items()],
        "states": queries_expiry.STATES.items(),
        "kinds": queries_expiry.KINDS.items(),
        "handlers": handlers_in_scope(user),
        "can_renew": access.can_control(user, user.court),
        "alerts": queries_expiry.alerts_for(user, limit=10),
        "alert_count": queries_expiry.alert_count(user),
        "today": timezone.localdate(),
        "warn_days": int(conf.option("warn_days")),
        "query": urlencode(flt.query()),
    }
    return render(request, "inquiry/controls.html", context)


@login_required
@require_POST
def controls_renew(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    back = reverse("inquiry_controls")
    with contextlib.suppress(ServiceError):  # back to the list as it was filtered
        back += "?" + urlencode(queries_expiry.ControlFilter.parse(request.POST).query())
    if user.court is None or not access.can_control(user, user.court):
        return forbidden(request, "只有本院执行法官或局长可以续行控制措施")
    try:
        result = services.renew_controls(user, request.POST.getlist("assets"), request.POST.get("reason", ""))
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if result.renewed:
        messages.success(request, f"已发送续行请求{result.renewed}项，联动单位确认后到期日顺延一个期限")
    for row in result.refused[:20]:
        label = f"{row.case_number} {row.ref}".strip() or f"财产#{row.asset}"
        messages.warning(request, f"{label}：{row.message}")
    if len(result.refused) > 20:
        messages.warning(request, f"另有{len(result.refused) - 20}项未续行")
    return redirect(back)


@login_required
@require_GET
def alerts_panel(request: HttpRequest) -> HttpResponse:
    """The workbench panel (HTMX fragment): open control alerts for the user (empty for other roles)."""
    user: Any = request.user
    return render(
        request,
        "inquiry/_control_alerts.html",
        {
            "alerts": queries_expiry.alerts_for(user, limit=20),
            "alert_count": queries_expiry.alert_count(user),
        },
    )


@login_required
@require_GET
def alerts_badge(request: HttpRequest) -> HttpResponse:
    """The nav badge (HTMX fragment): how many control alerts are open for the user."""
    n = queries_expiry.alert_count(request.user)
    html = f'<span class="badge red" id="control-alert-badge">{n}</span>' if n else ""
    return HttpResponse(html)
