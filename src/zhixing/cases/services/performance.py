"""Recording money performed on a case (执行到位) — the one writer of `Payment` and `paid_amount`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F

from zhixing.core import audit
from zhixing.core.errors import ServiceError

from ..models import EnforcementCase, Payment


def record_payment(
    case_id: int,
    amount: Decimal,
    paid_on: date,
    *,
    source: str,
    reference: str,
    actor: Any = None,
    note: str = "",
) -> bool:
    """Record `amount` performed on case `case_id` on `paid_on`; idempotent on `reference`.

    Called by the funds domain inside its own booking transaction (a receipt booked to the case, a
    claimed unidentified receipt, an inquiry deduction), so the payment commits or rolls back with the
    money. A negative amount with source "reversal" undoes an earlier one. `paid_amount` moves by an
    atomic `F()` update, so concurrent receipts on one case never lose an increment. Returns False when
    `reference` was already recorded (nothing changes), True otherwise.
    """
    if not amount.is_finite() or amount == 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ServiceError("执行到位金额须为非零且最多两位小数", field="amount")
    if amount < 0 and source != Payment.Source.REVERSAL:
        raise ServiceError("只有冲正记录的金额可以为负数", field="amount")
    if source not in Payment.Source.values:
        raise ServiceError(f"未知的到位来源：{source}", field="source")
    if not reference or len(reference) > 96:
        raise ServiceError("来源编号不能为空且不超过96个字符", field="reference")
    with transaction.atomic():
        if Payment.objects.filter(reference=reference).exists():
            return False
        if not EnforcementCase.objects.filter(pk=case_id).exists():
            raise ServiceError("案件不存在", field="case")
        Payment.objects.create(
            case_id=case_id, amount=amount, paid_on=paid_on, source=source, reference=reference, note=note
        )
        EnforcementCase.objects.filter(pk=case_id).update(paid_amount=F("paid_amount") + amount)
        audit.record(
            actor,
            "case.payment",
            object_type="case",
            object_id=case_id,
            case_id=case_id,
            after={"amount": amount, "paid_on": paid_on, "source": source, "reference": reference},
        )
    return True
