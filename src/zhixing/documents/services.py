"""Every write of the documents capability: template versions, and generated documents.

`generate` is the one-at-a-time path a page uses (docxtpl's documented render, one transaction, one audit
record). `generate_many` makes a batch (demo data, a court's mass mailing): each template version is
compiled once (`render.Compiled`), files are written content-addressed, rows inserted with one
`bulk_create` and audited with one `audit.append_many` per court chain. Both store the file under
MEDIA_ROOT/documents/<sha[:2]>/<sha>.docx (same content → same file) and record its template version.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court

from . import kinds, render
from .models import Document, DocumentTemplate, TemplateVersion

DEFAULTS = Path(__file__).resolve().parent / "defaults"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def default_file(code: str) -> Path:
    return DEFAULTS / f"{code}.docx"


def _kind(code: str) -> kinds.Kind:
    kind = kinds.get(code)
    if kind is None:
        raise ServiceError(f"没有这种文书：{code}", field="kind")
    return kind


def current_version(code: str) -> TemplateVersion:
    """The version new documents of `code` use; installs the shipped template on first use."""
    tpl = DocumentTemplate.objects.select_related("current").filter(kind=code).first()
    if tpl is not None and tpl.current is not None:
        return tpl.current
    return install_default(code)


@transaction.atomic
def install_default(code: str) -> TemplateVersion:
    """Version 1 of a kind's template, from the .docx shipped in `defaults/` (idempotent)."""
    kind = _kind(code)
    tpl, _ = DocumentTemplate.objects.select_for_update().get_or_create(
        kind=code, defaults={"title": kind.title}
    )
    if tpl.current_id is not None:
        return TemplateVersion.objects.get(pk=tpl.current_id)
    data = default_file(code).read_bytes()
    v = TemplateVersion.objects.create(template=tpl, number=1, content=data, sha256=render.sha256(data))
    tpl.current = v
    tpl.save(update_fields=["current"])
    audit.record(
        None,
        "document.template_install",
        object_type="document_template",
        object_id=tpl.pk,
        after={"kind": code, "number": 1, "sha256": v.sha256},
    )
    return v


def may_edit_templates(user: Any) -> bool:
    """Templates are the platform's: only its administrators (superusers) change them."""
    return bool(getattr(user, "is_superuser", False))


_LOOP = re.compile(r"\{%\s*(?:tr|tc|p|r)?\s*for\s+([A-Za-z_]\w*)\s+in\s+([A-Za-z_]\w*)\s*%\}")


def _body_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return re.sub(r"<[^>]+>", "", z.read(render.BODY).decode("utf-8"))


def tables_of(data: bytes) -> dict[str, set[str]]:
    """The lists a template repeats table rows over (`{%tr for r in rows %}` … `{{ r.cell }}`): each list's
    name with the attributes its rows print."""
    text = _body_text(data)
    out: dict[str, set[str]] = {}
    for var, name in _LOOP.findall(text):
        out.setdefault(name, set()).update(re.findall(r"\{\{\s*" + var + r"\.([A-Za-z_]\w*)", text))
    return out


def fields_of(data: bytes) -> set[str]:
    """The single placeholders a template fills (`{{ name }}`), read from its body XML (a table row's
    `{{ r.cell }}` belongs to its list: `tables_of`)."""
    text = _body_text(data)
    loop_vars = {var for var, _ in _LOOP.findall(text)}
    return set(re.findall(r"\{\{\s*([A-Za-z_]\w*)", text)) - loop_vars


def sample_context(code: str) -> dict[str, Any]:
    """A context with every field and table of the shipped template: what a new version may use."""
    data = default_file(code).read_bytes()
    ctx: dict[str, Any] = dict.fromkeys(fields_of(data), "示例")
    for name, cells in tables_of(data).items():
        ctx[name] = [dict.fromkeys(cells, "示例")]
    return ctx


def check_template(code: str, data: bytes) -> None:
    """A usable template for `code`: a .docx that renders the kind's full sample context."""
    kind = _kind(code)
    if not data:
        raise ServiceError("请选择模板文件", field="file")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ServiceError("模板文件超过 5 MB", field="file")
    if not data.startswith(b"PK"):
        raise ServiceError("不是有效的 Word（.docx）文件", field="file")
    try:
        render.Compiled(data).render(sample_context(kind.code))
    except render.TemplateProblem as exc:
        raise ServiceError(str(exc), field="file") from exc


@transaction.atomic
def upload_version(user: Any, code: str, data: bytes, note: str = "") -> TemplateVersion:
    """A new version of `code`'s template becomes current; earlier versions stay for the documents made
    from them. Bad files change nothing and name the problem."""
    if not may_edit_templates(user):
        raise NotPermitted("只有系统管理员可以修改文书模板")
    check_template(code, data)
    current_version(code)  # the shipped version 1 first, so uploads number from 2
    tpl = DocumentTemplate.objects.select_for_update().get(kind=code)
    last = tpl.versions.order_by("-number").values_list("number", flat=True).first() or 0
    v = TemplateVersion.objects.create(
        template=tpl,
        number=last + 1,
        content=data,
        sha256=render.sha256(data),
        note=note[:200],
        uploaded_by=user,
    )
    tpl.current = v
    tpl.save(update_fields=["current"])
    audit.record(
        user,
        "document.template_version",
        object_type="document_template",
        object_id=tpl.pk,
        after={"kind": code, "number": v.number, "sha256": v.sha256, "note": v.note},
    )
    return v


@transaction.atomic
def set_current(user: Any, code: str, number: int) -> TemplateVersion:
    """Go back (or forward) to an existing version."""
    if not may_edit_templates(user):
        raise NotPermitted("只有系统管理员可以修改文书模板")
    tpl = DocumentTemplate.objects.select_for_update().filter(kind=code).first()
    v = tpl.versions.filter(number=number).first() if tpl else None
    if tpl is None or v is None:
        raise ServiceError(f"没有第{number}版模板", field="number")
    before = tpl.current.number if tpl.current else None
    tpl.current = v
    tpl.save(update_fields=["current"])
    audit.record(
        user,
        "document.template_current",
        object_type="document_template",
        object_id=tpl.pk,
        before={"number": before},
        after={"kind": code, "number": number},
    )
    return v


def may_generate(user: Any, case: Any, kind: kinds.Kind) -> bool:
    """Own court only (higher courts read), and the kind's capability."""
    return can_write_court(user, case.court) and bool(user.can(kind.cap))


def _store(data: bytes) -> tuple[str, str]:
    sha = render.sha256(data)
    rel = f"documents/{sha[:2]}/{sha}.docx"
    path = Path(settings.MEDIA_ROOT) / rel
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a reader never sees half a file
    return sha, rel


def _clean_inputs(kind: kinds.Kind, inputs: dict[str, Any] | None) -> dict[str, str]:
    given = inputs or {}
    out = {}
    for i in kind.inputs:
        value = str(given.get(i.name, "")).strip()
        if not value and i.required:
            raise ServiceError(f"请填写“{i.label}”", field=i.name)
        if len(value) > 500:
            raise ServiceError(f"“{i.label}”不能超过500字", field=i.name)
        out[i.name] = value
    return out


def _row(
    case: Any,
    kind: kinds.Kind,
    source: str,
    inputs: dict[str, str],
    v: TemplateVersion,
    data: bytes,
    user: Any,
) -> Document:
    sha, rel = _store(data)
    return Document(
        court_id=case.court_id,
        case=case,
        kind=kind.code,
        title=kind.title,
        source=source,
        inputs=inputs,
        version=v,
        sha256=sha,
        size=len(data),
        path=rel,
        created_by=user if getattr(user, "pk", None) else None,  # a system actor is no user
    )


def _after(d: Document) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "title": d.title,
        "source": d.source,
        "version": d.version.number,
        "sha256": d.sha256,
        "path": d.path,
        **({"inputs": d.inputs} if d.inputs else {}),
    }


def generate(
    user: Any, case: Any, code: str, source: str = "", inputs: dict[str, Any] | None = None
) -> Document:
    """Make one document of `case` from the kind's current template, store it, and audit it.

    Refused (NotPermitted) outside the user's own court or without the kind's capability; NotApplicable
    when the case lacks the data; nothing is stored then."""
    kind = _kind(code)
    if not may_generate(user, case, kind):
        raise NotPermitted(f"您的岗位或法院无权制作{kind.title}")
    clean = _clean_inputs(kind, inputs)
    ctx = kinds.context_for(kind, case, source, clean)
    v = current_version(code)
    try:
        data = render.render_docx(bytes(v.content), ctx)
    except render.TemplateProblem as exc:
        raise ServiceError(f"{kind.title}模板第{v.number}版无法生成：{exc}") from exc
    with transaction.atomic():
        doc = _row(case, kind, source, clean, v, data, user)
        doc.save()
        audit.record(
            user,
            "document.generate",
            object_type="document",
            object_id=doc.pk,
            case_id=case.pk,
            after=_after(doc),
            court=case.court,
        )
    return doc


@dataclass
class Request:
    """One document of a batch."""

    case: Any
    kind: str
    source: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)


def generate_many(user: Any, requests: Sequence[Request], *, check: bool = True) -> list[Document]:
    """Make a batch of documents: templates compiled once, one insert, one audit append per court.

    A request the case has no data for (NotApplicable) is skipped; any other error stops the batch
    before anything is written. `check=False` is for the demo seeder acting as the platform."""
    versions: dict[str, TemplateVersion] = {}
    rows: list[Document] = []
    for r in requests:
        kind = _kind(r.kind)
        if check and not may_generate(user, r.case, kind):
            raise NotPermitted(f"您的岗位或法院无权制作{kind.title}")
        try:
            ctx = kinds.context_for(kind, r.case, r.source, _clean_inputs(kind, r.inputs))
        except kinds.NotApplicable:
            continue
        v = versions.get(r.kind) or versions.setdefault(r.kind, current_version(r.kind))
        data = render.compiled(v.sha256, bytes(v.content)).render(ctx)
        rows.append(_row(r.case, kind, r.source, dict(r.inputs), v, data, user))
    by_court: dict[int, list[Document]] = defaultdict(list)
    with transaction.atomic():
        Document.objects.bulk_create(rows, batch_size=500)
        for d in rows:
            by_court[d.court_id].append(d)
        for docs in by_court.values():
            audit.append_many(
                user,
                [
                    {
                        "action": "document.generate",
                        "object_type": "document",
                        "object_id": d.pk,
                        "case_id": d.case_id,
                        "after": _after(d),
                    }
                    for d in docs
                ],
                court=docs[0].case.court,
            )
    return rows


@transaction.atomic
def record_download(user: Any, doc: Document, fmt: str) -> None:
    """Audit one download (a document may carry full identity numbers: every look is recorded)."""
    audit.record(
        user,
        "document.download",
        object_type="document",
        object_id=doc.pk,
        case_id=doc.case_id,
        after={"kind": doc.kind, "format": fmt},
        court=doc.court,
    )
