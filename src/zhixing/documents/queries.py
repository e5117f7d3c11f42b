"""Reads: a case's documents, one readable document and its bytes, the templates and their versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Count, QuerySet

from zhixing.courts.queries import readable_object

from . import kinds, render
from .models import Document, DocumentTemplate, TemplateVersion


class Tampered(RuntimeError):
    """A stored file whose content no longer matches the hash recorded when it was made."""


def readable_case(user: Any, pk: Any) -> Any:
    """The case `pk` if the user may read it (the cases app's model, looked up by name: this package
    imports no domain)."""
    return readable_object(
        user, apps.get_model("cases", "EnforcementCase").objects.select_related("court"), pk
    )


def for_case(case: Any) -> list[Document]:
    """The case's documents, newest first, with their template versions (two queries)."""
    return list(
        Document.objects.filter(case_id=case.pk).select_related("version", "created_by").order_by("-id")
    )


def for_source(case_id: int, code: str, source: str) -> list[Document]:
    """The stored documents of one kind made from one record (e.g. an exit restriction), newest first:
    what a domain's page offers for download instead of rendering its own file."""
    return list(
        Document.objects.filter(case_id=case_id, kind=code, source=source)
        .select_related("version")
        .order_by("-id")
    )


def count_for_case(case_id: int) -> int:
    return Document.objects.filter(case_id=case_id).count()


def get(user: Any, pk: Any) -> Document | None:
    """A document of a case the user may read, else None (out of scope and absent are one answer)."""
    return readable_object(user, Document.objects.select_related("case", "court", "version"), pk)


def content(doc: Document) -> bytes:
    """The stored Word file, checked against its recorded SHA-256."""
    data = (Path(settings.MEDIA_ROOT) / doc.path).read_bytes()
    if render.sha256(data) != doc.sha256:
        raise Tampered(f"文书文件与制作时的摘要不符：{doc.path}")
    return data


def needs_identity(doc: Document) -> bool:
    kind = kinds.get(doc.kind)
    return bool(kind and kind.identifies)


def templates() -> QuerySet[DocumentTemplate]:
    return (
        DocumentTemplate.objects.select_related("current")
        .annotate(n_versions=Count("versions"))
        .order_by("kind")
    )


def versions(code: str) -> list[TemplateVersion]:
    return list(
        TemplateVersion.objects.filter(template__kind=code)
        .select_related("uploaded_by")
        .defer("content")
        .order_by("-number")
    )


def version(code: str, number: int) -> TemplateVersion | None:
    return TemplateVersion.objects.filter(template__kind=code, number=number).first()


def paragraphs(doc: Document) -> list[str]:
    """The document's text, paragraph by paragraph (body and table cells), for reading it on a page."""
    import io

    from docx import Document as Docx

    d = Docx(io.BytesIO(content(doc)))
    out = [p.text.strip() for p in d.paragraphs if p.text.strip()]
    for table in d.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                out.append("　".join(dict.fromkeys(cells)))
    return out


def services_for_case(case_id: int) -> list[Any]:
    """The case's e-services with their deliveries (the proof), newest first (two queries)."""
    from django.db.models import Prefetch

    from .models import Delivery, Service

    return list(
        Service.objects.filter(case_id=case_id)
        .select_related("document")
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("id")))
        .order_by("-id")
    )


def addresses_for_case(case_id: int) -> dict[int, Any]:
    from .models import ServiceAddress

    return {a.party_id: a for a in ServiceAddress.objects.filter(case_id=case_id)}


def offer(user: Any, case: Any, code: str, source: str) -> dict[str, Any]:
    """What `documents/_stored.html` shows on a domain's page for one record: its stored documents of
    kind `code` (Word/PDF through this capability's routes) and whether the user may make one."""
    from . import pdf, services

    kind = kinds.get(code)
    assert kind is not None, code  # a domain offers only the kinds it registered
    return {
        "stored": for_source(case.pk, code, source),
        "make_kind": code,
        "make_source": source,
        "case_id": case.pk,
        "may_make": services.may_generate(user, case, kind),
        "title": kind.title,
        "pdf_problem": pdf.support(),  # '' when PDFs can be made, else what to install
    }
