"""The credit decisions' contexts: the listing decision (失信决定书), the 限制消费令 and the exit-restriction
decision (限制出境决定书), shown as HTML pages here and made as Word/PDF by the documents capability
(`credit.documents_kinds`: stored with their template version and hash, listed on the case)."""

from __future__ import annotations

from typing import Any

from . import rules
from .models import Listing, Proposal, Restriction


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
        "signer": signer_of(listing),
        "served": _served(getattr(listing, "proposal", None)),
    }


# -- decisions signed by the president, and the exit-restriction decision (ADR 0015) --------------------
def signer_of(listing: Listing) -> str:
    """Who signed the listing decision (院长, or the judge where no president's signature is configured;
    '' for one issued before approvals)."""
    p = getattr(listing, "proposal", None)
    return p.signer if p is not None else ""


def _served(p: Any) -> str:
    if p is None or p.served_on is None:
        return "尚未送达"
    act = f"{p.service_act_on:%Y年%m月%d日}"
    return f"{p.get_service_method_display()}，{act}（{p.served_on:%Y年%m月%d日}视为送达）"


def order_context(p: Proposal) -> dict[str, Any]:
    """The 限制消费令 (限制消费规定 Art 5): period, items, legal consequences, signed by the president."""
    case = p.case
    rows = list(p.restrictions.all().order_by("pk"))
    items = p.data.get("items", [])
    grace = (
        f"自本令送达之日起{p.grace_months}个月宽限期满后生效" if p.grace_months else "自本令送达之日起生效"
    )
    return {
        "court": p.court.name,
        "document_number": p.document_number or case.number,
        "case_number": case.number,
        "debtor": p.party.name,
        "persons": [
            f"{r.name}（{r.get_bound_display()}）" for r in rows if r.bound != Restriction.Bound.DEBTOR
        ],
        "basis_issuer": case.issuing_body,
        "basis_number": case.basis_number,
        "order_items": [f"（{i}）{rules.CONSUMPTION_ITEMS[i]}" for i in items],
        "is_exit": False,
        "effect": grace,
        "period": "至被执行人履行完毕生效法律文书确定的义务或本院依法解除之日止",
        "signer": p.signer,
        "decided_on": f"{p.decided_on:%Y年%m月%d日}" if p.decided_on else "",
        "served": _served(p),
        "kind": "限 制 消 费 令",
    }


def exit_context(r: Restriction) -> dict[str, Any]:
    """The exit-restriction decision (限制出境决定书, 执行程序解释 Arts 23–24; 出境入境管理法 Art 12(3))."""
    case = r.case
    rows = list(
        Restriction.objects.filter(
            case=case, party=r.party, kind=Restriction.Kind.EXIT, ordered_on=r.ordered_on
        ).order_by("pk")
    )
    return {
        "court": r.court.name,
        "document_number": f"{case.number}之限出{r.pk}",
        "case_number": case.number,
        "debtor": r.party.name,
        "persons": [f"{x.name}（{x.get_bound_display()}）" for x in rows],
        "basis_issuer": case.issuing_body,
        "basis_number": case.basis_number,
        "decided_on": f"{r.ordered_on:%Y年%m月%d日}",
        "served": f"{r.served_on:%Y年%m月%d日}" if r.served_on else "尚未送达",
        "reconsideration": (
            "被限制出境人可以自收到本决定书之日起十日内向上一级人民法院申请复议"
            + (f"（截止{r.reconsideration_due:%Y年%m月%d日}）" if r.reconsideration_due else "")
            + "；复议期间，不停止本决定的执行。"
        ),
        "kind": "限 制 出 境 决 定 书",
        "is_exit": True,
    }
