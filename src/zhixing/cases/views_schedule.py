"""Case action: record the parties' agreed payment order (清偿顺序约定, 迟延履行利息解释 Art 4).

A plain POST form on the case page (under the schedule); the legal order is restored by recording an
empty order. Errors come back as a message naming the field, nothing written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from zhixing.core.errors import NotPermitted, ServiceError

from . import queries, services
from .forms_schedule import JudgmentTermsForm, PaymentOrderForm
from .schedule import Bucket, order_label
from .views_access import forbidden, not_found, permitted


def _form_errors(request: HttpRequest, form: Any) -> None:
    """Each invalid field's errors as one message naming the field (the case page shows them)."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(str(e) for e in errors)}")


@login_required
@require_POST
def payment_order(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "close"):
        return forbidden(request, "您的岗位无权登记清偿顺序约定")
    form = PaymentOrderForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("case_detail", pk=case.pk)
    d = form.cleaned_data
    try:
        row = services.record_payment_order(
            request.user, case, order=d["order"], agreed_on=d["agreed_on"], document_ref=d["document_ref"]
        )
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("case_detail", pk=case.pk)
    label = "法定顺序" if not row.order else order_label([Bucket(b) for b in row.order.split(",")])
    messages.success(request, f"已登记清偿顺序约定：{label}")
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def judgment_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the instrument's acceleration clause, currency and 迟延履行金 (rules.md §6.3)."""
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "close"):
        return forbidden(request, "您的岗位无权登记执行依据的履行条款")
    form = JudgmentTermsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("case_detail", pk=case.pk)
    d = form.cleaned_data
    try:
        services.record_judgment_terms(request.user, case, services.JudgmentTerms(**d))
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        label = form.fields[exc.field].label if exc.field in form.fields else ""
        messages.error(request, f"{label}：{exc.message}" if label else exc.message)
        return redirect("case_detail", pk=case.pk)
    messages.success(request, "已登记执行依据的履行条款")
    return redirect("case_detail", pk=case.pk)
