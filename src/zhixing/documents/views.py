"""Documents pages: a case's documents (list, make, download Word/PDF) and the template administration.

Reading follows the case's court scope (out of scope is the platform's one 404); making a document needs
the kind's capability in the case's own court (else 403, nothing written); documents that carry full
identity numbers need identity.view or inquiry.request to download; templates are changed by platform
administrators only. Every download is audited (it may reveal identities: the "data iron cage").
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhixing.core import downloads, upload_limits
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.nexturl import safe_next
from zhixing.courts.roles import Cap

from . import kinds, pdf, queries, services

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


def may_identify(user: Any) -> bool:
    return bool(user.can(Cap.IDENTITY_VIEW) or user.can(Cap.INQUIRY_REQUEST))


def _offers(user: Any, case: Any) -> list[dict[str, Any]]:
    """The kinds this user may make on this case, with the records each can be made from."""
    out = []
    for kind in kinds.all_kinds():
        if not services.may_generate(user, case, kind):
            continue
        sources = kind.sources(case) if kind.sources else []
        if kind.sources and not sources:
            continue
        out.append({"kind": kind, "sources": sources})
    return out


@login_required
@require_GET
def case_documents(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.readable_case(request.user, pk)
    if case is None:
        return _not_found(request)
    return render(
        request,
        "documents/case.html",
        {
            "case": case,
            "documents": queries.for_case(case),
            "offers": _offers(request.user, case),
            "pdf_problem": pdf.support(),
            "may_identify": may_identify(request.user),
            **_service_context(request.user, case),
        },
    )


def _service_context(user: Any, case: Any) -> dict[str, Any]:
    """E-service on the case page: each party with their confirmed address, the services with proof."""
    from django.apps import apps

    from zhixing.courts.queries import can_write_court

    addresses = queries.addresses_for_case(case.pk)
    parties = list(apps.get_model("cases", "Party").objects.filter(case_id=case.pk).order_by("role", "pk"))
    return {
        "service_parties": [{"party": p, "address": addresses.get(p.pk)} for p in parties],
        "services": queries.services_for_case(case.pk),
        "may_serve": can_write_court(user, case.court),
    }


def _back(request: HttpRequest, case: Any) -> HttpResponse:
    """Where a make form came from (a domain's page offering its stored documents), else the case's
    documents page; only a path on this site is followed."""
    # `safe_next`: a path only; redirect() would take a bare word ("abc") for a view name (NoReverseMatch).
    return redirect(safe_next(request, reverse("case_documents", kwargs={"pk": case.pk})))


@login_required
@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.readable_case(request.user, pk)
    if case is None:
        return _not_found(request)
    code = request.POST.get("kind", "")
    kind = kinds.get(code)
    if kind is None:
        messages.error(request, "请选择文书种类")
        return _back(request, case)
    inputs = {i.name: request.POST.get(i.name, "") for i in kind.inputs}
    try:
        doc = services.generate(request.user, case, code, request.POST.get("source", ""), inputs)
    except NotPermitted as exc:
        return _forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"{kind.title}未制作，未作任何更改：{exc.message}")
        return _back(request, case)
    messages.success(request, f"已制作{doc.title}（模板第{doc.version.number}版），已存入本案文书")
    return _back(request, case)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    doc = queries.get(request.user, pk)
    if doc is None:
        return _not_found(request)
    if queries.needs_identity(doc) and not may_identify(request.user):
        return _forbidden(request, f"{doc.title}载明当事人完整身份号码，您的岗位无权下载")
    try:
        data = queries.content(doc)
    except (OSError, queries.Tampered):
        return render(request, "core/404.html", {"message": "文书文件缺失或已被改动，请重新制作"}, status=410)
    if fmt == "pdf":
        try:
            data = pdf.docx_to_pdf(data, doc.title)
        except pdf.PdfUnavailable as exc:
            return render(request, "core/403.html", {"message": str(exc)}, status=503)
    services.record_download(request.user, doc, fmt)
    resp = HttpResponse(data, content_type=DOCX if fmt == "docx" else "application/pdf")
    downloads.attach(resp, downloads.case_file_name(doc.case.number, doc.title, fmt))
    return resp


# -- templates -------------------------------------------------------------------------------------------
@login_required
@require_GET
def templates_page(request: HttpRequest) -> HttpResponse:
    installed = {t.kind: t for t in queries.templates()}
    rows = [{"kind": k, "template": installed.get(k.code)} for k in kinds.all_kinds()]
    return render(
        request,
        "documents/templates.html",
        {"rows": rows, "may_edit": services.may_edit_templates(request.user)},
    )


@login_required
@require_GET
def template_versions(request: HttpRequest, code: str) -> HttpResponse:
    kind = kinds.get(code)
    if kind is None:
        return _not_found(request)
    current = services.current_version(code)
    return render(
        request,
        "documents/versions.html",
        {
            "kind": kind,
            "versions": queries.versions(code),
            "current": current,
            "fields": sorted(services.sample_context(code)),
            "may_edit": services.may_edit_templates(request.user),
        },
    )


@login_required
@require_GET
def template_file(request: HttpRequest, code: str, number: int) -> HttpResponse:
    v = queries.version(code, number)
    if v is None:
        return _not_found(request)
    resp = HttpResponse(bytes(v.content), content_type=DOCX)
    downloads.attach(resp, f"{v.template.title}-模板第{v.number}版.docx")
    return resp


@login_required
@require_POST
def template_upload(request: HttpRequest, code: str) -> HttpResponse:
    if kinds.get(code) is None:
        return _not_found(request)
    upload = request.FILES.get("file")
    try:
        upload_limits.check(upload, "document", field="file", label="模板文件")
        data = upload.read(services.MAX_TEMPLATE_BYTES + 1) if upload else b""
        v = services.upload_version(request.user, code, data, request.POST.get("note", ""))
    except NotPermitted as exc:
        return _forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"模板未上传，未作任何更改：{exc.message}")
        return redirect("document_template_versions", code=code)
    messages.success(request, f"已上传第{v.number}版，新制作的文书将使用此版本；已制作的文书保留原版本")
    return redirect("document_template_versions", code=code)


@login_required
@require_POST
def template_current(request: HttpRequest, code: str) -> HttpResponse:
    if kinds.get(code) is None:
        return _not_found(request)
    number = request.POST.get("number", "")
    try:
        v = services.set_current(
            request.user,
            code,
            int(number) if number.isascii() and number.isdigit() and len(number) < 10 else 0,
        )
    except NotPermitted as exc:
        return _forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("document_template_versions", code=code)
    messages.success(request, f"现行版本已改为第{v.number}版")
    return redirect("document_template_versions", code=code)
