"""Pure filing arithmetic: whether the performance period had expired, case numbers (案号规定), and the
one spelling of a basis number the duplicate-filing check compares."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date

# -- filing conditions -------------------------------------------------------------------------------


def performance_period_expired(performance_deadline: date, effective_on: date, applied_on: date) -> bool:
    """Whether the basis's performance period had expired when the application was received.

    # rule: R-2.2.2
    执行工作规定 Art 16(4): a case is accepted only if "义务人在生效法律文书确定的期限内未履行义务" — the
    period fixed for performance has expired. The deadline is the period's last day (CPL Art 85: a period
    ends at the end of its last day), so the earliest application is the day after it. A basis that
    fixes no period (deadline = effective date, 迟延履行利息解释 Art 2 "未确定履行期间的，自法律文书生效之日
    起计算") may be enforced from its effective date. With instalments, the first instalment's deadline
    is passed in: one instalment due and unpaid is enough to apply for it.
    """
    if performance_deadline <= effective_on:
        return applied_on >= effective_on
    return applied_on > performance_deadline


# -- case numbers ----------------------------------------------------------------------------------


def _all_cjk(text: str) -> bool:
    return bool(text) and all("\u4e00" <= c <= "\u9fff" for c in text)


def type_code_problem(code: str) -> str:
    """What is wrong with a case-type code (类型代字): 1 to 3 Chinese characters (案号规定 Art 7); "" = fine.

    # rule: R-1.2.4
    """
    if not _all_cjk(code) or len(code) > 3:
        return "类型代字应为1至3个汉字（案号规定第7条）"
    return ""


def case_number(
    year: int, court_code: str, type_code: str, seq: int, *, full_width: bool = True, special: str = ""
) -> str:
    """案号规定 Art 3 (as amended 2018): （收案年度）法院代字 [专门审判代字] 类型代字 案件编号 号.

    # rule: R-1.2.1
    # rule: R-1.2.2
    # rule: R-1.2.3
    Full-width brackets are the customary form; rules.md §1.2 could not confirm it from the official
    text, so the bracket width is configuration (`conf.full_width_brackets`, default full-width).
    `special` is the 2018 amendment's specialised-trial code (专门审判代字): one Chinese character
    between the court code and the type code, or none (no enforcement case type of the platform uses
    one, so filing never passes it).
    """
    if year < 1 or seq < 1:
        raise ValueError("收案年度与案件编号须为正整数")
    if special and (len(special) != 1 or not _all_cjk(special)):
        raise ValueError("专门审判代字应为1个汉字（案号规定第3条，2018年修改）")
    if type_code_problem(type_code):
        raise ValueError(type_code_problem(type_code))
    left, right = ("（", "）") if full_width else ("(", ")")
    return f"{left}{year}{right}{court_code}{special}{type_code}{seq}号"


# Brackets that NFKC leaves alone but clerks type for the year of a document number (〔2025〕 is the
# usual form on arbitration awards and notarial deeds, （2025） on judgments).
_BRACKETS = str.maketrans(
    {"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")", "〖": "(", "〗": ")"}
)


def basis_key(number: str) -> str:
    """The basis number (执行依据文号) in one spelling: the same document however it was typed.

    Full- and half-width forms are one (NFKC: （２０２５） = (2025)), every bracket around the year is a
    parenthesis, whitespace is dropped and Latin letters are upper case.
    """
    text = unicodedata.normalize("NFKC", number or "").translate(_BRACKETS)
    return "".join(text.split()).upper()


def filing_key(basis_number: str, debtor_identity: str) -> str:
    """The duplicate-filing key of one debtor under one basis: a fixed-length digest of both."""
    raw = f"{basis_key(basis_number)}|{(debtor_identity or '').strip().upper()}"
    return hashlib.sha256(raw.encode()).hexdigest()
