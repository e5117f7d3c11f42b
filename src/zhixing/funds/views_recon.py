"""Reconciliation pages: one day's reconciliation (both sides, differences, candidates, actions), the
court's statement layouts (form), and the workbench alert panel. Reads are for finance, directors and
presidents (court-scoped: another court's reconciliation is a 404); writes are finance's (the service
refuses anyone else) and each calls one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.core.errors import ServiceError
from zhixing.core.export_tables import exportable
from zhixing.courts.queries import object_id
from zhixing.courts.roles import Role

from . import queries_recon, services
from . import statement_layouts as sl
from .models import ReconciliationItem, StatementLayout
from .services.layouts import COLUMN_FIELDS


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def _404(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    if not queries_recon.may_read(user):
        return _forbidden(request, "只有财务人员和院局领导可以查看对账结果")
    rec = queries_recon.reconciliation(user, pk)
    if rec is None:
        return _404(request)
    diffs = queries_recon.items(rec)
    bank, ledger, n_bank, n_ledger = queries_recon.both_sides(rec, diffs)
    return render(
        request,
        "funds/reconciliation.html",
        {
            "rec": rec,
            "imp": rec.statement,
            "diffs": diffs,
            "bank_rows": bank,
            "ledger_rows": ledger,
            "n_bank": n_bank,
            "n_ledger": n_ledger,
            "side_shown": queries_recon.SIDE_SHOWN,
            "is_finance": user.role == Role.FINANCE and user.court_id == rec.court_id,
            "errors": request.session.pop("funds_errors", []),
        },
    )


def _act(request: HttpRequest, item_id: int, action: Any, ok: str) -> HttpResponse:
    user: Any = request.user
    item = ReconciliationItem.objects.filter(pk=object_id(item_id) or 0).values_list(
        "reconciliation_id", flat=True
    )
    rec = queries_recon.reconciliation(user, item.first()) if item.first() else None
    if rec is None:
        return _404(request)
    back = reverse("funds_recon_detail", args=[rec.pk])
    try:
        action(item_id)
    except ServiceError as exc:
        if exc.status == 403:
            return _forbidden(request, exc.message)
        request.session["funds_errors"] = [exc.message]
        return HttpResponseRedirect(back)
    messages.success(request, ok)
    return HttpResponseRedirect(back)


@login_required
@require_POST
def confirm(request: HttpRequest, item_id: int) -> HttpResponse:
    ref = request.POST.get("ref", "")
    return _act(request, item_id, lambda i: services.confirm_match(request.user, i, ref), "已确认匹配")


@login_required
@require_POST
def book(request: HttpRequest, item_id: int) -> HttpResponse:
    return _act(request, item_id, lambda i: services.book_line(request.user, i), "已补记入账")


def _layout_ctx(
    user: Any, form: dict[str, Any], layout: StatementLayout | None, errors: list[str]
) -> dict[str, Any]:
    fields = [(f"{f}_column", f"{label}列") for f, label in sl.FIELD_LABELS.items()]
    return {
        "layouts": queries_recon.layouts(user.court),
        "builtin": list(sl.BUILTIN.values()),
        "form": form,
        "layout": layout,
        "column_fields": fields,
        "encodings": sl.ENCODINGS.items(),
        "date_formats": sl.DATE_FORMATS.items(),
        "amount_modes": sl.AMOUNT_MODES.items(),
        "is_finance": user.role == Role.FINANCE,
        "errors": errors,
    }


def _blank_form() -> dict[str, Any]:
    form: dict[str, Any] = dict.fromkeys(COLUMN_FIELDS, "")
    form |= {"name": "", "bank_name": "", "header_row": 1, "encoding": "", "date_format": ""}
    form |= {"amount_mode": sl.SIGNED, "direction_in": "收|收入|贷|入", "direction_out": "付|支出|借|出"}
    return form


@login_required
@require_http_methods(["GET", "POST"])
@exportable
def layouts(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The court's layouts and the form for a new one (or for layout `pk`)."""
    user: Any = request.user
    if not queries_recon.may_read(user):
        return _forbidden(request, "只有财务人员和院局领导可以查看对账单版式")
    layout = None
    if pk is not None:
        layout = StatementLayout.objects.filter(court=user.court, pk=object_id(pk) or 0).first()
        if layout is None:
            return _404(request)
    form = _blank_form()
    if layout is not None:
        form = {k: getattr(layout, k) for k in form}
    errors: list[str] = []
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            saved = services.save_layout(user, user.court, form, layout.pk if layout else None)
        except ServiceError as exc:
            if exc.status == 403:
                return _forbidden(request, exc.message)
            errors = [exc.message]
        else:
            messages.success(request, f"对账单版式“{saved.name}”已保存")
            return HttpResponseRedirect(reverse("funds_layouts"))
    return render(
        request, "funds/layouts.html", _layout_ctx(user, form, layout, errors), status=422 if errors else 200
    )


@login_required
@require_POST
def layout_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    if not queries_recon.may_read(user):
        return _forbidden(request, "无权维护对账单版式")
    try:
        services.delete_layout(user, user.court, object_id(pk) or 0)
    except ServiceError as exc:
        if exc.status == 403:
            return _forbidden(request, exc.message)
        request.session["funds_errors"] = [exc.message]
    return HttpResponseRedirect(reverse("funds_layouts"))


@login_required
@require_GET
def alerts_panel(request: HttpRequest) -> HttpResponse:
    """The workbench panel (HTMX fragment): open reconciliation alerts; empty for other roles."""
    user: Any = request.user
    if not queries_recon.may_read(user):
        return HttpResponse("")
    return render(
        request,
        "funds/_recon_alerts.html",
        {"alerts": queries_recon.open_alerts(user, limit=10), "alert_count": queries_recon.alert_count(user)},
    )
