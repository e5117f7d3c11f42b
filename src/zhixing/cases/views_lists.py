"""Case list extras (issue 13): Excel export of the filtered list, and batch assignment (批量分案).

The export walks the same filtered, scoped queryset the page shows (`queries.filtered_cases`), newest
filing first, through `core.exports` (streamed, capped, audited). Batch assignment posts the ticked
cases and one judge to `services.assign_cases` (all or none).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.exports import xlsx_response
from zhixing.core.nexturl import safe_next
from zhixing.courts.roles import Cap

from . import queries, services
from .models import EnforcementCase, Party
from .queries_caseload import active_staff, case_totals, caseload_label, court_caseloads

EXPORT_HEADER = (
    "案号",
    "法院",
    "申请执行人",
    "被执行人",
    "申请标的（元）",
    "已到位（元）",
    "立案日期",
    "承办人",
    "状态",
    "最近期限",
    "执行期限届满日",
)
_CHUNK = 500


def case_rows(qs: Any) -> Iterator[list[Any]]:
    """The filtered cases newest first, in chunks, with their parties' names."""
    it = qs.select_related("court", "handler").order_by("-filed_on", "-id").iterator(chunk_size=_CHUNK)
    batch: list[EnforcementCase] = []
    for case in it:
        batch.append(case)
        if len(batch) >= _CHUNK:
            yield from _rows_of(batch)
            batch = []
    if batch:
        yield from _rows_of(batch)


def _rows_of(cases: list[EnforcementCase]) -> Iterator[list[Any]]:
    names: dict[tuple[int, str], list[str]] = {}
    for case_id, role, name in Party.objects.filter(case_id__in=[c.pk for c in cases]).values_list(
        "case_id", "role", "name"
    ):
        names.setdefault((case_id, role), []).append(name)
    for c in cases:
        yield [
            c.number,
            c.court.name,
            "、".join(names.get((c.pk, Party.Role.APPLICANT), [])),
            "、".join(names.get((c.pk, Party.Role.DEBTOR), [])),
            c.claim_amount,
            c.paid_amount,
            c.filed_on,
            c.handler.full_name if c.handler else "未分案",
            c.get_status_display(),
            c.next_due_on,
            c.term_due,
        ]


def case_list_export(request: HttpRequest, filters: queries.CaseFilters) -> HttpResponseBase:
    user: Any = request.user
    qs = queries.filtered_cases(user, filters)
    totals = case_totals(qs)
    return xlsx_response(
        request,
        table="cases.list",
        title="执行案件列表",
        header=EXPORT_HEADER,
        rows=case_rows(qs),
        footer=["合计", f"{totals.count}件", "", "", totals.claim, totals.paid],
    )


def batch_context(user: Any) -> dict[str, Any]:
    """The batch-assignment bar of the case list: shown to whoever may assign in their own court."""
    court = getattr(user, "court", None)
    if court is None or not user.can(Cap.CASE_ASSIGN):
        return {"batch_judges": None}
    return {
        "batch_judges": [(r.judge.pk, caseload_label(r.judge, r.open_cases)) for r in court_caseloads(court)],
        "batch_court_id": court.pk,
        "batch_max": services.MAX_BATCH,
    }


def _back(request: HttpRequest) -> HttpResponse:
    # `next` is a same-site path or nothing: never a view name (redirect() would try to reverse it)
    # nor another host (core.nexturl).
    return redirect(safe_next(request, reverse("case_list")))


@login_required
@require_POST
def batch_assign(request: HttpRequest) -> HttpResponse:
    """批量分案: the ticked cases (`case`) to one judge (`handler`), all or none."""
    from .views_access import forbidden, not_found

    user: Any = request.user
    court = getattr(user, "court", None)
    if court is None or not user.can(Cap.CASE_ASSIGN):
        return forbidden(request, "分案须由本院执行局局长办理")
    judge = active_staff(_int(request.POST.get("handler")))
    if judge is None:
        messages.error(request, "请选择本院在职的承办法官")
        return _back(request)
    try:
        done = services.assign_cases(user, request.POST.getlist("case"), judge)
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        if exc.status == 404:
            return not_found(request)
        messages.error(request, exc.message)
        return _back(request)
    messages.success(request, f"已将{len(done)}件案件分给{judge.full_name}")
    return _back(request)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
