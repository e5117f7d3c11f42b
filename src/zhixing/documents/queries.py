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
