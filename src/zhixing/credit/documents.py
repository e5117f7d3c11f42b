"""The listing decision (失信决定书): one context, rendered as a Word file (docxtpl) and as HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from . import rules
from .models import Listing

TEMPLATE = Path(__file__).resolve().parent / "templates" / "credit" / "docs" / "listing_decision.docx"


def decision_context(listing: Listing) -> dict[str, Any]:
    case = listing.case
    term = (
        "无固定期限，至被执行人履行义务等删除事由发生之日止"
        if listing.expires_on is None
        else f"自{listing.decided_on:%Y年%m月%d日}起至{listing.expires_on:%Y年%m月%d日}止"
    )
    grace = (
        f"给予{listing.grace_months}个月宽限期，宽限期满仍未履行的，自{listing.publish_on:%Y年%m月%d日}起公布"
        if (listing.grace_months)
        else "自本决定作出之日起公布"
    )
    return {
        "court": listing.court.name,
        "document_number": listing.document_number,
        "case_number": case.number,
        "debtor": listing.name,
        "debtor_kind": listing.get_kind_display(),
        "legal_representative": listing.legal_representative,
        "applicant_or_ex_officio": listing.get_initiation_display(),
        "basis_issuer": case.issuing_body,
        "basis_number": case.basis_number,
        "obligation": listing.obligation,
        "ground": f"第{listing.ground}项：{rules.GROUNDS[listing.ground]}",
        "dishonest_act": listing.dishonest_act,
        "term": term,
        "grace": grace,
        "decided_on": f"{listing.decided_on:%Y年%m月%d日}",
    }


def decision_docx(listing: Listing) -> Path:
    """Render the decision into DATA_DIR/media/credit/decisions/ and return the file's path."""
    from docxtpl import DocxTemplate

    out_dir = Path(settings.MEDIA_ROOT) / "credit" / "decisions"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"listing-{listing.pk}.docx"
    doc = DocxTemplate(str(TEMPLATE))
    doc.render(decision_context(listing))
    doc.save(str(path))
    return path
