"""What each closing mode (结案方式) requires before a case may close — pure checks, no ORM.

执行工作规定 Art 64 (2020) lists six modes; the 终本 conditions are 终本规定 Art 1.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from zhixing.core.money import AmountError, parse_amount


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text | date | choice | amount
    choices: tuple[tuple[str, str], ...] = ()


# rule
# rule
# CPL-2023 Art 268 items (1)–(6) (other = item 6), 执行工作规定 Art 61 (bankruptcy declared) and
# 民诉解释 Art 492 (2022): a specific object destroyed and the parties cannot agree on compensation.
TERMINATION_GROUNDS: tuple[tuple[str, str], ...] = (
    ("applicant_withdraws", "申请人撤销申请"),
    ("basis_revoked", "据以执行的法律文书被撤销"),
    ("debtor_died_no_estate", "作为被执行人的公民死亡，无遗产可供执行，又无义务承担人"),
    ("maintenance_claimant_died", "追索赡养费、扶养费、抚养费案件的权利人死亡"),
    ("debtor_unable", "作为被执行人的公民因生活困难无力偿还借款，无收入来源，又丧失劳动能力"),
    ("debtor_bankrupt", "被执行人被宣告破产"),
    ("object_destroyed", "特定标的物已毁损或者灭失，双方当事人对折价赔偿不能协商一致"),
    ("other", "人民法院认为应当终结执行的其他情形"),
)

# rule
# 销案: the delegating court on the delegate's filing notice (委托执行规定 Arts 2, 9); a jurisdiction
# objection upheld (执行程序解释 Art 3); another competent court had filed first (执行程序解释 Art 2(2)).
# The 2014 Opinion's own list (Art 18) is UNCONFIRMED: "other" stays.
WITHDRAWAL_GROUNDS: tuple[tuple[str, str], ...] = (
    ("entrusted", "委托执行后受托法院已立案"),
    ("jurisdiction", "管辖权异议成立"),
    ("filed_elsewhere", "立案后发现其他有管辖权的人民法院已先立案"),
    ("other", "其他应当销案的情形"),
)

# rule
# rule
CLOSING_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "performed": (
        FieldSpec("document_ref", "结案通知书文号"),
        FieldSpec("performed_amount", "执行到位金额（元）", "amount"),
        FieldSpec(
            "how",
            "履行方式",
            "choice",
            (("voluntary", "自动履行"), ("compulsory", "强制执行"), ("settlement", "和解协议履行完毕")),
        ),
    ),
    "dormant": (
        FieldSpec("document_ref", "终本裁定书文号"),
        FieldSpec("interview_on", "约谈申请执行人日期", "date"),
        FieldSpec(
            "approval",
            "终本审批方式",
            "choice",
            (("applicant_confirmed", "申请执行人签字确认"), ("collegial_panel", "合议庭评议并经院长批准")),
        ),
        FieldSpec("investigation_summary", "财产调查情况"),
    ),
    "terminated": (
        FieldSpec("document_ref", "终结执行裁定书文号"),
        FieldSpec("ground", "终结事由", "choice", TERMINATION_GROUNDS),
        # rule: — CPL-2023 Art 269: the ruling takes effect on service (`check_served`).
        FieldSpec("served_on", "终结执行裁定送达日期", "date"),
    ),
    "withdrawn": (
        FieldSpec("document_ref", "销案文书文号"),
        FieldSpec("ground", "销案事由", "choice", WITHDRAWAL_GROUNDS),
    ),
    "refused": (
        FieldSpec("document_ref", "不予执行裁定书文号"),
        FieldSpec("reason", "不予执行理由"),
    ),
    "dismissed": (
        FieldSpec("document_ref", "驳回申请裁定书文号"),
        FieldSpec("reason", "驳回理由"),
    ),
}

DORMANT_MIN_MONTHS = 3  # 终本规定 Art 1(4): more than 3 months since filing

# Fields a case without a money claim need not fill: an act performed (交付、迁出、完成行为) has no
# amount "执行到位" (执行工作规定 Art 64: the content of the instrument is fully executed).
MONEY_ONLY_FIELDS: dict[str, frozenset[str]] = {"performed": frozenset({"performed_amount"})}


def required(
    mode: str, spec: FieldSpec, money: bool, optional: dict[str, frozenset[str]] | None = None
) -> bool:
    """Whether the closing field must be filled: every field, except money figures of an act case and
    the fields the configuration makes optional (`conf.optional_closing_fields`): the 结案通知书 of
    执行完毕 and the 约谈 before 终本 — both UNCONFIRMED in rules.md, required by default.

    # rule: R-2.4.1
    # rule: R-5.4
    """
    if spec.name in (optional or {}).get(mode, frozenset()):
        return False
    return money or spec.name not in MONEY_ONLY_FIELDS.get(mode, frozenset())


def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# rule
def check_served(mode: str, served_on: date, closed_on: date) -> str | None:
    """CPL-2023 Art 269: a 中止 / 终结 ruling takes effect once served (送达后立即生效). A case closed as
    终结执行 cannot close before the day the ruling was served; the closing date is that day (or
    later). The message for a closing date before service; None when the dates agree."""
    if mode == "terminated" and closed_on < served_on:
        return "结案日期不能早于终结执行裁定送达之日：终结执行裁定送达后立即生效（民事诉讼法第269条）"
    return None


def check_closing(
    mode: str,
    details: dict[str, str],
    *,
    filed_on: date,
    closed_on: date,
    notice_done: bool,
    money: bool = True,
    optional: dict[str, frozenset[str]] | None = None,
) -> list[tuple[str, str]]:
    """Return (field, Chinese message) for every missing or failed requirement; empty means may close.

    `money` False (an act-performance case without a money claim): 执行完毕 needs no amount; one given
    is still checked.
    """
    if mode not in CLOSING_FIELDS:
        return [("closing_mode", "结案方式无效")]
    problems: list[tuple[str, str]] = []
    for spec in CLOSING_FIELDS[mode]:
        value = (details.get(spec.name) or "").strip()
        if not value:
            if required(mode, spec, money, optional):
                problems.append((spec.name, f"请填写“{spec.label}”"))
        elif spec.kind == "choice" and value not in dict(spec.choices):
            problems.append((spec.name, f"“{spec.label}”的选项无效"))
        elif spec.kind == "amount":
            try:
                parse_amount(value, field=spec.label)
            except AmountError as exc:
                problems.append((spec.name, str(exc)))
        elif spec.kind == "date":
            try:
                when = date.fromisoformat(value)
            except ValueError:
                problems.append((spec.name, f"“{spec.label}”应为YYYY-MM-DD格式的日期"))
                continue
            served = check_served(mode, when, closed_on) if spec.name == "served_on" else None
            if served:
                problems.append(("closed_on", served))
            elif when > closed_on:
                problems.append((spec.name, f"“{spec.label}”不能晚于结案日期"))
    if closed_on < filed_on:
        problems.append(("closed_on", "结案日期不能早于立案日期"))
    if mode == "dormant":
        if closed_on <= add_months(filed_on, DORMANT_MIN_MONTHS):
            problems.append(("closed_on", "终结本次执行程序须自立案之日起超过3个月（终本规定第1条）"))
        if not notice_done:
            problems.append(
                ("closing_mode", "终结本次执行程序前须已发出执行通知书和报告财产令（终本规定第1条）")
            )
    return problems
