"""Dispatch and field pages: the task board, a task, the team's phone page, evidence upload and files.

Upload endpoints speak JSON (the phone page's script): start → {token, received}; GET → {received};
PUT with `?offset=` and the raw chunk → {received} or, at the end, {evidence}. Errors are JSON
`{"detail", "field"}` with 4xx.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.cases.queries import get_case
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.inputguard import refuse_control_text
from zhixing.courts.models import Staff, Team
from zhixing.courts.roles import Cap, Role

from . import alerts, dispatch, field
from .models import Evidence, FieldTask, Vehicle


def _need(user: Any, cap: str) -> None:
    if not user.can(cap):
        raise PermissionDenied("无权访问该页面")


def _int(raw: Any) -> int:
    """A posted id, or 0 (no such object: the service names the field)."""
    text = str(raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else 0


def _parse_dt(raw: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@login_required
@require_http_methods(["GET", "POST"])
def task_board(request: HttpRequest) -> HttpResponse:
    """Today's tasks of the court, and the form to dispatch one (from ?case= or ?alert=)."""
    user: Any = request.user
    _need(user, Cap.COMMAND_DISPATCH)
    case = alert = None
    if _int(request.GET.get("case")):
        case = get_case(user, _int(request.GET.get("case")))
    if _int(request.GET.get("alert")):
        alert = alerts.get_visible(user, _int(request.GET.get("alert")))
        case = case or (alert.case if alert else None)
    errors: dict[str, str] = {}
    if request.method == "POST":
        starts, ends = (
            _parse_dt(request.POST.get("starts_at", "")),
            _parse_dt(request.POST.get("ends_at", "")),
        )
        if starts is None or ends is None:
            errors["starts_at"] = "请填写开始和结束时间"
        else:
            try:
                task = dispatch.create_task(
                    user,
                    dispatch.TaskData(
                        kind=request.POST.get("kind", ""),
                        team_id=_int(request.POST.get("team")),
                        target=request.POST.get("target", ""),
                        place=request.POST.get("place", ""),
                        starts_at=starts,
                        ends_at=ends,
                        vehicle_id=_int(request.POST.get("vehicle")) or None,
                        bailiff_ids=tuple(_int(x) for x in request.POST.getlist("bailiffs") if _int(x)),
                        instructions=request.POST.get("instructions", ""),
                        case=case,
                        alert=alert,
                        latitude=alert.latitude if alert else None,
                        longitude=alert.longitude if alert else None,
                    ),
                )
            except NotPermitted as e:
                raise PermissionDenied(e.message) from e
            except ServiceError as e:
                errors[e.field or "kind"] = e.message
            else:
                messages.success(request, "任务已派出")
                return redirect("command_task", pk=task.pk)
    now = timezone.localtime()
    return render(
        request,
        "command/tasks.html",
        {
            "tasks": dispatch.my_tasks_today(user),
            "case": case,
            "alert": alert,
            "errors": errors,
            "kinds": FieldTask.Kind.choices,
            "teams": Team.objects.filter(court=user.court).order_by("name"),
            "vehicles": Vehicle.objects.filter(court=user.court).order_by("name"),
            "bailiffs": Staff.objects.filter(court=user.court, role=Role.BAILIFF, is_active=True).order_by(
                "full_name"
            ),
            "start": request.POST.get("starts_at") or now.strftime("%Y-%m-%dT%H:%M"),
            "end": request.POST.get("ends_at") or (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "initial_kind": request.POST.get("kind")
            or ("seize_vehicle" if alert and alert.kind == "plate_hit" else ""),
            "initial_target": request.POST.get("target") or (alert.subject if alert else ""),
            "initial_place": request.POST.get("place") or (alert.place if alert else ""),
            "initial_instructions": request.POST.get("instructions", ""),
        },
    )


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = dispatch.get_task(request.user, pk)
    if task is None:
        raise Http404("任务不存在或无权查看")
    evidence = field.task_evidence(task)
    return render(
        request,
        "command/task.html",
        {
            "task": task,
            "bailiffs": list(task.bailiffs.all()),
            "conflicts": dispatch.conflicts(task),
            "steps": list(task.steps.select_related("actor")),
            "evidence": [(e, field.verify(e)) for e in evidence],
            "can_dispatch": request.user.can(Cap.COMMAND_DISPATCH),  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def task_instruct(request: HttpRequest, pk: int) -> HttpResponse:
    if dispatch.get_task(request.user, pk) is None:
        raise Http404("任务不存在或无权查看")
    try:
        dispatch.instruct(request.user, pk, request.POST.get("note", ""))
    except NotPermitted as e:
        raise PermissionDenied(e.message) from e
    except ServiceError as e:
        messages.error(request, e.message)
    return redirect("command_task", pk=pk)


@login_required
@require_POST
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    if dispatch.get_task(request.user, pk) is None:
        raise Http404("任务不存在或无权查看")
    try:
        dispatch.move(request.user, pk, request.POST.get("status", ""), request.POST.get("note", ""))
    except NotPermitted as e:
        raise PermissionDenied(e.message) from e
    except ServiceError as e:
        messages.error(request, e.message)
    return redirect((request.POST.get("back") == "field" and "command_field_task") or "command_task", pk=pk)


@login_required
@require_GET
def field_home(request: HttpRequest) -> HttpResponse:
    _need(request.user, Cap.FIELD_WORK)
    return render(request, "command/field.html", {"tasks": dispatch.my_tasks_today(request.user)})


@login_required
@require_GET
def field_task(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request.user, Cap.FIELD_WORK)
    task = dispatch.get_task(request.user, pk)
    if task is None:
        raise Http404("任务不存在或无权查看")
    return render(
        request,
        "command/field_task.html",
        {
            "task": task,
            "case": task.case,
            "steps": list(task.steps.select_related("actor")),
            "evidence": field.task_evidence(task),
        },
    )


def _json_error(e: ServiceError) -> JsonResponse:
    return JsonResponse({"detail": e.message, "field": e.field, "code": e.code}, status=e.status)


def _float(raw: Any) -> float | None:
    try:
        return None if raw in (None, "") else float(raw)
    except (TypeError, ValueError):
        raise ServiceError("位置坐标须为数字", field="latitude") from None


@login_required
@require_POST
def upload_start(request: HttpRequest, pk: int) -> JsonResponse:
    if dispatch.get_task(request.user, pk) is None:
        return JsonResponse(
            {"detail": "任务不存在或无权查看", "field": "task", "code": "not_found"}, status=404
        )
    try:
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise json.JSONDecodeError("not an object", "", 0)
        captured = _parse_dt(str(body.get("captured_at", "")))
        if captured is None:
            raise ServiceError("拍摄时间须为 ISO 8601 格式", field="captured_at")
        size = body.get("size")
        if not isinstance(size, int):
            raise ServiceError("文件大小须为整数字节数", field="size")
        # The file name is stored as sent (the other texts the service checks against its lists).
        refuse_control_text({"filename": body.get("filename", "")})
        up = field.start_upload(
            request.user,
            pk,
            field.UploadStart(
                filename=str(body.get("filename", "")),
                content_type=str(body.get("content_type", "")),
                size=size,
                sha256=str(body.get("sha256", "")),
                captured_at=captured,
                latitude=_float(body.get("latitude")),
                longitude=_float(body.get("longitude")),
            ),
        )
    except (json.JSONDecodeError, RecursionError):  # RecursionError: nested past the parser's depth
        return JsonResponse({"detail": "请求体不是有效的 JSON", "field": None}, status=400)
    except ServiceError as e:
        return _json_error(e)
    return JsonResponse({"token": str(up.token), "received": 0, "size": up.size}, status=201)


@login_required
@require_http_methods(["GET", "PUT", "POST"])
def upload_chunk(request: HttpRequest, token: str) -> JsonResponse:
    """GET: how much the server holds (resume from there). PUT/POST ?offset=N with the raw chunk."""
    try:
        if request.method == "GET":
            up = field.get_upload(request.user, token)
            return JsonResponse({"token": token, "received": up.received, "size": up.size})
        raw = request.GET.get("offset", "")
        if not (raw.isascii() and raw.isdigit() and len(raw) < 18):
            raise ServiceError("缺少续传位置 offset", field="offset")
        result = field.put_chunk(request.user, token, int(raw), request.body)
    except ServiceError as e:
        return _json_error(e)
    body: dict[str, Any] = {"token": token, "received": result.received}
    if result.evidence is not None:
        body["evidence"] = {"id": result.evidence.pk, "sha256": result.evidence.sha256}
    return JsonResponse(body)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    ev = Evidence.objects.filter(pk=pk).select_related("task").first()
    if ev is None or dispatch.get_task(request.user, ev.task_id) is None:
        raise Http404("证据不存在或无权查看")
    path = field.evidence_dir() / ev.stored_as
    if not path.exists():
        raise Http404("证据文件缺失")
    return FileResponse(path.open("rb"), content_type=ev.content_type, filename=ev.filename)


@login_required
@require_GET
def case_field(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's field tasks and evidence (linked from the case's work)."""
    case = get_case(request.user, pk)
    if case is None:
        raise Http404("案件不存在或无权查看")
    tasks = list(FieldTask.objects.filter(case=case).select_related("team").order_by("-pk")[:100])
    evidence = field.case_evidence(case.pk)
    return render(
        request,
        "command/case_field.html",
        {"case": case, "tasks": tasks, "evidence": [(e, field.verify(e)) for e in evidence]},
    )
