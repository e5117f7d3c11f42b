"""Building controls with given dates for the controls-over-time tests (no partner round trip needed)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from zhixing.inquiry import rules
from zhixing.inquiry.models import Asset, InquiryRequest, Partner
from zhixing.inquiry.services import feedback

TZ = ZoneInfo("Asia/Shanghai")
S = InquiryRequest.Status
HOUSE = "粤(2021)不动产权第9085919号"


def frozen(case: Any, ref: str, start: date, amount: str = "100.00", partner: str = "BANK-ICBC") -> Asset:
    """An account frozen from `start` for the deposit term (1 year)."""
    p = Partner.objects.get(code=partner)
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=p,
        category=p.category,
        kind="account",
        ref=ref,
        value=Decimal("5000.00"),
        state=Asset.State.FROZEN,
        frozen_amount=Decimal(amount),
        effective_on=start,
        control_start=start,
        control_expires=rules.control_expiry(start, p.category.asset_kind),
        found_at=datetime(2026, 1, 5, 10, tzinfo=TZ),
    )


def seized(
    case: Any, registered: date, rank: int = 1, ref: str = HOUSE, partner: str = "REG-ESTATE"
) -> Asset:
    """A house seized (rank 1) or queued behind others (rank > 1), registered on `registered`."""
    p = Partner.objects.get(code=partner)
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=p,
        category=p.category,
        kind="house",
        ref=ref,
        value=Decimal("8000.00"),
        divisible=False,
        state=Asset.State.SEIZED if rank == 1 else Asset.State.QUEUED,
        seizure_rank=rank,
        registered_on=registered,
        effective_on=registered if rank == 1 else None,
        control_start=registered,
        control_expires=rules.control_expiry(registered, p.category.asset_kind),
        found_at=datetime(2026, 1, 5, 10, tzinfo=TZ),
    )


def answer(req: InquiryRequest, **result: Any) -> None:
    """The institution's "done" answer to a control request, applied as the dispatcher would."""
    InquiryRequest.objects.filter(pk=req.pk).update(status=S.SENDING)
    feedback.apply_control(req, {"key": req.idempotency_key, "status": "done", "result": result})


def fail(req: InquiryRequest, error: str) -> None:
    InquiryRequest.objects.filter(pk=req.pk).update(status=S.SENDING)
    feedback.apply_control(req, {"key": req.idempotency_key, "status": "error", "error": error})
