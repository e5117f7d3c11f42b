"""Correcting an imported statement line (更正流水): the original is kept, the change audited.

Who may import a debtor's statements (`Cap.ANALYTICS_IMPORT`, the case's own court) may correct its
lines: the direction, the amount, the counterparty, the category, or leave the line out of every
indicator. The imported line stays as read from the file; the correction is stored beside it
(`TransactionCorrection`) and the debtor's snapshot is rebuilt so the indicators use it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from .. import queries
from ..models import Transaction, TransactionCorrection
from .snapshots import rebuild_snapshot

CORRECT_REFUSED = "只有本案所在法院负责流水分析的工作人员可以更正流水"
FIELDS = ("direction", "amount", "counterparty", "category", "excluded")


def effective(tx: Transaction) -> dict[str, Any]:
    """The values the indicators use for this line: the correction's if any, else the imported ones."""
    corr = getattr(tx, "correction", None) if _has_correction(tx) else None
    source: Any = corr if corr is not None else tx
    return {
        "direction": source.direction,
        "amount": source.amount,
        "counterparty": source.counterparty,
        "category": source.category,
        "excluded": bool(corr.excluded) if corr is not None else False,
    }


def _has_correction(tx: Transaction) -> bool:
    try:
        return tx.correction is not None
    except TransactionCorrection.DoesNotExist:
        return False


def _amount(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise ServiceError(f"金额无效：{raw!r}", field="amount") from None
    if not value.is_finite() or abs(value) >= Decimal("1e13"):
        raise ServiceError(f"金额超出范围：{raw!r}", field="amount")
    return abs(value).quantize(Decimal("0.01"))


def correct_transaction(
    user: Any,
    tx: Transaction,
    *,
    direction: str,
    amount: Any,
    counterparty: str,
    category: str,
    excluded: bool,
    reason: str,
) -> TransactionCorrection:
    """Set the corrected values of one line (amount given unsigned; the direction gives the sign)."""
    ref = queries.debtor(user, tx.party.case_id, tx.party_id)
    if ref is None:
        raise ServiceError("流水不存在", field="transaction")
    if not queries.allowed(user, ref, Cap.ANALYTICS_IMPORT):
        raise NotPermitted(CORRECT_REFUSED)
    if direction not in Transaction.Direction.values:
        raise ServiceError(f"收支应为收入、支出或不计收支：{direction!r}", field="direction")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写更正理由", field="reason")
    if len(reason) > 300:
        raise ServiceError("更正理由不超过300字", field="reason")
    value = _amount(amount)
    signed = -value if direction == Transaction.Direction.OUT else value
    after = {
        "direction": direction,
        "amount": signed,
        "counterparty": (counterparty or "").strip()[:200],
        "category": (category or "").strip()[:64],
        "excluded": bool(excluded),
    }
    with transaction.atomic():
        locked = (
            Transaction.objects.select_for_update(of=("self",)).select_related("correction").get(pk=tx.pk)
        )
        before = effective(locked)
        if before == after:
            raise ServiceError("更正后的内容与当前内容相同", field="amount")
        corr, _ = TransactionCorrection.objects.update_or_create(
            transaction=locked,
            defaults={**after, "reason": reason, "corrected_by": user},
        )
        audit.record(
            user,
            "analytics.transaction.correct",
            object_type="Transaction",
            object_id=locked.pk,
            case_id=ref.case.pk,
            before={**before, "amount": str(before["amount"])},
            after={
                **after,
                "amount": str(signed),
                "reason": reason,
                "row": locked.row_no,
                "job": locked.job_id,
            },
        )
        party_id = locked.party_id
        transaction.on_commit(lambda: rebuild_snapshot(party_id))
    return corr
