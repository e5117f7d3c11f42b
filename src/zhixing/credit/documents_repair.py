"""The credit-repair certificate (信用修复证明): one context, rendered as HTML (printable) and as Word."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from . import rules
from .models import CreditRepair


def certificate_context(repair: CreditRepair) -> dict[str, Any]:
    x = repair.listing
    met = [
        rules.REPAIR_CONDITIONS[k]
        for k, ok in (repair.conditions or {}).items()
        if ok and k in rules.REPAIR_CONDITIONS
    ]
    removed = (
        f"该失信信息已于{x.removed_on:%Y年%m月%d日}从失信被执行人名单中删除（{x.get_removal_trigger_display()}）"
        if x.removed_on
        else "该失信信息仍在册"
    )
    return {
        "court": x.court.name,
        "number": repair.certificate_number,
        "debtor": x.name,
        "debtor_kind": x.get_kind_display(),
        "case_number": x.case.number,
        "listing_number": x.document_number,
        "listed_on": f"{x.decided_on:%Y年%m月%d日}",
        "ground": f"第{x.ground}项：{rules.GROUNDS[x.ground]}",
        "performance": x.performance,
        "applied_on": f"{repair.applied_on:%Y年%m月%d日}",
        "conditions": met,
        "removed": removed,
        "decided_on": f"{repair.decided_on:%Y年%m月%d日}" if repair.decided_on else "",
        "text": (
            f"被执行人{x.name}因{x.case.number}案被纳入失信被执行人名单（{x.document_number}）。"
            f"经审查，其符合信用修复条件，本院准予信用修复。{removed}。特此证明。"
        ),
    }


def certificate_docx(repair: CreditRepair) -> Path:
    """Render the certificate into MEDIA_ROOT/credit/repairs/ (python-docx, no template file)."""
    from docx import Document

    d = certificate_context(repair)
    out_dir = Path(settings.MEDIA_ROOT) / "credit" / "repairs"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"repair-{repair.pk}.docx"
    doc = Document()
    doc.add_heading(d["court"], level=1)
    doc.add_heading("信用修复证明", level=2)
    doc.add_paragraph(d["number"])
    doc.add_paragraph(d["text"])
    for c in d["conditions"]:
        doc.add_paragraph(c, style="List Bullet")
    doc.add_paragraph(d["decided_on"])
    doc.save(str(path))
    return path
