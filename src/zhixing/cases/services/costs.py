"""Record an enforcement cost the debtor bears (执行程序解释 Art 26; 限制消费规定 Art 7; 诉讼费用交纳办法
Art 38): e.g. publishing the non-performance in the media. The cost joins the case's enforcement costs
(`queries_schedule.case_schedule`): payments go to it first, the seizure ceiling and the surplus refund
keep it back, and what the applicant advanced is owed back to the applicant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from ..cost_rules import COST_KINDS, cost_problem
from ..models import EnforcementCase, EnforcementCost

__all__ = ["record_cost"]


def _amount(value: Any) -> Decimal:
    try:
        amt = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ServiceError("金额应为数字（元）", field="amount") from None
    # The bound before quantize: "1e309" quantized to the fen has more digits than the context holds
    # (InvalidOperation, a server error).
    if not amt.is_finite() or abs(amt) >= Decimal("1e13") or amt != amt.quantize(Decimal("0.01")):
        raise ServiceError("金额最多两位小数", field="amount")
    return amt


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ServiceError("支出日期应为YYYY-MM-DD格式", field="incurred_on") from None


def _text(value: Any, field: str, label: str, max_length: int, required: bool) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ServiceError(f"请填写“{label}”", field=field)
    if len(text) > max_length or any(ord(c) < 32 for c in text):
        raise ServiceError(f"“{label}”不能超过{max_length}个字符，且不能含控制字符", field=field)
    return text


# rule
def record_cost(
    actor: Any,
    case: EnforcementCase,
    *,
    kind: Any,
    amount: Any,
    incurred_on: Any,
    advanced_by: Any,
    document_ref: Any,
    applicant_requested: bool = False,
    note: Any = "",
) -> EnforcementCost:
    """Record one cost on an open case of the actor's own court (the node-handling capability)."""
    if not (can_write_court(actor, case.court) and actor.can(Cap.NODE_COMPLETE)):
        raise NotPermitted("只有本院承办人员可以登记执行费用")
    if not case.is_open:
        raise Conflict("案件已结案，不能登记执行费用", field="case")
    amt = _amount(amount)
    day = _day(incurred_on)
    ref = _text(document_ref, "document_ref", "凭证", 128, True)
    why = _text(note, "note", "说明", 200, False)
    kind = str(kind or "")
    who = str(advanced_by or "")
    problem = cost_problem(
        kind=kind,
        amount=amt,
        incurred_on=day,
        filed_on=case.filed_on,
        today=timezone.localdate(),
        applicant_requested=bool(applicant_requested),
        advanced_by=who,
    )
    if problem:
        raise ServiceError(problem[1], field=problem[0])
    with transaction.atomic():
        cost = EnforcementCost.objects.create(
            case=case,
            kind=kind,
            article=COST_KINDS[kind][1],
            amount=amt,
            incurred_on=day,
            applicant_requested=bool(applicant_requested),
            advanced_by=who,
            document_ref=ref,
            note=why,
            recorded_by=actor,
        )
        audit.record(
            actor,
            "case.cost",
            object_type="cases.EnforcementCost",
            object_id=cost.pk,
            case_id=case.pk,
            after={
                "cost_kind": kind,
                "amount": amt,
                "incurred_on": day,
                "applicant_requested": bool(applicant_requested),
                "advanced_by": who,
                "document_ref": ref,
                "note": why,
                "article": cost.article,
            },
        )
    return cost
