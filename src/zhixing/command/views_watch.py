"""The vehicle watchlist page: watched plates of the court, recent hits, and a sync from the register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhixing.courts.queries import court_scope_q
from zhixing.courts.roles import Cap

from . import plates
from .models import PlateHit, WatchedPlate


@login_required
@require_GET
def watchlist(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Cap.COMMAND_ALERTS):  # type: ignore[union-attr]
        raise PermissionDenied("只有指挥中心可以查看车辆布控")
    scope = court_scope_q(request.user)
    watched = WatchedPlate.objects.filter(scope, active=True).select_related("case").order_by("-since")[:200]
    hits = (
        PlateHit.objects.filter(court_scope_q(request.user, "watch__court"))
        .select_related("watch", "car_park", "alert")
        .order_by("-seen_at")[:50]
    )
    return render(
        request,
        "command/watch.html",
        {
            "watched": list(watched),
            "hits": list(hits),
            "count": WatchedPlate.objects.filter(scope, active=True).count(),
        },
    )


@login_required
@require_POST
def watch_sync(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Cap.COMMAND_ALERTS):  # type: ignore[union-attr]
        raise PermissionDenied("只有指挥中心可以维护车辆布控")
    out = plates.sync_watchlist(request.user)
    messages.success(request, f"已同步：新增布控 {out['added']} 辆，撤控 {out['dropped']} 辆")
    return redirect("command_watch")
