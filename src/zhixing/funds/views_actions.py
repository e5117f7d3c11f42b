"""Case-funds pages (writes): each POST calls one service; a refused action shows its reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhixing.cases import queries as case_queries
from zhixing.core import formerrors, upload_limits
from zhixing.core.errors import ServiceError
from zhixing.core.nexturl import safe_next
from zhixing.courts.queries import readable_or_404

from . import services
from .models import Payout, Receipt

PROPOSE_FIELDS = ("party_id", "purpose", "amount", "account_name", "account_no", "bank_name")


def _run(request: HttpRequest, back: str, action: Callable[[], Any], ok: str) -> HttpResponse:
    try:
        action()
    except ServiceError as exc:
        request.session["funds_errors"] = [exc.message]
        if exc.status == 403:
            return render(request, "core/403.html", {"message": exc.message}, status=403)
        return HttpResponseRedirect(back)
    messages.success(request, ok)
    return HttpResponseRedirect(back)


def _case(request: HttpRequest, pk: int) -> Any:
    return case_queries.get_case(request.user, pk)


def _int(value: Any, field: str, label: str) -> int:
    """A positive id from a form; a Chinese error on `field` otherwise (raised inside `_run`)."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise ServiceError(f"请选择{label}", field=field)
    return int(text)


def _money_url(pk: int) -> str:
    return reverse("funds_case_money", args=[pk])


def _404(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return _404(request)
    f = request.POST
    try:
        services.propose(
            request.user,
            case,
            party_id=_int(f.get("party_id"), "party_id", "收款人"),
            amount=f.get("amount", ""),
            account_name=f.get("account_name", ""),
            account_no=f.get("account_no", ""),
            bank_name=f.get("bank_name", ""),
            purpose=f.get("purpose", "applicant"),
        )
    except ServiceError as exc:
        if exc.status == 403:
            return render(request, "core/403.html", {"message": exc.message}, status=403)
        # Beside the field that failed, with what was typed, back at the form (ADR 0012).
        typed = {k: f.get(k, "") for k in PROPOSE_FIELDS}
        field = exc.field if exc.field in PROPOSE_FIELDS else None
        formerrors.remember(request, "propose", field, exc.message, typed.get(field or "", ""), typed)
        return HttpResponseRedirect(_money_url(pk) + "#propose-form")
    messages.success(request, "发款申请已提交审批")
    return HttpResponseRedirect(_money_url(pk))


@login_required
@require_POST
def decide(request: HttpRequest, payout_id: int) -> HttpResponse:
    readable_or_404(request.user, Payout, payout_id)  # another court's payout is as absent as none
    back = safe_next(request, reverse("funds_approvals"))
    approve = request.POST.get("decision", "approve") == "approve"
    return _run(
        request,
        back,
        lambda: services.decide(request.user, payout_id, approve=approve, note=request.POST.get("note", "")),
        "已审批" if approve else "已驳回",
    )


@login_required
@require_POST
def cancel(request: HttpRequest, payout_id: int) -> HttpResponse:
    p = Payout.objects.filter(pk=payout_id).values_list("case_id", flat=True).first()
    if p is None or _case(request, p) is None:
        return _404(request)
    return _run(
        request,
        _money_url(p),
        lambda: services.cancel(request.user, payout_id, reason=request.POST.get("reason", "")),
        "发款已撤回",
    )


@login_required
@require_POST
def send(request: HttpRequest, payout_id: int) -> HttpResponse:
    """Send the order; the page then says what the bank answered, or that it could not be reached."""
    readable_or_404(request.user, Payout, payout_id)
    back = reverse("funds_finance")
    try:
        p = services.send(request.user, payout_id)
    except ServiceError as exc:
        request.session["funds_errors"] = [exc.message]
        if exc.status == 403:
            return render(request, "core/403.html", {"message": exc.message}, status=403)
        return HttpResponseRedirect(back)
    if p.status == Payout.Status.PAID:
        messages.success(request, "支付指令已发送，银行已支付")
    elif p.status == Payout.Status.FAILED:
        request.session["funds_errors"] = [f"支付指令已发送，银行退回：{p.fail_reason}（款项已退回案款账户）"]
    else:
        request.session["funds_errors"] = [f"支付指令未获银行确认：{p.last_error}"]
    return HttpResponseRedirect(back)


@login_required
@require_POST
def claim(request: HttpRequest, receipt_id: int) -> HttpResponse:
    rec = readable_or_404(request.user, Receipt, receipt_id)
    number = request.POST.get("case_number", "").strip()

    def act() -> Any:
        case = (
            case_queries.scoped_cases(request.user)
            .filter(number=case_queries.normalised_number(number), court_id=rec.court_id)
            .first()
        )
        if case is None:
            raise ServiceError(f"本院没有案号为“{number}”的案件", field="case_number")
        return services.claim_receipt(request.user, rec.pk, case)

    return _run(request, reverse("funds_finance"), act, "不明款已认领")


@login_required
@require_POST
def return_receipt(request: HttpRequest, receipt_id: int) -> HttpResponse:
    readable_or_404(request.user, Receipt, receipt_id)
    return _run(
        request,
        reverse("funds_finance"),
        lambda: services.return_receipt(request.user, receipt_id, request.POST.get("reason", "")),
        "不明款退回指令已发送银行",
    )


@login_required
@require_POST
def upload_statement(request: HttpRequest) -> HttpResponse:
    """Import a statement with the chosen layout; then show its reconciliation (or the file's errors)."""
    upload = request.FILES.get("file")
    user: Any = request.user
    try:
        if upload is None:
            raise ServiceError("请选择对账单文件", field="file")
        upload_limits.check(upload, "statement", field="file", label="对账单文件")
        imp = services.import_statement(
            user,
            user.court,
            upload.read(),
            upload.name or "",
            layout=request.POST.get("layout") or None,
            book_missing=request.POST.get("book_missing") == "1",
        )
    except ServiceError as exc:
        if exc.status == 403:
            return render(request, "core/403.html", {"message": exc.message}, status=403)
        request.session["funds_errors"] = [exc.message]
        return HttpResponseRedirect(reverse("funds_finance") + "#statement")
    messages.success(request, f"对账单已导入（{len(imp.lines)}行，新入账{imp.booked}笔）并完成对账")
    return HttpResponseRedirect(reverse("funds_recon_detail", args=[imp.reconciliation.pk]))


@login_required
@require_POST
def issue_token(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return _404(request)
    return _run(
        request,
        _money_url(pk),
        lambda: services.issue_token(
            request.user, case, _int(request.POST.get("party_id"), "party_id", "当事人")
        ),
        "已生成远程发款链接",
    )


@login_required
@require_POST
def costs(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return _404(request)
    return _run(
        request,
        _money_url(pk),
        lambda: services.book_costs(
            request.user, case, request.POST.get("amount", ""), request.POST.get("what", "")
        ),
        "执行费用已结算",
    )
