"""Deposit-refund pages (writes, finance): enter the account a deposit came from, approve refunds in bulk.

Each POST calls one service of `services.deposit_refunds`; a refused action shows its reason on the
approvals page (`funds/approvals.html`, where finance sees the refunds waiting for its step).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhixing.courts.queries import readable_or_404

from .models import Payout
from .services import deposit_refunds
from .views_actions import _run


@login_required
@require_POST
def refund_account(request: HttpRequest, payout_id: int) -> HttpResponse:
    readable_or_404(request.user, Payout, payout_id)  # another court's refund is as absent as none
    p = request.POST
    return _run(
        request,
        reverse("funds_approvals"),
        lambda: deposit_refunds.set_refund_account(
            request.user,
            payout_id,
            account_name=p.get("account_name", ""),
            account_no=p.get("account_no", ""),
            bank_name=p.get("bank_name", ""),
        ),
        "已登记保证金退还账户",
    )


@login_required
@require_POST
def approve_refunds(request: HttpRequest) -> HttpResponse:
    ids = [int(x) for x in request.POST.getlist("payout") if x.isascii() and x.isdigit() and len(x) <= 18]
    if not ids:
        request.session["funds_errors"] = ["请勾选要审批的保证金退还"]
        return HttpResponseRedirect(reverse("funds_approvals"))
    done, refused = deposit_refunds.approve_refunds(request.user, ids)
    if done:
        messages.success(request, f"已同意{len(done)}笔保证金退还，请在财务页面发送支付指令")
    if refused:
        request.session["funds_errors"] = [f"退还#{pk}未审批：{why}" for pk, why in refused.items()]
    return HttpResponseRedirect(reverse("funds_approvals"))


@login_required
@require_POST
def reorder_refund(request: HttpRequest, payout_id: int) -> HttpResponse:
    readable_or_404(request.user, Payout, payout_id)
    p = request.POST
    return _run(
        request,
        reverse("funds_finance") + "#returned-refunds",
        lambda: deposit_refunds.reorder_refund(
            request.user,
            payout_id,
            account_name=p.get("account_name", ""),
            account_no=p.get("account_no", ""),
            bank_name=p.get("bank_name", ""),
        ),
        "已重新发起保证金退还，待财务审批",
    )
