"""Staff pages of e-service: record a party's confirmed address, serve a document, see the proof.

The proof itself is shown on the case's documents page (`views.case_documents` adds it). Writing needs
the case's own court (else 403, nothing written); out of scope is the platform's 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhixing.core.errors import NotPermitted, ServiceError

from . import eservice, queries
from .models import Document


def _int(value: str, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServiceError("请选择当事人" if field == "party" else "请选择文书", field=field) from None


@login_required
@require_POST
def confirm_address(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.readable_case(request.user, pk)
    if case is None:
        return render(request, "core/404.html", {}, status=404)
    f = request.POST
    try:
        eservice.confirm_address(
            request.user,
            case,
            _int(f.get("party", ""), "party"),
            phone=f.get("phone", ""),
            email=f.get("email", ""),
            portal=bool(f.get("portal")),
            postal_address=f.get("postal_address", ""),
            electronic_consent=bool(f.get("electronic_consent")),
        )
        messages.success(request, "已登记送达地址确认书")
    except NotPermitted as exc:
        return render(request, "core/403.html", {"message": exc.message}, status=403)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("case_documents", pk=case.pk)


@login_required
@require_POST
def serve(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.readable_case(request.user, pk)
    if case is None:
        return render(request, "core/404.html", {}, status=404)
    try:
        doc = (
            Document.objects.select_related("case__court")
            .filter(case_id=case.pk, pk=_int(request.POST.get("document", ""), "document"))
            .first()
        )
        if doc is None:
            raise ServiceError("请选择本案的文书", field="document")
        party = request.POST.get("party", "")
        if party == "all":
            done = eservice.serve_all(request.user, doc)
            messages.success(request, f"已向{len(done)}名当事人发起电子送达")
        else:
            eservice.serve(request.user, doc, _int(party, "party"))
            messages.success(request, "已发起电子送达，送达结果见下表")
    except NotPermitted as exc:
        return render(request, "core/403.html", {"message": exc.message}, status=403)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("case_documents", pk=case.pk)
