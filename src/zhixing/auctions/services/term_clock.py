"""The lot's clock pauses the case's enforcement term (审限规定 Art 9: the auction or sale of seized
property is not counted): the period starts when the first announcement is published and ends when
the disposal ends (the sale confirmed, a set-off made)."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhixing.cases.models import ExcludedPeriod
from zhixing.cases.services import end_excluded_period, start_excluded_period

from ..models import Lot

KIND = "auction"


def pause_term(actor: Any, lot: Lot, on: date) -> None:
    """Start the case's auction period unless one is already running (a re-auction continues it)."""
    if not lot.case.is_open or lot.case.excluded_periods.filter(kind=KIND, end__isnull=True).exists():
        return
    start_excluded_period(
        actor, lot.case, kind=KIND, start=max(on, lot.case.filed_on), document_ref=f"拍卖公告（标的{lot.pk}）"
    )


def resume_term(actor: Any, lot: Lot, on: date, document_ref: str) -> None:
    """End the running auction period: the term runs again from `on`."""
    period = ExcludedPeriod.objects.filter(case_id=lot.case_id, kind=KIND, end__isnull=True).first()
    if period is not None:
        end_excluded_period(actor, period, end=max(on, period.start), document_ref=document_ref)
