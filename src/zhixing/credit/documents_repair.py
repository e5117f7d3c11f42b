"""The credit-repair certificate (信用修复证明): one context, shown as an HTML page here; its Word and PDF are
documents of kind `repair_certificate` on the documents capability (`credit.documents_kinds`)."""

from __future__ import annotations

from typing import Any

from . import rules
from .models import CreditRepair


def certificate_context(repair: CreditRepair) -> dict[str, Any]:
    x = repair.listing
    # In the rule's order, not the stored dict's: PostgreSQL's jsonb keeps keys sorted by length, so the
    # certificate's （一）（二）… would differ between databases.
    held = repair.conditions or {}
    met = [label for k, label in rules.REPAIR_CONDITIONS.items() if held.get(k)]
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
