"""执行监督 page: thin over `supervision.overview`; exportable to Excel like every statistics table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhixing.core.export_tables import exportable
from zhixing.courts.queries import readable_courts
from zhixing.courts.roles import Cap

from . import supervision
from .views_screens import _denied, scope_court

NO_SUPERVISION = "执行监督仅限执行局局长和院长"


@login_required
@require_GET
@exportable
def supervision_page(request: HttpRequest) -> HttpResponse:
    if (denied := _denied(request, Cap.COMMAND_SUPERVISE, NO_SUPERVISION)) is not None:
        return denied
    court = scope_court(request)
    kind = request.GET.get("kind", "")
    if kind not in supervision.KINDS:
        kind = ""
    today = timezone.localdate()
    ov = supervision.overview(court, today, kind)
    return render(
        request,
        "command/supervision.html",
        {
            "court": court,
            "ov": ov,
            "kind": kind,
            "kinds": supervision.KINDS,
            "today": today,
            "courts": list(readable_courts(request.user).order_by("path")),
        },
    )
