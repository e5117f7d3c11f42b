"""The vehicle watchlist page: watched plates of the court, recent hits (a possible sighting may be promoted
to an alert by hand), and a sync from the register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import court_scope_q
from zhixing.courts.roles import Cap

from . import plate_watchlist, sightings
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
            "promote_hours": f"{sightings.promote_window().total_seconds() / 3600:g}",
        },
    )


@login_required
@require_POST
def watch_sync(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Cap.COMMAND_ALERTS):  # type: ignore[union-attr]
        raise PermissionDenied("只有指挥中心可以维护车辆布控")
    out = plate_watchlist.sync_watchlist(request.user)
    messages.success(request, f"已同步：新增布控 {out['added']} 辆，撤控 {out['dropped']} 辆")
    return redirect("command_watch")


@login_required
@require_POST
def watch_promote(request: HttpRequest) -> HttpResponse:
    """Promote a possible sighting (疑似出现) to an alert by hand (`sightings.promote_by_hand`)."""
    if not request.user.can(Cap.COMMAND_ALERTS):  # type: ignore[union-attr]
        raise PermissionDenied("只有指挥中心可以将疑似出现转为预警")
    try:
        done = sightings.promote_by_hand(request.user, request.POST.get("sighting", ""))
    except NotPermitted as e:  # another court's sighting
        raise PermissionDenied(e.message) from e
    except ServiceError as e:  # no such sighting, or already alerted: nothing changed
        messages.error(request, e.message)
        return redirect("command_watch")
    if done.created:
        messages.success(request, f"已转为预警（{len(done.hits)} 条识别记录）")
    else:
        messages.info(request, "该车辆在此时段已有预警，本条识别记录已并入该预警")
    return redirect("command_alert", done.alert.pk)
