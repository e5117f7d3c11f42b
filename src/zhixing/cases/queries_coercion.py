"""Reads of the coercive measures: a case's measures with their clocks, and the president's queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from zhixing.courts.queries import court_scope_q, object_id

from .coercion import SITUATIONS, MeasureKind
from .models import CoerciveMeasure, Party, RefusalReferral


@dataclass(frozen=True)
class Clock:
    label: str
    due: date | datetime
    met: bool | None  # True done in time, False late/overdue, None still running


def clocks(m: CoerciveMeasure, now: datetime | None = None) -> list[Clock]:
    """The measure's clocks as the page shows them (overdue = the moment passed with nothing recorded)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    out: list[Clock] = []
    if m.family_notice_due is not None:
        if m.family_notified_at is not None:
            met: bool | None = m.family_notified_at <= m.family_notice_due
        else:
            met = False if now > m.family_notice_due else None
        out.append(Clock("通知家属（24小时内）", m.family_notice_due, met))
    if m.ends_at is not None and m.kind == MeasureKind.SUMMONS:
        out.append(Clock("拘传询问截止", m.ends_at, None if now <= m.ends_at else True))
    if m.review_apply_by is not None:
        if m.review_applied_on is not None:
            out.append(Clock("复议申请期限（3日）", m.review_apply_by, True))
        else:
            out.append(
                Clock("复议申请期限（3日）", m.review_apply_by, None if today <= m.review_apply_by else True)
            )
    if m.review_decide_by is not None:
        out.append(
            Clock(
                "上级法院复议决定期限（5日）",
                m.review_decide_by,
                None if today <= m.review_decide_by else False,
            )
        )
    return out


def measures_of(case_id: int) -> list[CoerciveMeasure]:
    return list(
        CoerciveMeasure.objects.filter(case_id=case_id)
        .select_related("party", "proposed_by", "decided_by")
        .order_by("-proposed_at", "-id")
    )


def referrals_of(case_id: int) -> list[RefusalReferral]:
    return list(RefusalReferral.objects.filter(case_id=case_id).select_related("party", "referred_by"))


def debtors_of(case_id: int) -> list[Party]:
    return list(Party.objects.filter(case_id=case_id, role=Party.Role.DEBTOR).order_by("pk"))


def measure(user: Any, pk: int) -> CoerciveMeasure | None:
    """A measure in a court the user reads (else None)."""
    if object_id(pk) is None:
        return None
    return (
        CoerciveMeasure.objects.filter(court_scope_q(user), pk=pk)
        .select_related("case__court", "party")
        .first()
    )


def pending_approvals(user: Any) -> QuerySet[CoerciveMeasure]:
    """Measures awaiting the president of the user's own court."""
    return (
        CoerciveMeasure.objects.filter(court_id=user.court_id, status=CoerciveMeasure.Status.PROPOSED)
        .select_related("case", "party", "proposed_by")
        .order_by("proposed_at", "id")
    )


def situations() -> list[Any]:
    return list(SITUATIONS)
