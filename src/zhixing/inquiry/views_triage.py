"""Triage pages (繁简分流): the case's proposal, reasons, flags, decision and effects; the court's queue.

Thin: reads through `queries_triage`, writes through `services`. A case the user cannot read is 404; a
page or action their role may not use is 403 with the reason; a refused input changes nothing and says
why (a message on the page it came from).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.export_tables import exportable

from . import access, queries_triage, services
from .models import CaseTriage, TriageFlag
from .views import forbidden, not_found, readable_case
from .views_actions import _run


@login_required
@require_GET
def case_triage(request: HttpRequest, pk: int) -> HttpResponse:
    case = readable_case(request, pk)
    if case is None:
        return not_found(request)
    user: Any = request.user
    if not access.can_view_triage(user, case.court):
        return forbidden(request, access.TRIAGE_REFUSED)
    view = queries_triage.case_view(case)
    flagged = {f.kind for f in view.flags}
    can_flag = access.can_flag(user, case.court) and case.is_open
    can_designate = access.can_designate(user, case.court) and case.is_open
    kinds = [
        (k, label)
        for k, label in TriageFlag.Kind.choices
        if (can_designate if k == TriageFlag.Kind.DESIGNATED else can_flag) and k not in flagged
    ]
    context = {
        "case": case,
        "view": view,
        "t": view.triage,
        "tracks": CaseTriage.Track.choices,
        "can_decide": access.can_decide_triage(user, case.court) and case.is_open,
        "flag_kinds": kinds,
        "can_clear": {
            f.kind
            for f in view.flags
            if (can_designate if f.kind == TriageFlag.Kind.DESIGNATED else can_flag)
        },
    }
    return render(request, "inquiry/triage_case.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = readable_case(request, pk)
    if case is None:
        return not_found(request)
    if not access.can_decide_triage(request.user, case.court):
        return forbidden(request, access.DECIDE_REFUSED)

    def call() -> str:
        t = services.decide(request.user, case, request.POST.get("track", ""), request.POST.get("reason", ""))
        moved = f"，已移送{t.effects.get('team')}（承办人{t.effects.get('handler')}）"
        term = f"，{t.effects['term']}届满日{t.effects['term_due']}" if t.effects.get("term") else ""
        return f"分流已确定为：{t.get_track_display()}{moved}{term}"

    back = request.POST.get("next") == "queue"
    return _run(request, reverse("triage_queue") if back else reverse("triage_case", args=[case.pk]), call)


@login_required
@require_POST
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    case = readable_case(request, pk)
    if case is None:
        return not_found(request)
    user: Any = request.user
    kind = request.POST.get("kind", "")
    allowed = (
        access.can_designate(user, case.court)
        if kind == TriageFlag.Kind.DESIGNATED
        else access.can_flag(user, case.court)
    )
    if not allowed:
        refused = access.DESIGNATE_REFUSED if kind == TriageFlag.Kind.DESIGNATED else access.FLAG_REFUSED
        return forbidden(request, refused)
    clear = request.POST.get("op") == "clear"

    def call() -> str:
        if clear:
            f = services.clear_flag(user, case, kind, request.POST.get("reason", ""))
            return f"已撤销标注：{f.get_kind_display()}，分流建议已重新评估"
        f = services.set_flag(user, case, kind, request.POST.get("note", ""))
        return f"已标注：{f.get_kind_display()}，分流建议已重新评估"

    return _run(request, reverse("triage_case", args=[case.pk]), call)


@login_required
@require_GET
@exportable
def queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not access.can_see_triage_queue(user):
        return forbidden(request, access.QUEUE_REFUSED)
    rows = list(queries_triage.queue(user))
    for t in rows:
        t.can_decide = access.can_decide_triage(user, t.court)  # type: ignore[attr-defined]
    return render(
        request,
        "inquiry/triage_queue.html",
        {"rows": rows, "counts": queries_triage.state_counts(user), "statuses": CaseTriage.Status.choices},
    )
