"""The credit domain's documents on the documents capability: the listing decision (纳入失信决定书),
the consumption-restriction order (限制消费令), the exit-restriction decision (限制出境决定书) and the
credit-repair certificate (信用修复证明), built from the listing, the approved proposal, the exit restriction
and the granted repair.
"""

from __future__ import annotations

from typing import Any

from zhixing.courts.queries import object_id
from zhixing.courts.roles import Cap
from zhixing.documents import fields, kinds
from zhixing.documents.kinds import Kind, NotApplicable

from . import rules
from .documents import decision_context, exit_context, order_context
from .documents_repair import certificate_context
from .models import CreditRepair, Listing, Proposal, Restriction


def _listing(case: Any, source: str) -> Listing:
    x = (
        Listing.objects.select_related("case", "court")
        .filter(case_id=case.pk, pk=object_id(source) or 0)
        .first()
    )
    if x is None:
        raise NotApplicable("请选择本案的失信名单记录")
    return x


def listing_decision(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    x = _listing(case, source)
    d = decision_context(x)
    return {
        **{
            k: d[k]
            for k in ("court", "document_number", "case_number", "debtor", "debtor_kind", "basis_issuer")
        },
        "basis_number": d["basis_number"],
        "representative": x.legal_representative or "不适用（自然人）",
        "initiation": d["applicant_or_ex_officio"],
        "obligation": (x.obligation or "生效法律文书确定的义务").rstrip("。"),
        "dishonest_act": (x.dishonest_act or rules.GROUNDS[x.ground]).rstrip("。"),
        "ground": f"第{x.ground}项",
        "term": d["term"],
        "grace": d["grace"],
        "signer": d["signer"] or "本院",
        "date": fields.cn_date(x.decided_on),
        "served": d["served"],
    }


def _proposal(case: Any, source: str) -> Proposal:
    p = (
        Proposal.objects.select_related("case", "court", "party")
        .filter(
            case_id=case.pk,
            pk=object_id(source) or 0,
            kind=Proposal.Kind.CONSUMPTION,
            status=Proposal.Status.APPROVED,
        )
        .first()
    )
    if p is None:
        raise NotApplicable("请选择本案经院长批准的限制消费决定")
    return p


def consumption_order(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    d = order_context(_proposal(case, source))
    if not d["order_items"]:
        raise NotApplicable("该限制消费决定未列明限制事项")
    return {
        **{
            k: d[k]
            for k in ("court", "document_number", "case_number", "debtor", "basis_issuer", "basis_number")
        },
        "persons": fields.names([d["debtor"] + "（被执行人本人）", *d["persons"]]),
        "items": "\n".join(d["order_items"]),
        "effect": d["effect"],
        "period": d["period"],
        "signer": d["signer"] or "本院",
        "date": d["decided_on"] or fields.today(),
        "served": d["served"],
    }


def _exit(case: Any, source: str) -> Restriction:
    r = (
        Restriction.objects.select_related("case", "court", "party")
        .filter(case_id=case.pk, pk=object_id(source) or 0, kind=Restriction.Kind.EXIT)
        .first()
    )
    if r is None:
        raise NotApplicable("请选择本案的限制出境决定")
    return r


def exit_decision(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    d = exit_context(_exit(case, source))
    return {
        **{
            k: d[k]
            for k in (
                "court",
                "document_number",
                "case_number",
                "debtor",
                "basis_issuer",
                "basis_number",
                "reconsideration",
                "served",
            )
        },
        "persons": fields.names(d["persons"]),
        "date": d["decided_on"],
    }


def exit_sources(case: Any) -> list[tuple[str, str]]:
    rows = (
        Restriction.objects.filter(case_id=case.pk, kind=Restriction.Kind.EXIT)
        .select_related("case")
        .order_by("-pk")[:200]
    )
    return [(str(r.pk), f"{r.case.number}之限出{r.pk} {r.name}（{r.ordered_on:%Y-%m-%d}）") for r in rows]


def _repair(case: Any, source: str) -> CreditRepair:
    r = (
        CreditRepair.objects.select_related("listing__case", "listing__court")
        .filter(
            listing__case_id=case.pk,
            pk=object_id(source) or 0,
            status=CreditRepair.Status.GRANTED,
        )
        .first()
    )
    if r is None:
        raise NotApplicable("请选择本案已准予的信用修复申请")
    return r


def repair_certificate(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    r = _repair(case, source)
    d, x = certificate_context(r), r.listing
    if not d["conditions"]:
        raise NotApplicable("该信用修复申请未记录符合的条件")
    return {
        **{k: d[k] for k in ("court", "debtor", "debtor_kind", "case_number", "listing_number", "listed_on")},
        "document_number": d["number"],
        "ground": f"第{x.ground}项（{rules.GROUNDS[x.ground]}）",
        "performance": x.performance or "未登记",
        "applied_on": fields.cn_date(r.applied_on),
        "conditions": fields.numbered(d["conditions"]),
        "decided_on": fields.cn_date(r.decided_on),
        "removed": d["removed"],
        "date": fields.cn_date(r.decided_on),
    }


def repair_sources(case: Any) -> list[tuple[str, str]]:
    rows = (
        CreditRepair.objects.filter(listing__case_id=case.pk, status=CreditRepair.Status.GRANTED)
        .select_related("listing")
        .order_by("-pk")[:200]
    )
    return [(str(r.pk), f"{r.certificate_number} {r.listing.name}") for r in rows]


def listing_sources(case: Any) -> list[tuple[str, str]]:
    rows = Listing.objects.filter(case_id=case.pk).order_by("-pk")[:200]
    return [(str(x.pk), f"{x.document_number} {x.name}（{x.get_status_display()}）") for x in rows]


def order_sources(case: Any) -> list[tuple[str, str]]:
    rows = (
        Proposal.objects.filter(
            case_id=case.pk, kind=Proposal.Kind.CONSUMPTION, status=Proposal.Status.APPROVED
        )
        .select_related("party", "case")
        .order_by("-pk")[:200]
    )
    return [(str(p.pk), f"{p.document_number or p.case.number} {p.party.name}") for p in rows]


def install() -> None:
    """Register this domain's kinds (called from CreditConfig.ready)."""
    kinds.register(
        Kind(
            "consumption_order",
            "限制消费令",
            consumption_order,
            Cap.CREDIT_DECIDE,
            order_sources,
            "经批准的限制消费决定",
        )
    )
    kinds.register(
        Kind(
            "listing_decision",
            "纳入失信被执行人名单决定书",
            listing_decision,
            Cap.CREDIT_DECIDE,
            listing_sources,
            "失信名单记录",
        )
    )
    kinds.register(
        Kind(
            "exit_decision",
            "限制出境决定书",
            exit_decision,
            Cap.CREDIT_DECIDE,
            exit_sources,
            "限制出境决定",
        )
    )
    kinds.register(
        Kind(
            "repair_certificate",
            "信用修复证明",
            repair_certificate,
            Cap.CREDIT_DECIDE,
            repair_sources,
            "已准予的信用修复申请",
        )
    )
