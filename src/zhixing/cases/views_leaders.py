"""Leaders' pages: the lists each supervision figure opens, the chart data (JSON drawn by the
platform's own ECharts), and 督办 (supervision orders) on a case.

Thin: reads through `queries_leaders`, writes through `services`. Court scoping as everywhere: a court
or case the user may not read is the platform's 404; a page the role may not open is a 403.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import ServiceError
from zhixing.core.export_tables import exportable
from zhixing.core.exports import wants_xlsx, xlsx_response
from zhixing.courts.roles import Cap

from . import charts_leaders, queries, queries_leaders, services, views_lists
from . import rules_leaders as rl
from .form_fields import DateInput
from .models import Node
from .services.supervision import can_issue
from .views_access import current_staff, forbidden, not_found

PAGE_SIZE = 100
NOT_SUPERVISOR = "节点监管仅限执行局局长、院长和指挥中心人员"


def _supervisor(request: HttpRequest) -> HttpResponse | None:
    if not current_staff(request).can(Cap.SUPERVISE):
        return forbidden(request, NOT_SUPERVISOR)
    return None


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


@login_required
@require_GET
@exportable
def supervision(request: HttpRequest) -> HttpResponse:
    """节点监管: per court open cases, overdue nodes and term-overdue cases, with charts."""
    if (denied := _supervisor(request)) is not None:
        return denied
    user = current_staff(request)
    today = timezone.localdate()
    # Each court's figures include the courts below it (an intermediate court's row is its subtotal,
    # the high court's the province total); the own-court figure is shown beside it.
    rows = queries_leaders.tree_rows(user, today)
    for r in rows:
        r.indent = 8 + 20 * r.depth  # type: ignore[attr-defined]
        r.nodes_url = charts_leaders.nodes_url(r.court)  # type: ignore[attr-defined]
        r.own_nodes_url = charts_leaders.nodes_url(r.court, tree=False)  # type: ignore[attr-defined]
        r.open_url = charts_leaders.cases_url(r.court, "open")  # type: ignore[attr-defined]
        r.own_open_url = charts_leaders.cases_url(r.court, "open", tree=False)  # type: ignore[attr-defined]
        r.term_url = charts_leaders.cases_url(r.court, "term_overdue")  # type: ignore[attr-defined]
        r.own_term_url = charts_leaders.cases_url(r.court, "term_overdue", tree=False)  # type: ignore[attr-defined]
    totals = {k: sum(r.total[k] for r in rows if r.depth == 0) for k in queries_leaders.FIGURES}
    return render(
        request,
        "cases/supervision.html",
        {"rows": rows, "totals": totals, "today": today, "chart_court": user.court},
    )


# -- the lists behind the figures -------------------------------------------------------------------


@login_required
@require_GET
def supervision_nodes(request: HttpRequest) -> HttpResponse:
    """超期节点: the overdue nodes of a court (and the courts below it), by handler or age if asked."""
    if (denied := _supervisor(request)) is not None:
        return denied
    user = current_staff(request)
    court = queries_leaders.scope_court(user, request.GET.get("court"))
    if court is None:
        return not_found(request)
    today = timezone.localdate()
    tree = request.GET.get("tree") == "1"
    handler_raw = request.GET.get("handler") or ""
    # An id past 64 bits names nobody (0 matches no handler); it must not reach the database driver.
    handler = (
        (int(handler_raw) if len(handler_raw) < 19 else 0)
        if handler_raw.isascii() and handler_raw.isdigit()
        else None
    )
    unassigned = request.GET.get("unassigned") == "1"
    age = rl.bucket_by_code(request.GET.get("age") or "")
    qs = queries_leaders.overdue_nodes(
        court, today, tree=tree, handler=handler, unassigned=unassigned, age=age
    )
    if wants_xlsx(request):
        return xlsx_response(  # type: ignore[return-value]
            request,
            table="supervision_nodes",
            title="超期节点",
            header=("案号", "节点", "法院", "承办人", "期限届满日", "超期天数"),
            rows=qs.iterator(chunk_size=500),
            row=lambda n: (
                n.case.number,
                n.node_type.name,
                n.court.name,
                n.handler.full_name if n.handler else "未分案",
                n.due_on,
                rl.days_overdue(n.due_on, today),
            ),
        )
    page = _page(request, qs)
    for n in page.object_list:
        n.days_overdue = rl.days_overdue(n.due_on, today)  # type: ignore[attr-defined]
    return render(
        request,
        "cases/supervision_nodes.html",
        {
            "court": court,
            "tree": tree,
            "age": age,
            "handler": handler,
            "unassigned": unassigned,
            "page": page,
            "count": page.paginator.count,
            "today": today,
            "query": _query_without_page(request),
        },
    )


@login_required
@require_GET
def supervision_cases(request: HttpRequest) -> HttpResponse:
    """在办案件 / 超执行期限案件 / a month's 收案 or 结案 of a court (and the courts below it)."""
    if (denied := _supervisor(request)) is not None:
        return denied
    user = current_staff(request)
    court = queries_leaders.scope_court(user, request.GET.get("court"))
    kind = request.GET.get("kind") or ""
    if court is None or kind not in queries_leaders.CASE_KINDS:
        return not_found(request)
    month = None
    if kind in ("filed", "closed"):
        try:
            y, m = (int(p) for p in (request.GET.get("month") or "").split("-"))
            month = (y, m) if 1 <= m <= 12 else None
        except ValueError:
            month = None
        if month is None:
            return not_found(request)
    today = timezone.localdate()
    tree = request.GET.get("tree") == "1"
    figure = queries_leaders.figure_cases(court, kind, today, tree=tree, month=month)
    if wants_xlsx(request):
        return xlsx_response(  # type: ignore[return-value]
            request,
            table=f"supervision_cases.{kind}",
            title=queries_leaders.CASE_KINDS[kind],
            header=views_lists.EXPORT_HEADER,
            rows=views_lists.case_rows(figure),
        )
    page = _page(request, figure)
    return render(
        request,
        "cases/supervision_cases.html",
        {
            "court": court,
            "tree": tree,
            "kind": kind,
            "kind_label": queries_leaders.CASE_KINDS[kind],
            "month": rl.month_label(month) if month else "",
            "page": page,
            "count": page.paginator.count,
            "today": today,
            "query": _query_without_page(request),
        },
    )


# -- chart data -------------------------------------------------------------------------------------


@login_required
@require_GET
def chart_data(request: HttpRequest, name: str) -> HttpResponse:
    """One chart's JSON for `?court=` (default: the user's court), scoped like the tables."""
    if not current_staff(request).can(Cap.SUPERVISE):
        return JsonResponse({"detail": NOT_SUPERVISOR}, status=403)
    user = current_staff(request)
    court = queries_leaders.scope_court(user, request.GET.get("court"))
    if court is None or name not in charts_leaders.CHARTS:
        return JsonResponse({"detail": "所访问的对象不存在，或不在您所在法院的查看范围内"}, status=404)
    payload = charts_leaders.chart_payload(user, name, court, timezone.localdate())
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


# -- 督办 -------------------------------------------------------------------------------------------


class IssueOrderForm(forms.Form):
    text = forms.CharField(
        label="督办事项",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写督办事项"},
    )
    due_on = forms.DateField(
        label="回复期限",
        widget=DateInput(),
        error_messages={"required": "请选择回复期限", "invalid": "请输入正确的日期"},
    )
    node = forms.TypedChoiceField(label="针对节点", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, nodes: list[Node] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["node"].choices = [("", "整个案件")] + [(n.pk, n.node_type.name) for n in nodes or []]  # type: ignore[attr-defined]


class ReplyOrderForm(forms.Form):
    reply = forms.CharField(
        label="回复内容",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写回复内容"},
    )


def _pending_nodes(case: Any) -> list[Node]:
    return [n for n in queries.case_nodes(case) if n.status == Node.Status.PENDING]


def _orders_context(
    request: HttpRequest, case: Any, issue_form: Any = None, reply_forms: Any = None
) -> dict[str, Any]:
    user = current_staff(request)
    today = timezone.localdate()
    orders = queries_leaders.case_orders(case)
    for o in orders:
        o.overdue = o.is_overdue(today)  # type: ignore[attr-defined]
        o.can_reply = o.status == o.Status.OPEN and o.addressee_id == user.pk  # type: ignore[attr-defined]
        if o.can_reply:  # type: ignore[attr-defined]
            o.form = (reply_forms or {}).get(o.pk) or ReplyOrderForm(auto_id=f"id_reply{o.pk}_%s")  # type: ignore[attr-defined]
    may_issue = case.is_open and case.handler_id is not None and can_issue(user, case)
    if may_issue and issue_form is None:
        issue_form = IssueOrderForm(
            auto_id="id_order_%s", nodes=_pending_nodes(case), initial={"due_on": today + timedelta(days=3)}
        )
    return {
        "case": case,
        "orders": orders,
        "issue_form": issue_form if may_issue or (issue_form is not None and issue_form.is_bound) else None,
        "today": today,
    }


@login_required
def case_orders(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the 督办 panel of a case page (loaded by HTMX). POST: issue a 督办."""
    user = current_staff(request)
    case = queries.get_case(user, pk)
    if case is None:
        return not_found(request)
    if request.method == "GET":
        return render(request, "cases/_supervision_orders.html", _orders_context(request, case))
    if request.method != "POST":
        return HttpResponse(status=405)
    if not can_issue(user, case):
        return forbidden(request, "只有本院或上级法院的院长、执行局局长可以督办")
    nodes = _pending_nodes(case)
    form = IssueOrderForm(request.POST, auto_id="id_order_%s", nodes=nodes)
    if form.is_valid():
        node = next((n for n in nodes if n.pk == form.cleaned_data["node"]), None)
        try:
            services.issue_supervision_order(
                user, case, text=form.cleaned_data["text"], due_on=form.cleaned_data["due_on"], node=node
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect(f"{reverse('case_detail', args=[case.pk])}#supervision-orders")
    return render(
        request,
        "cases/supervision_order_page.html",
        _orders_context(request, case, issue_form=form),
        status=400,
    )


@login_required
@require_POST
def order_reply(request: HttpRequest, order_id: int) -> HttpResponse:
    user = current_staff(request)
    order = queries_leaders.readable_order(user, order_id)
    if order is None:
        return not_found(request)
    form = ReplyOrderForm(request.POST, auto_id=f"id_reply{order.pk}_%s")
    if form.is_valid():
        try:
            services.reply_supervision_order(user, order, reply=form.cleaned_data["reply"])
        except ServiceError as exc:
            if exc.status == 403:
                return forbidden(request, exc.message)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect(f"{reverse('case_detail', args=[order.case_id])}#supervision-orders")
    ctx = _orders_context(request, order.case, reply_forms={order.pk: form})
    return render(request, "cases/supervision_order_page.html", ctx, status=400)


@login_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    """督办 lists: addressed to me, issued by me, or (supervisors) every order in my courts."""
    user = current_staff(request)
    which = request.GET.get("view") or ("all" if user.can(Cap.SUPERVISE) else "mine")
    if which not in queries_leaders.ORDER_VIEWS:
        which = "mine"
    if which == "all" and not user.can(Cap.SUPERVISE):
        return forbidden(request, NOT_SUPERVISOR)
    today = timezone.localdate()
    overdue = request.GET.get("overdue") == "1"
    page = _page(request, queries_leaders.order_list(user, which, today, overdue=overdue))
    for o in page.object_list:
        o.overdue = o.is_overdue(today)  # type: ignore[attr-defined]
    views = [(k, v) for k, v in queries_leaders.ORDER_VIEWS.items() if k != "all" or user.can(Cap.SUPERVISE)]
    return render(
        request,
        "cases/supervision_orders.html",
        {
            "which": which,
            "views": views,
            "overdue": overdue,
            "page": page,
            "count": page.paginator.count,
            "today": today,
            "query": _query_without_page(request),
        },
    )


@login_required
@require_GET
def orders_panel(request: HttpRequest) -> HttpResponse:
    """Home-page panel (HTMX): open 督办 addressed to me, overdue ones flagged."""
    user = current_staff(request)
    today = timezone.localdate()
    counts = queries_leaders.open_order_counts(user, today)
    rows = list(queries_leaders.order_list(user, "mine", today).filter(status="open")[:10])
    for o in rows:
        o.overdue = o.is_overdue(today)  # type: ignore[attr-defined]
    return render(request, "cases/_orders_panel.html", {"counts": counts, "rows": rows, "today": today})
