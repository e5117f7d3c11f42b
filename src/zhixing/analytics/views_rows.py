"""The imported rows of a debtor (filterable, paginated) and the correction of one row.

Everyone who reads the case reads its rows; who imports for the case (`Cap.ANALYTICS_IMPORT`, own
court) corrects them (`services.corrections`, audited, original kept). Indicators on the profile page
link here with their filter (`indicators.ROW_FILTERS`, a finding's evidence by profile and rule).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhixing.core.date_picker import DateInput
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from . import queries, queries_rows, report
from .models import Transaction
from .services import corrections

EMPTY_CHOICE = [("", "全部")]


class RowFilterForm(forms.Form):
    start = forms.DateField(label="起始日", required=False, widget=DateInput())
    end = forms.DateField(label="终止日", required=False, widget=DateInput())
    direction = forms.ChoiceField(
        label="收支", required=False, choices=EMPTY_CHOICE + Transaction.Direction.choices
    )
    min_amount = forms.DecimalField(label="金额不低于", required=False, min_value=Decimal(0))
    max_amount = forms.DecimalField(label="金额不高于", required=False, min_value=Decimal(0))
    counterparty = forms.CharField(label="交易对方", required=False, max_length=100)
    category = forms.CharField(label="分类或摘要", required=False, max_length=64)
    kind = forms.ChoiceField(label="类型", required=False, choices=EMPTY_CHOICE + Transaction.Kind.choices)
    job = forms.TypedChoiceField(label="导入", required=False, coerce=int, empty_value=None)
    counted = forms.BooleanField(label="只看计入指标的行", required=False)
    corrected = forms.BooleanField(label="只看已更正的行", required=False)

    def __init__(self, *args: Any, jobs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = EMPTY_CHOICE + jobs  # type: ignore[attr-defined]


class CorrectionForm(forms.Form):
    direction = forms.ChoiceField(label="收支", choices=Transaction.Direction.choices)
    amount = forms.DecimalField(
        label="金额（元，不带正负号）", min_value=Decimal(0), decimal_places=2, max_digits=15
    )
    counterparty = forms.CharField(label="交易对方", required=False, max_length=200)
    category = forms.CharField(label="分类", required=False, max_length=64)
    excluded = forms.BooleanField(label="不计入指标", required=False)
    reason = forms.CharField(label="更正理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


@login_required
@require_GET
def rows_page(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    ref = queries.debtor(request.user, case_id, party_id)
    if ref is None:
        raise Http404
    try:
        flt = queries_rows.RowFilter.from_params(request.GET)
    except ServiceError as exc:
        messages.error(request, exc.message)
        flt = queries_rows.RowFilter()
    form = RowFilterForm(initial=flt.params(), jobs=queries_rows.jobs_of(party_id))
    page = Paginator(queries_rows.rows(party_id, flt), queries_rows.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    finding = None
    if flt.profile and flt.rule:
        prof = queries.profile(request.user, flt.profile)
        if prof is not None:
            finding = next((f for f in prof.findings if f.get("rule") == flt.rule), None)
            finding = finding or report.category_finding(prof, flt.rule)
    return render(
        request,
        "analytics/rows.html",
        {
            "ref": ref,
            "form": form,
            "page": page,
            "filters": flt.params(),
            "finding": finding,
            "can_correct": queries.allowed(request.user, ref, Cap.ANALYTICS_IMPORT),
        },
    )


@login_required
def correct_row(request: HttpRequest, tx_id: int) -> HttpResponse:
    found = queries_rows.transaction_of(request.user, tx_id)
    if found is None:
        raise Http404
    tx, ref = found
    can_correct = queries.allowed(request.user, ref, Cap.ANALYTICS_IMPORT)
    current = corrections.effective(tx)
    if request.method == "POST":
        if not can_correct:
            return _forbidden(request, corrections.CORRECT_REFUSED)
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                corrections.correct_transaction(request.user, tx, **form.cleaned_data)
            except NotPermitted as exc:
                return _forbidden(request, exc.message)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已更正第{tx.row_no}行，指标将按更正后的内容计算")
                return redirect(f"{_rows_url(ref)}?job={tx.job_id}&corrected=1")
    else:
        form = CorrectionForm(initial={**current, "amount": abs(current["amount"])})
    return render(
        request,
        "analytics/row_correct.html",
        {"ref": ref, "tx": tx, "current": current, "form": form, "can_correct": can_correct},
    )


def _rows_url(ref: queries.DebtorRef) -> str:
    return reverse("analytics:rows", args=[ref.case.pk, ref.party.pk])
