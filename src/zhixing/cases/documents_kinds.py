"""The cases domain's documents: enforcement notice, asset-report order, fine and detention decisions,
dormant-case ruling and closing notice, registered with the documents capability (`zhixing.documents`).

Each builder reads the case through this domain's own models and queries and fills every field of its
template; a case without the data (no notice issued, not closed, closed in another mode) gets
`NotApplicable` naming what is missing. The case account on the enforcement notice is contributed by funds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhixing.courts.queries import object_id
from zhixing.courts.roles import Cap
from zhixing.documents import fields, kinds
from zhixing.documents.kinds import Input, Kind, NotApplicable

from . import coercion, conf, rules_sanctions
from .choices import ClosingMode, Obligation
from .documents_notice import (
    ASSET_REPORT_ORDER,
    DELAY_WARNING,
    LISTING_WARNING,
    performance_text,
    served_text,
)
from .models import EnforcementCase
from .notice import EnforcementNotice
from .parties import Party

REPORT_ITEMS = [
    "收入、银行存款、现金、理财产品、有价证券",
    "土地使用权、房屋等不动产",
    "交通运输工具、机器设备、产品、原材料等动产",
    "债权、股权、投资权益、基金份额、信托受益权、知识产权等财产性权利",
    "其他应当报告的财产",
]
REPORT_WARNING = (
    "被执行人拒绝报告、虚假报告或者无正当理由逾期报告财产情况的，本院将根据情节轻重予以罚款、拘留；构成犯罪的，"
    "依法追究刑事责任；并依照《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条将其纳入失信被执行人名单。"
)
CLOSING_CONSEQUENCES = {
    ClosingMode.PERFORMED: "生效法律文书确定的义务已经全部履行完毕，本院对被执行人采取的执行措施依法解除。",
    ClosingMode.DORMANT: (
        "终结本次执行程序后，申请执行人发现被执行人有可供执行财产的，可以申请恢复执行，"
        "不受申请执行时效期间的限制。"
    ),
    ClosingMode.TERMINATED: "本案依法终结执行，本院对被执行人采取的执行措施依法解除。",
    ClosingMode.WITHDRAWN: "本案依法销案，本院对被执行人采取的执行措施依法解除。",
    ClosingMode.REFUSED: "本院裁定不予执行，本院对被执行人采取的执行措施依法解除。",
    ClosingMode.DISMISSED: "本院裁定驳回执行申请，本院对被执行人采取的执行措施依法解除。",
}


def _parties(case: EnforcementCase) -> tuple[list[Party], list[Party]]:
    rows = list(Party.objects.filter(case_id=case.pk).order_by("pk"))
    return [p for p in rows if p.role == Party.Role.APPLICANT], [
        p for p in rows if p.role == Party.Role.DEBTOR
    ]


def _base(case: EnforcementCase, number: str = "") -> dict[str, Any]:
    applicants, debtors = _parties(case)
    return {
        "court": case.court.name,
        "document_number": number or case.number,
        "case_number": case.number,
        "applicants": fields.names([p.name for p in applicants]),
        "debtors": fields.names([p.name for p in debtors]),
        "basis_issuer": case.issuing_body,
        "basis_number": case.basis_number,
        "basis": f"{case.issuing_body}{case.basis_number}",
        "handler": case.handler.full_name if case.handler_id and case.handler else "本院执行局",
        "date": fields.today(),
    }


def _notice(case: EnforcementCase) -> EnforcementNotice:
    n = EnforcementNotice.objects.filter(case_id=case.pk).first()
    if n is None:
        raise NotApplicable("本案尚未制作执行通知书，请先在“执行通知书”页制作")
    return n


def _obligation(case: EnforcementCase) -> str:
    if case.obligation == Obligation.MONEY:
        claim, principal = fields.yuan(case.claim_amount), fields.yuan(case.principal)
        return f"给付人民币{claim}元（其中本金{principal}元）及迟延履行期间的债务利息"
    return case.obligation_detail or case.get_obligation_display()


def enforcement_notice(case: EnforcementCase, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    # rule
    n = _notice(case)
    money = case.obligation == Obligation.MONEY
    return {
        **_base(case, n.document_number),
        "obligation": _obligation(case),
        "performance": performance_text(n),
        "delay_warning": DELAY_WARNING,
        "listing_warning": LISTING_WARNING,  # required on every notice (失信规定 Art 5(1))
        "asset_report": ASSET_REPORT_ORDER.format(days=conf.asset_report_days())
        if money and n.asset_report_order
        else "本案为非金钱给付案件，被执行人应当按照本通知履行法律文书确定的行为义务。",
        "date": fields.cn_date(n.issued_on),
        "served": served_text(n),
        # the case account comes from funds (kinds.contribute); these say so if funds is absent
        "account_bank": "请向本院执行局查询",
        "account_name": "本院执行款专户",
        "account_number": "请向本院执行局查询",
    }


def asset_report_order(case: EnforcementCase, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    n = _notice(case)
    if case.obligation != Obligation.MONEY:
        raise NotApplicable("报告财产令只在金钱给付案件中发出（财产调查规定第三条）")
    return {
        **_base(case, f"{n.document_number}之报告财产令"),
        "report_days": str(conf.asset_report_days()),
        "items": fields.numbered(REPORT_ITEMS),
        "warning": REPORT_WARNING,
        "date": fields.cn_date(n.issued_on),
    }


def _debtor(case: EnforcementCase, source: str) -> Party:
    p = Party.objects.filter(case_id=case.pk, role=Party.Role.DEBTOR, pk=object_id(source) or 0).first()
    if p is None:
        raise NotApplicable("请选择本案的被执行人")
    return p


def debtor_sources(case: EnforcementCase) -> list[tuple[str, str]]:
    return [
        (str(p.pk), f"{p.name}（{p.get_kind_display()}）")
        for p in Party.objects.filter(case_id=case.pk, role=Party.Role.DEBTOR).order_by("pk")
    ]


def _identity(p: Party) -> tuple[str, str]:
    if p.kind == Party.Kind.ORGANISATION:
        return "统一社会信用代码", p.credit_code or p.id_number or "未登记"
    return "公民身份号码", p.id_number or "未登记"


def _sanction(case: EnforcementCase, p: Party, inputs: dict[str, str], suffix: str) -> dict[str, Any]:
    label, number = _identity(p)
    return {
        **_base(case, f"{case.number}之{suffix}{p.pk}"),
        "person": p.name,
        "id_label": label,
        "person_id": number,
        "act": inputs["act"].rstrip("。"),
    }


def fine_decision(case: EnforcementCase, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    p = _debtor(case, source)
    ctx = _sanction(case, p, inputs, "罚")
    unit = p.kind == Party.Kind.ORGANISATION
    try:
        ctx["amount"] = fields.yuan(rules_sanctions.check_fine(inputs["amount"], unit=unit))
    except rules_sanctions.SanctionError as exc:
        raise NotApplicable(str(exc), field="amount") from exc
    return ctx


def detention_decision(case: EnforcementCase, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    p = _debtor(case, source)
    ctx = _sanction(case, p, inputs, "拘")
    try:
        ctx["days"] = str(
            rules_sanctions.check_detention(inputs["days"], unit=p.kind == Party.Kind.ORGANISATION)
        )
    except rules_sanctions.SanctionError as exc:
        raise NotApplicable(str(exc), field="days") from exc
    ctx["address"] = p.address or "未登记"
    ctx["custody"] = inputs["custody"]
    return ctx


def summons_warrant(case: EnforcementCase, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    """拘传票: a natural-person debtor in person, or a unit's legal representative, person in charge or
    actual controller by name; questioning within the hours granted (≤ 24, SPC-CPL-Interp 482 (2022))."""
    p = _debtor(case, source)
    person = inputs.get("person", "").strip()
    try:  # the outer limit; the 8-hour limit of an ordinary case is the measure's own check at proposal
        hours = coercion.check_measure("summons", unit=False, hours=inputs["hours"], complex_case=True).hours
    except coercion.MeasureError as exc:
        raise NotApplicable(exc.message, field="hours") from exc
    if p.kind == Party.Kind.ORGANISATION:
        if not person:
            raise NotApplicable(
                "被执行人是单位的，请填写被拘传的法定代表人、主要负责人或实际控制人", field="person"
            )
        identity = f"系被执行人{p.name}的法定代表人、主要负责人或者实际控制人"
    elif person and person != p.name:
        raise NotApplicable("被执行人是自然人的，拘传其本人", field="person")
    else:
        person = p.name
        label, number = _identity(p)
        identity = f"{label}：{number}，住所地：{p.address or '未登记'}"
    return {
        **_base(case, f"{case.number}之拘传{p.pk}"),
        "person": person,
        "identity": identity,
        "act": inputs["act"].rstrip("。"),
        "hours": str(hours),
    }


def search_warrant(case: EnforcementCase, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    """搜查令 signed by the president: the debtor searched and the places (SPC-CPL-Interp 494–498 (2022))."""
    p = _debtor(case, source)
    return {
        **_base(case, f"{case.number}之搜查{p.pk}"),
        "person": p.name,
        "act": inputs["act"].rstrip("。"),
        "place": inputs["place"].rstrip("。"),
    }


def _closed(case: EnforcementCase) -> None:
    if not case.closing_mode or case.closed_on is None:
        raise NotApplicable("本案尚未结案")


def _amounts(case: EnforcementCase) -> dict[str, str]:
    unpaid = max(case.claim_amount - case.paid_amount, Decimal("0"))
    return {
        "claim": fields.yuan(case.claim_amount),
        "paid": fields.yuan(case.paid_amount),
        "unpaid": fields.yuan(unpaid),
    }


def dormant_ruling(case: EnforcementCase, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    _closed(case)
    if case.closing_mode != ClosingMode.DORMANT:
        raise NotApplicable("本案不是以终结本次执行程序方式结案")
    # The ruling states what the property investigation found (财产调查情况), not the other closing
    # fields (the ruling's own number, the interview date, the approval route's code); "findings" is the
    # key of closings recorded before the field was named.
    details = case.closing_details or {}
    found = details.get("investigation_summary") or details.get("findings") or ""
    findings = str(found).strip() or "未发现可供执行的财产"
    return {
        **_base(case, f"{case.number}之终本"),
        **_amounts(case),
        "findings": findings.rstrip("。"),
        "date": fields.cn_date(case.closed_on),
    }


def closing_notice(case: EnforcementCase, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    _closed(case)
    return {
        **_base(case, f"{case.number}之结案通知"),
        **_amounts(case),
        "mode": case.get_closing_mode_display(),
        "closed_on": fields.cn_date(case.closed_on),
        "consequence": CLOSING_CONSEQUENCES[ClosingMode(case.closing_mode)],
    }


ACT = Input("act", "妨害执行的事实", "如：被执行人拒不报告财产情况，经本院传唤无正当理由拒不到庭")


def install() -> None:
    """Register this domain's kinds (called from CasesConfig.ready)."""
    work, close = Cap.NODE_COMPLETE, Cap.CASE_CLOSE
    for kind in (
        Kind("enforcement_notice", "执行通知书", enforcement_notice, work),
        Kind("asset_report_order", "报告财产令", asset_report_order, work),
        Kind(
            "fine_decision",
            "罚款决定书",
            fine_decision,
            work,
            debtor_sources,
            "被罚款人",
            (ACT, Input("amount", "罚款金额（元）", "个人十万元以下；单位五万元以上一百万元以下")),
            identifies=True,
        ),
        Kind(
            "detention_decision",
            "拘留决定书",
            detention_decision,
            work,
            debtor_sources,
            "被拘留人",
            (
                ACT,
                Input("days", "拘留日数", "十五日以下"),
                Input("custody", "看管的公安机关", "如：某市公安局拘留所"),
            ),
            identifies=True,
        ),
        Kind(
            "summons_warrant",
            "拘传票",
            summons_warrant,
            work,
            debtor_sources,
            "被执行人",
            (
                ACT,
                Input(
                    "person", "被拘传人", "单位被执行人填其法定代表人、主要负责人或实际控制人", required=False
                ),
                Input("hours", "调查询问时间（小时）", "一般八小时以下；情况复杂、可能拘留的二十四小时以下"),
            ),
            identifies=True,
        ),
        Kind(
            "search_warrant",
            "搜查令",
            search_warrant,
            work,
            debtor_sources,
            "被搜查的被执行人",
            (ACT, Input("place", "搜查处所", "如：被执行人住所及其名下车辆")),
            identifies=True,
        ),
        Kind("dormant_ruling", "终结本次执行程序裁定书", dormant_ruling, close),
        Kind("closing_notice", "结案通知书", closing_notice, close),
    ):
        kinds.register(kind)
