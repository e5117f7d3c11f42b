"""Enforcement-to-bankruptcy transfer (执转破) — the conditions as a pure rule (rules.md §11).

执转破指导意见 (法发〔2017〕2号) Art 2: (1) the debtor is an enterprise legal person; (2) the debtor or any
applicant in any case against it consents in writing; (3) it cannot pay its debts due and its assets are
insufficient or it clearly lacks the ability to pay (企业破产法 Art 2). Screening (before consent) looks
for (1) and (3): a company debtor with several unpaid cases whose known assets do not cover what they
still claim. Art 8: enforcement is suspended from the transfer decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MIN_CASES = 2  # "several unpaid cases": more than one creditor is pursuing the company


@dataclass(frozen=True)
class Screening:
    eligible: bool
    reasons: list[str]  # why it is a candidate (or why not), in Chinese


# rule
def screen(*, enterprise: bool, open_cases: int, unpaid: Decimal, known_assets: Decimal) -> Screening:
    """Whether a debtor is a 执转破 candidate, with the evidence stated; consent is checked at transfer."""
    reasons: list[str] = []
    ok = True
    if not enterprise:
        ok = False
        reasons.append("被执行人不是企业法人，不适用执转破")
    if open_cases < MIN_CASES:
        ok = False
        reasons.append(f"未执结案件{open_cases}件，少于{MIN_CASES}件")
    else:
        reasons.append(f"未执结案件{open_cases}件")
    if unpaid <= 0:
        ok = False
        reasons.append("无未履行金额")
    elif known_assets >= unpaid:
        ok = False
        reasons.append(f"已知财产{known_assets}元足以清偿未履行金额{unpaid}元")
    else:
        reasons.append(
            f"已知财产{known_assets}元不足以清偿未履行金额{unpaid}元（缺口{unpaid - known_assets}元）"
        )
    return Screening(ok, reasons)


# Enterprises registered without legal personality (合伙企业法, 个人独资企业法): not 企业破产法 debtors.
_NOT_LEGAL_PERSONS = ("合伙", "个人独资")


# rule
def enterprise_legal_person(credit_code: str, name: str) -> bool:
    """An enterprise legal person as far as the record tells: a unified social credit code of the market
    regulator's enterprises (GB 32100-2015: registration authority 9, category 1) and a name that is not
    a partnership or a sole proprietorship."""
    return credit_code.upper().startswith("91") and not any(w in name for w in _NOT_LEGAL_PERSONS)


CONSENT_BY = (("debtor", "被执行人"), ("applicant", "申请执行人"))


# rule
def check_consent(by: str, document_ref: str) -> str | None:
    """None when the written consent is stated, else the Chinese problem (Art 2(2))."""
    if by not in dict(CONSENT_BY):
        return "请选择书面同意移送破产审查的当事人（被执行人或任一申请执行人）"
    if not (document_ref or "").strip():
        return "请填写书面同意材料（如：同意移送破产审查申请书）的名称或编号"
    return None
