"""Recording the instrument's terms that change what the debtor owes (rules.md §6.3, issue 15):

* the instalment acceleration clause (加速到期: any missed instalment makes the whole balance due);
* the currency of a money debt and, when the applicant asks for RMB, the central parity rate of the day
  the doubled part starts (迟延履行利息解释 Art 5);
* 迟延履行金 of a non-money obligation: the proven loss (doubled) or the amount the court decided
  (民诉解释 Art 505 (2022)).

The terms belong to the instrument, so they are written on the root case of a resumed chain (执恢 cases
carry the root's amounts, `queries_schedule.case_schedule`). Needs the closing capability (the judge).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from ..fees import case_application_fee, computes_delay_interest
from ..judgment_terms import CURRENCY_LABELS, RMB, to_rmb
from ..models import EnforcementCase, Instalment

__all__ = ["JudgmentTerms", "record_judgment_terms"]

MAX_CHAIN = 20
FIELDS = (
    "instalment_acceleration",
    "currency",
    "fx_rate",
    "fx_in_rmb",
    "late_fee_loss",
    "late_fee_decided",
    "application_fee",
)


@dataclass(frozen=True)
class JudgmentTerms:
    acceleration: bool = False
    currency: str = RMB
    fx_rate: Any = ""
    fx_in_rmb: bool = False
    late_fee_loss: Any = ""
    late_fee_decided: Any = ""
    document_ref: str = ""


def _decimal(raw: Any, field: str, label: str, places: int) -> Decimal | None:
    text = str(raw if raw is not None else "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ServiceError(f"{label}应为数字，现为“{text}”", field=field) from None
    if not value.is_finite() or value < 0:
        raise ServiceError(f"{label}不能为负数", field=field)
    if -value.as_tuple().exponent > places:  # type: ignore[operator]
        raise ServiceError(f"{label}最多保留{places}位小数", field=field)
    return value


def _root(case: EnforcementCase) -> EnforcementCase:
    root = case
    for _ in range(MAX_CHAIN):
        if not root.origin_id:
            break
        root = EnforcementCase.objects.select_for_update(no_key=True).get(pk=root.origin_id)
    return root


def _clean(root: EnforcementCase, terms: JudgmentTerms) -> dict[str, Any]:
    money = computes_delay_interest(root.obligation)
    currency = (terms.currency or RMB).strip().upper()
    if currency not in CURRENCY_LABELS:
        raise ServiceError(f"币种无效：{currency}", field="currency")
    if terms.acceleration and not Instalment.objects.filter(case=root).exists():
        raise ServiceError("执行依据未确定分期履行，不能登记加速到期条款", field="acceleration")
    if currency != RMB and not money:
        raise ServiceError("只有金钱给付案件可以登记外币", field="currency")
    rate = _decimal(terms.fx_rate, "fx_rate", "外币中间价", 6)
    if currency == RMB and (rate is not None or terms.fx_in_rmb):
        raise ServiceError("人民币债务无须填写中间价或折合人民币", field="fx_rate")
    if rate is not None and rate == 0:
        raise ServiceError("外币中间价须大于0", field="fx_rate")
    if currency != RMB and rate is None:
        raise ServiceError(
            "外币债务须填写加倍部分债务利息起算日的人民币对该外币中间价：执行款以人民币收付（迟延履行利息解释第5条）",
            field="fx_rate",
        )
    loss = _decimal(terms.late_fee_loss, "late_fee_loss", "迟延履行造成的损失", 2)
    decided = _decimal(terms.late_fee_decided, "late_fee_decided", "法院确定的迟延履行金", 2)
    if money and (loss is not None or decided is not None):
        raise ServiceError("迟延履行金只适用于非金钱给付义务（民诉法解释第505条）", field="late_fee_loss")
    if loss is not None and loss > 0 and decided is not None:
        raise ServiceError(
            "已造成损失的，迟延履行金为损失的双倍；没有造成损失的，才由法院确定数额", field="late_fee_decided"
        )
    return {
        "instalment_acceleration": bool(terms.acceleration),
        "currency": currency,
        "fx_rate": rate,
        "fx_in_rmb": bool(terms.fx_in_rmb),
        "late_fee_loss": loss,
        "late_fee_decided": decided,
    }


def record_judgment_terms(actor: Any, case: EnforcementCase, terms: JudgmentTerms) -> EnforcementCase:
    """Record the instrument's terms on the root case of `case`'s chain; returns the root."""
    if not can_write_court(actor, case.court):
        raise NotPermitted("只能办理本院案件；上级法院只能查看")
    if not actor.can(Cap.CASE_CLOSE):
        raise NotPermitted("您的岗位无权登记执行依据的履行条款")
    ref = (terms.document_ref or "").strip()
    if not ref:
        raise ServiceError("请填写载明该条款的执行依据或裁定文书编号", field="document_ref")
    if len(ref) > 128:
        raise ServiceError("文书编号不能超过128个字符", field="document_ref")
    with transaction.atomic():
        case = (
            EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
            .select_related("court")
            .get(pk=case.pk)
        )
        root = _root(case)
        values = _clean(root, terms)
        before = {k: getattr(root, k) for k in FIELDS}
        if computes_delay_interest(root.obligation) and (
            values["currency"] != root.currency or values["fx_rate"] != root.fx_rate
        ):
            # The application fee is banded on the amount enforced in RMB (诉讼费用交纳办法 Art 14(1)):
            # a foreign debt's fee is computed on the converted claim.
            claim = Decimal(root.claim_amount)
            if values["currency"] != RMB and values["fx_rate"] is not None:
                claim = to_rmb(claim, values["fx_rate"])
            values["application_fee"] = case_application_fee(root.obligation, claim, Decimal(0))
        for k, v in values.items():
            setattr(root, k, v)
        root.save(update_fields=list(FIELDS))
        audit.record(
            actor,
            "case.judgment_terms",
            object_type="EnforcementCase",
            object_id=root.pk,
            case_id=case.pk,
            before=before,
            after={**values, "document": ref},
        )
    return root
