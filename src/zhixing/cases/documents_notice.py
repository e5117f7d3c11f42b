"""The enforcement notice (执行通知书) with the order to report assets: one context, shown as HTML and made
into stored Word/PDF documents by the documents capability (kind enforcement_notice, ADR 0021).

Contents (rules.md §2.2, §3.3): the obligation and the period the notice fixes for performance; the warning
of 迟延履行利息 / 迟延履行金 (民诉解释 Art 480, 2022 numbering; CPL-2023 Art 264); the risk warning about the
dishonest list (失信规定 Art 5(1)); in a money case the order to report assets issued with it (财产调查规定
Art 3; CPL-2023 Art 252).
"""

from __future__ import annotations

from typing import Any

from zhixing.core.service_of_documents import SERVICE_METHODS

from . import conf
from .choices import Obligation
from .models import EnforcementCase, EnforcementNotice, Party

# rule
DELAY_WARNING = (
    "被执行人未按本通知指定的期间履行给付金钱义务的，应当加倍支付迟延履行期间的债务利息；未按本通知指定的期间"
    "履行其他义务的，应当支付迟延履行金（《中华人民共和国民事诉讼法》第二百六十四条、《最高人民法院关于适用〈中华"
    "人民共和国民事诉讼法〉的解释》第四百八十条）。"
)
# rule
LISTING_WARNING = (
    "风险提示：被执行人未按本通知指定的期间履行生效法律文书确定的给付义务，并具有《最高人民法院关于公布失信被执行人"
    "名单信息的若干规定》第一条规定情形之一的，本院将依法将其纳入失信被执行人名单，向社会公布，并对其采取限制消费"
    "等信用惩戒措施（该规定第五条第一款）。"
)
# rule
ASSET_REPORT_ORDER = (
    "报告财产令：依照《中华人民共和国民事诉讼法》第二百五十二条和《最高人民法院关于民事执行中财产调查若干问题的规定》"
    "第三条，本令与执行通知书同时发出。责令被执行人自收到本令之日起{days}日内，如实向本院书面报告当前以及收到执行通知之日前一年"
    "的财产情况（财产调查规定第四条第一项、第六条）。被执行人拒绝报告、虚假报告或者无正当"
    "理由逾期报告财产情况的，本院将根据情节轻重予以罚款、拘留；构成犯罪的，依法追究刑事责任；并可将其纳入失信"
    "被执行人名单。"
)


# rule
def asset_report_order_text() -> str:
    """The order's text with the reporting period it fixes (configuration ``asset_report_days``)."""
    return ASSET_REPORT_ORDER.format(days=conf.asset_report_days())


def _obligation(case: EnforcementCase) -> str:
    if case.obligation == Obligation.MONEY:
        return f"给付人民币{case.claim_amount}元（本金{case.principal}元）及迟延履行期间的债务利息"
    return case.obligation_detail or case.get_obligation_display()


def performance_text(notice: EnforcementNotice) -> str:
    """The period the notice fixes: immediately, or N days from service (with its last day once served)."""
    if notice.performance_days == 0:
        text = "自本通知送达之日起立即履行"
    else:
        text = f"自本通知送达之日起{notice.performance_days}日内履行"
    if notice.period_ends_on:
        text += f"（履行期间至{notice.period_ends_on:%Y年%m月%d日}届满）"
    return text


def served_text(notice: EnforcementNotice) -> str:
    if notice.served_on is None or notice.service_act_on is None:
        return "尚未送达"
    method = SERVICE_METHODS.get(notice.service_method, notice.service_method)
    return f"{method}，{notice.service_act_on:%Y年%m月%d日}（{notice.served_on:%Y年%m月%d日}视为送达）"


def notice_context(notice: EnforcementNotice) -> dict[str, Any]:
    case = notice.case
    parties = list(case.parties.order_by("pk"))
    debtors = [p.name for p in parties if p.role == Party.Role.DEBTOR]
    applicants = [p.name for p in parties if p.role == Party.Role.APPLICANT]
    return {
        "court": notice.court.name,
        "kind": "执 行 通 知 书",
        "document_number": notice.document_number,
        "case_number": case.number,
        "debtors": "、".join(debtors),
        "applicants": "、".join(applicants),
        "basis_issuer": case.issuing_body,
        "basis_number": case.basis_number,
        "obligation": _obligation(case),
        "performance": performance_text(notice),
        "delay_warning": DELAY_WARNING,
        "listing_warning": LISTING_WARNING if notice.listing_warning else "",
        "asset_report": asset_report_order_text() if notice.asset_report_order else "",
        "issued_on": f"{notice.issued_on:%Y年%m月%d日}",
        "served": served_text(notice),
    }
