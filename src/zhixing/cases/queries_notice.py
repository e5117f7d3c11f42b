"""What the other domains may know of a case's enforcement notice (执行通知书): read-only.

Credit reads it through this module only (失信规定 Art 5(1): a listing needs the notice with its listing
warning served; 限消规定 Art 1(1): a consumption restriction needs the period it fixed to have run out).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import EnforcementNotice


@dataclass(frozen=True)
class NoticeState:
    """The case's notice as far as the later measures care: None dates = not served yet."""

    issued: bool
    served_on: date | None
    period_ends_on: date | None
    listing_warning: bool


NOT_ISSUED = NoticeState(issued=False, served_on=None, period_ends_on=None, listing_warning=False)


def notice_state(case_id: int) -> NoticeState:
    """The notice of case `case_id`: served on (the deemed day of service) and the last day of its period."""
    row = (
        EnforcementNotice.objects.filter(case_id=case_id)
        .values_list("served_on", "period_ends_on", "listing_warning")
        .first()
    )
    if row is None:
        return NOT_ISSUED
    return NoticeState(issued=True, served_on=row[0], period_ends_on=row[1], listing_warning=row[2])


def served_on(case_id: int) -> date | None:
    return notice_state(case_id).served_on


def period_ends_on(case_id: int) -> date | None:
    return notice_state(case_id).period_ends_on
