"""Party portal page for remote payout (远程发款): no staff login; the token link is the credential.

Identity checks are throttled per link and per client address (`hit_rate_limit`, the platform's
cache-backed fixed window, today in `zhixing.credit.services`) before the bank is asked; the proof of
a passed check lives in this browser's session only. An expired or locked link shows why and nothing
of the case.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhixing.core.clientaddr import client_ip
from zhixing.core.errors import ServiceError
from zhixing.core.ratelimit import hit_rate_limit

from . import conf, services
from .models import Payout, PortalToken
from .services.portal import link_problem, portal_party, verification_open


def _proof_key(tok: PortalToken) -> str:
    return f"funds_portal_proof:{tok.pk}"


def _closed(request: HttpRequest, message: str, status: int = 410) -> HttpResponse:
    return render(request, "funds/portal_closed.html", {"message": message}, status=status)


def _verify(request: HttpRequest, tok: PortalToken) -> None:
    client = client_ip(request)
    per_link, per_client, window = conf.portal_check_limits()
    hit_rate_limit("funds-portal-link", str(tok.pk), per_link, window)
    hit_rate_limit("funds-portal-client", client, per_client, window)
    proof = services.verify_identity(
        tok,
        id_number=request.POST.get("id_number", ""),
        photo=request.POST.get("photo", ""),
        client=client,
    )
    request.session[_proof_key(tok)] = proof


def _confirm(request: HttpRequest, tok: PortalToken) -> None:
    services.confirm_account(
        tok,
        proof=str(request.session.get(_proof_key(tok), "")),
        account_name=request.POST.get("account_name", ""),
        account_no=request.POST.get("account_no", ""),
        bank_name=request.POST.get("bank_name", ""),
    )
    request.session.pop(_proof_key(tok), None)


@require_http_methods(["GET", "POST"])
def portal(request: HttpRequest, token: str) -> HttpResponse:
    tok = PortalToken.objects.select_related("case").filter(token=token[:64]).first()
    if tok is None:
        return render(request, "core/404.html", {}, status=404)
    problem = link_problem(tok)
    party = portal_party(tok)
    if problem or party is None:
        return _closed(request, problem or "本案当事人信息已变更，请联系承办人")
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("step") == "verify":
                _verify(request, tok)
            else:
                _confirm(request, tok)
            return HttpResponseRedirect(reverse("funds_portal", args=[token]))
        except ServiceError as exc:
            error, status = exc.message, 429 if exc.status == 429 else 200
        tok.refresh_from_db()
        problem = link_problem(tok)
        if problem:  # a throttled try stays a 429 (the link is not gone: it may be tried again later)
            return _closed(request, error or problem, 429 if status == 429 else 410)
    payouts = list(Payout.objects.filter(case=tok.case, party_id=tok.party_id).order_by("-pk"))
    ctx = {
        "tok": tok,
        "party": party,
        "payouts": payouts,
        "error": error,
        "can_change": verification_open(tok, str(request.session.get(_proof_key(tok), ""))),
        "verify_minutes": int(conf.portal_verify_window().total_seconds() // 60),
    }
    return render(request, "funds/portal.html", ctx, status=status)
