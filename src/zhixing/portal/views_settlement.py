"""The settlement page of the party portal (执行和解履行情况): a party sees the case's settlement
agreements with each instalment matched against the money performed; the applicant — and only the
applicant (执行和解规定 Art 9) — asks online to resume enforcement of the original instrument after the
debtor did not perform, and sees the court's decision.

The portal's sign-in (phone + code) is the credential: `party_queries.identity_for` gives the (case,
party) pair of the signed-in phone. Another case, or no such case: the portal's 404 page, nothing shown.
A debtor's POST is refused (403) and writes nothing. Thin: one service call (`settlement_requests`).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhixing.cases import queries_settlement
from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.services import settlement_requests
from zhixing.core.errors import ServiceError

from . import party_queries
from .views_party import SESSION_KEY


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "portal/party/error.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def party_settlement(request: HttpRequest, pk: int) -> HttpResponse:
    phone = str(request.session.get(SESSION_KEY, ""))
    if not phone:
        return HttpResponseRedirect(f"{reverse('party_login')}?next={request.path}")
    who = party_queries.identity_for(phone, pk)
    if who is None:
        return _error(request, "页面不存在，或您无权查看。", 404)
    case = EnforcementCase.objects.select_related("court").get(pk=who.case_id)
    is_applicant = who.role == Party.Role.APPLICANT
    ctx = {
        "case": case,
        "who": who,
        "is_applicant": is_applicant,
        "error": "",
        "error_field": "",
        "grounds": "",
    }
    status = 200
    if request.method == "POST":
        if not is_applicant:
            return _error(request, "只有申请执行人可以申请恢复执行。", 403)
        try:
            req = settlement_requests.file_resume_request(
                case,
                request.POST.get("agreement", ""),
                party_id=who.party_id,
                grounds=request.POST.get("grounds", ""),
            )
        except ServiceError as exc:
            ctx.update(error=exc.message, error_field=exc.field, grounds=request.POST.get("grounds", ""))
            status = 422 if exc.status in (400, 422) else exc.status
        else:
            return HttpResponseRedirect(reverse("party_settlement", args=[pk]) + f"?filed={req.pk}")
    agreements = list(case.settlements.prefetch_related("instalments").order_by("-id")[:10])
    ctx["rows"] = [(a, queries_settlement.summary(a)) for a in agreements]
    ctx["live"] = [a for a in agreements if a.status in queries_settlement.LIVE]
    ctx["mine"] = queries_settlement.party_requests(case.pk, who.party_id) if is_applicant else []
    return render(request, "portal/party/settlement.html", ctx, status=status)
