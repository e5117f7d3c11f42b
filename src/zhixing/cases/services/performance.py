"""Recording money performed on a case (执行到位) — the one writer of `Payment` and `paid_amount`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, Value, When

from zhixing.core import audit
from zhixing.core.errors import ServiceError

from ..events import payments_recorded
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
    court: Any = None,
) -> bool:
    """Record `amount` performed on case `case_id` on `paid_on`; idempotent on `reference`.

    Called by the funds domain inside its own booking transaction (a receipt booked to the case, a
    claimed unidentified receipt, an inquiry deduction), so the payment commits or rolls back with the
    money. A negative amount with source "reversal" undoes an earlier one. `paid_amount` moves by an
    atomic `F()` update, so concurrent receipts on one case never lose an increment. Returns False when
    `reference` was already recorded (nothing changes), True otherwise. `court` (the case's court, if
    the caller has it) names the audit chain without a look-up.
    """
    _validate(amount, source, reference, "")
    # No savepoint (two round trips fewer on the receipt hot path): the block raises nothing itself —
    # a missing case is reported after it, having written nothing — so it never poisons the caller's
    # transaction; a database error rolls back the caller's transaction, as it should.
    with transaction.atomic(savepoint=False):
        if Payment.objects.filter(reference=reference).exists():
            return False
        # The UPDATE doubles as the existence check (one statement less on the receipt hot path).
        moved = EnforcementCase.objects.filter(pk=case_id).update(paid_amount=F("paid_amount") + amount)
        if moved:
            Payment.objects.create(
                case_id=case_id, amount=amount, paid_on=paid_on, source=source, reference=reference, note=note
            )
            audit.record(
                actor,
                "case.payment",
                object_type="case",
                object_id=case_id,
                case_id=case_id,
                after={"amount": amount, "paid_on": paid_on, "source": source, "reference": reference},
                court=court,
            )
            payments_recorded.send(
                sender=Payment, case_ids=[case_id], actor=actor, payments=[(case_id, amount, paid_on)]
            )
    if not moved:
        raise ServiceError("案件不存在", field="case")
    return True


def _add_paid(sums: dict[int, Decimal]) -> int:
    """Move `paid_amount` of many cases in one atomic UPDATE (paid_amount = paid_amount + delta);
    returns how many cases it moved."""
    ids = sorted(sums)
    if connection.vendor == "postgresql":
        # A join with unnest()ed arrays: a CASE WHEN per case would cost O(cases²).
        table = EnforcementCase._meta.db_table
        with connection.cursor() as cur:
            cur.execute(
                f'UPDATE "{table}" AS c SET paid_amount = c.paid_amount + v.delta '  # noqa: S608
                "FROM unnest(%s::bigint[], %s::numeric[]) AS v(id, delta) WHERE c.id = v.id",
                [ids, [sums[i] for i in ids]],
            )
            return int(cur.rowcount)
    increment = Case(
        *[When(pk=case_id, then=Value(sums[case_id])) for case_id in ids],
        output_field=DecimalField(max_digits=15, decimal_places=2),
    )
    return EnforcementCase.objects.filter(pk__in=ids).update(paid_amount=F("paid_amount") + increment)


def _validate(amount: Decimal, source: str, reference: str, where: str) -> None:
    if not amount.is_finite() or amount == 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ServiceError(f"{where}执行到位金额须为非零且最多两位小数", field="amount")
    if amount < 0 and source != Payment.Source.REVERSAL:
        raise ServiceError(f"{where}只有冲正记录的金额可以为负数", field="amount")
    if source not in Payment.Source.values:
        raise ServiceError(f"{where}未知的到位来源：{source}", field="source")
    if not reference or len(reference) > 96:
        raise ServiceError(f"{where}来源编号不能为空且不超过96个字符", field="reference")


@dataclass(frozen=True)
class PaymentItem:
    """One payment for `record_payments` (the arguments of `record_payment`)."""

    case_id: int
    amount: Decimal
    paid_on: date
    source: str
    reference: str
    note: str = ""
    court: Any = None  # the case's court (a Court or its code) if the caller has it: the audit chain


def record_payments(items: Sequence[PaymentItem], *, actor: Any = None) -> list[bool]:
    """Record many payments at once, with `record_payment`'s semantics for each item.

    For a batch of bank receipts booked in one transaction (`zhixing.funds` batch notices): every item
    is validated first (a bad one raises `ServiceError` naming its position and nothing is written);
    a `reference` already recorded — or repeated inside the batch — is skipped (False at its
    position); the rest are inserted at once, each case's `paid_amount` moves by one atomic `F()`
    UPDATE for all cases, and one "case.payment" audit record is appended per payment (per court
    chain, chains in code order so concurrent batches lock them in the same order).
    """
    for i, item in enumerate(items):
        _validate(item.amount, item.source, item.reference, f"第{i + 1}笔：")
    if not items:
        return []
    with transaction.atomic():
        done = set(
            Payment.objects.filter(reference__in=[it.reference for it in items]).values_list(
                "reference", flat=True
            )
        )
        result: list[bool] = []
        todo: list[PaymentItem] = []
        for item in items:
            new = item.reference not in done
            done.add(item.reference)
            result.append(new)
            if new:
                todo.append(item)
        if not todo:
            return result
        sums: dict[int, Decimal] = {}
        for item in todo:
            sums[item.case_id] = sums.get(item.case_id, Decimal("0")) + item.amount
        # The UPDATE doubles as the existence check: it moves one row per case that exists.
        if _add_paid(sums) != len(sums):
            known = set(EnforcementCase.objects.filter(pk__in=list(sums)).values_list("pk", flat=True))
            raise ServiceError(f"案件不存在：{min(set(sums) - known)}", field="case")
        Payment.objects.bulk_create(
            [
                Payment(
                    case_id=it.case_id,
                    amount=it.amount,
                    paid_on=it.paid_on,
                    source=it.source,
                    reference=it.reference,
                    note=it.note,
                )
                for it in todo
            ]
        )
        by_chain: dict[str, list[dict[str, Any]]] = {}
        for it in todo:
            by_chain.setdefault(audit.chain_key(it.court), []).append(
                {
                    "action": "case.payment",
                    "object_type": "case",
                    "object_id": it.case_id,
                    "case_id": it.case_id,
                    "after": {
                        "amount": it.amount,
                        "paid_on": it.paid_on,
                        "source": it.source,
                        "reference": it.reference,
                    },
                }
            )
        for chain in sorted(by_chain):
            # Items without a court: the chain is resolved from the first item's case (as in `record`).
            audit.record_many(actor, by_chain[chain], court=chain or None)
        payments_recorded.send(
            sender=Payment,
            case_ids=sorted(sums),
            actor=actor,
            payments=[(it.case_id, it.amount, it.paid_on) for it in todo],
        )
    return result
