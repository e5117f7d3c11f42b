"""Party portal pages (当事人门户): phone + code sign-in, the party's own cases, served documents.

No staff login: the signed-in phone (kept in the session for `SESSION_SECONDS`) is the credential, and
every page re-derives the (case, party) pairs from it (`party_queries.identity_for`). Another party's
case, a served document of someone else, a forged or unknown link token: the same 404 page, nothing of
the case shown. Staff read the parties' messages on `party_messages_staff`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.core.clientaddr import client_ip
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.documents import queries as documents
from zhixing.funds.models import Payout

from . import party_auth, party_queries, party_services
from .models import PartyMessage

SESSION_KEY = "party_portal_phone"
SESSION_SECONDS = 30 * 60
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _phone(request: HttpRequest) -> str:
    return str(request.session.get(SESSION_KEY, ""))


def _gone(request: HttpRequest, message: str = "页面不存在，或您无权查看。") -> HttpResponse:
    return render(request, "portal/party/error.html", {"message": message}, status=404)


def _to_login(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('party_login')}?next={request.path}")


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) or not nxt.startswith(
        "/party/"
    ):
        nxt = reverse("party_home")
    ctx: dict[str, Any] = {"next": nxt, "phone": request.POST.get("phone", ""), "sent": False}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("step") == "code":
                ctx["phone"] = party_auth.request_code(request.POST.get("phone", ""), client_ip(request))
                ctx["sent"] = True
            else:
                phone = party_auth.sign_in(
                    request.POST.get("phone", ""), request.POST.get("code", ""), client_ip(request)
                )
                request.session.cycle_key()
                request.session[SESSION_KEY] = phone
                request.session.set_expiry(SESSION_SECONDS)
                return HttpResponseRedirect(nxt)
        except ServiceError as exc:
            ctx["error"], ctx["error_field"] = exc.message, exc.field
            ctx["sent"] = request.POST.get("step") != "code"
            status = 429 if exc.status == 429 else 200
    return render(request, "portal/party/login.html", ctx, status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return HttpResponseRedirect(reverse("party_login"))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    phone = _phone(request)
    if not phone:
        return _to_login(request)
    return render(request, "portal/party/home.html", {"cases": party_queries.my_cases(phone)})


@require_GET
def case(request: HttpRequest, pk: int) -> HttpResponse:
    phone = _phone(request)
    if not phone:
        return _to_login(request)
    who = party_queries.identity_for(phone, pk)
    if who is None:
        return _gone(request)
    ctx = party_queries.case_page(who)
    if ctx["is_applicant"]:
        ctx["payouts"] = list(
            Payout.objects.filter(case_id=who.case_id, party_id=who.party_id).order_by("-pk")[:20]
        )
    return render(request, "portal/party/case.html", ctx)


@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    phone = _phone(request)
    if not phone:
        return _to_login(request)
    who = party_queries.identity_for(phone, pk)
    if who is None:
        return _gone(request)
    try:
        party_services.send_message(who, request.POST.get("kind", ""), request.POST.get("text", ""))
    except ServiceError as exc:
        ctx = party_queries.case_page(who)
        ctx.update({"error": exc.message, "error_field": exc.field, "text": request.POST.get("text", "")})
        return render(request, "portal/party/case.html", ctx, status=422)
    return HttpResponseRedirect(reverse("party_case", args=[pk]) + "?sent=1#messages")


@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant of a dormant case asks to resume it (终本规定 Art 9(1)); a debtor is refused."""
    phone = _phone(request)
    if not phone:
        return _to_login(request)
    who = party_queries.identity_for(phone, pk)
    if who is None:
        return _gone(request)
    try:
        party_services.request_resume(who, request.POST.get("reason", ""))
    except NotPermitted as exc:
        return render(request, "portal/party/error.html", {"message": exc.message}, status=403)
    except ServiceError as exc:
        ctx = party_queries.case_page(who)
        ctx.update(
            {"resume_error": exc.message, "resume_field": exc.field, "reason": request.POST.get("reason", "")}
        )
        return render(request, "portal/party/case.html", ctx, status=409 if exc.status == 409 else 422)
    return HttpResponseRedirect(reverse("party_case", args=[pk]) + "?resume=1#resume")


@require_GET
def document(request: HttpRequest, pk: int, delivery: int) -> HttpResponse:
    """Read a served document: opening it is recorded in the delivery proof."""
    phone = _phone(request)
    if not phone:
        return _to_login(request)
    who = party_queries.identity_for(phone, pk)
    d = party_queries.served_document(who, delivery) if who else None
    if who is None or d is None or d.service is None:
        return _gone(request)
    party_services.open_document(d)
    doc = d.service.document
    if request.GET.get("format") == "docx":
        try:
            data = documents.content(doc)
        except (OSError, documents.Tampered):
            return _gone(request, "文书文件暂不可用，请联系承办人。")
        resp = HttpResponse(data, content_type=DOCX)
        resp["Content-Disposition"] = f"attachment; filename=document-{doc.pk}.docx"
        return resp
    ctx = party_queries.case_page(who)
    ctx.update({"delivery": d, "doc": doc, "paragraphs": documents.paragraphs(doc)})
    return render(request, "portal/party/document.html", ctx)


@require_GET
def document_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an SMS or e-mail: sign in first, then the document (only its own addressee's)."""
    d = party_queries.delivery_by_token(token)
    if d is None:
        return _gone(request, "链接无效或已失效。")
    phone = _phone(request)
    if not phone:
        return _to_login(request)
    who = party_queries.identity_for(phone, d.case_id)
    if who is None or who.party_id != d.party_id:
        return _gone(request, "链接无效或已失效。")
    return HttpResponseRedirect(reverse("party_document", args=[d.case_id, d.pk]))


@login_required
@require_GET
def staff_messages(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the parties' messages and asset leads on a case, with the e-service proof."""
    case = documents.readable_case(request.user, pk)
    if case is None:
        return render(request, "core/404.html", {}, status=404)
    msgs = list(PartyMessage.objects.filter(case=case).order_by("-id")[:200])
    return render(request, "portal/party/staff_messages.html", {"case": case, "party_messages": msgs})
