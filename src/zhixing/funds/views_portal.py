"""Party portal page for remote payout (远程发款): no staff login; the token link is the credential."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhixing.cases import queries as case_queries
from zhixing.core.errors import ServiceError

from . import services
from .models import Payout, PortalToken


@require_http_methods(["GET", "POST"])
def portal(request: HttpRequest, token: str) -> HttpResponse:
    tok = PortalToken.objects.select_related("case").filter(token=token).first()
    if tok is None:
        return render(request, "core/404.html", {}, status=404)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("step") == "verify":
                services.verify_identity(
                    tok, id_number=request.POST.get("id_number", ""), photo=request.POST.get("photo", "")
                )
            else:
                services.confirm_account(
                    tok,
                    account_name=request.POST.get("account_name", ""),
                    account_no=request.POST.get("account_no", ""),
                    bank_name=request.POST.get("bank_name", ""),
                )
            return HttpResponseRedirect(reverse("funds_portal", args=[token]))
        except ServiceError as exc:
            error = exc.message
    party = next(p for p in case_queries.case_parties(tok.case) if p.pk == tok.party_id)
    payouts = list(Payout.objects.filter(case=tok.case, party_id=tok.party_id).order_by("-pk"))
    return render(
        request, "funds/portal.html", {"tok": tok, "party": party, "payouts": payouts, "error": error}
    )
