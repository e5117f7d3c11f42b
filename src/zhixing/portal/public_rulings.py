"""Rulings published on the public portal (执行裁判文书网上公开), personal data masked.

`publish` reads the generated Word file of a ruling (checked against its recorded hash), takes its text,
and masks, before anything is stored: every identifier `core.redaction` finds (ID numbers, phones,
street addresses), the case parties' own ID numbers, phones and addresses wherever they appear (even
in a form the patterns would not catch), and bank account numbers (12 or more digits; the last four
stay). The public page shows only that stored text.
"""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.redaction import mask_address, mask_resident_id, redact
from zhixing.documents import queries as doc_queries

from . import access_public
from .models import PublishedRuling

# The kinds that are rulings (裁定书) a court publishes; decisions on fines and detention name a person's
# full identity for the police and are not published here.
PUBLISHABLE = ("freeze_ruling", "seizure_ruling", "dormant_ruling", "sale_confirmation")
_ACCOUNT = re.compile(r"(?<!\d)\d{12,25}(?!\d)")


def docx_text(data: bytes) -> str:
    """The paragraphs and table cells of a Word file, in order, one per line."""
    d = docx.Document(io.BytesIO(data))
    lines = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            lines.append(" ".join(c.text for c in row.cells))
    return "\n".join(line for line in lines if line.strip())


def mask_text(text: str, parties: list[Any]) -> str:
    """`text` with the parties' identifiers, every pattern identifier and account numbers masked."""
    for p in parties:
        for value, masked in (
            (p.id_number, mask_resident_id(p.id_number or "")),
            (p.phone, "****"),
            (p.address, mask_address(p.address or "")),
        ):
            if value and len(value) >= 5:
                text = text.replace(value, masked)
    text = redact(text)
    return _ACCOUNT.sub(lambda m: "*" * (len(m.group(0)) - 4) + m.group(0)[-4:], text)


def publish(actor: Any, document_id: int) -> PublishedRuling:
    doc = doc_queries.get(actor, document_id)
    if doc is None or not access_public.may_decide(actor, doc.court):
        raise NotPermitted("只有本院承办法官或执行局局长可以公开本院的裁判文书")
    if doc.kind not in PUBLISHABLE:
        raise ServiceError("只有裁定书可以在执行公开网公开", field="document")
    try:
        text = docx_text(doc_queries.content(doc))
    except doc_queries.Tampered as exc:
        raise Conflict(str(exc), field="document") from None
    masked = mask_text(text, case_queries.case_parties(doc.case))
    with transaction.atomic():
        if PublishedRuling.objects.filter(document_id=doc.pk).exists():
            raise Conflict("该文书已公开", field="document")
        row = PublishedRuling.objects.create(
            court_id=doc.court_id,
            case_id=doc.case_id,
            document_id=doc.pk,
            kind=doc.kind,
            title=doc.title,
            text=masked,
            published_at=timezone.now(),
            published_by=actor,
        )
        audit.record(
            actor,
            "portal.ruling_publish",
            object_type="portal.PublishedRuling",
            object_id=row.pk,
            case_id=doc.case_id,
            court=doc.court,
            after={"document": doc.pk, "kind": doc.kind},
        )
    return row


def withdraw(actor: Any, ruling_id: int) -> PublishedRuling:
    with transaction.atomic():
        row = (
            PublishedRuling.objects.select_for_update(of=("self",))
            .select_related("court")
            .filter(pk=ruling_id)
            .first()
        )
        if row is None or not access_public.may_decide(actor, row.court):
            raise NotPermitted("只有本院承办法官或执行局局长可以撤回公开的文书")
        if row.withdrawn_at is not None:
            raise Conflict("该文书已撤回", field="ruling")
        row.withdrawn_at = timezone.now()
        row.save(update_fields=["withdrawn_at"])
        audit.record(
            actor,
            "portal.ruling_withdraw",
            object_type="portal.PublishedRuling",
            object_id=row.pk,
            case_id=row.case_id,
            court=row.court,
            after={"withdrawn": True},
        )
    return row
