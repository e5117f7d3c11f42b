"""The correction-application page (纠正申请, 失信规定 Arts 11–12) and its actions.

One list for every court: the enforcing court reviews its applications and carries out upheld ones; the
next-higher court records and decides the 复议. Overdue periods are red. Thin: reads through
`queries_correction`, writes through `services`; a correction the user cannot read is a 404, an action
the user may not take is refused by the service (403 page).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import NotPermitted, ServiceError

from . import queries_correction, rules, services
from .models import Correction
from .services.access import may_write
from .services.objection import DELETE_TRIGGERS, may_review


def _date(value: str | None, field: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ServiceError("日期应为YYYY-MM-DD格式", field=field) from None


@login_required
@require_GET
def corrections(request: HttpRequest) -> HttpResponse:
    only_overdue = request.GET.get("overdue") == "1"
    rows = queries_correction.rows(request.user, open_only=request.GET.get("all") != "1")
    if only_overdue:
        rows = [r for r in rows if r.overdue]
    for r in rows:
        r.can_write = may_write(request.user, r.c.listing.court)  # type: ignore[attr-defined]
        r.can_review = may_review(request.user, r.c)  # type: ignore[attr-defined]
    ctx = {
        "rows": rows,
        "only_overdue": only_overdue,
        "fields": list(rules.CORRECTABLE_FIELDS.items()),
        "delete_triggers": [(k, rules.REMOVAL_TRIGGERS[k]) for k in DELETE_TRIGGERS],
        "results": Correction.HigherResult.choices,
        "service_methods": list(rules.SERVICE_METHODS.items()),
        "today": timezone.localdate(),
    }
    return render(request, "credit/corrections.html", ctx)


def _do(action: str, request: HttpRequest, c: Correction) -> str:
    p, user = request.POST, request.user
    if action == "decide":
        c = services.decide_correction(
            user,
            c,
            upheld=p.get("upheld") == "yes",
            served_on=_date(p.get("served_on"), "served_on"),
            method=p.get("method") or "personal",
        )
        if c.status == Correction.Status.UPHELD:
            return f"纠正申请理由成立，应于{c.fix_due:%Y-%m-%d}前纠正"
        if c.reconsideration_due is None:
            return "已驳回纠正申请；驳回决定送达后请登记送达，复议期限自送达之日起算"
        return f"已驳回纠正申请，申请人可于{c.reconsideration_due:%Y-%m-%d}前向上一级法院申请复议"
    if action == "served":
        c = services.record_correction_service(
            user, c, method=p.get("method", ""), on=_date(p.get("served_on"), "served_on")
        )
        return (
            f"已登记驳回决定送达（{c.served_on:%Y-%m-%d}视为送达），"
            f"申请人可于{c.reconsideration_due:%Y-%m-%d}前向上一级法院申请复议"
        )
    if action == "apply":
        changes = {k: p[k] for k in rules.CORRECTABLE_FIELDS if p.get(k, "").strip()}
        services.apply_correction(user, c, changes=changes, trigger=p.get("trigger", ""))
        return "已按纠正申请纠正失信信息"
    if action == "reconsideration":
        c = services.file_correction_reconsideration(user, c, filed_on=_date(p.get("filed_on"), "filed_on"))
        return f"已登记复议申请，应于{c.higher_review_due:%Y-%m-%d}前作出复议决定"
    if action == "review":
        c = services.decide_correction_reconsideration(
            user, c, result=p.get("result", ""), decided_on=_date(p.get("decided_on"), "decided_on")
        )
        return f"已作出复议决定：{c.get_higher_result_display()}"
    raise ServiceError("未知的操作", field="action")


@login_required
@require_POST
def correction_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    c = queries_correction.get_visible(request.user, pk)
    if c is None:
        return render(request, "core/404.html", {}, status=404)
    try:
        messages.success(request, _do(action, request, c))
    except NotPermitted as exc:
        return render(request, "core/403.html", {"message": exc.message}, status=403)
    except ServiceError as exc:
        messages.error(request, f"办理未成功，未作任何更改：{exc.message}")
    return redirect("credit_corrections")
