"""Situation screens (desk and wall layouts, the snapshot JSON) and the quality-metrics page.

Thin: the figures come from `situation` (cache) and `metrics`; court scoping as everywhere (a court the
user may not read is the platform's 404), a role without the capability gets the 403 page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhixing.core.export_tables import exportable
from zhixing.courts.models import Court
from zhixing.courts.queries import NOT_FOUND, can_read_court, court_by_code, readable_courts
from zhixing.courts.roles import Cap
from zhixing.entrust import queries as entrust_queries

from . import metrics, situation, sources

NO_SCREEN = "态势大屏仅限指挥中心操作员、执行局局长和院长"
NO_METRICS = "执行质效指标仅限指挥中心操作员、执行局局长和院长"


def _denied(request: HttpRequest, cap: str, message: str) -> HttpResponse | None:
    if not request.user.can(cap):  # type: ignore[union-attr]
        return render(request, "core/403.html", {"message": message}, status=403)
    return None


def scope_court(request: HttpRequest) -> Court:
    """`?court=<code>` if the user may read it, else their own court; 404 for any other code."""
    code = request.GET.get("court", "").strip()
    own = getattr(request.user, "court", None)
    if not code:
        if own is None:
            raise Http404(NOT_FOUND)
        return own
    court = court_by_code(code)
    if court is None or not can_read_court(request.user, court):
        raise Http404(NOT_FOUND)
    return court


LABELS = {
    "registered": "待分案",
    "in_progress": "执行中",
    "suspended": "中止执行",
    "simple": "简案快执",
    "complex": "繁案精办",
    "dormant": "无财产（拟终本）",
}


@login_required
@require_GET
def situation_page(request: HttpRequest, wall: bool = False) -> HttpResponse:
    """态势: the desk layout, or (`wall`) the big-screen layout; both fed by the same snapshot + socket."""
    if (denied := _denied(request, Cap.COMMAND_SCREEN, NO_SCREEN)) is not None:
        return denied
    court = scope_court(request)
    snap = situation.snapshot(court)
    template = "command/situation_wall.html" if wall else "command/situation.html"
    return render(
        request,
        template,
        {
            "court": court,
            "snapshot": snap,
            "courts": list(readable_courts(request.user).order_by("path")),
            "labels": LABELS,
            "today": timezone.localdate(),
            "poll_seconds": getattr(settings, "ZHIXING_COMMAND", {}).get("poll_seconds", 5),
            "wall": wall,
        },
    )


@login_required
@require_GET
def situation_wall(request: HttpRequest) -> HttpResponse:
    return situation_page(request, wall=True)


@login_required
@require_GET
def situation_snapshot(request: HttpRequest) -> HttpResponse:
    """The screen's snapshot as JSON (reconnect catch-up and the poll fallback); read from the cache."""
    if _denied(request, Cap.COMMAND_SCREEN, NO_SCREEN) is not None:
        return JsonResponse({"detail": NO_SCREEN}, status=403)
    court = scope_court(request)
    return JsonResponse(situation.snapshot(court), json_dumps_params={"ensure_ascii": False})


def _date(value: str, default: date, name: str) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{name}：日期格式应为 YYYY-MM-DD") from exc


@login_required
@require_GET
@exportable
def metrics_page(request: HttpRequest) -> HttpResponse:
    """执行质效: every metric with its definition, per court / team / handler, for any period; Excel."""
    if (denied := _denied(request, Cap.COMMAND_METRICS, NO_METRICS)) is not None:
        return denied
    court = scope_court(request)
    today = timezone.localdate()
    errors: list[str] = []
    try:
        start = _date(request.GET.get("start", ""), date(today.year, 1, 1), "开始日期")
        end = _date(request.GET.get("end", ""), today, "结束日期")
        if start > end:
            raise ValueError("开始日期不能晚于结束日期")
    except ValueError as exc:
        errors.append(str(exc))
        start, end = date(today.year, 1, 1), today
    group = request.GET.get("group", "court")
    if group not in metrics.GROUPS:
        errors.append("分组：应为 法院、执行团队 或 承办人")
        group = "court"
    rep = metrics.report(court, start, end, group)
    if request.GET.get("format") == "json":
        return JsonResponse(metrics.as_json(rep), json_dumps_params={"ensure_ascii": False})
    context: dict[str, Any] = {
        "rep": rep,
        "court": court,
        "courts": list(readable_courts(request.user).order_by("path")),
        "groups": metrics.GROUPS,
        "group_label": metrics.GROUPS[rep.group],
        "errors": errors,
        "sources": sources.status(),
        # 委托执行 statistics (sent, handled, person-trips saved; issue 20 item 4).
        "entrust_stats": entrust_queries.statistics(court, jurisdiction=True),
        "entrust_scope": "辖区法院" if court.level != "basic" else "本院",
    }
    return render(request, "command/metrics.html", context, status=400 if errors else 200)
