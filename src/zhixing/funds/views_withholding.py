"""Income withholding pages (CPL-2023 Art 254): the case's orders with the order form, the assistance
notice to the payer (printable), and lifting an order.

A case the user cannot read is a 404; a role that may not order is a 403 on the POSTs (the page stays
readable to the case's readers). A refused order comes back beside its field with what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.cases import queries as case_queries
from zhixing.core import formerrors
from zhixing.core.errors import ServiceError
from zhixing.courts.queries import readable_or_404

from . import conf, queries_withholding
from .models import IncomeWithholding
from .services import withholding

FORM = "withholding"
FIELDS = (
    "debtor",
    "payer_name",
    "payer_account",
    "income_kind",
    "monthly_income",
    "living_standard",
    "dependants",
    "ruling_number",
    "start_on",
)


def _404(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


def _403(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def _url(pk: int) -> str:
    return reverse("funds_withholding", args=[pk])


@login_required
@require_GET
def case_withholding(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_queries.get_case(request.user, pk)
    if case is None:
        return _404(request)
    error = formerrors.pop(request)
    error = error if error and error.get("form") == FORM else None
    parties = case_queries.case_parties(case)
    return render(
        request,
        "funds/withholding.html",
        {
            "case": case,
            "rows": queries_withholding.case_withholdings(case),
            "debtors": [p for p in parties if p.role == "debtor"],
            "kinds": IncomeWithholding.IncomeKind.choices,
            "can_order": withholding.can_order(request.user, case),
            "default_standard": conf.withholding_living_standard(),
            "today": timezone.localdate(),
            "error": error,
            "values": (error or {}).get("values", {}),
            "lift_error": (request.session.pop("withholding_lift_error", None)),
        },
    )


@login_required
@require_POST
def order(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_queries.get_case(request.user, pk)
    if case is None:
        return _404(request)
    f = request.POST
    try:
        withholding.order_withholding(request.user, case, **{k: f.get(k, "") for k in FIELDS})
    except ServiceError as exc:
        if exc.status == 403:
            return _403(request, exc.message)
        typed = {k: f.get(k, "") for k in FIELDS}
        field = exc.field if exc.field in FIELDS else None
        formerrors.remember(request, FORM, field, exc.message, typed.get(field or "", ""), typed)
        return HttpResponseRedirect(_url(pk) + "#order-form")
    messages.success(request, "已裁定扣留收入，请向协助执行单位送达协助执行通知书")
    return HttpResponseRedirect(_url(pk))


@login_required
@require_POST
def lift(request: HttpRequest, order_id: int) -> HttpResponse:
    row = readable_or_404(request.user, IncomeWithholding.objects.select_related("court"), order_id)
    try:
        withholding.lift_withholding(request.user, row.pk, reason=request.POST.get("reason", ""))
    except ServiceError as exc:
        if exc.status == 403:
            return _403(request, exc.message)
        request.session["withholding_lift_error"] = {"order": row.pk, "message": exc.message}
        return HttpResponseRedirect(_url(row.case_id) + f"#withholding-{row.pk}")
    messages.success(request, "已解除扣留，请通知协助执行单位停止扣留")
    return HttpResponseRedirect(_url(row.case_id))


@login_required
@require_GET
def notice(request: HttpRequest, order_id: int) -> HttpResponse:
    row: Any = readable_or_404(
        request.user, IncomeWithholding.objects.select_related("court", "case", "debtor"), order_id
    )
    data = queries_withholding.withholding_row(row)
    return render(
        request,
        "funds/withholding_notice.html",
        {"o": row, "row": data, "account": queries_withholding.notice_account(row.case)},
    )
