"""Alert pages (预警): the command center's stream, a handler's own alerts, one alert with its history.

Thin: reads through `alerts`, writes through `alerts.step` / `dispatch.dispatch_nearest`. An alert the user
may not see is 404; a step the user may not take is 403 with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from . import alerts, dispatch
from .models import Alert, AlertStep, FieldTask


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Cap.COMMAND_ALERTS):  # type: ignore[union-attr]
        raise PermissionDenied("只有指挥中心和局领导可以查看全部预警")
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    rows = alerts.listing(request.user, status=status, kind=kind)
    return render(
        request,
        "command/alerts.html",
        {
            "rows": rows,
            "status": status,
            "kind": kind,
            "kinds": Alert.Kind.choices,
            "mine": False,
            "last_id": max((a.pk for a in rows), default=0),
            "statuses": Alert.Status.choices,
        },
    )


@login_required
@require_GET
def my_alerts(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    rows = alerts.listing(request.user, mine=True, status=status)
    return render(
        request,
        "command/alerts.html",
        {
            "rows": rows,
            "status": status,
            "kind": "",
            "kinds": Alert.Kind.choices,
            "mine": True,
            "sees_all": request.user.can(Cap.COMMAND_ALERTS),  # type: ignore[union-attr]
            "last_id": max((a.pk for a in rows), default=0),
            "statuses": Alert.Status.choices,
        },
    )


@login_required
@require_GET
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alerts.get_visible(request.user, pk)
    if alert is None:
        raise Http404("预警不存在或无权查看")
    user = request.user
    return render(
        request,
        "command/alert.html",
        {
            "alert": alert,
            "steps": list(alert.steps.select_related("actor")),
            "tasks": list(FieldTask.objects.filter(alert=alert).select_related("team").order_by("pk")),
            "can_handle": alerts.may_handle(user, alert),
            "can_dispatch": user.can(Cap.COMMAND_DISPATCH) and alert.status != Alert.Status.CLOSED,  # type: ignore[union-attr]
            "nearest": dispatch.nearest_team(alert.court, alert.latitude, alert.longitude)
            if alert.status != Alert.Status.CLOSED
            else None,
            "open": alert.status in alerts.OPEN_STATES,
        },
    )


@login_required
@require_POST
def alert_step(request: HttpRequest, pk: int) -> HttpResponse:
    if alerts.get_visible(request.user, pk) is None:
        raise Http404("预警不存在或无权查看")
    action = request.POST.get("action", "")
    try:
        alerts.step(request.user, pk, action, request.POST.get("note", ""))
    except NotPermitted as e:
        raise PermissionDenied(e.message) from e
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已{AlertStep.Action(action).label}")
    return redirect("command_alert", pk=pk)


@login_required
@require_POST
def alert_dispatch_nearest(request: HttpRequest, pk: int) -> HttpResponse:
    if alerts.get_visible(request.user, pk) is None:
        raise Http404("预警不存在或无权查看")
    try:
        task = dispatch.dispatch_nearest(request.user, pk)
    except NotPermitted as e:
        raise PermissionDenied(e.message) from e
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("command_alert", pk=pk)
    messages.success(request, f"已派出{task.team.name}")
    return redirect("command_task", pk=task.pk)
