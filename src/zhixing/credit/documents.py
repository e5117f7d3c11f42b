"""The credit decisions' contexts: the listing decision (失信决定书) and the 限制消费令, rendered as HTML
here and as Word by the documents capability (`credit.documents_kinds`); and the exit-restriction
decision (限制出境决定书), still rendered as Word here."""

from __future__ import annotations

import functools
import io
from typing import Any

from docx import Document
from docxtpl import DocxTemplate

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


@functools.lru_cache(maxsize=2)
def _template(kind: str) -> bytes:
    doc = Document()
    doc.add_heading("{{ court }}\n{{ kind }}", level=1)
    doc.add_paragraph("{{ document_number }}")
    if kind == "order":
        doc.add_paragraph(
            "被执行人：{{ debtor }}{% if persons %}；同时限制：{{ persons|join('、') }}{% endif %}"
        )
        doc.add_paragraph(
            "本院在执行{{ case_number }}案件中，{{ basis_issuer }}作出的{{ basis_number }}"
            "法律文书已经发生法律效力。"
            "被执行人未按执行通知书指定的期间履行生效法律文书确定的给付义务。依照《最高人民法院关于限制被执行人"
            "高消费及有关消费的若干规定》第一条、第三条、第五条之规定，对被执行人采取限制消费措施，"
            "限制其不得实施以下高消费及非生活和工作必需的消费行为："
        )
        doc.add_paragraph("{% for i in order_items %}{{ i }}\n{% endfor %}")
        doc.add_paragraph("限制期间：{{ effect }}，{{ period }}。")
        doc.add_paragraph(
            "如被限制人违反本令，经查证属实的，依照《中华人民共和国民事诉讼法》的规定予以罚款、拘留；情节严重，"
            "构成犯罪的，依法追究刑事责任。因私消费以个人财产实施前述行为的，可以向本院提出申请。"
        )
    else:
        doc.add_paragraph("被执行人：{{ debtor }}；被限制出境人：{{ persons|join('、') }}")
        doc.add_paragraph(
            "本院在执行{{ case_number }}案件中，{{ basis_issuer }}作出的{{ basis_number }}"
            "法律文书已经发生法律效力，"
            "被执行人未履行生效法律文书确定的义务。依照《中华人民共和国民事诉讼法》第二百六十六条、《最高人民法院"
            "关于适用〈中华人民共和国民事诉讼法〉执行程序若干问题的解释》第二十三条、第二十四条及《中华人民共和国"
            "出境入境管理法》第十二条第三项之规定，决定如下：限制上列人员出境，并通知出入境边防检查机关执行。"
        )
        doc.add_paragraph("{{ reconsideration }}")
    doc.add_paragraph("{% if signer %}签发人：{{ signer }}{% endif %}")
    doc.add_paragraph("{{ decided_on }}")
    doc.add_paragraph("送达：{{ served }}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_docx(kind: str, context: dict[str, Any]) -> bytes:
    """The 限制消费令 (`order`) or the 限制出境决定书 (`exit`) as a Word file."""
    tpl = DocxTemplate(io.BytesIO(_template(kind)))
    tpl.render(context)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
