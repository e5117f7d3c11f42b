"""Hand-over of deducted money to the case-funds ledger."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhixing.core import audit

from ..models import DeductionReceivable


def mark_deduction_booked(actor: Any, receivable_id: int, receipt_ref: str) -> bool:
    """Record that the funds ledger booked a deduction (idempotent: a second call changes nothing)."""
    with transaction.atomic():
        changed = DeductionReceivable.objects.filter(pk=receivable_id, booked=False).update(booked=True)
        if changed:
            rec = DeductionReceivable.objects.get(pk=receivable_id)
            audit.record(
                actor,
                "inquiry.deduction_booked",
                object_type="DeductionReceivable",
                object_id=receivable_id,
                case_id=rec.case_id,
                after={"receipt": receipt_ref},
            )
    return bool(changed)
